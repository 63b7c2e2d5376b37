import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The corrupt PDF a user may drop: a header, a catalog, then no PDF body. */
export const CORRUPT_PDF = '%PDF-1.7\n1 0 obj << /Type /Catalog >>\nthis is not a pdf body\n%%EOF';

/**
 * Adds to a copy of tests/fixtures/sources one file of each kind that cannot be indexed: a corrupt PDF, a
 * damaged .docx, a PDF without text, an empty file, and a copy declaring an id already taken.
 */
export async function addBadSources(sourcesDir: string): Promise<void> {
  await writeFile(path.join(sourcesDir, 'rapport-corrompu.pdf'), CORRUPT_PDF);
  await copyFile(
    path.resolve('tests/fixtures/files/document-abime.docx'),
    path.join(sourcesDir, 'abime.docx'),
  );
  await copyFile(path.resolve('tests/fixtures/files/scan-sans-texte.pdf'), path.join(sourcesDir, 'scan.pdf'));
  await writeFile(path.join(sourcesDir, 'vide.md'), '');
  await mkdir(path.join(sourcesDir, 'zz-archives'));
  // Read after projet-actes.md (paths are read in order), and declaring the same id: the first keeps it.
  await writeFile(
    path.join(sourcesDir, 'zz-archives', 'copie.md'),
    '---\nid: projet-actes\n---\n\n# Copie\n\nUne ancienne copie du projet, gardée par erreur.\n',
  );
}
