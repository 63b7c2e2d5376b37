import { createHash } from 'node:crypto';
import type { Passage, SourceDocument } from '../knowledge/types.ts';
import { slugify } from './loaders.ts';
import type { Block, Section } from './sections.ts';

export interface ChunkingOptions {
  /** Target size of a passage body in characters; a référent reads a passage, not a page. */
  maxChars: number;
}

/** No passage, section path included, is longer than this. */
export const MAX_PASSAGE_CHARS = 1_200;

export const DEFAULT_CHUNKING: ChunkingOptions = { maxChars: 1_000 };

export interface ChunkedPassage extends Passage {
  ordinal: number;
  /** Hash of what is embedded, so that an unchanged passage is not embedded again. */
  contentHash: string;
}

/** Sentence-sized pieces of a long paragraph, cut after ". ", "? ", "! " or "; ". */
function sentences(text: string): string[] {
  return text.split(/(?<=[.!?;:])\s+(?=[A-ZÀ-Ý«"(\-•0-9])/u).filter(Boolean);
}

/**
 * Parts cut so that none is longer than `max`. A sentence with no end (a pasted log, a text without
 * punctuation) would otherwise make one passage of a whole file, too long to read, embed or rank: it is cut
 * at a line break, else between words, else anywhere.
 */
function cutToFit(parts: string[], max: number): string[] {
  const result: string[] = [];
  for (const part of parts) {
    let start = 0;
    while (part.length - start > max) {
      const window = part.slice(start, start + max + 1);
      let cut = window.lastIndexOf('\n');
      if (cut < max / 2) cut = window.lastIndexOf(' ');
      if (cut < max / 2) cut = max;
      const piece = window.slice(0, cut).trim();
      if (piece) result.push(piece);
      start += cut;
    }
    const rest = part.slice(start).trim();
    if (rest) result.push(rest);
  }
  return result;
}

/** Pieces of a block no longer than `max` characters. */
function blockPieces(block: Block, max: number): string[] {
  switch (block.kind) {
    case 'text':
      return block.text.length <= max ? [block.text] : pack(cutToFit(sentences(block.text), max), max, ' ');
    case 'list':
      return pack(cutToFit(block.items, max), max, '\n');
    case 'table': {
      // Every piece of a table keeps its header row, so a passage of rows still says what the columns are.
      const fits = (row: string) => row.length + block.header.length < max;
      const pieces = pack(block.rows.filter(fits), max - block.header.length, '\n').map(
        (rows) => `${block.header}\n${rows}`,
      );
      const oversized = block.rows.filter((row) => !fits(row));
      return [...pieces, ...oversized.flatMap((row) => rowAsText(block.header, row, max))];
    }
  }
}

/** Keeps a lead-in sentence ("… seront appelés à :") with the list or table it introduces. */
function attachLeadIns(blocks: Block[]): Block[] {
  const result: Block[] = [];
  for (const block of blocks) {
    const previous = result[result.length - 1];
    if (previous?.kind === 'text' && /:\s*$/.test(previous.text) && block.kind !== 'text') {
      result[result.length - 1] =
        block.kind === 'list'
          ? { kind: 'list', items: [previous.text, ...block.items] }
          : { kind: 'table', header: `${previous.text}\n${block.header}`, rows: block.rows };
    } else {
      result.push(block);
    }
  }
  return result;
}

function cells(row: string): string[] {
  return row.replace(/^\|\s*|\s*\|$/g, '').split(/\s*\|\s*/);
}

/** A row too long for one passage becomes "column: cell" lines, cut at bullets or sentences if need be. */
function rowAsText(header: string, row: string, max: number): string[] {
  const names = cells(header.split('\n').pop() ?? '');
  const lines = cells(row)
    .map((cell, i) => (names[i] ? `${names[i]} : ${cell}` : cell))
    .flatMap((line) =>
      line.length <= max ? [line] : pack(cutToFit(line.split(/\s(?=•)|(?<=[.;!?])\s/u), max), max, ' '),
    );
  return pack(lines, max, '\n');
}

/** Greedily groups consecutive parts into strings of at most `max` characters. */
function pack(parts: string[], max: number, separator: string): string[] {
  const groups: string[] = [];
  let current = '';
  for (const part of parts) {
    if (current && current.length + separator.length + part.length > max) {
      groups.push(current);
      current = part;
    } else {
      current = current ? `${current}${separator}${part}` : part;
    }
  }
  if (current) groups.push(current);
  return groups;
}

/** The least room a passage body gets, however long its section path. */
const MIN_BODY_CHARS = 300;

/** Below this, a piece of a section is merged into its neighbour: BM25 over-rewards very short passages. */
const SMALL_BODY_CHARS = 200;

/** Merges each small body into the next one (or the previous one, at the end) when the result stays near `max`. */
function absorbSmallBodies(bodies: string[], max: number, hardLimit: number): string[] {
  const limit = Math.min(Math.round(max * 1.2), hardLimit);
  const result: string[] = [];
  for (let i = 0; i < bodies.length; i++) {
    const body = bodies[i]!;
    const next = bodies[i + 1];
    if (body.length < SMALL_BODY_CHARS && next !== undefined && body.length + next.length < limit) {
      bodies[i + 1] = `${body}\n${next}`;
      continue;
    }
    const previous = result[result.length - 1];
    if (body.length < SMALL_BODY_CHARS && previous !== undefined && previous.length + body.length < limit) {
      result[result.length - 1] = `${previous}\n${body}`;
      continue;
    }
    result.push(body);
  }
  return result;
}

function uniqueAnchor(path: string[], used: Map<string, number>): string {
  const base = slugify(path[path.length - 1] ?? 'debut') || 'section';
  const seen = used.get(base) ?? 0;
  used.set(base, seen + 1);
  return seen === 0 ? base : `${base}-${seen + 1}`;
}

/**
 * Cuts a document into passages that never straddle a heading. Each passage starts with a heading line, its
 * section path (or the document's title before any heading), so that its text alone says what it is about,
 * and is at most about `maxChars` long.
 */
export function chunkDocument(
  document: SourceDocument,
  sections: Section[],
  options: ChunkingOptions = DEFAULT_CHUNKING,
): ChunkedPassage[] {
  const passages: ChunkedPassage[] = [];
  const anchors = new Map<string, number>();
  for (const section of sections) {
    const anchor = uniqueAnchor(section.path, anchors);
    const sectionLabel = section.path.join(' › ');
    // The section path heads the passage, and the whole passage should stay readable at a glance. Text
    // before any heading (all of a plain-text file) is headed by the document's title: readers of a passage
    // take its first line for its heading, and would drop a line of text.
    const headingLine = sectionLabel || document.title;
    // A heading path nearly as long as a passage still leaves its body room.
    const hardLimit = Math.max(MIN_BODY_CHARS, MAX_PASSAGE_CHARS - headingLine.length - 1);
    const maxChars = Math.min(options.maxChars, hardLimit);
    const bodies = absorbSmallBodies(
      pack(
        attachLeadIns(section.blocks).flatMap((block) => blockPieces(block, maxChars)),
        maxChars,
        '\n',
      ),
      maxChars,
      hardLimit,
    );
    for (const body of bodies) {
      const text = `${headingLine}\n${body}`;
      passages.push({
        id: `${document.id}:${passages.length}`,
        ordinal: passages.length,
        document: document.id,
        title: document.title,
        section: sectionLabel,
        sectionPath: section.path,
        anchor,
        text,
        contentHash: createHash('sha256').update(`${sectionLabel}\n${text}`).digest('hex').slice(0, 32),
      });
    }
  }
  return passages;
}
