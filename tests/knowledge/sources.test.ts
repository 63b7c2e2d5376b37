import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const sourcesDir = path.join(repoRoot, 'knowledge', 'sources');
const seedsDir = path.resolve(repoRoot, '..', 'shared', 'seeds');

const MIN_SEED_COVERAGE = 0.97;
const WINDOW_SIZE = 8;

/** Words that only exist when extraction dropped an accented letter ("santé" -> "sant"). */
const BROKEN_WORDS = ['sant', 'qualit', 'activit', 'efficacit', 'utilit', 'collectivit', 'gnra[lu]', 'rgion'];
/** Beginnings of words that extraction damaged ("coopérative" -> "cooprative"). */
const BROKEN_PREFIXES = [
  'cooprativ',
  'dlgation',
  'dpartement',
  'prvention',
  'stratgi',
  'oprationn',
  'ralisation',
  'mthod',
  'intgr',
  'dmarch',
  'dterminant',
  'rfrent',
  'tablissement',
];
const NOT_AFTER_LETTER = '(?<![\\p{L}\\p{N}])';
const BROKEN_WORD = new RegExp(`${NOT_AFTER_LETTER}(${BROKEN_WORDS.join('|')})(?![\\p{L}\\p{N}])`, 'iu');
const BROKEN_PREFIX = new RegExp(`${NOT_AFTER_LETTER}(${BROKEN_PREFIXES.join('|')})`, 'iu');
const MOJIBAKE = /\uFFFD|Ã[\u0080-\u00BF]/u;
const HTML_TABLE_TAG = /<\/?(table|thead|tbody|tfoot|tr|td|th|ul|ol|li)\b/i;

interface SourceFile {
  file: string;
  data: Record<string, unknown>;
  body: string;
}

function loadSources(): SourceFile[] {
  if (!existsSync(sourcesDir)) return [];
  return readdirSync(sourcesDir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((file) => {
      const parsed = matter(readFileSync(path.join(sourcesDir, file), 'utf8'));
      return { file, data: parsed.data, body: parsed.content };
    });
}

/** Lowercase, accents removed, every non-alphanumeric run turned into one space. */
function normalize(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Drops markup that carries no words: links keep their text, HTML tags vanish. */
function stripMarkup(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ');
}

function words(text: string): string[] {
  const normalized = normalize(stripMarkup(text));
  return normalized ? normalized.split(' ') : [];
}

function windows(tokens: string[]): string[] {
  const result: string[] = [];
  for (let start = 0; start + WINDOW_SIZE <= tokens.length; start++) {
    result.push(tokens.slice(start, start + WINDOW_SIZE).join(' '));
  }
  return result;
}

/** Table of contents lines end with dotted leaders and a page number: "2. Enjeux.....	4". */
function withoutTableOfContents(seed: string): string {
  return seed
    .split('\n')
    .filter((line) => !/(\.{4,}|…{2,})\s*\d+\s*$/.test(line))
    .join('\n');
}

function seedCoverage(seed: string, markdownBody: string): { coverage: number; missing: string[] } {
  const seedWindows = windows(words(withoutTableOfContents(seed)));
  const markdownWindows = new Set(windows(words(markdownBody)));
  const missing = seedWindows.filter((window) => !markdownWindows.has(window));
  const coverage = seedWindows.length === 0 ? 0 : 1 - missing.length / seedWindows.length;
  return { coverage, missing };
}

interface Heading {
  line: number;
  text: string;
}

function headings(body: string): Heading[] {
  const found: Heading[] = [];
  let inFence = false;
  body.split('\n').forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const match = inFence ? null : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (match?.[1]) found.push({ line: index + 1, text: match[1] });
  });
  return found;
}

function repeatsTitle(heading: string, title: string): boolean {
  const h = normalize(stripMarkup(heading));
  const t = normalize(title);
  if (h === t) return true;
  const shorter = h.length < t.length ? h : t;
  const longer = shorter === h ? t : h;
  return shorter.split(' ').length >= 4 && ` ${longer} `.includes(` ${shorter} `);
}

function damagedLines(body: string): string[] {
  const findings: string[] = [];
  body.split('\n').forEach((line, index) => {
    const problems = [
      BROKEN_WORD.exec(line)?.[0],
      BROKEN_PREFIX.exec(line)?.[0],
      MOJIBAKE.exec(line)?.[0],
      line.includes('\t') ? 'tabulation' : undefined,
      HTML_TABLE_TAG.exec(line)?.[0],
    ].filter((problem): problem is string => problem !== undefined);
    if (problems.length > 0) findings.push(`ligne ${index + 1} : ${problems.join(', ')}`);
  });
  return findings;
}

