import { definitionStrength, definitionSubject, headingAsksDefinition } from './answer-type.ts';
import { type Coverage, CoverageCheck } from './coverage.ts';
import type { IndexedPassage } from './index-store.ts';
import { type LexicalHit, type LexicalIndex, termPairs } from './lexical-index.ts';
import { analyzePassages, type PassageTerms } from './passage-terms.ts';
import type { AnalyzedQuery } from './query.ts';
import { expectedFact } from './question-facts.ts';
import type { RetrievedPassage } from './types.ts';
import type { VectorIndex } from './vector-index.ts';

export interface FusionSettings {
  /** Reciprocal rank fusion constant; 0 fuses the scores themselves (BM25 over its best, cosine). */
  rrfK: number;
  /** Weight of the BM25 side (its rank, or its score over the best one). */
  lexicalWeight: number;
  /** Weight of the vector side (its rank, or the cosine similarity). */
  denseWeight: number;
  /** Weight, relative to the best fused score, of the share of the question (by idf) one sentence holds. */
  sentenceWeight: number;
  /** Weight, relative to the best fused score, of the share of the question (by idf) the document's title holds. */
  titleWeight: number;
  /** How many candidates each retriever contributes to the fusion. */
  candidates: number;
  /** Bonus, relative to the best fused score, for each pair of adjacent question terms in a section title. */
  sectionPairBonus: number;
  /** Bonus, relative to the best fused score, for a passage stating the precise fact asked (a number for « combien »). */
  factBonus: number;
  /** Bonus, relative to the best fused score, for a passage that defines what « c'est quoi X » asks about. */
  definitionBonus: number;
  /** Score factor of a passage of a form to fill in; lower for « comment » questions, which want explanations. */
  templateFactor: number;
  howTemplateFactor: number;
}

/** Tuned on the project's own question sets (tests/fixtures/tuning-questions.jsonl, holdout-questions.jsonl). */
export const DEFAULT_FUSION: FusionSettings = {
  rrfK: 10,
  lexicalWeight: 1,
  denseWeight: 0.3,
  sentenceWeight: 0.3,
  titleWeight: 0.3,
  candidates: 40,
  sectionPairBonus: 0.3,
  factBonus: 0.5,
  definitionBonus: 0.6,
  templateFactor: 0.9,
  howTemplateFactor: 0.8,
};

export interface Retrieval {
  passages: RetrievedPassage[];
  /** Whether the passages found answer the question, rather than sharing a word or two with it. */
  coverage: Coverage;
}

/** Passages looked at to decide whether the documents cover a question. */
const COVERAGE_DEPTH = 3;
/** Share of the passages holding a title's word that must be in that document for the word to name it. */
const NAMING_SHARE = 0.7;
/** Below this share of the question (by idf) outside a document's title, its title's words still rank its passages. */
const TITLE_SHARE_MAX = 0.5;
/** Candidates checked for the fact a question asks. */
const FACT_CANDIDATES = 20;
const HOW_QUESTION = /^\s*comment\b/iu;

/**
 * Hybrid retrieval: BM25 over French terms and cosine over passage vectors, fused by weighted reciprocal
 * rank, plus the share of the question that a single sentence of the passage holds (the sentence that answers
 * usually names most of what is asked, where a long passage may only scatter its words) and a bonus for a
 * passage that states the precise fact asked.
 */
export class HybridRetriever {
  private readonly byId: Map<string, IndexedPassage>;
  private readonly analyzed: Map<string, PassageTerms>;
  private readonly sectionPairsById = new Map<string, Set<string>>();
  private readonly coverage: CoverageCheck;
  /** Section (document and path) -> its first passage, where a heading's question is answered. */
  private readonly firstOfSection = new Map<string, string>();
  /** Document -> the terms of its title that name it. */
  private readonly titleTerms = new Map<string, Set<string>>();

  constructor(
    passages: IndexedPassage[],
    private readonly lexical: LexicalIndex,
    private readonly vectors: VectorIndex,
    private readonly documentFrequencies: Record<string, number>,
    private readonly settings: FusionSettings = DEFAULT_FUSION,
  ) {
    this.byId = new Map(passages.map((passage) => [passage.id, passage]));
    this.analyzed = analyzePassages(passages, (text) => lexical.analyze(text));
    for (const passage of passages) {
      const section = `${passage.document}|${passage.section}`;
      if (!this.firstOfSection.has(section)) this.firstOfSection.set(section, passage.id);
      if (!this.titleTerms.has(passage.document)) {
        this.titleTerms.set(passage.document, new Set(lexical.analyze(passage.title)));
      }
      this.sectionPairsById.set(
        passage.id,
        new Set(passage.sectionPath.flatMap((title) => termPairs(lexical.analyze(title)))),
      );
    }
    this.keepNamingTitleTerms();
    this.coverage = new CoverageCheck(this.analyzed, documentFrequencies, (text) => lexical.analyze(text));
  }

