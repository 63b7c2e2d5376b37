import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ChunkedPassage, chunkDocument } from '../../ingest/chunker.ts';
import { loadSourceFile } from '../../ingest/loaders.ts';
import { splitIntoSections } from '../../ingest/sections.ts';
import type { SourceDocument } from '../../knowledge/types.ts';

const SOURCES_DIR = path.resolve('knowledge/sources');
const doc: SourceDocument = { id: 'essai', title: 'Document d’essai', publisher: 'Tests', year: 2025 };

function chunk(markdown: string, maxChars?: number): ChunkedPassage[] {
  return chunkDocument(doc, splitIntoSections(markdown), maxChars ? { maxChars } : undefined);
}

/** The passage without its first line, the heading line. */
function body(passage: ChunkedPassage): string {
  return passage.text.slice(passage.text.indexOf('\n') + 1);
}

const sentence = (topic: string, n: number) =>
  `Le ${topic} numéro ${n} décrit une étape du projet local de santé avec ses partenaires.`;

const real: ChunkedPassage[] = [];
beforeAll(async () => {
  const files = (await readdir(SOURCES_DIR)).filter((file) => file.endsWith('.md'));
  for (const file of files) {
    const loaded = await loadSourceFile(path.join(SOURCES_DIR, file));
    real.push(...chunkDocument(loaded.document, splitIntoSections(loaded.markdown)));
  }
});

describe('chunker on the real sources', () => {
  it('gives a passage of the convention template of source 003 its full section path', () => {
    const convention = real.filter((p) => p.document === '003' && /Article 5/.test(p.text));
    expect(convention.length).toBeGreaterThan(0);
    for (const passage of convention) {
      expect(passage.sectionPath.some((heading) => heading.includes('Fiche 4'))).toBe(true);
      expect(passage.sectionPath.some((heading) => /convention de partenariat/i.test(heading))).toBe(true);
      expect(passage.section).toBe(passage.sectionPath.join(' › '));
    }
  });

  it('starts every passage with its section path, or its document title before any heading', () => {
    for (const passage of real) {
      expect(passage.text.startsWith(`${passage.section || passage.title}\n`)).toBe(true);
    }
  });

  it('keeps every passage, its section path included, under 1,200 characters', () => {
    const tooLong = real.filter((p) => p.text.length > 1_200).map((p) => `${p.id}: ${p.text.length}`);
    expect(tooLong).toEqual([]);
  });

  it('gives each section of a document its own anchor', () => {
    const sectionsByAnchor = new Map<string, Set<string>>();
    for (const passage of real) {
      const key = `${passage.document}#${passage.anchor}`;
      sectionsByAnchor.set(key, (sectionsByAnchor.get(key) ?? new Set()).add(passage.section));
    }
    const shared = [...sectionsByAnchor].filter(([, sections]) => sections.size > 1).map(([key]) => key);
    expect(shared).toEqual([]);
  });

  it('numbers passages per document with stable ids', () => {
    for (const passage of real) expect(passage.id).toBe(`${passage.document}:${passage.ordinal}`);
    expect(new Set(real.map((p) => p.id)).size).toBe(real.length);
  });
});

