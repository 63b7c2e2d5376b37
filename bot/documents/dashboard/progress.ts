import type { TopLevelSpec } from 'vega-lite';
import { type ChartPng, chartPng, messageSpec } from './chart.ts';
import { INK, MUTED } from './sheet-kit.ts';
import { STATUS_STYLES, type TaskStatus } from './tasks.ts';

/**
 * The weekly digest's small chart, « Avancement par collectivité »: one stacked bar per collectivité,
 * its tasks done, in progress, late and to do, with the share done at the end of the bar.
 */

export interface ProgressRow {
  collectivite: string;
  done: number;
  inProgress: number;
  late: number;
  todo: number;
}

const SEGMENTS: { key: keyof Omit<ProgressRow, 'collectivite'>; status: TaskStatus }[] = [
  { key: 'done', status: 'fait' },
  { key: 'inProgress', status: 'en_cours' },
  { key: 'late', status: 'en_retard' },
  { key: 'todo', status: 'a_faire' },
];

const ROW = 30;
const TITLE = { text: 'Avancement par collectivité', subtitle: 'Tâches du tableau de bord, par état' };

export function progressSpec(rows: ProgressRow[], width = 640): TopLevelSpec {
  if (rows.length === 0) return messageSpec(TITLE, 'Aucune collectivité à afficher.', width);
  const totals = rows.map((row) => SEGMENTS.reduce((sum, segment) => sum + Math.max(0, row[segment.key]), 0));
  const widest = Math.max(1, ...totals);
  const segments = rows.flatMap((row, index) => {
    let start = 0;
    return SEGMENTS.map((segment) => {
      const count = Math.max(0, row[segment.key]);
      const item = {
        collectivite: row.collectivite,
        status: STATUS_STYLES[segment.status].label,
        count,
        start,
        end: start + count,
        // A number inside its segment only where it has room.
        label: count > 0 && count / widest >= 0.06 ? String(count) : '',
        ink: STATUS_STYLES[segment.status].ink,
        order: index,
      };
      start += count;
      return item;
    });
  });
  const ends = rows.map((row, index) => ({
    collectivite: row.collectivite,
    end: totals[index]!,
    share:
      totals[index]! > 0
        ? `${Math.round((100 * Math.max(0, row.done)) / totals[index]!)}\u00a0% fait`
        : 'aucune tâche',
  }));
  const y = {
    field: 'collectivite',
    type: 'nominal' as const,
    title: null,
    sort: rows.map((row) => row.collectivite),
    axis: { labelFontSize: 12, labelPadding: 8, ticks: false, domain: false, labelLimit: 220 },
    scale: { paddingInner: 0.3, paddingOuter: 0.15 },
  };
  const x = { field: 'start', type: 'quantitative' as const };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: TITLE,
    width,
    height: rows.length * ROW,
    autosize: { type: 'fit-x', contains: 'padding' },
    padding: { left: 12, right: 12, top: 12, bottom: 8 },
    layer: [
      {
        data: { values: segments },
        mark: { type: 'bar', stroke: '#FFFFFF', strokeWidth: 1 },
        encoding: {
          y,
          x: {
            ...x,
            title: null,
            scale: { domain: [0, widest * 1.18], nice: false },
            axis: { grid: true, tickCount: 5, format: 'd', domain: false, ticks: false, labelColor: MUTED },
          },
          x2: { field: 'end' },
          color: {
            field: 'status',
            type: 'nominal',
            title: null,
            scale: {
              domain: SEGMENTS.map((segment) => STATUS_STYLES[segment.status].label),
              range: SEGMENTS.map((segment) => STATUS_STYLES[segment.status].fill),
            },
            legend: { orient: 'top', direction: 'horizontal' },
          },
        },
      },
      {
        data: { values: segments },
        transform: [{ calculate: '(datum.start + datum.end) / 2', as: 'middle' }],
        mark: { type: 'text', fontSize: 11, fontWeight: 'bold', baseline: 'middle' },
        encoding: {
          y,
          x: { field: 'middle', type: 'quantitative' },
          text: { field: 'label' },
          color: { field: 'ink', type: 'nominal', scale: null },
        },
      },
      {
        data: { values: ends },
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: 11, color: INK },
        encoding: { y, x: { field: 'end', type: 'quantitative' }, text: { field: 'share' } },
      },
    ],
  } as TopLevelSpec;
}

/** The chart as a PNG, `width` pixels wide (640 by default). */
export function progressChartPng(rows: ProgressRow[], options: { width?: number } = {}): Promise<ChartPng> {
  return chartPng(progressSpec(rows, options.width));
}