  /**
   * Of a title's words, keeps those that name its document: most passages holding them are in it (« ACTeS »,
   * « 77 », « PRS3 »). « Accompagnement » or « collectivités » in a title are words of every document.
   */
  private keepNamingTitleTerms(): void {
    const passagesWith = new Map<string, number>();
    const inDocument = new Map<string, number>();
    for (const { passage, all } of this.analyzed.values()) {
      for (const term of all) {
        passagesWith.set(term, (passagesWith.get(term) ?? 0) + 1);
        const key = `${passage.document}|${term}`;
        inDocument.set(key, (inDocument.get(key) ?? 0) + 1);
      }
    }
    for (const [document, terms] of this.titleTerms) {
      for (const term of terms) {
        const share = (inDocument.get(`${document}|${term}`) ?? 0) / (passagesWith.get(term) ?? 1);
        if (share < NAMING_SHARE) terms.delete(term);
      }
    }
  }

  /**
   * BM25 where a question's word that the document's title holds (« ACTeS-77 », « PRS3 ») names the document,
   * not a passage: every passage of that document gets the credit its best one had for those words, instead of
   * the passages that happen to repeat them outranking the one that answers. When the title's words are most
   * of the question (« qu'est-ce qu'une coopérative d'acteurs ? » in the guide of that name), they still rank.
   */
  private lexicalHits(query: AnalyzedQuery, limit: number): LexicalHit[] {
    const hits = this.lexical.query(query.terms, limit);
    const byDocument = new Map<string, LexicalHit[]>();
    for (const hit of hits) {
      const document = this.byId.get(hit.id)!.document;
      byDocument.set(document, [...(byDocument.get(document) ?? []), hit]);
    }
    const mass = (terms: Iterable<[string, number]>) =>
      [...terms].reduce((sum, [term, weight]) => sum + weight * this.idf(term), 0);
    const result: LexicalHit[] = [];
    for (const [document, documentHits] of byDocument) {
      const title = this.titleTerms.get(document)!;
      const rest = new Map([...query.terms].filter(([term]) => !title.has(term)));
      if (rest.size === query.terms.size || mass(rest) < TITLE_SHARE_MAX * mass(query.terms)) {
        result.push(...documentHits);
        continue;
      }
      const ids = new Set(documentHits.map((hit) => hit.id));
      const withoutTitle = new Map(this.lexical.query(rest, limit, ids).map((hit) => [hit.id, hit.score]));
      const credit = Math.max(...documentHits.map((hit) => hit.score - (withoutTitle.get(hit.id) ?? 0)));
      for (const { id } of documentHits) result.push({ id, score: (withoutTitle.get(id) ?? 0) + credit });
    }
    return result.sort((a, b) => b.score - a.score);
  }

  /** Whether a sentence states the precise fact the question asks for (a date for « quand »), if it asks one. */
  factStatement(query: AnalyzedQuery): ((sentence: string) => boolean) | undefined {
    return this.coverage.factStatement(query);
  }

