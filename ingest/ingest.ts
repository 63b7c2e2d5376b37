import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { IngestedDocument, KnowledgeMetadataRepository } from '../bot/core/ports.ts';
import {
  INDEX_FORMAT_VERSION,
  type IndexedDocument,
  type IndexedPassage,
  readManifest,
  VECTOR_DIR,
  writeIndexFiles,
} from '../knowledge/index-store.ts';
import { LexicalIndex } from '../knowledge/lexical-index.ts';
import { QueryAnalyzer } from '../knowledge/query.ts';
import { buildAcronymTable } from '../knowledge/text/acronyms.ts';
import type { Embedder } from '../knowledge/types.ts';
import { VectorIndex } from '../knowledge/vector-index.ts';
import { chunkDocument } from './chunker.ts';
import { EmbeddingCache } from './embedding-cache.ts';
import { hashSourceFile, type LoadedDocument, loadSourceFile, SUPPORTED_EXTENSIONS } from './loaders.ts';
import { splitIntoSections } from './sections.ts';

export interface IngestOptions {
  sourcesDir: string;
  indexDir: string;
  embedder: Embedder;
  /** Where document and passage metadata are recorded; optional so the index can be built alone. */
  metadata?: KnowledgeMetadataRepository;
  onProgress?: (step: { phase: 'lecture' | 'vecteurs' | 'index'; done: number; total: number }) => void;
}

export interface IngestResult {
  documents: number;
  passages: number;
  embedded: number;
  reused: number;
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  durationMs: number;
}

const EMBED_BATCH = 32;

