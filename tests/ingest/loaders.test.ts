import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkDocument } from '../../ingest/chunker.ts';
import { loadSourceFile, MAX_TEXT_CHARS, slugify, UnreadableSourceError } from '../../ingest/loaders.ts';
import { splitIntoSections } from '../../ingest/sections.ts';
import { buildDocx } from './docx-builder.ts';

const FILES = path.resolve('tests/fixtures/files');
const fixture = (name: string) => path.join(FILES, name);

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'boussole-loaders-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function unreadable(file: string): Promise<UnreadableSourceError> {
  const error = await loadSourceFile(file).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(UnreadableSourceError);
  return error as UnreadableSourceError;
}

describe('loadSourceFile', () => {
  it('reads Markdown front matter as the document metadata and drops it from the body', async () => {
    const loaded = await loadSourceFile(fixture('fiche-avec-entete.md'));
    expect(loaded.document).toEqual({
      id: 'fiche-mobilisation',
      title: 'Fiche : mobiliser les élus',
      publisher: 'Promotion Santé Île-de-France',
      year: 2023,
      url: 'https://example.org/fiche-mobilisation',
    });
    expect(loaded.markdown).not.toContain('publisher');
    expect(loaded.markdown.trimStart().startsWith('# Mobiliser les élus')).toBe(true);
    expect(loaded.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names Markdown without front matter after its file and first heading', async () => {
    const loaded = await loadSourceFile(fixture('Notes de réunion (v2).md'));
    expect(loaded.document.id).toBe('notes-de-reunion-v2');
    expect(loaded.document.title).toBe('Réunion du comité de pilotage');
    expect(loaded.document.publisher).toBeTruthy();
    expect(Number.isInteger(loaded.document.year)).toBe(true);
    expect(loaded.document.url).toBeUndefined();
  });

  it('reads a .txt file with Windows line endings, titled by its first line', async () => {
    const loaded = await loadSourceFile(fixture('atelier-nutrition.txt'));
    expect(loaded.document.id).toBe('atelier-nutrition');
    expect(loaded.document.title).toBe('Compte rendu de l’atelier nutrition');
    expect(loaded.markdown).not.toContain('\r');
    expect(loaded.markdown).toContain('petits-déjeuners, cantine, activité physique');
  });

  it('reads the text of a PDF, accents included', async () => {
    const loaded = await loadSourceFile(fixture('diagnostic.pdf'));
    expect(loaded.document.id).toBe('diagnostic');
    expect(loaded.document.title).toBe('Guide du diagnostic local');
    expect(loaded.markdown).toContain('Le diagnostic local de santé décrit les besoins du territoire.');
    // pdf-parse marks page ends ("-- 1 of 1 --") unless told not to: that is no text of the document.
    expect(loaded.markdown).not.toMatch(/-- \d+ of \d+ --/);
  });

  it('reads a .docx with its headings, which give passages their section path', async () => {
    const file = path.join(tmp, 'Mobiliser les habitants.docx');
    await writeFile(
      file,
      await buildDocx([
        { text: 'Mobiliser les habitants', heading: 1 },
        { text: 'Les habitants sont associés dès le diagnostic (réunions publiques, questionnaires).' },
        { text: 'Les étapes', heading: 2 },
        { text: 'Premier temps : écouter. Deuxième temps : co-construire les actions avec les habitants.' },
      ]),
    );
    const loaded = await loadSourceFile(file);
    expect(loaded.document.id).toBe('mobiliser-les-habitants');
    expect(loaded.document.title).toBe('Mobiliser les habitants');
    expect(loaded.markdown).toContain('# Mobiliser les habitants');
    expect(loaded.markdown).toContain('(réunions publiques, questionnaires).');
    const passages = chunkDocument(loaded.document, splitIntoSections(loaded.markdown));
    expect(passages.map((p) => p.section)).toContain('Mobiliser les habitants › Les étapes');
  });

  it('refuses a corrupted .docx with a French message naming the file', async () => {
    const error = await unreadable(fixture('document-abime.docx'));
    expect(error.message).toMatch(/^Impossible de lire la source document-abime\.docx/);
    expect(error.sourcePath).toBe(fixture('document-abime.docx'));
  });

  it('refuses a truncated PDF', async () => {
    const file = path.join(tmp, 'tronque.pdf');
    const pdf = await readFile(fixture('diagnostic.pdf'));
    await writeFile(file, pdf.subarray(0, 60));
    expect((await unreadable(file)).message).toContain('tronque.pdf');
  });

  it('refuses an unsupported format, listing the supported ones in French', async () => {
    const file = path.join(tmp, 'tableau.odt');
    await writeFile(file, 'contenu');
    const error = await unreadable(file);
    expect(error.message).toContain('tableau.odt');
    expect(error.message).toContain('format non pris en charge');
    expect(error.message).toContain('.docx');
  });

  it('refuses the corrupt PDF a user may drop, saying it is damaged', async () => {
    const file = path.join(tmp, 'rapport-corrompu.pdf');
    await writeFile(file, '%PDF-1.7\n1 0 obj << /Type /Catalog >>\nthis is not a pdf body\n%%EOF');
    const error = await unreadable(file);
    expect(error.reason).toBe('unreadable');
    expect(error.detail).toMatch(/^PDF illisible ou endommagé \(.+\)$/);
  });

  it.each([
    ['vide.md', '', 'fichier vide'],
    ['vide.pdf', '', 'fichier vide'],
    ['blanc.txt', '  \n\n\t\n', 'fichier vide (seulement des espaces)'],
  ])('reports %s as empty, not as damaged', async (name, content, detail) => {
    const file = path.join(tmp, name);
    await writeFile(file, content);
    const error = await unreadable(file);
    expect(error).toMatchObject({ reason: 'empty', detail });
  });

  it('reports a PDF without text (a scan) as such', async () => {
    const error = await unreadable(fixture('scan-sans-texte.pdf'));
    expect(error.reason).toBe('no-text');
    expect(error.detail).toContain('aucun texte lisible dans ce PDF');
  });

  it('reports Markdown with front matter and nothing else as without text', async () => {
    const file = path.join(tmp, 'entete-seul.md');
    await writeFile(file, '---\ntitle: Rien\n---\n\n');
    expect(await unreadable(file)).toMatchObject({
      reason: 'no-text',
      detail: 'aucun texte après l’en-tête',
    });
  });

  it('refuses a binary file named .txt', async () => {
    const file = path.join(tmp, 'image.txt');
    await writeFile(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x0d, 0x0a]));
    expect(await unreadable(file)).toMatchObject({
      reason: 'unreadable',
      detail: 'fichier texte illisible : son contenu n’est pas du texte',
    });
  });

  it('refuses a text too long to index within the memory bound, before cutting it', async () => {
    const file = path.join(tmp, 'journal.txt');
    const line = 'ligne de journal sans intérêt\n';
    await writeFile(file, line.repeat(Math.ceil((MAX_TEXT_CHARS * 1.05) / line.length)));
    const error = await unreadable(file);
    expect(error.reason).toBe('too-large');
    expect(error.detail).toMatch(
      /^texte trop long \(10,5 millions de caractères ; limite 10 millions\) : découpez-le/,
    );
  });

  it('refuses a missing file', async () => {
    expect((await unreadable(path.join(tmp, 'absent.md'))).message).toContain('absent.md');
  });
});

describe('slugify', () => {
  it('turns a file name into an id without accents, spaces or punctuation', () => {
    expect(slugify('Évaluation d’impact (2024) — version finale')).toBe(
      'evaluation-d-impact-2024-version-finale',
    );
  });
});
