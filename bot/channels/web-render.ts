import { Marked } from 'marked';
import { ActionId } from '../core/actions.ts';
import { citationLabel, linkCitationMarkers, sourceUrl } from '../core/citations.ts';
import type { Choice, FormMarker, RecordCard, Reply, ReplyFile } from '../core/types.ts';
import { escapeHtml } from '../viewer/html.ts';

/** A Reply as the web page draws it: safe HTML plus the data of its buttons. */
export interface WebReply {
  /** The answer as HTML, [n] markers linked to the source viewer. No HTML from the text survives. */
  html: string;
  citations: { n: number; label: string; url: string }[];
  choices: Choice[];
  /** Present when 👍/👎 buttons apply: the action they send back, and the interaction it rates. */
  feedback?: { actionId: string; interactionId: string };
  aiGenerated: boolean;
  title?: string;
  /** The reply as plain text with its light Markdown (*gras*, _italique_): for scripts, never for innerHTML. */
  text: string;
  /** Which form and field the message is about: scripts follow a conversation by it, not by the French. */
  form?: FormMarker;
  /** A record shown as a card (a fiche's recap). Its display strings are HTML-escaped; choices are plain text. */
  card?: RecordCard;
  /** Documents made for the person (a fiche in Word…): signed, expiring download links, also linked in `html`. */
  files?: ReplyFile[];
}

const SAFE_LINK = /^(https?:\/\/|\/)/i;

const answerMarkdown = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    link({ href, title, tokens }) {
      const label = this.parser.parseInline(tokens);
      if (!SAFE_LINK.test(href)) return label;
      const titleAttribute = title ? ` title="${title}"` : '';
      return `<a href="${href}"${titleAttribute} target="_blank" rel="noopener">${label}</a>`;
    },
    image({ text }) {
      return text;
    },
  },
});

// Only "<" and "&" need escaping before Markdown: without "<" no tag can appear, and ">" keeps quotes working.
const escapeForMarkdown = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Markdown made from records (a fiche's values) as HTML: no tag from the text survives. */
export const markdownHtml = (markdown: string): string =>
  answerMarkdown.parse(escapeForMarkdown(markdown), { async: false });

export function renderWebReply(reply: Reply, publicUrl: string): WebReply {
  const linked = linkCitationMarkers(
    reply.text,
    reply.citations,
    (citation) =>
      `[\\[${citation.n}\\]](${sourceUrl(publicUrl, citation)} "${escapeForMarkdown(citationLabel(citation)).replace(/"/g, '&quot;')}")`,
    escapeForMarkdown,
  );
  return {
    html: answerMarkdown.parse(linked, { async: false }),
    citations: reply.citations.map((citation) => ({
      n: citation.n,
      label: citationLabel(citation),
      url: sourceUrl(publicUrl, citation),
    })),
    choices: reply.choices ?? [],
    feedback:
      reply.feedback && reply.interactionId
        ? { actionId: ActionId.Feedback, interactionId: reply.interactionId }
        : undefined,
    aiGenerated: reply.aiGenerated,
    title: reply.title,
    text: reply.text,
    form: reply.form,
    card: reply.card ? escapeCard(reply.card) : undefined,
    files: reply.files,
  };
}

/** Field values are what people typed: escaped here, so any client may insert them as HTML. */
function escapeCard(card: RecordCard): RecordCard {
  return {
    title: escapeHtml(card.title),
    subtitle: card.subtitle === undefined ? undefined : escapeHtml(card.subtitle),
    sections: card.sections.map((section) => ({
      id: section.id,
      title: escapeHtml(section.title),
      fields: section.fields.map((field) => ({
        label: escapeHtml(field.label),
        value: escapeHtml(field.value),
        missing: field.missing ?? false,
      })),
      edit: section.edit,
    })),
    actions: card.actions ?? [],
  };
}
