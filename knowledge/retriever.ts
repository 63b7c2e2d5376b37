import type { IndexedPassage } from './index-store.ts';
import { type LexicalIndex, termPairs } from './lexical-index.ts';
import type { AnalyzedQuery } from './query.ts';
import { normalizeForMatch } from './text/normalize.ts';
import type { RetrievedPassage } from './types.ts';
import type { VectorIndex } from './vector-index.ts';

export interface FusionSettings {
  /** Reciprocal rank fusion constant: higher flattens the difference between ranks. */
  rrfK: number;
  lexicalWeight: number;
  denseWeight: number;
  /** How many candidates each retriever contributes to the fusion. */
  candidates: number;
  /** Bonus, relative to the best fused score, for each pair of adjacent question terms in a section title. */
  sectionPairBonus: number;
}

/** Tuned on the project's own question set (tests/fixtures/tuning-questions.jsonl). */
export const DEFAULT_FUSION: FusionSettings = {
  rrfK: 10,
  lexicalWeight: 1,
  denseWeight: 0.3,
  candidates: 40,
  sectionPairBonus: 0.3,
};

export interface Retrieval {
  passages: RetrievedPassage[];
  /** Whether the passages found answer the question's subject, rather than sharing a word or two with it. */
  covered: boolean;
}

/** Passages looked at to decide whether the documents cover a question. */
const COVERAGE_DEPTH = 3;
/** A term in at most this many passages is specific enough to make a match on its own. */
const RARE_TERM_MAX_PASSAGES = 2;

/**
 * Hybrid retrieval: BM25 over French terms and cosine over passage vectors, fused by weighted reciprocal
 * rank, so that neither score scale dominates the other.
 */
export class HybridRetriever {
  private readonly byId: Map<string, IndexedPassage>;
  private readonly termsById = new Map<string, Set<string>>();
  private readonly sectionPairsById = new Map<string, Set<string>>();
  private readonly matchTextById = new Map<string, string>();

  constructor(
    passages: IndexedPassage[],
    private readonly lexical: LexicalIndex,
    private readonly vectors: VectorIndex,
    private readonly documentFrequencies: Record<string, number>,
    private readonly settings: FusionSettings = DEFAULT_FUSION,
  ) {
    this.byId = new Map(passages.map((passage) => [passage.id, passage]));
    for (const passage of passages) {
      this.termsById.set(passage.id, new Set(lexical.analyze(`${passage.section} ${passage.text}`)));
      this.matchTextById.set(passage.id, normalizeForMatch(passage.text));
      this.sectionPairsById.set(
        passage.id,
        new Set(passage.sectionPath.flatMap((title) => termPairs(lexical.analyze(title)))),
      );
    }
  }

  /** Inverse document frequency; a term no passage has gets the highest value. */
  idf(term: string): number {
    const n = this.byId.size;
    const df = this.documentFrequencies[term] ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  async retrieve(query: AnalyzedQuery, k: number): Promise<Retrieval> {
    const { candidates, rrfK, lexicalWeight, denseWeight } = this.settings;
    const [lexicalHits, denseHits] = await Promise.all([
      Promise.resolve(this.lexical.query(query.terms, candidates)),
      query.text ? this.vectors.query(query.text, candidates) : Promise.resolve([]),
    ]);
    const fused = new Map<string, number>();
    const add = (hits: { id: string }[], weight: number) => {
      hits.forEach((hit, rank) => {
        fused.set(hit.id, (fused.get(hit.id) ?? 0) + weight / (rrfK + rank + 1));
      });
    };
    add(lexicalHits, lexicalWeight);
    // Dense hits alone cannot bring a passage in when the lexical side found nothing at all.
    if (lexicalHits.length > 0) add(denseHits, denseWeight);
    this.addSectionPairBonus(query, fused);
    const ranked = [...fused.entries()].sort((a, b) => b[1] - a[1]).slice(0, k);
    const passages = ranked.map(([id, score]) => ({
      ...this.byId.get(id)!,
      score: Number(score.toFixed(5)),
    }));
    return { passages, covered: this.covers(query, passages.slice(0, COVERAGE_DEPTH)) };
  }

  /**
   * "objectif stratégique 2", "fiche 4", "axe 6": a word and a number of the question that stand together in
   * a section title name that section, which plain BM25 (a bag of words) cannot tell from "objectif
   * stratégique 3".
   */
  private addSectionPairBonus(query: AnalyzedQuery, fused: Map<string, number>): void {
    const pairs = termPairs(
      [...query.terms].filter(([, weight]) => weight >= 1).map(([term]) => term),
    ).filter((pair) => /\d/.test(pair));
    if (pairs.length === 0 || fused.size === 0) return;
    const top = Math.max(...fused.values());
    for (const [id, score] of fused) {
      const titlePairs = this.sectionPairsById.get(id);
      const matches = pairs.filter((pair) => titlePairs?.has(pair)).length;
      if (matches > 0) fused.set(id, score + this.settings.sectionPairBonus * top * matches);
    }
  }

  /**
   * The documents cover a question when most of its words exist in the corpus and one of the best passages
   * shares at least two of them, or one rare one. An off-topic question ("le cours de l'euro", "mes impôts en
   * ligne") has words the corpus never uses, and its passages match a single common word by chance.
   */
  covers(query: AnalyzedQuery, passages: RetrievedPassage[]): boolean {
    const own = [...query.terms].filter(([, weight]) => weight >= 1).map(([term]) => term);
    if (own.length === 0 || passages.length === 0) return false;
    const spelledOut = (term: string, passageId: string) =>
      (query.longForms.get(term) ?? []).some((form) => this.matchTextById.get(passageId)?.includes(form));
    const unknown = own.filter(
      (term) =>
        !this.documentFrequencies[term] && ![...this.matchTextById.keys()].some((id) => spelledOut(term, id)),
    ).length;
    if (unknown / own.length >= 0.5) return false;
    // An acronym is there when the passage spells it out: "comité de pilotage" for COPIL.
    const matched = passages.map((passage) =>
      own.filter((term) => this.termsById.get(passage.id)?.has(term) || spelledOut(term, passage.id)),
    );
    if (own.length === 1) return matched.some((terms) => terms.length === 1);
    if (matched.some((terms) => terms.length >= 2)) return true;
    return (
      unknown === 0 &&
      matched.some((terms) =>
        terms.some((term) => (this.documentFrequencies[term] ?? 0) <= RARE_TERM_MAX_PASSAGES),
      )
    );
  }
}
