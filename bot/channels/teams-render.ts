import type { Attachment, ClientCitation } from '@microsoft/agents-activity';
import type { Citation, RetrievedPassage } from '../../knowledge/types.ts';
import type { Choice, Reply } from '../core/types.ts';

/** Teams shows at most 20 citations per message. */
const MAX_CITATIONS = 20;
const MAX_CITATION_NAME = 80;
const MAX_CITATION_ABSTRACT = 160;
const MAX_PASSAGES_SHOWN = 5;
const MAX_PASSAGE_TEXT = 700;
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

/** Link to the passage in our own source viewer. */
export function sourceViewerUrl(
  publicUrl: string,
  citation: Pick<Citation, 'document' | 'passageId' | 'anchor'>,
) {
  const document = encodeURIComponent(citation.document);
  return `${publicUrl}/sources/${document}?passage=${encodeURIComponent(citation.passageId)}#${citation.anchor}`;
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

export function toClientCitation(citation: Citation, publicUrl: string): ClientCitation {
  return {
    '@type': 'Claim',
    position: citation.n,
    appearance: {
      '@type': 'DigitalDocument',
      name: truncate(`${citation.title} › ${citation.section}`, MAX_CITATION_NAME),
      abstract: truncate(citation.snippet, MAX_CITATION_ABSTRACT),
      url: sourceViewerUrl(publicUrl, citation),
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

function passageBlocks(passage: RetrievedPassage, index: number, publicUrl: string) {
  const url = sourceViewerUrl(publicUrl, {
    document: passage.document,
    passageId: passage.id,
    anchor: passage.anchor,
  });
  return [
    {
      type: 'TextBlock',
      text: `**${index + 1}. [${passage.title} › ${passage.section}](${url})**`,
      wrap: true,
      separator: index > 0,
    },
    { type: 'TextBlock', text: truncate(passage.text, MAX_PASSAGE_TEXT), wrap: true, isSubtle: true },
  ];
}

/** "Voir les passages" opens in place (Action.ShowCard): no round trip, works after a restart. */
function showPassagesAction(passages: RetrievedPassage[], publicUrl: string) {
  return {
    type: 'Action.ShowCard',
    title: 'Voir les passages',
    card: {
      type: 'AdaptiveCard',
      body: passages
        .slice(0, MAX_PASSAGES_SHOWN)
        .flatMap((passage, index) => passageBlocks(passage, index, publicUrl)),
    },
  };
}

/** Choices and passages as one Adaptive Card (schema 1.5, the most Teams renders). */
export function actionsCard(reply: Reply, publicUrl: string): Attachment | undefined {
  const actions: object[] = (reply.choices ?? []).map(choiceAction);
  if (reply.passages && reply.passages.length > 0)
    actions.push(showPassagesAction(reply.passages, publicUrl));
  if (actions.length === 0) return undefined;
  return {
    contentType: ADAPTIVE_CARD,
    content: {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.5',
      body: [],
      actions,
    },
  };
}

/** Renders a normalized reply as a Teams message: Markdown text with [n] markers, citations, feedback, card. */
export function renderTeamsReply(reply: Reply, publicUrl: string): TeamsMessage {
  const card = actionsCard(reply, publicUrl);
  return {
    type: 'message',
    text: reply.text,
    textFormat: 'markdown',
    entities: reply.citations.length > 0 || reply.aiGenerated ? [messageEntity(reply, publicUrl)] : [],
    channelData: { feedbackLoopEnabled: reply.feedback },
    ...(card ? { attachments: [card] } : {}),
  };
}
