import { StemmerFr, StopwordsFr } from '@nlpjs/lang-fr';
import { foldAccents } from './normalize.ts';

const stemmer = new StemmerFr();

/** Words that carry no topic in a question ("quels sont les…", "comment faire…"), on top of French stop words. */
const QUESTION_WORDS = [
  'quel',
  'quelle',
  'quels',
  'quelles',
  'comment',
  'pourquoi',
  'quoi',
  'combien',
  'quand',
  'lequel',
  'laquelle',
  'lesquels',
  'lesquelles',
  'est',
  'sont',
  'ce',
  'cela',
  'ça',
  'ca',
  'c',
  'qu',
  'peut',
  'peuvent',
  'faut',
  'doit',
  'doivent',
  'dois',
  'puis',
  'veut',
  'dire',
  'dis',
  'dites',
  'signifie',
  'existe',
  'y',
  'il',
  'elle',
  'on',
  'se',
  'si',
  'tout',
  'tous',
  'toute',
  'toutes',
  'plus',
  'aussi',
  'très',
  'bien',
  'donc',
  'alors',
  'ainsi',
  'etc',
  'cet',
  'cette',
  'ces',
  'leurs',
  'dont',
  'chez',
  'entre',
  'sans',
  'sous',
  'vers',
  'selon',
  'lors',
  'afin',
  'quelque',
  'quelques',
  'autre',
  'autres',
  'même',
  'mêmes',
  'notamment',
  'faire',
  'fait',
  'avoir',
  'être',
  'été',
  'svp',
  'merci',
  'bonjour',
  'sert',
  'servent',
  'consiste',
  'consistent',
  'aujourd',
  'hui',
  'hier',
  'demain',
  'maintenant',
  'actuellement',
  'dans',
  'par',
  'pour',
  'sur',
  'avec',
  'une',
  'un',
  'des',
  'les',
  'aux',
  'du',
];

const STOPWORDS = new Set(
  [...Object.keys(new StopwordsFr().dictionary as Record<string, unknown>), ...QUESTION_WORDS].map((word) =>
    foldAccents(word.toLowerCase()),
  ),
);

/** French elisions: "l'évaluation" -> "évaluation", "qu'est-ce" -> "est-ce". */
const ELISION_ANY_CASE = /^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’]/i;

/** Surface words, elisions removed, case and accents kept (acronyms and the stemmer need them). */
export function words(text: string): string[] {
  const tokens = text.match(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu) ?? [];
  const result: string[] = [];
  for (const token of tokens) {
    if (!token.includes("'") && !token.includes('’')) {
      result.push(token);
      continue;
    }
    for (const part of token.replace(ELISION_ANY_CASE, '').split(/['’]/)) {
      if (part) result.push(part);
    }
  }
  return result;
}

/**
 * Remembers a function of one word. A corpus uses a few thousand distinct words, and folding accents and
 * stemming each of its millions of occurrences again was most of the time spent indexing a large file.
 */
function perWord(compute: (word: string) => string): (word: string) => string {
  const known = new Map<string, string>();
  return (word) => {
    let value = known.get(word);
    if (value === undefined) {
      // A bound on memory, whatever the text: forgetting costs only recomputation.
      if (known.size >= 100_000) known.clear();
      value = compute(word);
      known.set(word, value);
    }
    return value;
  };
}

/** Lowercase, accents folded. */
const folded = perWord((word) => foldAccents(word.toLowerCase()));
/** Snowball French stem, accents folded. */
const stemmed = perWord((word) => foldAccents(stemmer.stemWord(word.toLowerCase())));

export function isStopword(word: string): boolean {
  return STOPWORDS.has(folded(word));
}

const ACRONYM_SHAPE = /^[A-Z][A-Z0-9]+$/;

/**
 * One word to its index term: Snowball French stem, then accents folded.
 * Acronyms (written in capitals, or known to the caller) are kept whole: "ARS" must not become "ar".
 */
export function term(word: string, knownAcronyms?: ReadonlySet<string>): string {
  const lower = folded(word);
  if (/^\d+$/.test(word) || ACRONYM_SHAPE.test(word) || knownAcronyms?.has(lower)) return lower;
  return stemmed(word);
}

/** Index terms of a text: words, minus stop words, stemmed and folded. */
export function analyze(text: string, knownAcronyms?: ReadonlySet<string>): string[] {
  const terms: string[] = [];
  for (const word of words(text)) {
    // Capitalised acronyms that look like stop words ("CA", "DD") stay; the word "ca"/"dd" in lowercase goes.
    if (!ACRONYM_SHAPE.test(word) && isStopword(word)) continue;
    const value = term(word, knownAcronyms);
    if (value) terms.push(value);
  }
  return terms;
}
