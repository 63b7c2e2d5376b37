import type {
  ActionsBlock,
  Button,
  ContextActionsBlock,
  ContextBlock,
  KnownBlock,
  SectionBlock,
} from '@slack/web-api';
import { ActionId } from '../core/actions.ts';
import { citationLabel, linkCitationMarkers, sourceUrl } from '../core/citations.ts';
import type { Reply } from '../core/types.ts';

/** Block Kit limits (docs.slack.dev): 50 blocks a message, 3,000 characters a section text. */
export const MAX_BLOCKS = 50;
export const MAX_SECTION_TEXT = 3_000;
const MAX_CONTEXT_ELEMENTS = 10;
const MAX_BUTTON_LABEL = 75;
const TRUNCATED = '\n_… réponse tronquée : ouvrez les sources pour la suite._';

export interface SlackMessage {
  /** Fallback for notifications and clients without blocks; always set. */
  text: string;
  blocks: KnownBlock[];
}

/** Slack needs &, < and > escaped; then a few Markdown forms become mrkdwn. */
export function toSlackMrkdwn(markdown: string): string {
  return markdown
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\*\*(.+?)\*\*/g, '*$1*')
    .replace(/__(.+?)__/g, '_$1_')
    .replace(/^#{1,6}\s+(.+)$/gm, '*$1*')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<$2|$1>');
}

/** Cuts text into pieces of at most `max` characters, at paragraph, line or word boundaries when possible. */
export function splitText(text: string, max = MAX_SECTION_TEXT): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const cut = [window.lastIndexOf('\n\n'), window.lastIndexOf('\n'), window.lastIndexOf(' ')].find(
      (index) => index > max / 2,
    );
    const end = cut ?? max;
    pieces.push(rest.slice(0, end).trim());
    rest = rest.slice(end).trim();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

export function feedbackValue(interactionId: string, rating: 'up' | 'down'): string {
  return `${interactionId}:${rating}`;
}

export function parseFeedbackValue(value: string): { interactionId: string; rating?: 'up' | 'down' } {
  const separator = value.lastIndexOf(':');
  const rating = value.slice(separator + 1);
  if (separator <= 0 || (rating !== 'up' && rating !== 'down')) return { interactionId: value };
  return { interactionId: value.slice(0, separator), rating };
}

/** Button action ids must be unique in a block: "<actionId>#<index>"; parseActionId undoes it. */
export const parseActionId = (actionId: string) => actionId.split('#')[0] ?? actionId;

function citationBlocks(reply: Reply, publicUrl: string): ContextBlock[] {
  const elements = reply.citations.map((citation) => ({
    type: 'mrkdwn' as const,
    text: `*[${citation.n}]* <${sourceUrl(publicUrl, citation)}|${toSlackMrkdwn(citationLabel(citation))}>`,
  }));
  const blocks: ContextBlock[] = [];
  for (let i = 0; i < elements.length; i += MAX_CONTEXT_ELEMENTS) {
    blocks.push({ type: 'context', elements: elements.slice(i, i + MAX_CONTEXT_ELEMENTS) });
  }
  return blocks;
}

function choicesBlock(reply: Reply): ActionsBlock | undefined {
  if (!reply.choices?.length) return undefined;
  const elements: Button[] = reply.choices.slice(0, 25).map((choice, index) => ({
    type: 'button',
    action_id: `${choice.actionId}#${index}`,
    text: { type: 'plain_text', text: choice.label.slice(0, MAX_BUTTON_LABEL), emoji: true },
    ...(choice.value ? { value: choice.value.slice(0, 2_000) } : {}),
    ...(choice.style ? { style: choice.style } : {}),
  }));
  return { type: 'actions', elements };
}

function feedbackBlock(reply: Reply): ContextActionsBlock | undefined {
  if (!reply.feedback || !reply.interactionId) return undefined;
  const button = (rating: 'up' | 'down', emoji: string, label: string) => ({
    text: { type: 'plain_text' as const, text: emoji, emoji: true },
    accessibility_label: label,
    value: feedbackValue(reply.interactionId!, rating),
  });
  return {
    type: 'context_actions',
    elements: [
      {
        type: 'feedback_buttons',
        action_id: ActionId.Feedback,
        positive_button: button('up', '👍', 'Réponse utile'),
        negative_button: button('down', '👎', 'Réponse pas utile'),
      },
    ],
  };
}

/** What follows the text: numbered citations, buttons, native feedback. Also sent when a stream stops. */
export function trailerBlocks(reply: Reply, publicUrl: string): KnownBlock[] {
  const optional = [choicesBlock(reply), feedbackBlock(reply)];
  return [...citationBlocks(reply, publicUrl), ...optional.filter((block) => block !== undefined)];
}

/** A Reply as one Block Kit message, within Slack's limits. */
export function renderSlackReply(reply: Reply, publicUrl: string): SlackMessage {
  const mrkdwn = linkCitationMarkers(
    toSlackMrkdwn(reply.text),
    reply.citations,
    (citation, marker) => `<${sourceUrl(publicUrl, citation)}|${marker}>`,
  );
  const trailer = trailerBlocks(reply, publicUrl);
  const budget = MAX_BLOCKS - trailer.length;
  let pieces = splitText(mrkdwn, MAX_SECTION_TEXT);
  if (pieces.length > budget) {
    pieces = pieces.slice(0, budget);
    pieces[budget - 1] = `${pieces[budget - 1]!.slice(0, MAX_SECTION_TEXT - TRUNCATED.length)}${TRUNCATED}`;
  }
  const sections: SectionBlock[] = pieces.map((text) => ({
    type: 'section',
    text: { type: 'mrkdwn', text },
  }));
  return { text: splitText(mrkdwn, MAX_SECTION_TEXT)[0] ?? ' ', blocks: [...sections, ...trailer] };
}