function tableCells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/);
}

/** Every block of lines starting with "|" must be a header, a separator and rows of the same width. */
function malformedTables(body: string): string[] {
  const blocks: string[][] = [];
  let current: string[] = [];
  for (const line of [...body.split('\n'), '']) {
    if (line.trim().startsWith('|')) current.push(line);
    else if (current.length > 0) {
      blocks.push(current);
      current = [];
    }
  }
  return blocks.flatMap((rows) => {
    const [header = '', separator = ''] = rows;
    const width = tableCells(header).length;
    const separatorOk = tableCells(separator).every((cell) => /^\s*:?-{3,}:?\s*$/.test(cell));
    const ragged = rows.filter((row) => tableCells(row).length !== width);
    if (rows.length >= 2 && separatorOk && ragged.length === 0) return [];
    return [`tableau commençant par « ${header.slice(0, 60)} »`];
  });
}

/** Seed files by id: "003" <- 003_<hash>.txt. Empty when the seeds folder is absent. */
function seedFiles(): Map<string, string> {
  if (!existsSync(seedsDir)) return new Map();
  const entries = readdirSync(seedsDir)
    .map((file) => [/^(\d+)_.*\.txt$/.exec(file)?.[1], path.join(seedsDir, file)] as const)
    .filter((entry): entry is readonly [string, string] => entry[0] !== undefined);
  return new Map(entries);
}

const sources = loadSources();
const seeds = seedFiles();
const seedDerived = sources.flatMap((source) => {
  const seedPath = seeds.get(String(source.data.id));
  return seedPath ? [{ ...source, seedPath }] : [];
});

describe('knowledge/sources', () => {
  it('holds Markdown sources with unique ids', () => {
    expect(sources.length).toBeGreaterThan(0);
    const ids = sources.map((source) => String(source.data.id));
    expect(new Set(ids).size, `ids en double : ${ids.join(', ')}`).toBe(ids.length);
  });

  it('can read the seed documents the sources were converted from', () => {
    expect(
      existsSync(seedsDir),
      `dossier des documents d'origine introuvable (${seedsDir}) : le contenu des sources ne peut pas être vérifié`,
    ).toBe(true);
  });

  it('has converted every seed document', () => {
    const ids = new Set(sources.map((source) => String(source.data.id)));
    const unconverted = [...seeds]
      .filter(([id]) => !ids.has(id))
      .map(([, seedPath]) => path.basename(seedPath));
    expect(unconverted).toEqual([]);
  });

  it.each(seedDerived)('$file keeps the content of its seed document', ({ seedPath, data, body }) => {
    // The title moved from the text into the front matter: it still counts as kept.
    const { coverage, missing } = seedCoverage(readFileSync(seedPath, 'utf8'), `${data.title}\n${body}`);
    const sample = [...new Set(missing)].slice(0, 10).join('\n');
    const message = `couverture ${(coverage * 100).toFixed(1)} % de ${path.basename(seedPath)}, absents :\n${sample}`;
    expect(coverage, message).toBeGreaterThanOrEqual(MIN_SEED_COVERAGE);
  });
});

describe.each(sources)('$file', (source) => {
  const title = typeof source.data.title === 'string' ? source.data.title : '';

  it('declares id, title, publisher, year and language in its front matter', () => {
    const { id, publisher, year, language } = source.data;
    expect(typeof id === 'string' && id.trim().length > 0, 'id : chaîne non vide entre guillemets').toBe(
      true,
    );
    expect(title.trim().length, 'title').toBeGreaterThan(0);
    expect(typeof publisher === 'string' && publisher.trim().length > 0, 'publisher').toBe(true);
    expect(Number.isInteger(year), 'year : entier').toBe(true);
    expect(year as number).toBeGreaterThanOrEqual(1990);
    expect(year as number).toBeLessThanOrEqual(2100);
    expect(language).toBe('fr');
  });

  it('is structured by headings that do not repeat the title', () => {
    const found = headings(source.body);
    expect(found.length).toBeGreaterThan(0);
    const repeats = found.filter((heading) => repeatsTitle(heading.text, title));
    expect(repeats.map((heading) => `ligne ${heading.line} : ${heading.text}`)).toEqual([]);
  });

  it('has no extraction damage left', () => {
    expect(damagedLines(source.body)).toEqual([]);
  });

  it('writes its tables as Markdown tables with a header row', () => {
    expect(malformedTables(source.body)).toEqual([]);
  });
});
