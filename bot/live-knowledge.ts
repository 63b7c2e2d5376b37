import {
  describeSkipped,
  type IngestResult,
  ingest,
  SourcesUnusableError,
  staleReason,
} from '../ingest/ingest.ts';
import type { KnowledgeMetadataRepository } from '../ingest/ports.ts';
import type { Answer, AnswerOptions, KnowledgeBase } from '../knowledge/types.ts';
import type { Config } from './config.ts';
import { createEmbedder, openIndexedKnowledge } from './knowledge-setup.ts';
import type { Logger } from './logger.ts';

/**
 * The knowledge base a server answers from, replaced whole after each re-index. A call that started
 * on the previous one finishes on it: nothing it reads is shared with the next one.
 */
export class LiveKnowledgeBase implements KnowledgeBase {
  constructor(private current: KnowledgeBase) {}

  replace(next: KnowledgeBase): void {
    this.current = next;
  }

  retrieve(question: string, k?: number) {
    return this.current.retrieve(question, k);
  }

  answer(question: string, options?: AnswerOptions): Promise<Answer> {
    return this.current.answer(question, options);
  }

  documents() {
    return this.current.documents();
  }

  documentContent(id: string) {
    return this.current.documentContent(id);
  }

  sourceReport() {
    return this.current.sourceReport();
  }
}

export interface Reindexer {
  /** Re-indexes the sources folder, records it in the database and puts the new knowledge base in service. */
  reindex(): Promise<IngestResult>;
  /** The same, only when the sources differ from the index (after a change seen in the folder). */
  refresh(): Promise<IngestResult | undefined>;
  /** Resolves when no re-index is running or waiting. */
  settled(): Promise<void>;
}

export interface ReindexerDeps {
  config: Config;
  live: LiveKnowledgeBase;
  metadata: KnowledgeMetadataRepository;
  logger: Logger;
  onLlmError?: (error: unknown) => void;
}

/**
 * Re-indexes one at a time. A request made while one runs waits for the next run, which starts after
 * it and so sees every change made before the request; requests made meanwhile share that next run.
 * A failure is logged and leaves the previous knowledge base in service.
 */
export function createReindexer(deps: ReindexerDeps): Reindexer {
  const { config, live, logger } = deps;
  const embedder = createEmbedder(config);
  let chain: Promise<unknown> = Promise.resolve();
  let waiting: { force: boolean; run: Promise<IngestResult | undefined> } | undefined;

  async function runOnce(force: boolean): Promise<IngestResult | undefined> {
    try {
      const reason = force
        ? 'demandée par npm run ingest'
        : await staleReason({ sourcesDir: config.sourcesDir, indexDir: config.indexDir, embedder });
      if (!reason) return undefined;
      logger.info({ reason }, 'réindexation des sources');
      const result = await ingest({
        sourcesDir: config.sourcesDir,
        indexDir: config.indexDir,
        embedder,
        metadata: deps.metadata,
      });
      live.replace(await openIndexedKnowledge(config, embedder, deps.onLlmError));
      const { documents, passages, added, updated, removed, durationMs } = result;
      logger.info(
        { documents, passages, added, updated, removed, durationMs },
        'index mis à jour : les nouvelles questions utilisent les sources modifiées',
      );
      for (const skipped of result.skipped) logger.warn(describeSkipped(skipped));
      return result;
    } catch (error) {
      // Sources that give no index are the user's to fix, said in French; anything else is a fault.
      if (error instanceof SourcesUnusableError)
        logger.warn(`${error.message}\nL’index précédent reste en service.`);
      else logger.error({ err: error }, 'réindexation impossible : l’index précédent reste en service');
      throw error;
    }
  }

  function schedule(force: boolean): Promise<IngestResult | undefined> {
    if (waiting) {
      waiting.force ||= force;
      return waiting.run;
    }
    const entry = { force, run: Promise.resolve<IngestResult | undefined>(undefined) };
    entry.run = chain.then(() => {
      waiting = undefined;
      return runOnce(entry.force);
    });
    waiting = entry;
    chain = entry.run.catch(() => {});
    return entry.run;
  }

  return {
    reindex: async () => (await schedule(true)) as IngestResult,
    refresh: () => schedule(false),
    async settled() {
      while (waiting) await waiting.run.catch(() => {});
      await chain;
    },
  };
}
