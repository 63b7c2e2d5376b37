import type { Passage } from '../knowledge/types.ts';

/** Words too common to make a keyword query on their own. */
const FILLER = new Set(
  'le la les un une des du de d l au aux et ou en dans par pour sur avec sans qui que quoi dont est sont être ce cette ces son sa ses leur leurs il elle ils elles nous vous on se ne pas plus a à'.split(
    ' ',
  ),
);

/** A small seeded generator, so two runs of the bench ask the same questions. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function sentencesOf(passage: Passage): string[] {
  // The first line of a passage repeats its section title.
  const body = passage.text.split('\n').slice(1).join(' ');
  return body
    .split(/(?<=[.!?])\s+/)
    .map((sentence) => sentence.replace(/^[-*•\s]+/, '').trim())
    .filter((sentence) => sentence.split(/\s+/).length >= 6);
}

const firstWords = (text: string, count: number) => text.split(/\s+/).slice(0, count).join(' ');

const withoutAccents = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

function keywords(sentence: string, random: () => number): string {
  const words = sentence
    .split(/[^\p{L}\p{N}-]+/u)
    .filter((word) => word.length > 2 && !FILLER.has(word.toLowerCase()));
  const picked = words.filter(() => random() < 0.5).slice(0, 5);
  return (picked.length >= 2 ? picked : words.slice(0, 4)).join(' ');
}

/** The questions one passage inspires: its section title, a sentence and their variations. */
function queriesFrom(passage: Passage, random: () => number): string[] {
  const title = passage.sectionPath.at(-1) ?? passage.section;
  const sentences = sentencesOf(passage);
  const sentence = sentences[Math.floor(random() * sentences.length)];
  // Only the first letter is lowered: acronyms (CLS, ISTS…) keep their case.
  const asked = title.replace(/[\s?.:!]+$/, '').replace(/^\p{Lu}(?!\p{Lu})/u, (first) => first.toLowerCase());
  const queries = [title, `Comment faire : ${asked} ?`];
  if (sentence) {
    queries.push(
      firstWords(sentence, 14),
      withoutAccents(firstWords(sentence, 10)),
      keywords(sentence, random),
    );
  }
  return queries;
}

/**
 * Questions made from the corpus itself (section titles, sentences, accent-free and keyword variants),
 * never from an evaluation set, so the bench measures speed without learning the tests.
 */
export function corpusQueries(passages: Passage[], count: number, seed = 77): string[] {
  const random = seededRandom(seed);
  const pool = [...new Set(passages.flatMap((passage) => queriesFrom(passage, random)))].filter(
    (query) => query.trim().length > 3,
  );
  if (pool.length === 0) throw new Error('Aucun passage dans l’index : impossible de générer des requêtes.');
  // Shuffled, then repeated if the corpus is smaller than the number of queries asked for.
  const shuffled = pool
    .map((query) => ({ query, order: random() }))
    .sort((a, b) => a.order - b.order)
    .map(({ query }) => query);
  return Array.from({ length: count }, (_, i) => shuffled[i % shuffled.length]!);
}
