import { percentile } from '../bot/cli/support.ts';
import { exampleDashboard, generatedTasks } from '../bot/documents/dashboard/example.ts';
import { ganttPng } from '../bot/documents/dashboard/gantt.ts';
import { progressChartPng } from '../bot/documents/dashboard/progress.ts';
import { type DashboardXlsxInput, dashboardXlsx } from '../bot/documents/dashboard/xlsx.ts';
import { conventionFiches } from '../bot/documents/example-fiche.ts';
import type { Suivi } from '../bot/features/dashboard/model.ts';
import { compactView, dueRange } from '../bot/features/dashboard/view.ts';
import { inMemoryDataDir, openDatabase } from '../bot/store/database.ts';
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

/**
 * The dashboard's queries on a database (in-memory PGlite) holding one collectivité with 200 tasks: the
 * compact view (its tasks, then the view) and « ce mois-ci » (due this month and late), p95 of n runs.
 */
async function benchQueries(runs: number): Promise<{ view: number; month: number }> {
  const database = await openDatabase({ dataDir: inMemoryDataDir });
  try {
    const { repositories } = database;
    const author = { name: 'bench' };
    const collectivite = await repositories.directory.createCollectivite(
      { name: 'Collectivité du bench', kind: 'commune' },
      author,
    );
    for (const task of generatedTasks(collectivite, TASKS)) {
      await repositories.tasks.create({ collectiviteId: collectivite.id, values: task.values, author });
    }
    const ids = [collectivite.id];
    const view: number[] = [];
    const month: number[] = [];
    for (let run = 0; run <= runs; run += 1) {
      let started = performance.now();
      compactView(collectivite, await repositories.tasks.list({ collectiviteIds: ids }), TODAY, {
        canEdit: true,
      });
      // The first run warms the database up and is not counted.
      if (run > 0) view.push(performance.now() - started);
      started = performance.now();
      const { from, to } = dueRange({ kind: 'month' }, TODAY);
      await Promise.all([
        repositories.tasks.dueBetween(ids, from, to),
        repositories.tasks.overdue(ids, TODAY),
      ]);
      if (run > 0) month.push(performance.now() - started);
    }
    return { view: percentile(view, 95), month: percentile(month, 95) };
  } finally {
    await database.close();
  }
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
  const runs = options.quick ? 10 : 50;
  const queries = await benchQueries(runs);
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
    { label: `Vue compacte, ${TASKS} tâches (p95 de ${runs}, PGlite)`, value: queries.view, unit: 'ms' },
    {
      label: `Échéances du mois, ${TASKS} tâches (p95 de ${runs}, PGlite)`,
      value: queries.month,
      unit: 'ms',
    },
  ];
}
