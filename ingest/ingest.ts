import { readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  INDEX_FORMAT_VERSION,
  type IndexedDocument,
  type IndexedPassage,
  type IndexManifest,
  readManifest,
  VECTOR_DIR,
  writeIndexFiles,
} from '../knowledge/index-store.ts';
import { LexicalIndex } from '../knowledge/lexical-index.ts';
import { QueryAnalyzer } from '../knowledge/query.ts';
import { buildAcronymTable } from '../knowledge/text/acronyms.ts';
import type { Embedder, SkippedSource } from '../knowledge/types.ts';
import { VectorIndex } from '../knowledge/vector-index.ts';
import { type ChunkedPassage, chunkDocument } from './chunker.ts';
import { EmbeddingCache } from './embedding-cache.ts';
import {
  hashSourceFile,
  type LoadedDocument,
  loadSourceFile,
  SUPPORTED_EXTENSIONS,
  UnreadableSourceError,
} from './loaders.ts';
import type { IngestedDocument, KnowledgeMetadataRepository } from './ports.ts';
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
  /** Source files left out (empty, damaged, without text, or with an id already taken); the rest is indexed. */
  skipped: SkippedSource[];
  durationMs: number;
}

/**
 * The sources folder gives no index: it is missing, is not a folder, or holds no readable document.
 * Nothing was written, so an index built before stays as it was.
 */
export class SourcesUnusableError extends Error {
  constructor(
    message: string,
    /** The files left out, when there were some and none could be read. */
    readonly skipped: SkippedSource[] = [],
  ) {
    super(message);
  }
}

const EMBED_BATCH = 32;
const EXTENSIONS = SUPPORTED_EXTENSIONS.join(', ');

function folderError(sourcesDir: string, error: unknown): SourcesUnusableError {
  const code = (error as NodeJS.ErrnoException)?.code;
  const where = `${sourcesDir} (SOURCES_DIR)`;
  if (code === 'ENOENT')
    return new SourcesUnusableError(
      `Dossier des sources introuvable : ${where}. Créez-le et déposez-y vos documents (${EXTENSIONS}), ou corrigez SOURCES_DIR.`,
    );
  if (code === 'ENOTDIR')
    return new SourcesUnusableError(`Le chemin des sources n’est pas un dossier : ${where}.`);
  if (code === 'EACCES' || code === 'EPERM')
    return new SourcesUnusableError(`Dossier des sources illisible : ${where}, accès refusé.`);
  return new SourcesUnusableError(
    `Dossier des sources illisible : ${where} (${code ?? (error as Error)?.message ?? error}).`,
  );
}

/** One line for a person: « Source ignorée : bilan.pdf — PDF illisible ou endommagé (…) ». */
export function describeSkipped(source: SkippedSource): string {
  return `Source ignorée : ${source.file} — ${source.message}`;
}

