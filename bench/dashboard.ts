import { exampleDashboard, generatedTasks } from '../bot/documents/dashboard/example.ts';
import { ganttPng } from '../bot/documents/dashboard/gantt.ts';
import { progressChartPng } from '../bot/documents/dashboard/progress.ts';
import { type DashboardXlsxInput, dashboardXlsx } from '../bot/documents/dashboard/xlsx.ts';
import { conventionFiches } from '../bot/documents/example-fiche.ts';
import type { Suivi } from '../bot/features/dashboard/model.ts';
import type { Metric } from './report.ts';

/**
 * The tableau de bord's section of `npm run bench`: the XLSX and the Gantt PNG of 20 collectivités with
 * 200 tasks each (the target: under 1 s for each XLSX), each built once after a warm-up; the
 * median and the slowest of the 20, and the digest's progress chart of the 20. Shaped as the bench's
 * `Metric`.
 */

const TASKS = 200;
const TODAY = '2027-06-15';

function dashboards(count: number): DashboardXlsxInput[] {
  const [submitted] = exampleDashboard().suivis as [Suivi];
  return Array.from({ length: count }, (_, index) => {
    const collectivite = { id: `collectivite-${index + 1}`, name: `Collectivité ${index + 1}` };
    const fiches = conventionFiches(12).map((fiche) => ({ ...fiche, collectivite }));
    return {
      collectivite,
      tasks: generatedTasks(collectivite, TASKS),
      fiches,
      // A suivi for two actions in three, the others missing.
      suivis: fiches
        .filter((_, position) => position % 3 !== 2)
        .map((fiche) => ({ ...submitted, id: `suivi-${fiche.id}`, ficheId: fiche.id, collectivite })),
      period: '2027-T2',
      today: TODAY,
    };
  });
}

async function timed(inputs: DashboardXlsxInput[], build: (input: DashboardXlsxInput) => Promise<unknown>) {
  await build(inputs[0]!);
  const times: number[] = [];
  for (const input of inputs) {
    const started = performance.now();
    await build(input);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, slowest: times.at(-1)! };
}

export async function benchDashboard(options: { quick?: boolean } = {}): Promise<Metric[]> {
  const count = options.quick ? 4 : 20;
  const inputs = dashboards(count);
  const xlsx = await timed(inputs, dashboardXlsx);
  const gantt = await timed(inputs, ganttPng);
  const rows = inputs.map((input, index) => ({
    collectivite: input.collectivite.name,
    done: 40 + index,
    inProgress: 20,
    late: index % 7,
    todo: 120 - index,
  }));
  const progressStarted = performance.now();
  await progressChartPng(rows);
  const progress = performance.now() - progressStarted;
  const of = `${count} collectivités × ${TASKS} tâches`;
  return [
    {
      label: `Tableau de bord XLSX, ${of} (médiane)`,
      value: xlsx.median,
      unit: 'ms',
      target: { below: 1_000 },
    },
    {
      label: `Tableau de bord XLSX, ${of} (le plus lent)`,
      value: xlsx.slowest,
      unit: 'ms',
      target: { below: 1_000 },
    },
    { label: `Gantt PNG, ${of} (médiane)`, value: gantt.median, unit: 'ms' },
    { label: `Gantt PNG, ${of} (le plus lent)`, value: gantt.slowest, unit: 'ms' },
    { label: `Graphique d’avancement, ${count} collectivités`, value: progress, unit: 'ms' },
  ];
}
