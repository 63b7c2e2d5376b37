import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exampleDashboard } from './example.ts';
import { ganttPng } from './gantt.ts';
import { dashboardXlsx } from './xlsx.ts';

/**
 * Makes the README's two pictures from the Démoville example: `npx tsx bot/documents/dashboard/pictures.ts`.
 * The Excel one goes through LibreOffice (PDF) and poppler (PNG) from Debian's packages
 * (apt-get install libreoffice-calc poppler-utils), for this picture only: no test needs them.
 */

const IMAGES = path.resolve(import.meta.dirname, '../../../docs/images');

const dashboard = exampleDashboard();
const gantt = await ganttPng({ ...dashboard, width: 1200 });
await writeFile(path.join(IMAGES, 'gantt.png'), gantt.png);

const folder = await mkdtemp(path.join(os.tmpdir(), 'boussole-pictures-'));
try {
  const workbook = path.join(folder, 'tableau-de-bord.xlsx');
  await writeFile(workbook, await dashboardXlsx(dashboard));
  execFileSync('soffice', [
    `-env:UserInstallation=file://${folder}/profile`,
    '--headless',
    '--convert-to',
    'pdf',
    '--outdir',
    folder,
    workbook,
  ]);
  // The first page at 190 dpi, cut after the April 2028 column: the fixed columns and 16 months.
  const crop = ['-x', '50', '-y', '70', '-W', '1672', '-H', '445'];
  const pdf = path.join(folder, 'tableau-de-bord.pdf');
  execFileSync('pdftoppm', [
    '-r',
    '190',
    '-png',
    '-singlefile',
    '-f',
    '1',
    '-l',
    '1',
    ...crop,
    pdf,
    path.join(folder, 'sheet'),
  ]);
  await copyFile(path.join(folder, 'sheet.png'), path.join(IMAGES, 'tableau-de-bord-xlsx.png'));
} finally {
  await rm(folder, { recursive: true, force: true });
}
process.stdout.write(
  `docs/images/gantt.png (${gantt.width} × ${gantt.height}) et docs/images/tableau-de-bord-xlsx.png\n`,
);