export async function listSourceFiles(sourcesDir: string): Promise<string[]> {
  const entries = await readdir(sourcesDir, { withFileTypes: true, recursive: true }).catch(
    (error: unknown) => {
      throw folderError(sourcesDir, error);
    },
  );
  return entries
    .filter(
      (entry) => entry.isFile() && SUPPORTED_EXTENSIONS.some((ext) => entry.name.toLowerCase().endsWith(ext)),
    )
    .filter((entry) => !entry.name.startsWith('.') && entry.name.toLowerCase() !== 'readme.md')
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Why the index must be (re)built, or undefined when it is up to date.
 * Throws SourcesUnusableError when the sources folder cannot be listed.
 */
export async function staleReason(options: Pick<IngestOptions, 'sourcesDir' | 'indexDir' | 'embedder'>) {
  const manifest = await readManifest(options.indexDir);
  if (!manifest) return 'index absent';
  if (manifest.embedderId !== options.embedder.id) return 'modèle de vecteurs changé';
  const files = await listSourceFiles(options.sourcesDir);
  // Only the bytes matter here: parsing every PDF or Word file at each start would be wasted work.
  const hashes = await Promise.all(files.map(hashSourceFile));
  const current = Object.fromEntries(files.map((file, i) => [file, hashes[i]]));
  const known = {
    ...manifest.sources,
    ...Object.fromEntries(manifest.skipped.map((source) => [source.sourcePath, source.contentHash])),
  };
  const same =
    Object.keys(current).length === Object.keys(known).length &&
    Object.entries(current).every(([file, hash]) => known[file] === hash);
  return same ? undefined : 'sources modifiées';
}

interface ReadDocument extends LoadedDocument {
  passages: ChunkedPassage[];
}

/**
 * Reads and cuts every source, one at a time. A file that cannot be indexed is left out with its reason,
 * so that one bad file never takes the others down.
 */
async function readSources(files: string[], options: IngestOptions) {
  const documents: ReadDocument[] = [];
  const skipped: IndexManifest['skipped'] = [];
  const owners = new Map<string, string>();
  const inFolder = (file: string) => path.relative(options.sourcesDir, file);
  for (const file of files) {
    try {
      const loaded = await loadSourceFile(file);
      const owner = owners.get(loaded.document.id);
      if (owner) {
        throw new UnreadableSourceError(
          file,
          'duplicate-id',
          `identifiant « ${loaded.document.id} » déjà pris par ${inFolder(owner)}`,
        );
      }
      const passages = chunkDocument(loaded.document, splitIntoSections(loaded.markdown));
      if (passages.length === 0) throw new UnreadableSourceError(file, 'no-text', 'aucun texte à indexer');
      owners.set(loaded.document.id, file);
      documents.push({ ...loaded, passages });
    } catch (error) {
      if (!(error instanceof UnreadableSourceError)) throw error;
      skipped.push({
        file: inFolder(file),
        reason: error.reason,
        message: error.detail,
        sourcePath: file,
        contentHash: await hashSourceFile(file),
      });
    }
    options.onProgress?.({ phase: 'lecture', done: documents.length + skipped.length, total: files.length });
  }
  if (documents.length === 0) {
    const where = `${options.sourcesDir} (SOURCES_DIR)`;
    throw new SourcesUnusableError(
      files.length === 0
        ? `Aucun document dans ${where} : déposez-y des fichiers ${EXTENSIONS}.`
        : `Aucune source lisible dans ${where} :\n${skipped.map((source) => `  - ${describeSkipped(source)}`).join('\n')}`,
      skipped.map(({ file, reason, message }) => ({ file, reason, message })),
    );
  }
  return { documents, skipped };
}

/**
 * Embeds the passages not in the cache and adds every vector to the index, a batch at a time: a large
 * corpus never holds all its vectors as arrays at once.
 */
async function buildVectorIndex(
  passages: IndexedPassage[],
  cache: EmbeddingCache,
  embedder: Embedder,
  onProgress: IngestOptions['onProgress'],
) {
  const total = passages.filter((passage) => !cache.has(passage.contentHash)).length;
  let embedded = 0;
  let index: VectorIndex | undefined;
  let dimensions = 0;
  for (let start = 0; start < passages.length; start += EMBED_BATCH) {
    const batch = passages.slice(start, start + EMBED_BATCH);
    const missing = batch.filter((passage) => !cache.has(passage.contentHash));
    if (missing.length > 0) {
      const vectors = await embedder.embed(missing.map((passage) => passage.text));
      missing.forEach((passage, i) => {
        cache.set(passage.contentHash, vectors[i]!);
      });
      embedded += missing.length;
      onProgress?.({ phase: 'vecteurs', done: embedded, total });
    }
    const entries = batch.map((passage) => ({ id: passage.id, vector: cache.get(passage.contentHash)! }));
    dimensions ||= entries[0]!.vector.length;
    index ??= VectorIndex.create(embedder, dimensions, passages.length);
    index.add(entries);
  }
  return { index: index!, dimensions, embedded, reused: passages.length - embedded };
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
  const byDocument = new Map<string, IndexedPassage[]>();
  for (const passage of passages) {
    const list = byDocument.get(passage.document);
    if (list) list.push(passage);
    else byDocument.set(passage.document, [passage]);
  }
  return documents.map((doc) => ({
    id: doc.id,
    title: doc.title,
    publisher: doc.publisher,
    year: doc.year,
    url: doc.url,
    sourcePath: path.relative(process.cwd(), doc.sourcePath),
    contentHash: doc.contentHash,
    passages: (byDocument.get(doc.id) ?? []).map(({ id, ordinal, section, anchor, text }) => ({
      id,
      ordinal,
      section,
      anchor,
      text,
    })),
  }));
}

/**
 * Builds the search index from the sources folder: reads every file, cuts passages along headings,
 * embeds only passages not already embedded, writes the lexical and vector indexes, then records the
 * documents in the database. Running it twice on the same sources changes nothing. A file that cannot be
 * indexed is left out and reported in `skipped`; when no file can be, SourcesUnusableError is thrown and
 * the index is left as it was.
 */
export async function ingest(options: IngestOptions): Promise<IngestResult> {
  const started = Date.now();
  const run = await options.metadata?.startRun(options.embedder.id);
  try {
    const files = await listSourceFiles(options.sourcesDir);
    const { documents: loaded, skipped } = await readSources(files, options);
    const previous = await readManifest(options.indexDir);
    const acronyms = Object.fromEntries(buildAcronymTable(loaded.map((doc) => doc.markdown)));
    const analyzer = new QueryAnalyzer({ acronyms });
    const documents: IndexedDocument[] = loaded.map(({ document, sourcePath, contentHash, markdown }) => ({
      ...document,
      sourcePath,
      contentHash,
      markdown,
    }));
    const passages = loaded.flatMap((doc) => doc.passages);

    const cache = await EmbeddingCache.open(options.indexDir, options.embedder.id);
    const vectors = await buildVectorIndex(passages, cache, options.embedder, options.onProgress);
    options.onProgress?.({ phase: 'index', done: 0, total: 1 });
    await vectors.index.save(path.join(options.indexDir, VECTOR_DIR));
    await cache.save(options.indexDir, new Set(passages.map((passage) => passage.contentHash)));
    await writeIndexFiles(options.indexDir, {
      manifest: {
        formatVersion: INDEX_FORMAT_VERSION,
        embedderId: options.embedder.id,
        dimensions: vectors.dimensions,
        builtAt: new Date().toISOString(),
        sources: Object.fromEntries(loaded.map((doc) => [doc.sourcePath, doc.contentHash])),
        skipped,
      },
      documents,
      passages,
      acronyms,
      documentFrequencies: documentFrequencies(passages, analyzer.analyzeText),
      lexicalJson: LexicalIndex.build(passages, analyzer.analyzeText).toJSON(),
    });
    options.onProgress?.({ phase: 'index', done: 1, total: 1 });

    const before = new Map(Object.entries(previous?.sources ?? {}));
    const indexed = new Set(loaded.map((doc) => doc.sourcePath));
    const changes = {
      added: loaded.filter((doc) => !before.has(doc.sourcePath)).length,
      updated: loaded.filter(
        (doc) => before.has(doc.sourcePath) && before.get(doc.sourcePath) !== doc.contentHash,
      ).length,
      unchanged: loaded.filter((doc) => before.get(doc.sourcePath) === doc.contentHash).length,
      removed: [...before.keys()].filter((file) => !indexed.has(file)).length,
    };
    await options.metadata?.syncDocuments(metadataDocuments(documents, passages));
    const result: IngestResult = {
      documents: documents.length,
      passages: passages.length,
      embedded: vectors.embedded,
      reused: vectors.reused,
      ...changes,
      skipped: skipped.map(({ file, reason, message }) => ({ file, reason, message })),
      durationMs: Date.now() - started,
    };
    if (run)
      await options.metadata!.finishRun(run.id, {
        status: 'succeeded',
        ...changes,
        passages: passages.length,
        skipped: result.skipped,
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
        skipped: error instanceof SourcesUnusableError ? error.skipped : [],
        durationMs: Date.now() - started,
        error: String((error as Error)?.message ?? error),
      });
    }
    throw error;
  }
}
