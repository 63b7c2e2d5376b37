import path from 'node:path';
import { joinSentences, selectExcerpts, templateLead } from './extractive-answer.ts';
import { type IndexedDocument, IndexMissingError, readIndexFiles, VECTOR_DIR } from './index-store.ts';
import { LexicalIndex } from './lexical-index.ts';
import { MESSAGES, NOTICES } from './messages.ts';
import { type AnalyzedQuery, QueryAnalyzer } from './query.ts';
import { HybridRetriever } from './retriever.ts';
import type {
  Answer,
  AnswerOptions,
  Citation,
  Embedder,
  KnowledgeBase,
  LlmAnswerWriter,
  Passage,
  RetrievedPassage,
  SourceReport,
} from './types.ts';
import { VectorIndex } from './vector-index.ts';

/** Passages handed to an LLM. */
const LLM_PASSAGES = 5;
/** Weight of the previous question's terms when a follow-up is searched. */
const FOLLOW_UP_WEIGHT = 0.4;

export interface KnowledgeBaseOptions {
  indexDir: string;
  embedder: Embedder;
  answerWriter?: LlmAnswerWriter;
  /** Told when the LLM fails and the extractive answer is used instead. */
  onLlmError?: (error: unknown) => void;
}

/** The start of a passage's body (its section path left out), cut at a word. */
function snippet(text: string, max: number): string {
  const body = text.split('\n').slice(1).join(' ').trim() || text;
  return body.length <= max ? body : `${body.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
}

/** A numbered citation of a passage, with the start of its text. */
export function citationOf(passage: Passage, n: number, snippetLength = 160): Citation {
  return {
    n,
    document: passage.document,
    title: passage.title,
    section: passage.section,
    anchor: passage.anchor,
    passageId: passage.id,
    snippet: snippet(passage.text, snippetLength),
  };
}

/**
 * Citations numbered by what they show (document and section): two passages of one section are one source,
 * so an answer never lists the same label twice. `numbers[i]` is the number of `passages[i]`.
 */
export function numberByLabel(passages: Passage[]): { citations: Citation[]; numbers: number[] } {
  const citations: Citation[] = [];
  const numbers = passages.map((passage) => {
    const label = `${passage.title} › ${passage.section}`;
    const known = citations.find((citation) => `${citation.title} › ${citation.section}` === label);
    if (known) return known.n;
    citations.push(citationOf(passage, citations.length + 1));
    return citations.length;
  });
  return { citations, numbers };
}

/** The answer's text for reading on its own (`text`), and without the list of sources (`body`). */
function withSources(
  answer: string,
  citations: Citation[],
  notices: string[],
): { text: string; body: string } {
  const sources = citations.map((c) => `[${c.n}] ${c.title}${c.section ? ` › ${c.section}` : ''}`);
  const body = [answer, ...notices].filter(Boolean).join('\n\n');
  return {
    body,
    text: sources.length ? `${body}\n\n${MESSAGES.sourcesHeading}\n${sources.join('\n')}` : body,
  };
}

class HybridKnowledgeBase implements KnowledgeBase {
  private readonly documentsById: Map<string, IndexedDocument>;

  constructor(
    private readonly analyzer: QueryAnalyzer,
    private readonly retriever: HybridRetriever,
    documents: IndexedDocument[],
    private readonly passagesByDocument: Map<string, RetrievedPassage[]>,
    private readonly report: SourceReport,
    private readonly options: KnowledgeBaseOptions,
  ) {
    this.documentsById = new Map(documents.map((document) => [document.id, document]));
  }

  async retrieve(question: string, k = 5): Promise<RetrievedPassage[]> {
    return (await this.retriever.retrieve(this.analyzer.analyze(question), k)).passages;
  }

  async answer(question: string, options: AnswerOptions = {}): Promise<Answer> {
    const query = this.followUpQuery(this.analyzer.analyze(question), options.history);
    const notices = query.notices.map((notice) => NOTICES[notice]);
    const base = {
      question,
      sources: [] as RetrievedPassage[],
      citations: [] as Citation[],
      mode: 'extractive' as const,
      ...(notices.length ? { notice: notices.join(' ') } : {}),
    };
    if (query.terms.size === 0) {
      return { ...base, ...withSources(MESSAGES.emptyQuestion, [], notices), abstained: true };
    }
    const { passages, coverage } = await this.retriever.retrieve(
      query,
      Math.max(options.k ?? 5, LLM_PASSAGES),
    );
    const sources = passages.slice(0, options.k ?? 5);
    if (!coverage.covered) {
      const closest = coverage.lacking === 'fact' && passages.find((p) => p.id === coverage.closest);
      if (closest) {
        // Honest about the gap, then what the documents do say, cited: it still counts as an abstention.
        const { body, citations } = this.extractive(query, [closest]);
        const said = `${MESSAGES.notStated(coverage.missing)} ${MESSAGES.closest}\n\n${body}\n\n${MESSAGES.support}`;
        return { ...base, sources, citations, ...withSources(said, citations, notices), abstained: true };
      }
      const said =
        coverage.lacking === 'name'
          ? MESSAGES.notNamed(coverage.name)
          : coverage.lacking === 'fact'
            ? `${MESSAGES.notStated(coverage.missing)} ${MESSAGES.support}`
            : MESSAGES.notCovered;
      return { ...base, sources, ...withSources(said, [], notices), abstained: true };
    }
    let fallback: string | undefined;
    if (this.options.answerWriter) {
      const written = await this.writeWithLlm(query, passages.slice(0, LLM_PASSAGES), options);
      if (written)
        return { ...base, ...written, sources, ...withSources(written.text, written.citations, notices) };
      // Said first: the person expected a written answer and gets quotations.
      fallback = MESSAGES.llmUnavailable;
    }
    const { body, citations } = this.extractive(query, passages);
    const shown = [fallback, body].filter(Boolean).join('\n\n');
    return { ...base, sources, citations, abstained: false, ...withSources(shown, citations, notices) };
  }

  private extractive(query: AnalyzedQuery, passages: RetrievedPassage[]) {
    const scorer = (text: string) => {
      const terms = new Set(this.analyzer.analyzeText(text));
      let total = 0;
      for (const [term, weight] of query.terms)
        if (terms.has(term)) total += weight * this.retriever.idf(term);
      return total;
    };
    const { excerpts } = selectExcerpts(
      passages,
      scorer,
      (units) => scorer(units.join(' ')),
      this.retriever.factStatement(query),
    );
    const numbered = numberByLabel(excerpts.map((excerpt) => passages[excerpt.passageIndex]!));
    const body = excerpts
      .map((excerpt, i) => {
        const passage = passages[excerpt.passageIndex]!;
        const lead = templateLead(passage);
        const said = joinSentences(excerpt.sentences);
        return `${lead ? `${lead} « ${said} »` : said} [${numbered.numbers[i]}]`;
      })
      .join('\n\n');
    return { body, citations: numbered.citations };
  }

  private async writeWithLlm(query: AnalyzedQuery, passages: RetrievedPassage[], options: AnswerOptions) {
    try {
      const result = await this.options.answerWriter!.write({
        question: query.text,
        passages,
        history: options.history,
        onPartial: options.onPartial,
      });
      if (result.abstained) {
        return { text: MESSAGES.notCovered, abstained: true, citations: [], mode: 'llm' as const };
      }
      const used = new Set([...result.text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1])));
      const cited = passages.map((passage, i) => citationOf(passage, i + 1)).filter((c) => used.has(c.n));
      // Two passages of one section are one source: the later marker points to the first.
      const label = (c: Citation) => `${c.title} › ${c.section}`;
      const first = new Map<string, number>();
      for (const citation of cited) if (!first.has(label(citation))) first.set(label(citation), citation.n);
      const alias = new Map(cited.map((citation) => [citation.n, first.get(label(citation))!]));
      const text = result.text
        .replace(/\[(\d+)\]/g, (marker, n) => (alias.has(Number(n)) ? `[${alias.get(Number(n))}]` : marker))
        .replace(/(\[\d+\])(?:\s*,?\s*\1)+/g, '$1');
      const citations = cited.filter((citation) => alias.get(citation.n) === citation.n);
      return { text, abstained: false, citations, mode: 'llm' as const };
    } catch (error) {
      this.options.onLlmError?.(error);
      return undefined;
    }
  }

  /** A follow-up ("et pour le financement ?") is searched with the previous question's words as context. */
  private followUpQuery(query: AnalyzedQuery, history: AnswerOptions['history']): AnalyzedQuery {
    const previous = history?.[history.length - 1];
    if (!previous || query.terms.size === 0) return query;
    const terms = new Map(query.terms);
    for (const [term] of this.analyzer.analyze(previous.question).terms) {
      if (!terms.has(term)) terms.set(term, FOLLOW_UP_WEIGHT);
    }
    return { ...query, terms };
  }

  documents() {
    return [...this.documentsById.values()].map(({ id, title, publisher, year, url }) => ({
      id,
      title,
      publisher,
      year,
      url,
    }));
  }

  sourceReport(): SourceReport {
    return this.report;
  }

  documentContent(id: string) {
    const document = this.documentsById.get(id);
    if (!document) return undefined;
    const { markdown, sourcePath: _path, contentHash: _hash, ...metadata } = document;
    return { document: metadata, markdown, passages: this.passagesByDocument.get(id) ?? [] };
  }
}

/** Loads the index built by ingest. Throws IndexMissingError when it is absent or unreadable. */
export async function openKnowledgeBase(options: KnowledgeBaseOptions): Promise<KnowledgeBase> {
  const files = await readIndexFiles(options.indexDir);
  const analyzer = new QueryAnalyzer({ acronyms: files.acronyms });
  let lexical: LexicalIndex;
  let vectors: VectorIndex;
  try {
    lexical = LexicalIndex.fromJSON(files.lexicalJson, analyzer.analyzeText);
    vectors = await VectorIndex.load(path.join(options.indexDir, VECTOR_DIR), options.embedder);
  } catch (error) {
    throw new IndexMissingError(options.indexDir, error);
  }
  const retriever = new HybridRetriever(files.passages, lexical, vectors, files.documentFrequencies);
  const byDocument = new Map<string, RetrievedPassage[]>();
  for (const passage of files.passages) {
    const list = byDocument.get(passage.document);
    if (list) list.push({ ...passage, score: 0 });
    else byDocument.set(passage.document, [{ ...passage, score: 0 }]);
  }
  const report: SourceReport = {
    documents: files.documents.length,
    passages: files.passages.length,
    skipped: files.manifest.skipped.map(({ file, reason, message }) => ({ file, reason, message })),
    builtAt: files.manifest.builtAt,
  };
  return new HybridKnowledgeBase(analyzer, retriever, files.documents, byDocument, report, options);
}
