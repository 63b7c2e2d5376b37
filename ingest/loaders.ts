import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import type { SkipReason, SourceDocument } from '../knowledge/types.ts';

/** A source file read into Markdown, with its metadata. */
export interface LoadedDocument {
  document: SourceDocument;
  /** Markdown body, front matter removed. */
  markdown: string;
  sourcePath: string;
  contentHash: string;
}

export const SUPPORTED_EXTENSIONS = ['.md', '.txt', '.pdf', '.docx'] as const;

/** A source file that cannot be indexed; ingest skips it, names it and says why. */
export class UnreadableSourceError extends Error {
  constructor(
    readonly sourcePath: string,
    readonly reason: SkipReason,
    /** Why, in French, for the person who put the file there. */
    readonly detail: string,
    cause?: unknown,
  ) {
    super(`Impossible de lire la source ${path.basename(sourcePath)} : ${detail}`, { cause });
  }
}

const FORMAT_LABELS: Record<string, string> = {
  '.pdf': 'PDF',
  '.docx': 'document Word',
  '.md': 'fichier Markdown',
  '.txt': 'fichier texte',
};

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'fichier introuvable';
  if (code === 'EACCES' || code === 'EPERM') return 'accès refusé (droits du fichier)';
  if (code === 'EISDIR') return 'c’est un dossier';
  return `lecture impossible (${code ?? (error as Error)?.message ?? error})`;
}

/** Turns a file name into a document id: "Mon guide (v2).pdf" -> "mon-guide-v2". */
export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

async function toMarkdown(filePath: string, bytes: Buffer): Promise<string> {
  switch (path.extname(filePath).toLowerCase()) {
    case '.md':
    case '.txt':
      return bytes.toString('utf8');
    case '.pdf': {
      const { PDFParse } = await import('pdf-parse');
      const parser = new PDFParse({ data: new Uint8Array(bytes) });
      try {
        return (await parser.getText({ pageJoiner: '' })).text;
      } finally {
        await parser.destroy();
      }
    }
    case '.docx': {
      // convertToMarkdown keeps headings, which give passages their section path; it is untyped.
      const mammoth = (await import('mammoth')).default as unknown as {
        convertToMarkdown(input: { buffer: Buffer }): Promise<{ value: string }>;
      };
      return (await mammoth.convertToMarkdown({ buffer: bytes })).value.replace(/\\([.()\-!#])/g, '$1');
    }
    default:
      throw new Error(`format non pris en charge (${SUPPORTED_EXTENSIONS.join(', ')})`);
  }
}

function hashBytes(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The content hash of a source file as `loadSourceFile` records it, without parsing the file. A file that
 * cannot be read gets a fixed value, so that it does not make the index look stale at every start.
 */
export async function hashSourceFile(filePath: string): Promise<string> {
  // Streamed, so that a file too large to index is not read whole into memory at every start.
  try {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(filePath)) hash.update(chunk);
    return hash.digest('hex');
  } catch {
    return 'illisible';
  }
}

function frontMatterString(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number'
    ? String(value).trim() || undefined
    : undefined;
}

const TEXT_EXTENSIONS = new Set(['.md', '.txt']);

/**
 * Limits that keep the memory of an ingest bounded: indexing takes about 50 bytes of memory per character
 * of text. A PDF may be large for its images, so its file gets more room than its text.
 */
export const MAX_SOURCE_BYTES = 100 * 1024 * 1024;
export const MAX_TEXT_CHARS = 10_000_000;

const millions = (count: number) =>
  `${(count / 1_000_000).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} millions`;

/**
 * Reads one source. Markdown may carry front matter (id, title, publisher, year, url); other formats, and
 * Markdown without it, get an id from the file name, the first heading or line as title, and the file's year.
 * Throws UnreadableSourceError, with its reason, for a file that is empty, damaged or without text.
 */
export async function loadSourceFile(filePath: string): Promise<LoadedDocument> {
  const fail = (reason: SkipReason, detail: string, cause?: unknown): never => {
    throw new UnreadableSourceError(filePath, reason, detail, cause);
  };
  const extension = path.extname(filePath).toLowerCase();
  const label = FORMAT_LABELS[extension] ?? 'fichier';
  if (!(SUPPORTED_EXTENSIONS as readonly string[]).includes(extension))
    fail('unreadable', `format non pris en charge (${SUPPORTED_EXTENSIONS.join(', ')})`);
  const { size, mtime } = await stat(filePath).catch((error: unknown) =>
    fail('unreadable', readFailure(error), error),
  );
  if (size > MAX_SOURCE_BYTES)
    fail(
      'too-large',
      `fichier trop volumineux (${Math.round(size / 1024 / 1024)} Mo ; limite ${MAX_SOURCE_BYTES / 1024 / 1024} Mo)`,
    );
  const bytes = await readFile(filePath).catch((error: unknown) =>
    fail('unreadable', readFailure(error), error),
  );
  if (bytes.byteLength === 0) fail('empty', 'fichier vide');
  const isText = TEXT_EXTENSIONS.has(extension);
  if (isText && bytes.includes(0)) fail('unreadable', `${label} illisible : son contenu n’est pas du texte`);
  const text = await toMarkdown(filePath, bytes).catch((error: unknown) =>
    fail('unreadable', `${label} illisible ou endommagé (${(error as Error)?.message ?? error})`, error),
  );
  if (text.length > MAX_TEXT_CHARS) {
    fail(
      'too-large',
      `texte trop long (${millions(text.length)} de caractères ; limite ${millions(MAX_TEXT_CHARS)}) : découpez-le en plusieurs fichiers`,
    );
  }
  if (!text.trim()) {
    fail(
      isText ? 'empty' : 'no-text',
      isText
        ? 'fichier vide (seulement des espaces)'
        : `aucun texte lisible dans ce ${label} (un document scanné doit d’abord passer par une reconnaissance de caractères)`,
    );
  }
  // Options, even empty, stop gray-matter from keeping every document it parsed in a cache for ever.
  const parsed = (() => {
    try {
      return matter(text, {});
    } catch (error) {
      return fail('unreadable', `en-tête YAML illisible (${(error as Error)?.message ?? error})`, error);
    }
  })();
  const data = parsed.data as Record<string, unknown>;
  const body = parsed.content.replace(/\r\n?/g, '\n');
  if (!body.trim()) fail('no-text', 'aucun texte après l’en-tête');
  const baseName = path.basename(filePath, path.extname(filePath));
  const firstLine = body
    .split('\n', 50)
    .find((line) => line.trim())
    ?.replace(/^#+\s*/, '')
    .trim();
  const year = Number(data.year);
  const url = frontMatterString(data.url);
  return {
    document: {
      id: frontMatterString(data.id) ?? slugify(baseName),
      title: frontMatterString(data.title) ?? firstLine?.slice(0, 120) ?? baseName,
      publisher: frontMatterString(data.publisher) ?? 'Document ajouté localement',
      year: Number.isInteger(year) ? year : mtime.getFullYear(),
      ...(url ? { url } : {}),
    },
    markdown: body,
    sourcePath: filePath,
    contentHash: hashBytes(bytes),
  };
}
