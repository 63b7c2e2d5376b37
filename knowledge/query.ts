import { analyze, words } from './text/french-analyzer.ts';
import { foldAccents, normalizeForMatch, stripControlCharacters } from './text/normalize.ts';
import { SYNONYM_GROUPS } from './text/synonyms.ts';

/** Longer pastes are cut: a question is a few lines, and BM25 over a page would match everything. */
export const MAX_QUESTION_CHARS = 1_000;

export type QueryNotice = 'truncated' | 'english' | 'instructions-ignored';

export interface AnalyzedQuery {
  /** The question as it will be searched: cleaned, cut, with override attempts removed. */
  text: string;
  notices: QueryNotice[];
  /** Analyzed term -> weight (1 for the user's own words, less for acronym expansions). */
  terms: Map<string, number>;
  /** For each acronym asked ("copil"), its long forms in match form (["comite de pilotage"]). */
  longForms: Map<string, string[]>;
  /** For a word of the question, the terms of its synonyms or acronym: "frequenc" -> ["period", …], "ile" -> ["idf"]. */
  alternatives: Map<string, string[]>;
}

/** Phrases that try to override the assistant's instructions; the rest of the question is kept. */
const OVERRIDE_PATTERNS = [
  /\b(ignore[rsz]?|oublie[rsz]?|ne tiens? pas compte d[eu']s?|disregard|forget)\b[^.?!\n]{0,60}?\b(documents?|sources?|consignes?|instructions?|r[eè]gles?|prompt|guide|context[e]?)\b[^.?!,\n]{0,20}?(\bet\b|\band\b|[,:;.])?/giu,
  /\b(tu es|you are) (d[ée]sormais|maintenant|now)\b[^.?!\n]*/giu,
  /\b(act as|fais comme si|joue le r[oô]le)\b[^.?!\n]*/giu,
  /\b(system prompt|prompt syst[eè]me|invente[rz]?)\b/giu,
];

const ENGLISH_MARKERS = new Set([
  'the',
  'what',
  'how',
  'is',
  'are',
  'does',
  'do',
  'which',
  'who',
  'when',
  'why',
  'of',
  'to',
  'and',
  'in',
  'for',
  'with',
  'should',
  'can',
  'an',
  'a',
  'my',
  'our',
  'this',
  'that',
  'write',
  'local',
  'health',
]);
const FRENCH_MARKERS = new Set([
  'le',
  'la',
  'les',
  'de',
  'des',
  'du',
  'un',
  'une',
  'est',
  'et',
  'quel',
  'quelle',
  'quels',
  'quelles',
  'comment',
  'pour',
  'dans',
  'sur',
  'qui',
  'que',
  'qu',
  'en',
  'au',
  'aux',
]);

function looksEnglish(text: string): boolean {
  const tokens = normalizeForMatch(text).split(' ');
  const english = tokens.filter((token) => ENGLISH_MARKERS.has(token)).length;
  const french = tokens.filter((token) => FRENCH_MARKERS.has(token)).length;
  return english >= 2 && english > french * 2;
}

function removeOverrides(text: string): { text: string; found: boolean } {
  let result = text;
  for (const pattern of OVERRIDE_PATTERNS) result = result.replace(pattern, ' ');
  return { text: result.replace(/\s+/g, ' ').trim(), found: result !== text };
}

/** Cleans what a user typed or pasted: control characters, emoji, and runs of spaces. */
export function cleanQuestion(raw: string): string {
  return stripControlCharacters(raw)
    .replace(/\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u{FE0F}|\u{20E3}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface QueryVocabulary {
  /** Acronym (upper case) -> long forms. */
  acronyms: Record<string, string[]>;
}

/** Long forms analyzed once per vocabulary: expansions are looked up for every question. */
function acronymTerms(vocabulary: QueryVocabulary, known: ReadonlySet<string>) {
  return Object.entries(vocabulary.acronyms).map(([acronym, forms]) => ({
    acronym: acronym.toLowerCase(),
    forms: forms.map((form) => ({ match: ` ${normalizeForMatch(form)} `, terms: analyze(form, known) })),
  }));
}

/** Synonym groups analyzed once: each member's match form and terms. */
function synonymTerms(known: ReadonlySet<string>) {
  return SYNONYM_GROUPS.map((group) =>
    group.map((member) => ({ match: ` ${normalizeForMatch(member)} `, terms: analyze(member, known) })),
  );
}

/** Total weight of an acronym's long form, shared among its words. */
export const LONG_FORM_WEIGHT = 1.2;
/** Weight of a synonym's terms: they widen the search without outweighing the user's own words. */
export const SYNONYM_WEIGHT = 0.25;

export class QueryAnalyzer {
  private readonly known: ReadonlySet<string>;
  private readonly expansions: ReturnType<typeof acronymTerms>;
  private readonly synonyms: ReturnType<typeof synonymTerms>;

  constructor(vocabulary: QueryVocabulary) {
    this.known = new Set(Object.keys(vocabulary.acronyms).map((acronym) => acronym.toLowerCase()));
    this.expansions = acronymTerms(vocabulary, this.known);
    this.synonyms = synonymTerms(this.known);
  }

  /** The analyzer used for passages too, so that acronyms are kept whole on both sides. */
  readonly analyzeText = (text: string): string[] => analyze(text, this.known);

  analyze(raw: string): AnalyzedQuery {
    const notices: QueryNotice[] = [];
    let text = cleanQuestion(raw);
    if (text.length > MAX_QUESTION_CHARS) {
      text = text.slice(0, MAX_QUESTION_CHARS);
      notices.push('truncated');
    }
    const withoutOverrides = removeOverrides(text);
    if (withoutOverrides.found) notices.push('instructions-ignored');
    text = withoutOverrides.text;
    if (looksEnglish(text)) notices.push('english');
    return { text, notices, ...this.weightedTerms(text) };
  }

  private weightedTerms(text: string): Pick<AnalyzedQuery, 'terms' | 'longForms' | 'alternatives'> {
    const terms = new Map<string, number>();
    const longForms = new Map<string, string[]>();
    const spelled = new Map<string, string[]>();
    for (const term of this.analyzeText(text)) terms.set(term, 1);
    const padded = ` ${normalizeForMatch(text)} `;
    const written = words(text);
    const anyCase = new Set(written.map((word) => foldAccents(word.toLowerCase())));
    const inCapitals = new Set(
      written.filter((word) => /^[A-Z0-9]+$/.test(word)).map((word) => word.toLowerCase()),
    );
    for (const { acronym, forms } of this.expansions) {
      // "ca", "dd" are ordinary words in lowercase; only "CA", "DD" are acronyms.
      const acronymAsked = acronym.length > 2 ? anyCase.has(acronym) : inCapitals.has(acronym);
      for (const form of forms) {
        if (acronymAsked) {
          // The long form stands in for the acronym, shared among its words so it does not outweigh the rest.
          const share = LONG_FORM_WEIGHT / Math.max(1, form.terms.length);
          for (const term of form.terms) terms.set(term, Math.max(terms.get(term) ?? 0, share));
          longForms.set(acronym, [...(longForms.get(acronym) ?? []), form.match.trim()]);
        } else if (padded.includes(form.match)) {
          terms.set(acronym, Math.max(terms.get(acronym) ?? 0, 0.8));
          // A passage that writes the acronym holds the long form's words: « IDF » for « Île-de-France ».
          for (const term of form.terms) spelled.set(term, [...(spelled.get(term) ?? []), acronym]);
        }
      }
    }
    const alternatives = this.synonymsOf(padded, terms);
    for (const [term, acronyms] of spelled)
      alternatives.set(term, [...(alternatives.get(term) ?? []), ...acronyms]);
    return { terms, longForms, alternatives };
  }

  /** Adds the synonyms of the question's words to `terms`, and says which word each one stands for. */
  private synonymsOf(padded: string, terms: Map<string, number>): Map<string, string[]> {
    const own = new Set([...terms].filter(([, weight]) => weight >= 1).map(([term]) => term));
    const alternatives = new Map<string, string[]>();
    for (const group of this.synonyms) {
      const asked = group.filter((member) =>
        member.terms.length === 1 ? own.has(member.terms[0]!) : padded.includes(member.match),
      );
      if (asked.length === 0) continue;
      const others = group.filter((member) => !asked.includes(member));
      for (const member of others) {
        for (const term of member.terms) {
          const share = SYNONYM_WEIGHT / member.terms.length;
          if (!own.has(term) && share > 0) terms.set(term, Math.max(terms.get(term) ?? 0, share));
        }
      }
      const singles = others.filter((member) => member.terms.length === 1).map((member) => member.terms[0]!);
      for (const term of asked.flatMap((member) => member.terms).filter((term) => own.has(term))) {
        alternatives.set(term, [...new Set([...(alternatives.get(term) ?? []), ...singles])]);
      }
    }
    return alternatives;
  }
}