  /** Inverse document frequency; a term no passage has gets the highest value. */
  idf(term: string): number {
    const n = this.byId.size;
    const df = this.documentFrequencies[term] ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  async retrieve(query: AnalyzedQuery, k: number): Promise<Retrieval> {
    const { candidates, lexicalWeight, denseWeight, sentenceWeight } = this.settings;
    const [lexicalHits, denseHits] = await Promise.all([
      Promise.resolve(this.lexicalHits(query, candidates)),
      query.text ? this.vectors.query(query.text, candidates) : Promise.resolve([]),
    ]);
    const fused = new Map<string, number>();
    const rrf = this.settings.rrfK;
    const best = lexicalHits[0]?.score || 1;
    const side = (rank: number, value: number) => (rrf ? 1 / (rrf + rank + 1) : value);
    lexicalHits.forEach((hit, rank) => {
      fused.set(hit.id, lexicalWeight * side(rank, hit.score / best));
    });
    // Dense hits alone cannot bring a passage in when the lexical side found nothing at all.
    if (lexicalHits.length > 0) {
      denseHits.forEach((hit, rank) => {
        fused.set(hit.id, (fused.get(hit.id) ?? 0) + denseWeight * side(rank, Math.max(0, hit.score)));
      });
    }
    const scale = rrf ? Math.max(0, ...fused.values()) : 1;
    const weights = [...query.terms].map(([term, weight]) => ({ term, weight: weight * this.idf(term) }));
    const total = weights.reduce((sum, { weight }) => sum + weight, 0) || 1;
    const templateFactor = HOW_QUESTION.test(query.text)
      ? this.settings.howTemplateFactor
      : this.settings.templateFactor;
    for (const [id, score] of fused) {
      const passage = this.analyzed.get(id)!;
      const sentence = Math.max(
        0,
        ...passage.units.map(
          (unit) =>
            weights.reduce((sum, { term, weight }) => sum + (unit.terms.has(term) ? weight : 0), 0) / total,
        ),
      );
      // Words of the document's title say the passage is in the right document (« le PRS3 » for its axe 6).
      const title = this.titleTerms.get(passage.passage.document)!;
      const inTitle =
        weights.reduce((sum, { term, weight }) => sum + (title.has(term) ? weight : 0), 0) / total;
      fused.set(
        id,
        (score + scale * (sentenceWeight * sentence + this.settings.titleWeight * inTitle)) *
          (passage.template ? templateFactor : 1),
      );
    }
    this.addSectionPairBonus(query, fused);
    this.addFactBonus(query, fused, scale);
    this.addDefinitionBonus(query, fused, scale);
    const ranked = [...fused.entries()].sort((a, b) => b[1] - a[1]).slice(0, k);
    const passages = ranked.map(([id, score]) => ({
      ...this.byId.get(id)!,
      score: Number(score.toFixed(5)),
    }));
    const top = passages.slice(0, COVERAGE_DEPTH).map((passage) => this.analyzed.get(passage.id)!);
    return { passages, coverage: this.coverage.check(query, top) };
  }

  /**
   * « C'est quoi X », « qu'est-ce qu'un X » : among the best candidates, a passage with a sentence that defines X
   * (« X est un… », « X : … ») or under a heading that asks what X is comes first. Passages that only use X, or
   * define a kind of X (« Indicateur de processus : … » for « un indicateur »), do not count.
   */
  private addDefinitionBonus(query: AnalyzedQuery, fused: Map<string, number>, scale: number): void {
    const subject = definitionSubject(query.text);
    if (!subject) return;
    const analyze = (text: string) => this.lexical.analyze(text);
    const terms = analyze(subject);
    // An acronym asked (« le DLS ») is defined under its long form (« un diagnostic local de santé est… »).
    const forms = [
      terms,
      ...terms
        .filter((term) => query.longForms.has(term))
        .flatMap((acronym) =>
          query.longForms
            .get(acronym)!
            .map((form) => terms.flatMap((term) => (term === acronym ? analyze(form) : [term]))),
        ),
    ];
    const best = [...fused.entries()].sort((a, b) => b[1] - a[1]).slice(0, FACT_CANDIDATES);
    for (const [id, score] of best) {
      const { passage, units } = this.analyzed.get(id)!;
      const heading = passage.sectionPath[passage.sectionPath.length - 1] ?? '';
      const opensSection = this.firstOfSection.get(`${passage.document}|${passage.section}`) === id;
      const strength =
        opensSection && headingAsksDefinition(heading, forms, analyze)
          ? 1
          : Math.max(0, ...units.map((unit) => definitionStrength(unit.text, forms, analyze)));
      if (strength > 0) fused.set(id, score + scale * this.settings.definitionBonus * strength);
    }
  }

  /** « Combien de collectivités… »: among the best candidates, those that state a number of them come first. */
  private addFactBonus(query: AnalyzedQuery, fused: Map<string, number>, scale: number): void {
    const fact = expectedFact(query.text, (text) => this.lexical.analyze(text));
    if (!fact) return;
    const best = [...fused.entries()].sort((a, b) => b[1] - a[1]).slice(0, FACT_CANDIDATES);
    for (const [id, score] of best) {
      if (this.coverage.answersFact(query, fact, this.analyzed.get(id)!)) {
        fused.set(id, score + scale * this.settings.factBonus);
      }
    }
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
}
