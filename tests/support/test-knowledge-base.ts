import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import matter from 'gray-matter';
import { marked, type Tokens } from 'marked';
import { normalizeForMatch } from '../../knowledge/text/normalize.ts';
import type {
  Answer,
  AnswerOptions,
  KnowledgeBase,
  Passage,
  RetrievedPassage,
  SourceDocument,
} from '../../knowledge/types.ts';

/**
 * A small test double of our own knowledge library, over the Markdown files of
 * tests/fixtures/sources: one passage per section, word-overlap retrieval, an answer quoting the
 * best passage. Its anchors are deliberately not plain slugs ("sec-…"), so the source viewer is
 * shown to use the anchors the knowledge base gives.
 */
export interface TestKnowledgeBase extends KnowledgeBase {
  /** Every answer() call, for assertions on history and streaming. */
  answerCalls: { question: string; options?: AnswerOptions }[];
}

export interface TestKnowledgeOptions {
  /** 'llm' streams the answer through onPartial in a few pieces, like an LLM writer. */
  mode?: 'extractive' | 'llm';
  /** Makes answer() reject, to test failure handling. */
  failWith?: Error;
}

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'sources');
export const ABSTENTION_TEXT = 'Je n’ai pas trouvé de réponse à cette question dans le guide.';

interface LoadedDocument {
  document: SourceDocument;
  markdown: string;
  passages: Passage[];
}

function loadDocument(file: string): LoadedDocument {
  const { data, content } = matter(readFileSync(file, 'utf8'));
  const document: SourceDocument = {
    id: data.id,
    title: data.title,
    publisher: data.publisher,
    year: data.year,
  };
  const passages: Passage[] = [];
  const sectionPath: string[] = [];
  for (const token of marked.lexer(content)) {
    if (token.type === 'heading') {
      const heading = token as Tokens.Heading;
      sectionPath.splice(heading.depth - 1, sectionPath.length, heading.text);
    } else if (token.type === 'paragraph' && sectionPath.length > 0) {
      const last = passages.at(-1);
      const section = sectionPath.join(' › ');
      if (last?.section === section) last.text += `\n\n${token.text}`;
      else passages.push(passageOf(document, [...sectionPath], token.text, passages.length));
    }
  }
  return { document, markdown: content, passages };
}

function passageOf(document: SourceDocument, sectionPath: string[], text: string, ordinal: number): Passage {
  return {
    id: `${document.id}:${ordinal}`,
    document: document.id,
    title: document.title,
    section: sectionPath.join(' › '),
    sectionPath,
    anchor: `sec-${normalizeForMatch(sectionPath.at(-1) ?? '').replace(/ /g, '-')}`,
    text,
  };
}

const words = (text: string) =>
  new Set(
    normalizeForMatch(text)
      .split(' ')
      .filter((word) => word.length > 3),
  );

export function createTestKnowledgeBase(options: TestKnowledgeOptions = {}): TestKnowledgeBase {
  const documents = readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.md'))
    .map((file) => loadDocument(path.join(FIXTURES, file)));
  const allPassages = documents.flatMap((loaded) => loaded.passages);
  const answerCalls: TestKnowledgeBase['answerCalls'] = [];

  async function retrieve(question: string, k = 3): Promise<RetrievedPassage[]> {
    const asked = words(question);
    return allPassages
      .map((passage) => ({
        ...passage,
        score: [...words(passage.text)].filter((word) => asked.has(word)).length,
      }))
      .filter((passage) => passage.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
  }

  async function answer(question: string, answerOptions?: AnswerOptions): Promise<Answer> {
    answerCalls.push({ question, options: answerOptions });
    if (options.failWith) throw options.failWith;
    const sources = await retrieve(question, answerOptions?.k);
    const best = sources[0];
    const mode = options.mode ?? 'extractive';
    if (!best)
      return {
        question,
        text: ABSTENTION_TEXT,
        body: ABSTENTION_TEXT,
        abstained: true,
        sources,
        citations: [],
        mode,
      };
    const text = `${best.text.split('\n\n')[0]} [1]`;
    if (mode === 'llm') streamInPieces(text, answerOptions?.onPartial);
    const citation = { n: 1, document: best.document, title: best.title, section: best.section };
    return {
      question,
      text,
      body: text,
      abstained: false,
      sources,
      citations: [{ ...citation, anchor: best.anchor, passageId: best.id, snippet: best.text.slice(0, 200) }],
      mode,
    };
  }

  return {
    answerCalls,
    retrieve,
    answer,
    documents: () => documents.map((loaded) => loaded.document),
    documentContent: (id) => documents.find((loaded) => loaded.document.id === id),
    sourceReport: () => ({
      documents: documents.length,
      passages: allPassages.length,
      skipped: [],
      builtAt: '2026-01-01T00:00:00.000Z',
    }),
  };
}

function streamInPieces(text: string, onPartial?: (textSoFar: string) => void): void {
  if (!onPartial) return;
  const pieces = 4;
  for (let i = 1; i <= pieces; i++) onPartial(text.slice(0, Math.ceil((text.length * i) / pieces)));
}
