import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingest } from '../../ingest/ingest.ts';
import { LocalEmbedder, openKnowledgeBase } from '../../knowledge/index.ts';
import { createLlmAnswerWriter } from '../../knowledge/llm/answer-writer.ts';
import type { TestKnowledgeBase } from './test-knowledge-base.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'sources');
/** The project's own sources (the guide, the PRS3 chapter…), for features that quote the guide. */
const CORPUS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'knowledge', 'sources');

/**
 * The real knowledge base (ingest + openKnowledgeBase, local embeddings) over tests/fixtures/sources (or
 * the project's own knowledge/sources with `sources: 'corpus'`),
 * built in a temporary folder, with every answer() call recorded for assertions. With `llmUrl` (the fake
 * OpenAI server's), answers are written by the LLM there, as with OPENAI_BASE_URL.
 */
export async function openFixtureKnowledgeBase(
  options: { llmUrl?: string; sources?: 'fixtures' | 'corpus' } = {},
): Promise<TestKnowledgeBase & { dispose(): Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'boussole-kb-'));
  const sourcesDir = path.join(root, 'sources');
  const indexDir = path.join(root, 'index');
  await cp(options.sources === 'corpus' ? CORPUS : FIXTURES, sourcesDir, { recursive: true });
  const embedder = new LocalEmbedder();
  await ingest({ sourcesDir, indexDir, embedder });
  const answerWriter = options.llmUrl
    ? createLlmAnswerWriter({
        apiKey: 'sk-test',
        baseURL: options.llmUrl,
        model: 'fake-chat',
        timeoutMs: 5_000,
      })
    : undefined;
  const knowledge = await openKnowledgeBase({ indexDir, embedder, answerWriter });
  const answerCalls: TestKnowledgeBase['answerCalls'] = [];
  return {
    answerCalls,
    retrieve: (question, k) => knowledge.retrieve(question, k),
    answer: (question, options) => {
      answerCalls.push({ question, options });
      return knowledge.answer(question, options);
    },
    documents: () => knowledge.documents(),
    documentContent: (id) => knowledge.documentContent(id),
    sourceReport: () => knowledge.sourceReport(),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}
