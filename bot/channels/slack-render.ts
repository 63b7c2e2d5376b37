import type {
  ActionsBlock,
  Button,
  ContextActionsBlock,
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  SectionBlock,
} from '@slack/web-api';
import { ActionId } from '../core/actions.ts';
import { citationLabel, linkCitationMarkers, sourceUrl } from '../core/citations.ts';
import type { Choice, FormMarker, RecordCard, Reply } from '../core/types.ts';

/** Block Kit limits (docs.slack.dev): 50 blocks a message, 3,000 characters a section text. */
export const MAX_BLOCKS = 50;
export const MAX_SECTION_TEXT = 3_000;
const MAX_CONTEXT_ELEMENTS = 10;
const MAX_BUTTON_LABEL = 75;
const MAX_BUTTON_VALUE = 2_000;
const MAX_BUTTONS = 25;
const MAX_HEADER_TEXT = 150;
const TRUNCATED = '\n_… réponse tronquée : ouvrez les sources pour la suite._';
const CARD_TRUNCATED =
  '_… la fiche ne tient pas dans un message Slack : demandez « voir la fiche » ou exportez-la en Word pour la lire en entier._';
const TO_COMPLETE = '_à compléter_';

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

/** A Choice as a button; `key` makes its action id unique in the message (Slack refuses duplicates). */
function choiceButton(choice: Choice, key: string | number, accessibilityLabel?: string): Button {
  return {
    type: 'button',
    action_id: `${choice.actionId}#${key}`,
    text: { type: 'plain_text', text: choice.label.slice(0, MAX_BUTTON_LABEL), emoji: true },
    ...(choice.value ? { value: choice.value.slice(0, MAX_BUTTON_VALUE) } : {}),
    ...(choice.style ? { style: choice.style } : {}),
    ...(accessibilityLabel ? { accessibility_label: accessibilityLabel.slice(0, MAX_BUTTON_LABEL) } : {}),
  };
}

function choicesBlock(reply: Reply): ActionsBlock | undefined {
  if (!reply.choices?.length) return undefined;
  const elements = reply.choices.slice(0, MAX_BUTTONS).map((choice, index) => choiceButton(choice, index));
  return { type: 'actions', elements };
}

/** What people typed, shown in mrkdwn: only Slack's control characters are escaped. */
const escapeMrkdwn = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A record card (a fiche's recap) as Block Kit: a header, the subtitle, one section per card section
 * listing its fields (« à compléter » for the missing ones) with its edit control as the section's button,
 * then the card's own actions. A section longer than Slack's 3,000 characters continues in the next block.
 */
export function cardBlocks(card: RecordCard): KnownBlock[] {
  const header: HeaderBlock = {
    type: 'header',
    text: { type: 'plain_text', text: card.title.slice(0, MAX_HEADER_TEXT), emoji: true },
  };
  const blocks: KnownBlock[] = [header];
  if (card.subtitle)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(card.subtitle) }] });
  card.sections.forEach((section, index) => {
    const lines = section.fields.map(
      (field) =>
        `*${escapeMrkdwn(field.label)}* : ${field.value ? escapeMrkdwn(field.value) : field.missing ? TO_COMPLETE : '—'}`,
    );
    const pieces = splitText([`*${escapeMrkdwn(section.title)}*`, ...lines].join('\n'), MAX_SECTION_TEXT);
    pieces.forEach((text, piece) => {
      const edit = piece === 0 && section.edit;
      blocks.push({
        type: 'section',
        text: { type: 'mrkdwn', text },
        ...(edit
          ? { accessory: choiceButton(edit, `card-${index}`, `${edit.label} : ${section.title}`) }
          : {}),
      });
    });
  });
  if (card.actions?.length) {
    blocks.push({
      type: 'actions',
      elements: card.actions
        .slice(0, MAX_BUTTONS)
        .map((choice, index) => choiceButton(choice, `card-action-${index}`)),
    });
  }
  return blocks;
}

/**
 * `form:<formId>:<fieldId>:<step>:<recordId>#<n>`, fieldId and recordId empty when the message has none:
 * every block of a form's message names the form, the field asked and the step (question, recap, confirm,
 * closed), so scripts and tests follow a conversation without reading French. `#<n>` keeps block ids unique.
 */
export function formBlockId(form: FormMarker, index: number): string {
  return `form:${form.formId}:${form.fieldId ?? ''}:${form.step}:${form.recordId ?? ''}#${index}`;
}

export function parseFormBlockId(blockId: string | undefined): FormMarker | undefined {
  const match = /^form:([^:#]+):([^:#]*):(question|recap|confirm|closed):([^:#]*)#\d+$/.exec(blockId ?? '');
  if (!match) return undefined;
  const [, formId, fieldId, step, recordId] = match;
  return {
    formId: formId!,
    ...(fieldId ? { fieldId } : {}),
    step: step as FormMarker['step'],
    ...(recordId ? { recordId } : {}),
  };
}

/** The form marker on every block of the message, when the reply belongs to a form. */
export function markBlocks(blocks: KnownBlock[], form: FormMarker | undefined): KnownBlock[] {
  if (!form) return blocks;
  return blocks.map((block, index) => ({ ...block, block_id: formBlockId(form, index) }));
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

/**
 * A Reply as one Block Kit message, within Slack's limits: its text, its card, then citations, buttons and
 * feedback. Past 50 blocks the text, then the card, are cut with a French note.
 */
export function renderSlackReply(reply: Reply, publicUrl: string): SlackMessage {
  const mrkdwn = linkCitationMarkers(
    toSlackMrkdwn(reply.text),
    reply.citations,
    (citation, marker) => `<${sourceUrl(publicUrl, citation)}|${marker}>`,
  );
  const trailer = trailerBlocks(reply, publicUrl);
  let card = reply.card ? cardBlocks(reply.card) : [];
  const budget = Math.max(1, MAX_BLOCKS - trailer.length - card.length);
  let pieces = splitText(mrkdwn, MAX_SECTION_TEXT);
  if (pieces.length > budget) {
    pieces = pieces.slice(0, budget);
    pieces[budget - 1] = `${pieces[budget - 1]!.slice(0, MAX_SECTION_TEXT - TRUNCATED.length)}${TRUNCATED}`;
  }
  const cardBudget = MAX_BLOCKS - trailer.length - pieces.length;
  if (card.length > cardBudget) {
    card = [
      ...card.slice(0, cardBudget - 1),
      { type: 'context', elements: [{ type: 'mrkdwn', text: CARD_TRUNCATED }] },
    ];
  }
  const sections: SectionBlock[] = pieces.map((text) => ({
    type: 'section',
    text: { type: 'mrkdwn', text },
  }));
  return {
    text: splitText(mrkdwn, MAX_SECTION_TEXT)[0] ?? ' ',
    blocks: markBlocks([...sections, ...card, ...trailer], reply.form),
  };
}
