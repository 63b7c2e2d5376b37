import { normalizeForMatch, stripControlCharacters } from '../../knowledge/text/normalize.ts';
import { MAX_QUESTION_LENGTH } from './messages.ts';

export interface CleanText {
  text: string;
  /** True when the text was cut to MAX_QUESTION_LENGTH. */
  truncated: boolean;
  /** The cleaned text before the cut. */
  fullText: string;
}

/** Strips control characters and surrounding blanks, and cuts overlong text at a word boundary. */
export function cleanText(raw: string): CleanText {
  const text = stripControlCharacters(raw).trim();
  if (text.length <= MAX_QUESTION_LENGTH) return { text, truncated: false, fullText: text };
  const cut = text.slice(0, MAX_QUESTION_LENGTH);
  const lastSpace = cut.lastIndexOf(' ');
  return {
    text: (lastSpace > MAX_QUESTION_LENGTH * 0.8 ? cut.slice(0, lastSpace) : cut).trim(),
    truncated: true,
    fullText: text,
  };
}

/** True when the text has no letter or digit at all: emoji, punctuation only. */
export function isWordless(text: string): boolean {
  return text.length > 0 && !/[\p{L}\p{N}]/u.test(text);
}

const GREETING_OR_HELP_WORDS = new Set([
  'aide',
  'help',
  'bonjour',
  'bonsoir',
  'salut',
  'hello',
  'coucou',
  'menu',
  'boussole',
  'merci',
  'svp',
  'stp',
]);

/** True for "bonjour", "Aide !", "Salut Boussole" and the like; false once a real question is there. */
export function isGreetingOrHelp(text: string): boolean {
  const words = normalizeForMatch(text).split(' ').filter(Boolean);
  return words.length > 0 && words.length <= 4 && words.every((word) => GREETING_OR_HELP_WORDS.has(word));
}

/** A short thread title from the question: its first words, at most about 60 characters. */
export function shortTitle(question: string): string {
  const oneLine = question.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= 60) return oneLine;
  const cut = oneLine.slice(0, 60);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > 30 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:.!?]+$/, '')}…`;
}
