import {
  describeSkipped,
  type IngestOptions,
  ingest,
  metadataDocuments,
  SourcesUnusableError,
  staleReason,
} from '../ingest/ingest.ts';
import type { KnowledgeMetadataRepository } from '../ingest/ports.ts';
import { IndexMissingError, LocalEmbedder, openKnowledgeBase } from '../knowledge/index.ts';
import { readIndexFiles, readManifest } from '../knowledge/index-store.ts';
import { createLlmAnswerWriter } from '../knowledge/llm/answer-writer.ts';
import { createOpenAiEmbedder } from '../knowledge/llm/embeddings.ts';
import type { Embedder, KnowledgeBase, LlmAnswerWriter } from '../knowledge/types.ts';
import type { Config } from './config.ts';

/** Local embeddings unless an OpenAI-compatible embedding model is configured. */
export function createEmbedder(config: Config): Embedder {
  return config.embeddings ? createOpenAiEmbedder(config.embeddings) : new LocalEmbedder();
}

export function createAnswerWriter(config: Config): LlmAnswerWriter | undefined {
  return config.llm ? createLlmAnswerWriter(config.llm) : undefined;
}

/** Opens the index as it is on disk, answering with the configured LLM when there is one. */
export function openIndexedKnowledge(
  config: Config,
  embedder: Embedder,
  onLlmError?: (error: unknown) => void,
): Promise<KnowledgeBase> {
  return openKnowledgeBase({
    indexDir: config.indexDir,
    embedder,
    answerWriter: createAnswerWriter(config),
    onLlmError,
  });
}

export interface PrepareOptions {
  metadata?: KnowledgeMetadataRepository;
  onIngest?: (reason: string) => void;
  onProgress?: IngestOptions['onProgress'];
  onLlmError?: (error: unknown) => void;
  /** Told, in French, of each source file left out and of sources that could not be read at all. */
  onWarning?: (message: string) => void;
}

/**
 * Opens the knowledge base, building the index first when it is missing, stale (sources or embedder
 * changed) or unreadable, so that a fresh clone answers on its first question. Source files that cannot be
 * indexed are left out and reported through `onWarning`. When the sources folder gives no index at all
 * (missing, empty, nothing readable), the last index built keeps serving, with a warning; with no index to
 * fall back on, SourcesUnusableError is thrown.
 */
export async function prepareKnowledge(config: Config, options: PrepareOptions = {}): Promise<KnowledgeBase> {
  const embedder = createEmbedder(config);
  const open = () => openIndexedKnowledge(config, embedder, options.onLlmError);
  const build = (reason: string) => {
    options.onIngest?.(reason);
    return ingest({
      sourcesDir: config.sourcesDir,
      indexDir: config.indexDir,
      embedder,
      metadata: options.metadata,
      onProgress: options.onProgress,
    });
  };
  try {
    const reason = await staleReason({ sourcesDir: config.sourcesDir, indexDir: config.indexDir, embedder });
    if (reason) {
      await build(reason);
    } else if (options.metadata) {
      // The index may have been built without this database (by `ask`, or before DATABASE_URL changed).
      const files = await readIndexFiles(config.indexDir);
      await options.metadata.syncDocuments(metadataDocuments(files.documents, files.passages));
    }
  } catch (error) {
    const previous = error instanceof SourcesUnusableError ? await readManifest(config.indexDir) : undefined;
    if (!previous) throw error;
    const builtAt = new Date(previous.builtAt).toLocaleString('fr-FR', {
      dateStyle: 'long',
      timeStyle: 'short',
    });
    options.onWarning?.(`${(error as Error).message}\nL’index construit le ${builtAt} reste en service.`);
  }
  let knowledge: KnowledgeBase;
  try {
    knowledge = await open();
  } catch (error) {
    if (!(error instanceof IndexMissingError)) throw error;
    await build('index illisible');
    knowledge = await open();
  }
  for (const skipped of knowledge.sourceReport().skipped) options.onWarning?.(describeSkipped(skipped));
  return knowledge;
}
