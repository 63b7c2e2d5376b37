import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Passage, SkippedSource, SourceDocument } from './types.ts';

/** Bump when the on-disk format or the chunking changes: an index of another version is rebuilt. */
export const INDEX_FORMAT_VERSION = 11;

export interface IndexedDocument extends SourceDocument {
  sourcePath: string;
  contentHash: string;
  markdown: string;
}

export interface IndexedPassage extends Passage {
  ordinal: number;
  contentHash: string;
}

export interface IndexManifest {
  formatVersion: number;
  embedderId: string;
  dimensions: number;
  builtAt: string;
  /** Source file path -> content hash, to tell whether the index is stale. */
  sources: Record<string, string>;
  /** Source files left out, with their hash too: an unchanged bad file does not make the index stale. */
  skipped: (SkippedSource & { sourcePath: string; contentHash: string })[];
}

/** Everything `knowledge/` reads, written by `ingest/`. */
export interface IndexFiles {
  manifest: IndexManifest;
  documents: IndexedDocument[];
  passages: IndexedPassage[];
  /** Acronym -> long forms (field list plus definitions found in the sources). */
  acronyms: Record<string, string[]>;
  /** Number of passages containing each analyzed term. */
  documentFrequencies: Record<string, number>;
  lexicalJson: string;
}

export const VECTOR_DIR = 'vectors';
const FILES = {
  manifest: 'manifest.json',
  documents: 'documents.json',
  passages: 'passages.json',
  vocabulary: 'vocabulary.json',
  lexical: 'lexical.json',
} as const;

export class IndexMissingError extends Error {
  constructor(indexDir: string, cause?: unknown) {
    super(`Index de recherche absent ou illisible dans ${indexDir} : lancez « npm run ingest ».`, { cause });
  }
}

async function writeAtomically(file: string, content: string): Promise<void> {
  await writeFile(`${file}.tmp`, content);
  await rename(`${file}.tmp`, file);
}

/** Writes the index; the manifest goes last, so a half-written index is never taken for a complete one. */
export async function writeIndexFiles(indexDir: string, files: IndexFiles): Promise<void> {
  await mkdir(indexDir, { recursive: true });
  await rm(path.join(indexDir, FILES.manifest), { force: true });
  await writeAtomically(path.join(indexDir, FILES.documents), JSON.stringify(files.documents));
  await writeAtomically(path.join(indexDir, FILES.passages), JSON.stringify(files.passages));
  await writeAtomically(
    path.join(indexDir, FILES.vocabulary),
    JSON.stringify({ acronyms: files.acronyms, documentFrequencies: files.documentFrequencies }),
  );
  await writeAtomically(path.join(indexDir, FILES.lexical), files.lexicalJson);
  await writeAtomically(path.join(indexDir, FILES.manifest), JSON.stringify(files.manifest, null, 2));
}

export async function readManifest(indexDir: string): Promise<IndexManifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(path.join(indexDir, FILES.manifest), 'utf8')) as IndexManifest;
    return manifest.formatVersion === INDEX_FORMAT_VERSION ? manifest : undefined;
  } catch {
    return undefined;
  }
}

export async function readIndexFiles(indexDir: string): Promise<IndexFiles> {
  try {
    const read = (name: string) => readFile(path.join(indexDir, name), 'utf8');
    const manifest = await readManifest(indexDir);
    if (!manifest) throw new Error('manifeste absent ou d’une autre version');
    const vocabulary = JSON.parse(await read(FILES.vocabulary));
    return {
      manifest,
      documents: JSON.parse(await read(FILES.documents)),
      passages: JSON.parse(await read(FILES.passages)),
      acronyms: vocabulary.acronyms,
      documentFrequencies: vocabulary.documentFrequencies,
      lexicalJson: await read(FILES.lexical),
    };
  } catch (error) {
    throw new IndexMissingError(indexDir, error);
  }
}
