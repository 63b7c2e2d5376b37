import type { Attachment, ClientCitation } from '@microsoft/agents-activity';
import type { Citation } from '../../knowledge/types.ts';
import { citationLabel, sourceUrl } from '../core/citations.ts';
import type { Choice, FormMarker, RecordCard, Reply, ReplyFile } from '../core/types.ts';

/** Teams shows at most 20 citations per message. */
const MAX_CITATIONS = 20;
const MAX_CITATION_NAME = 80;
const MAX_CITATION_ABSTRACT = 160;
export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
/** Teams refuses a message over about 28 KB: a long answer in a card's fact is shortened (the text has it all). */
const MAX_FACT_VALUE = 600;
const TO_COMPLETE = '_à compléter_';

/** The schema.org root entity Teams reads for citations and the "AI generated" label. */
export interface TeamsMessageEntity {
  type: 'https://schema.org/Message';
  '@type': 'Message';
  '@context': 'https://schema.org';
  '@id': '';
  additionalType?: ['AIGeneratedContent'];
  citation: ClientCitation[];
}

/** A message activity as sent to the Bot Connector (plain JSON). */
export interface TeamsMessage {
  type: 'message';
  text: string;
  textFormat: 'markdown';
  entities: TeamsMessageEntity[];
  channelData: TeamsChannelData;
  attachments?: Attachment[];
}

export interface TeamsChannelData {
  feedbackLoopEnabled: boolean;
  /**
   * Which form and field the message asks about (form id, field id, step, record id), so scripts and tests
   * follow a conversation without reading French. Teams ignores keys it does not know.
   */
  boussole?: { form: FormMarker };
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

const SEPARATOR = ' › ';

/**
 * "Title › section" within Teams' 80 characters. When too long, the most specific section is kept
 * and the title shortened, since the section is what tells two citations of one guide apart.
 */
export function citationName(citation: Pick<Citation, 'title' | 'section'>): string {
  const full = citationLabel(citation);
  if (full.length <= MAX_CITATION_NAME) return full;
  const leaf = truncate(citation.section.split(SEPARATOR).at(-1) ?? '', MAX_CITATION_NAME / 2);
  if (!leaf) return truncate(full, MAX_CITATION_NAME);
  return `${truncate(citation.title, MAX_CITATION_NAME - SEPARATOR.length - leaf.length)}${SEPARATOR}${leaf}`;
}

export function toClientCitation(citation: Citation, publicUrl: string): ClientCitation {
  return {
    '@type': 'Claim',
    position: citation.n,
    appearance: {
      '@type': 'DigitalDocument',
      name: citationName(citation),
      abstract: truncate(citation.snippet, MAX_CITATION_ABSTRACT),
      url: sourceUrl(publicUrl, citation),
    },
  };
}

export function messageEntity(reply: Reply, publicUrl: string): TeamsMessageEntity {
  return {
    type: 'https://schema.org/Message',
    '@type': 'Message',
    '@context': 'https://schema.org',
    '@id': '',
    ...(reply.aiGenerated ? { additionalType: ['AIGeneratedContent'] as ['AIGeneratedContent'] } : {}),
    citation: reply.citations
      .slice(0, MAX_CITATIONS)
      .map((citation) => toClientCitation(citation, publicUrl)),
  };
}

const actionStyles = { primary: 'positive', danger: 'destructive' } as const;

function choiceAction(choice: Choice) {
  return {
    type: 'Action.Submit',
    title: choice.label,
    ...(choice.style ? { style: actionStyles[choice.style] } : {}),
    data: { actionId: choice.actionId, ...(choice.value === undefined ? {} : { value: choice.value }) },
  };
}

function fileAction(file: ReplyFile) {
  return { type: 'Action.OpenUrl', title: `Télécharger ${file.fileName}`, url: file.url };
}

const shorten = (text: string) =>
  text.length <= MAX_FACT_VALUE ? text : `${text.slice(0, MAX_FACT_VALUE - 1).trimEnd()}…`;

/**
 * A record card (a fiche's recap): its title and subtitle, then one container per section with the
 * section's title, its edit control as a button beside it, and a FactSet of its fields (« à compléter » for
 * the missing ones).
 */
export function recordCardBody(card: RecordCard): Record<string, unknown>[] {
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', text: card.title, size: 'Large', weight: 'Bolder', wrap: true },
  ];
  if (card.subtitle)
    body.push({ type: 'TextBlock', text: card.subtitle, isSubtle: true, spacing: 'None', wrap: true });
  for (const section of card.sections) {
    const title = { type: 'TextBlock', text: section.title, weight: 'Bolder', wrap: true };
    const edit = section.edit;
    body.push({
      type: 'Container',
      id: `section-${section.id}`,
      separator: true,
      spacing: 'Medium',
      items: [
        edit
          ? {
              type: 'ColumnSet',
              columns: [
                { type: 'Column', width: 'stretch', verticalContentAlignment: 'Center', items: [title] },
                {
                  type: 'Column',
                  width: 'auto',
                  items: [{ type: 'ActionSet', actions: [choiceAction(edit)] }],
                },
              ],
            }
          : title,
        {
          type: 'FactSet',
          facts: section.fields.map((field) => ({
            title: field.label,
            value: field.value ? shorten(field.value) : field.missing ? TO_COMPLETE : '—',
          })),
        },
      ],
    });
  }
  return body;
}

/**
 * One Adaptive Card, schema 1.5 at most: the record card if any, then the card's actions, the choices (the
 * passages button included) as Action.Submit, and a download button per document.
 */
export function replyCard(reply: Pick<Reply, 'card' | 'choices' | 'files'>): Attachment | undefined {
  const actions = [
    ...[...(reply.card?.actions ?? []), ...(reply.choices ?? [])].map(choiceAction),
    ...(reply.files ?? []).map(fileAction),
  ];
  if (!reply.card && actions.length === 0) return undefined;
  return {
    contentType: ADAPTIVE_CARD,
    content: {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.5',
      body: reply.card ? recordCardBody(reply.card) : [],
      actions,
    },
  };
}

/** Renders a normalized reply as a Teams message: Markdown text with [n] markers, citations, feedback, card. */
export function renderTeamsReply(reply: Reply, publicUrl: string): TeamsMessage {
  const card = replyCard(reply);
  return {
    type: 'message',
    text: reply.text,
    textFormat: 'markdown',
    entities: reply.citations.length > 0 || reply.aiGenerated ? [messageEntity(reply, publicUrl)] : [],
    channelData: {
      feedbackLoopEnabled: reply.feedback,
      ...(reply.form ? { boussole: { form: reply.form } } : {}),
    },
    ...(card ? { attachments: [card] } : {}),
  };
}