describe('chunker on small documents', () => {
  it('never puts the text of two headings in one passage', () => {
    const topics = ['diagnostic', 'comité', 'calendrier'];
    const markdown = topics
      .map((topic, i) => `# Partie ${i + 1}\n\n${[1, 2, 3].map((n) => sentence(topic, n)).join(' ')}`)
      .join('\n\n');
    const passages = chunk(markdown);
    expect(passages.map((p) => p.section)).toEqual(['Partie 1', 'Partie 2', 'Partie 3']);
    passages.forEach((passage, i) => {
      for (const topic of topics) expect(passage.text.includes(topic)).toBe(topic === topics[i]);
    });
  });

  it('records the path of nested headings', () => {
    const markdown = `# Fiches pratiques\n\n## Contractualisation\n\n### Convention de partenariat\n\n${sentence('article', 1)} ${sentence('article', 2)}`;
    const [passage] = chunk(markdown);
    expect(passage?.sectionPath).toEqual([
      'Fiches pratiques',
      'Contractualisation',
      'Convention de partenariat',
    ]);
    expect(passage?.text.split('\n')[0]).toBe(
      'Fiches pratiques › Contractualisation › Convention de partenariat',
    );
  });

  it('cuts a long section into passages of at most about the target size', () => {
    const markdown = `# Long\n\n${Array.from({ length: 30 }, (_, n) => sentence('paragraphe', n)).join(' ')}`;
    const passages = chunk(markdown, 400);
    expect(passages.length).toBeGreaterThan(3);
    for (const passage of passages) expect(body(passage).length).toBeLessThanOrEqual(480);
  });

  it('keeps a lead-in sentence ending with ":" with the list it introduces', () => {
    const intro = Array.from({ length: 3 }, (_, n) => sentence('contexte', n)).join(' ');
    const items = Array.from({ length: 6 }, (_, n) => `- ${sentence('point', n)}`).join('\n');
    const markdown = `# Engagements\n\n${intro}\n\nLes partenaires seront appelés à :\n\n${items}`;
    const passages = chunk(markdown, 400);
    expect(passages.length).toBeGreaterThan(1);
    for (const passage of passages) expect(passage.text.trimEnd().endsWith(':')).toBe(false);
    const withLeadIn = passages.find((p) => p.text.includes('seront appelés à :'))!;
    expect(withLeadIn.text).toContain('seront appelés à :\n- Le point numéro 0');
  });

  it('repeats the header row of a table in every piece of it', () => {
    const header = '| Indicateur | Source | Fréquence |';
    const rows = Array.from(
      { length: 20 },
      (_, n) => `| Nombre de participants à l’atelier ${n} | Feuilles d’émargement | Trimestrielle |`,
    );
    const markdown = `# Tableau de bord\n\n${header}\n| --- | --- | --- |\n${rows.join('\n')}`;
    const passages = chunk(markdown, 400);
    expect(passages.length).toBeGreaterThan(2);
    for (const passage of passages) {
      const tableLines = body(passage)
        .split('\n')
        .filter((line) => line.startsWith('|'));
      expect(tableLines[0]).toBe(header);
    }
    const allRows = passages.flatMap((p) => body(p).split('\n')).filter((line) => line.includes('atelier'));
    expect(allRows).toHaveLength(rows.length);
  });

  it('cuts a text with no sentence end (a pasted log, words without punctuation) into readable passages', () => {
    const words = Array.from({ length: 20_000 }, (_, n) => `mot${n}`);
    const passages = chunk(`# Journal\n\n${words.join(' ')}\n\n- ${words.slice(0, 500).join(' ')}`);
    expect(passages.length).toBeGreaterThan(100);
    for (const passage of passages) expect(passage.text.length).toBeLessThanOrEqual(1_200);
    // Nothing is lost or cut inside a word.
    const bodies = passages.map(body).join(' ').replace(/^- /gm, '').split(/\s+/);
    expect(bodies).toEqual([...words, ...words.slice(0, 500)]);
  });

  it('cuts a string with no space at all rather than keep it whole', () => {
    const passages = chunk(`# Données\n\n${'x'.repeat(5_000)}`);
    expect(passages.map((p) => body(p).length)).toEqual([1_000, 1_000, 1_000, 1_000, 1_000]);
  });

  it('caps a heading that is a whole paragraph, so that its passages keep room for their text', () => {
    const heading = `# ${'Un titre qui n’en finit pas '.repeat(60)}`;
    const passages = chunk(
      `${heading}\n\n${Array.from({ length: 10 }, (_, n) => sentence('point', n)).join(' ')}`,
    );
    expect(passages[0]!.section.length).toBeLessThanOrEqual(200);
    expect(passages[0]!.section.endsWith('…')).toBe(true);
    for (const passage of passages) expect(passage.text.length).toBeLessThanOrEqual(1_200);
  });

  it('heads text before any heading with the document title, so that no reader drops its first line', () => {
    const preamble = [1, 2, 3].map((n) => sentence('préambule', n)).join(' ');
    const passages = chunk(`${preamble}\n\n# Partie\n\n${sentence('suite', 2)} ${sentence('suite', 3)}`);
    expect(passages[0]!.section).toBe('');
    expect(passages[0]!.text).toBe(`Document d’essai\n${preamble}`);
  });

  it('gives two sections with the same heading different anchors', () => {
    const section = (part: string) =>
      `# ${part}\n\n## Objectifs\n\n${[1, 2, 3].map((n) => sentence(`volet de la ${part}`, n)).join(' ')}`;
    const passages = chunk(`${section('Partie A')}\n\n${section('Partie B')}`);
    expect(passages.map((p) => p.section)).toEqual(['Partie A › Objectifs', 'Partie B › Objectifs']);
    expect(passages[0]!.anchor).not.toBe(passages[1]!.anchor);
  });

  it('changes the content hash of a passage only when its text or section changes', () => {
    const markdown = `# Partie\n\n${sentence('suivi', 1)} ${sentence('suivi', 2)}`;
    expect(chunk(markdown)[0]!.contentHash).toBe(chunk(markdown)[0]!.contentHash);
    expect(chunk(markdown.replace('suivi numéro 2', 'suivi numéro 3'))[0]!.contentHash).not.toBe(
      chunk(markdown)[0]!.contentHash,
    );
    expect(chunk(markdown.replace('# Partie', '# Autre partie'))[0]!.contentHash).not.toBe(
      chunk(markdown)[0]!.contentHash,
    );
  });
});
