import MiniSearch from 'minisearch';
import type { Passage } from './types.ts';

/** Fields of a passage the lexical index reads, and how much a match in each counts. */
const FIELDS = ['text', 'section', 'title'] as const;
const FIELD_BOOSTS = { text: 1, section: 0.3, title: 0.3 };

/** Terms are produced by the French analyzer before they reach MiniSearch: it must not split them again. */
const passThroughTerms = (text: string) => text.split(' ').filter(Boolean);

/** Adjacent pairs of analyzed terms: ["objectif", "strateg", "2"] -> ["objectif strateg", "strateg 2"]. */
export function termPairs(terms: string[]): string[] {
  return terms.slice(1).map((term, i) => `${terms[i]} ${term}`);
}

export type TermAnalyzer = (text: string) => string[];

export interface LexicalHit {
  id: string;
  score: number;
}

/** BM25 over analyzed French terms (MiniSearch), section paths also searched on their own. */
export class LexicalIndex {
  private constructor(
    private readonly search: MiniSearch,
    private readonly analyzer: TermAnalyzer,
  ) {}

  private static options(analyzer: TermAnalyzer) {
    return {
      fields: [...FIELDS],
      idField: 'id',
      tokenize: (text: string) => analyzer(text),
      processTerm: (term: string) => term,
      searchOptions: { tokenize: passThroughTerms, processTerm: (term: string) => term },
    };
  }

  static build(passages: Passage[], analyzer: TermAnalyzer): LexicalIndex {
    const search = new MiniSearch(LexicalIndex.options(analyzer));
    search.addAll(passages.map(({ id, text, section, title }) => ({ id, text, section, title })));
    return new LexicalIndex(search, analyzer);
  }

  static fromJSON(json: string, analyzer: TermAnalyzer): LexicalIndex {
    return new LexicalIndex(MiniSearch.loadJSON(json, LexicalIndex.options(analyzer)), analyzer);
  }

  toJSON(): string {
    return JSON.stringify(this.search);
  }

  /** Weighted query terms (already analyzed) to scored passages, best first; `among` limits them to those ids. */
  query(weightedTerms: Map<string, number>, limit: number, among?: ReadonlySet<string>): LexicalHit[] {
    if (weightedTerms.size === 0) return [];
    const terms = [...weightedTerms.keys()];
    return this.search
      .search(terms.join(' '), {
        boost: FIELD_BOOSTS,
        combineWith: 'OR',
        boostTerm: (term) => weightedTerms.get(term) ?? 1,
        bm25: { k: 1.2, b: 0.75, d: 0.5 },
        ...(among ? { filter: (result) => among.has(String(result.id)) } : {}),
      })
      .slice(0, limit)
      .map((result) => ({ id: String(result.id), score: result.score }));
  }

  analyze(text: string): string[] {
    return this.analyzer(text);
  }
}
