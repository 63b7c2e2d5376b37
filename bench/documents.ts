import { conventionFiches, exampleFiche } from '../bot/documents/example-fiche.ts';
import { importWordFiche } from '../bot/documents/word-import.ts';
import { draftConvention, exportFiche } from '../bot/features/fiches/exports.ts';
import type { Metric } from './report.ts';

/**
 * The documents' section of `npm run bench`: the Word export of a full fiche and of a 12-action
 * convention (the issue's targets: under 300 ms and 1 s), and the Word import of a fiche. Each figure is
 * the median of several runs after one warm-up run.
 */

async function median(runs: number, work: () => Promise<unknown>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export async function benchDocuments(options: { quick?: boolean } = {}): Promise<Metric[]> {
  const runs = options.quick ? 3 : 9;
  const fiche = exampleFiche();
  const fiches = conventionFiches(12);
  const word = (await exportFiche(fiche, 'docx')).bytes;
  return [
    {
      label: 'Export Word d’une fiche complète (médiane)',
      value: await median(runs, () => exportFiche(fiche, 'docx')),
      unit: 'ms',
      target: { below: 300 },
    },
    {
      label: 'Projet de convention, 12 actions (médiane)',
      value: await median(runs, () => draftConvention(fiches, fiche.programme!)),
      unit: 'ms',
      target: { below: 1_000 },
    },
    {
      label: 'Import Word d’une fiche (médiane)',
      value: await median(runs, () => importWordFiche(word, { today: '2026-11-29' })),
      unit: 'ms',
    },
  ];
}
