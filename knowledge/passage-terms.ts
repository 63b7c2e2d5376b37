import type { AnalyzedQuery } from './query.ts';
import { normalizeForMatch } from './text/normalize.ts';
import type { Passage } from './types.ts';

/** Lines of a passage body (its first line is the section path), cut into sentences. */
export function bodyUnits(passageText: string): string[] {
  return passageText
    .split('\n')
    .slice(1)
    .flatMap((line) => (line.startsWith('|') ? [line] : line.split(/(?<=[.!?;])\s+(?=\S)/u)))
    .map((unit) => unit.trim())
    .filter((unit) => unit.length > 2);
}

/**
 * Blanks of a form to fill in: « A xxxx, le », « relative à..... », « (intitulé du programme) », « Et » alone
 * on a line. A passage with them is a model to copy, not an explanation.
 */
const TEMPLATE_MARK = /x{3,}|\.{4,}|…\s*\(|\((?:intitulé|objectif|liste|nom)\b[^)]*\)|^(?:Et|Entre :?)$/imu;

export function isTemplateText(text: string): boolean {
  return TEMPLATE_MARK.test(text);
}

/** What the retriever and the coverage check read of one passage, analyzed once when the index opens. */
export interface PassageTerms {
  passage: Passage;
  /** Every term of the passage, its section path and its document title. */
  all: Set<string>;
  /** Terms of the section path, the document title and a table's header row: what the passage is about. */
  heading: Set<string>;
  headingMatchText: string;
  /** Each sentence (or table row) of the body with its terms. */
  units: { text: string; terms: Set<string>; matchText: string }[];
  /** The whole passage, with its section path and title, in match form (for acronym long forms). */
  matchText: string;
  template: boolean;
  /** Every term of the passage's document, shared by its passages. */
  documentTerms: Set<string>;
}

/** Analyzes every passage once, and gives each the terms of its whole document. */
export function analyzePassages(
  passages: Passage[],
  analyze: (text: string) => string[],
): Map<string, PassageTerms> {
  const byDocument = new Map<string, Set<string>>();
  const result = new Map<string, PassageTerms>();
  for (const passage of passages) {
    const documentTerms = byDocument.get(passage.document) ?? new Set<string>();
    byDocument.set(passage.document, documentTerms);
    const terms = passageTerms(passage, analyze, documentTerms);
    for (const term of terms.all) documentTerms.add(term);
    result.set(passage.id, terms);
  }
  return result;
}

function passageTerms(
  passage: Passage,
  analyze: (text: string) => string[],
  documentTerms: Set<string>,
): PassageTerms {
  const tableHeader = passage.text.split('\n').find((line) => line.startsWith('|')) ?? '';
  const heading = `${passage.title} ${passage.section} ${tableHeader}`;
  return {
    passage,
    all: new Set(analyze(`${passage.title} ${passage.section} ${passage.text}`)),
    heading: new Set(analyze(heading)),
    headingMatchText: ` ${normalizeForMatch(heading)} `,
    units: bodyUnits(passage.text).map((text) => ({
      text,
      terms: new Set(analyze(text)),
      matchText: ` ${normalizeForMatch(text)} `,
    })),
    matchText: ` ${normalizeForMatch(`${passage.title} ${passage.text}`)} `,
    template: isTemplateText(passage.text),
    documentTerms,
  };
}

/** Whether a term of the question is in a set of passage terms, as itself, its long form or a synonym. */
export function termFound(
  query: AnalyzedQuery,
  term: string,
  terms: ReadonlySet<string>,
  matchText: string,
): boolean {
  if (terms.has(term)) return true;
  if ((query.alternatives.get(term) ?? []).some((alternative) => terms.has(alternative))) return true;
  return (query.longForms.get(term) ?? []).some((form) => matchText.includes(` ${form} `));
}