export async function listSourceFiles(sourcesDir: string): Promise<string[]> {
  const entries = await readdir(sourcesDir, { withFileTypes: true, recursive: true });
  return entries
    .filter(
      (entry) => entry.isFile() && SUPPORTED_EXTENSIONS.some((ext) => entry.name.toLowerCase().endsWith(ext)),
    )
    .filter((entry) => !entry.name.startsWith('.') && entry.name.toLowerCase() !== 'readme.md')
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** Why the index must be (re)built, or undefined when it is up to date. */
export async function staleReason(options: Pick<IngestOptions, 'sourcesDir' | 'indexDir' | 'embedder'>) {
  const manifest = await readManifest(options.indexDir);
  if (!manifest) return 'index absent';
  if (manifest.embedderId !== options.embedder.id) return 'modèle de vecteurs changé';
  const files = await listSourceFiles(options.sourcesDir);
  // Only the bytes matter here: parsing every PDF or Word file at each start would be wasted work.
  const hashes = await Promise.all(files.map(hashSourceFile));
  const current = Object.fromEntries(files.map((file, i) => [file, hashes[i]]));
  const same =
    Object.keys(current).length === Object.keys(manifest.sources).length &&
    Object.entries(current).every(([file, hash]) => manifest.sources[file] === hash);
  return same ? undefined : 'sources modifiées';
}

function uniqueIds(documents: LoadedDocument[]): void {
  const seen = new Map<string, string>();
  for (const { document, sourcePath } of documents) {
    const other = seen.get(document.id);
    if (other)
      throw new Error(`Deux sources ont l'identifiant « ${document.id} » : ${other} et ${sourcePath}.`);
    seen.set(document.id, sourcePath);
  }
}

async function embedPassages(
  passages: IndexedPassage[],
  cache: EmbeddingCache,
  embedder: Embedder,
  onProgress: IngestOptions['onProgress'],
) {
  const missing = passages.filter((passage) => !cache.get(passage.contentHash));
  for (let start = 0; start < missing.length; start += EMBED_BATCH) {
    const batch = missing.slice(start, start + EMBED_BATCH);
    const vectors = await embedder.embed(batch.map((passage) => passage.text));
    batch.forEach((passage, i) => {
      cache.set(passage.contentHash, vectors[i]!);
    });
    onProgress?.({ phase: 'vecteurs', done: start + batch.length, total: missing.length });
  }
  return { embedded: missing.length, reused: passages.length - missing.length };
}

function documentFrequencies(passages: IndexedPassage[], analyze: (text: string) => string[]) {
  const frequencies: Record<string, number> = {};
  for (const passage of passages) {
    for (const term of new Set(analyze(`${passage.section} ${passage.text}`))) {
      frequencies[term] = (frequencies[term] ?? 0) + 1;
    }
  }
  return frequencies;
}

/** Documents and their passages as the database records them. */
export function metadataDocuments(
  documents: IndexedDocument[],
  passages: IndexedPassage[],
): IngestedDocument[] {
  return documents.map((doc) => ({
    id: doc.id,
    title: doc.title,
    publisher: doc.publisher,
    year: doc.year,
    url: doc.url,
    sourcePath: path.relative(process.cwd(), doc.sourcePath),
    contentHash: doc.contentHash,
    passages: passages
      .filter((passage) => passage.document === doc.id)
      .map(({ id, ordinal, section, anchor, text }) => ({ id, ordinal, section, anchor, text })),
  }));
}

/**
 * Builds the search index from the sources folder: reads every file, cuts passages along headings,
 * embeds only passages not already embedded, writes the lexical and vector indexes, then records the
 * documents in the database. Running it twice on the same sources changes nothing.
 */
export async function ingest(options: IngestOptions): Promise<IngestResult> {
  const started = Date.now();
  const run = await options.metadata?.startRun(options.embedder.id);
  try {
    const files = await listSourceFiles(options.sourcesDir);
    const loaded: LoadedDocument[] = [];
    for (const file of files) {
      loaded.push(await loadSourceFile(file));
      options.onProgress?.({ phase: 'lecture', done: loaded.length, total: files.length });
    }
    uniqueIds(loaded);
    const previous = await readManifest(options.indexDir);
    const acronyms = Object.fromEntries(buildAcronymTable(loaded.map((doc) => doc.markdown)));
    const analyzer = new QueryAnalyzer({ acronyms });
    const documents: IndexedDocument[] = loaded.map(({ document, sourcePath, contentHash, markdown }) => ({
      ...document,
      sourcePath,
      contentHash,
      markdown,
    }));
    const passages = loaded.flatMap(({ document, markdown }) =>
      chunkDocument(document, splitIntoSections(markdown)),
    );

    const cache = await EmbeddingCache.open(options.indexDir, options.embedder.id);
    const counts = await embedPassages(passages, cache, options.embedder, options.onProgress);
    const vectors = await VectorIndex.build(
      options.embedder,
      passages.map((passage) => ({ id: passage.id, vector: cache.get(passage.contentHash)! })),
    );
    options.onProgress?.({ phase: 'index', done: 0, total: 1 });
    await vectors.save(path.join(options.indexDir, VECTOR_DIR));
    await cache.save(options.indexDir, new Set(passages.map((passage) => passage.contentHash)));
    await writeIndexFiles(options.indexDir, {
      manifest: {
        formatVersion: INDEX_FORMAT_VERSION,
        embedderId: options.embedder.id,
        dimensions: cache.get(passages[0]?.contentHash ?? '')?.length ?? 0,
        builtAt: new Date().toISOString(),
        sources: Object.fromEntries(loaded.map((doc) => [doc.sourcePath, doc.contentHash])),
      },
      documents,
      passages,
      acronyms,
      documentFrequencies: documentFrequencies(passages, analyzer.analyzeText),
      lexicalJson: LexicalIndex.build(passages, analyzer.analyzeText).toJSON(),
    });
    options.onProgress?.({ phase: 'index', done: 1, total: 1 });

    const before = new Map(Object.entries(previous?.sources ?? {}));
    const changes = {
      added: loaded.filter((doc) => !before.has(doc.sourcePath)).length,
      updated: loaded.filter(
        (doc) => before.has(doc.sourcePath) && before.get(doc.sourcePath) !== doc.contentHash,
      ).length,
      unchanged: loaded.filter((doc) => before.get(doc.sourcePath) === doc.contentHash).length,
      removed: [...before.keys()].filter((file) => !loaded.some((doc) => doc.sourcePath === file)).length,
    };
    await options.metadata?.syncDocuments(metadataDocuments(documents, passages));
    const result = {
      documents: documents.length,
      passages: passages.length,
      ...counts,
      ...changes,
      durationMs: Date.now() - started,
    };
    if (run)
      await options.metadata!.finishRun(run.id, {
        status: 'succeeded',
        ...changes,
        passages: passages.length,
        durationMs: result.durationMs,
      });
    return result;
  } catch (error) {
    if (run) {
      await options.metadata!.finishRun(run.id, {
        status: 'failed',
        added: 0,
        updated: 0,
        removed: 0,
        unchanged: 0,
        passages: 0,
        durationMs: Date.now() - started,
        error: String((error as Error)?.message ?? error),
      });
    }
    throw error;
  }
}
