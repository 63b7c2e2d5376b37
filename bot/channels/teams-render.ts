import type { Attachment, ClientCitation } from '@microsoft/agents-activity';
import type { Citation } from '../../knowledge/types.ts';
import { citationLabel, sourceUrl } from '../core/citations.ts';
import type { Choice, Reply } from '../core/types.ts';

/** Teams shows at most 20 citations per message. */
const MAX_CITATIONS = 20;
const MAX_CITATION_NAME = 80;
const MAX_CITATION_ABSTRACT = 160;
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

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
  channelData: { feedbackLoopEnabled: boolean };
  attachments?: Attachment[];
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

/** Choices (the passages button included) as Action.Submit buttons of one Adaptive Card, schema 1.5 at most. */
export function choicesCard(choices: Choice[] | undefined): Attachment | undefined {
  if (!choices || choices.length === 0) return undefined;
  return {
    contentType: ADAPTIVE_CARD,
    content: {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.5',
      body: [],
      actions: choices.map(choiceAction),
    },
  };
}

/** Renders a normalized reply as a Teams message: Markdown text with [n] markers, citations, feedback, card. */
export function renderTeamsReply(reply: Reply, publicUrl: string): TeamsMessage {
  const card = choicesCard(reply.choices);
  return {
    type: 'message',
    text: reply.text,
    textFormat: 'markdown',
    entities: reply.citations.length > 0 || reply.aiGenerated ? [messageEntity(reply, publicUrl)] : [],
    channelData: { feedbackLoopEnabled: reply.feedback },
    ...(card ? { attachments: [card] } : {}),
  };
}
