import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import type { SourceDocument } from '../knowledge/types.ts';

/** A source file read into Markdown, with its metadata. */
export interface LoadedDocument {
  document: SourceDocument;
  /** Markdown body, front matter removed. */
  markdown: string;
  sourcePath: string;
  contentHash: string;
}

export const SUPPORTED_EXTENSIONS = ['.md', '.txt', '.pdf', '.docx'] as const;

export class UnreadableSourceError extends Error {
  constructor(
    readonly sourcePath: string,
    cause: unknown,
  ) {
    super(
      `Impossible de lire la source ${path.basename(sourcePath)} : ${(cause as Error)?.message ?? cause}`,
      {
        cause,
      },
    );
  }
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

/** The content hash of a source file as `loadSourceFile` records it, without parsing the file. */
export async function hashSourceFile(filePath: string): Promise<string> {
  return hashBytes(await readFile(filePath));
}

function frontMatterString(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number'
    ? String(value).trim() || undefined
    : undefined;
}

/**
 * Reads one source. Markdown may carry front matter (id, title, publisher, year, url); other formats, and
 * Markdown without it, get an id from the file name, the first heading or line as title, and the file's year.
 */
export async function loadSourceFile(filePath: string): Promise<LoadedDocument> {
  try {
    const bytes = await readFile(filePath);
    const parsed = matter(await toMarkdown(filePath, bytes));
    const data = parsed.data as Record<string, unknown>;
    const body = parsed.content.replace(/\r\n?/g, '\n');
    const baseName = path.basename(filePath, path.extname(filePath));
    const firstLine = body
      .split('\n')
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
        year: Number.isInteger(year) ? year : (await stat(filePath)).mtime.getFullYear(),
        ...(url ? { url } : {}),
      },
      markdown: body,
      sourcePath: filePath,
      contentHash: hashBytes(bytes),
    };
  } catch (error) {
    throw new UnreadableSourceError(filePath, error);
  }
}
