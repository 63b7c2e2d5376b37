import { foldAccents } from '../../../knowledge/text/normalize.ts';
import { NUMBER_WORDS_PATTERN, parseNumberWords } from './numbers.ts';

/**
 * Text rewritten for matching (lowercase, unaccented, number words as digits) that remembers, for
 * each character, where it came from: parsers match on `text` and cut labels out of the original.
 */
export interface Mapped {
  readonly text: string;
  /** origin[i] is the index in the original text of text[i]; origin[text.length] is its length. */
  readonly origin: readonly number[];
}

function unmapped(text: string): Mapped {
  return { text, origin: Array.from({ length: text.length + 1 }, (_, i) => i) };
}

/** Replaces each match of a global pattern; `replace` returns undefined to keep the match as it is. */
export function mapReplace(
  mapped: Mapped,
  pattern: RegExp,
  replace: (match: RegExpExecArray, text: string) => string | undefined,
): Mapped {
  let text = '';
  const origin: number[] = [];
  let copiedUpTo = 0;
  const copy = (until: number) => {
    text += mapped.text.slice(copiedUpTo, until);
    origin.push(...mapped.origin.slice(copiedUpTo, until));
    copiedUpTo = until;
  };
  for (const match of mapped.text.matchAll(pattern)) {
    const replacement = replace(match, mapped.text);
    if (replacement === undefined) continue;
    copy(match.index);
    text += replacement;
    for (let i = 0; i < replacement.length; i++) origin.push(mapped.origin[match.index]!);
    copiedUpTo = match.index + match[0].length;
  }
  copy(mapped.text.length);
  origin.push(mapped.origin[mapped.text.length]!);
  return { text, origin };
}

const QUOTES = /[\u2018\u2019\u02bc\u0060\u00b4]/;
const SPACES = /[\s\u00a0\u202f\u2009\u2007]/;
const DASHES = /[\u2010-\u2015\u2212]/;

function foldChar(char: string): string {
  if (QUOTES.test(char)) return "'";
  if (SPACES.test(char)) return ' ';
  if (DASHES.test(char)) return '-';
  return foldAccents(char.toLowerCase());
}

/** Lowercase, unaccented, one kind of apostrophe, space and dash. */
export function fold(text: string): Mapped {
  return mapReplace(unmapped(text.normalize('NFC')), /[^a-z0-9 ,.;:/'()-]/g, ([char]) => {
    const folded = foldChar(char);
    return folded === char ? undefined : folded;
  });
}

function formatDecimal(value: number): string {
  return String(value).replace('.', ',');
}

/**
 * Number words become digits (« quinze mille » → 15000, « un an et demi » → « 1,5 an »). A scale
 * word right after digits stays a word, so « 1,5 million » and « 12 mille » keep their unit.
 */
export function digitizeNumberWords(mapped: Mapped): Mapped {
  const digitized = mapReplace(mapped, NUMBER_WORDS_PATTERN, (match, text) => {
    const before = text.slice(0, match.index);
    if (/^(mille|mil|millions?|milliards?)\b/.test(match[0]) && /\d[\s,.]*$/.test(before)) return undefined;
    const value = parseNumberWords(match[0]);
    return value === undefined ? undefined : formatDecimal(value);
  });
  return mapReplace(digitized, /(?<![\d,])(\d+) ([a-z]+) et demie?(?![a-z])/g, ([, number, unit]) =>
    unit === 'et' ? undefined : `${number},5 ${unit}`,
  );
}

/** The usual preparation: folded, with number words as digits. */
export function prepare(text: string): Mapped {
  return digitizeNumberWords(fold(text));
}

/**
 * Reads a French decimal as people type it: « 2 500,50 », « 12.000 », « 1.5 », « 0,3 ». A dot or a
 * comma followed by exactly three digits is a thousands separator unless `decimalOnly` says a
 * multiplier follows (« 1.500 M€ » is rare, « 1.5 M€ » is not).
 */
export function readDecimal(raw: string, decimalOnly = false): number | undefined {
  const compact = raw.replace(/ /g, '');
  const mixed = /^\d{1,3}(?:([.,])\d{3})+([.,])\d+$/.exec(compact);
  if (mixed && mixed[1] !== mixed[2]) {
    // « 15.000,00 » or « 15,000.00 »: the last separator is the decimal one.
    return Number(compact.replaceAll(mixed[1]!, '').replace(mixed[2]!, '.'));
  }
  if (!decimalOnly && /^\d{1,3}([.,]\d{3})+$/.test(compact) && !/^0[.,]/.test(compact)) {
    return Number(compact.replace(/[.,]/g, ''));
  }
  if (!/^\d+([.,]\d+)?$/.test(compact)) return undefined;
  return Number(compact.replace(',', '.'));
}

/** A number as typed: digits with space, dot or comma grouping and decimals. */
export const NUMBER = String.raw`(?<![\d.,])(?:\d{1,3}(?: \d{3})+(?:,\d+)?|\d+(?:[.,]\d+)*)(?![\d])`;
