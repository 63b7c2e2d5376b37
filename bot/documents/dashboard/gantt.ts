import type { TopLevelSpec } from 'vega-lite';
import { addDays } from '../../core/french/calendar.ts';
import { formatDate } from '../../core/french/index.ts';
import { PHASES, type Task } from '../../features/dashboard/model.ts';
import { type ChartPng, chartPng, messageSpec } from './chart.ts';
import { chartFont } from './fonts.ts';
import { INK, MUTED } from './sheet-kit.ts';
import {
  type Month,
  monthsSpanning,
  STATUS_ORDER,
  STATUS_STYLES,
  sortTasks,
  type TaskStatus,
  taskSpan,
  taskStatus,
  utcDay,
} from './tasks.ts';

/**
 * The dashboard as a Gantt picture: a row per task under its phase's label, in the guide's order; each task
 * a bar from its first to its last day in the colour of its state (late in red), a diamond for a task of
 * one day; each phase a thin bar over its tasks; a line at today; months in French along the top.
 */

export interface GanttInput {
  collectivite: { name: string };
  tasks: Task[];
  /** YYYY-MM-DD, Europe/Paris. */
  today: string;
  /** The picture's width in pixels (1200 by default). */
  width?: number;
}

const ROW = 24;
const LABEL_SIZE = 11.5;
const WHO_SIZE = 10.5;
const MAX_LABEL = 330;
const MAX_WHO = 170;
const GAP = 16;
const INDENT = 14;
const PHASE_BAND = '#EEF2F7';
const PHASE_BAR = '#44546A';
const TODAY = '#E8590C';

interface GanttRow {
  row: number;
  kind: 'phase' | 'task';
  label: string;
  who?: string;
  start?: number;
  /** The day after the last one, so a bar covers its last day. */
  end?: number;
  status?: string;
  milestone?: boolean;
}

const time = (iso: string) => utcDay(iso).getTime();

/** Cut to fit `max` pixels with an ellipsis, measured in the charts' font. */
function truncated(text: string, max: number, size: number, bold = false): string {
  const measure = chartFont().measure;
  if (!measure || measure(text, size, bold) <= max) return text;
  let cut = text;
  while (cut.length > 1 && measure(`${cut}…`, size, bold) > max) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

const widthOf = (texts: string[], size: number, bold: boolean, max: number) => {
  const measure = chartFont().measure;
  const widest = Math.max(
    0,
    ...texts.map((text) => (measure ? measure(text, size, bold) : text.length * size * 0.55)),
  );
  return Math.min(max, Math.ceil(widest));
};

function rowsOf(tasks: Task[], today: string): GanttRow[] {
  const rows: GanttRow[] = [];
  for (const phase of PHASES) {
    const phaseTasks = tasks.filter((task) => task.values.phase === phase.id && taskSpan(task));
    if (phaseTasks.length === 0) continue;
    const spans = phaseTasks.map((task) => taskSpan(task)!);
    rows.push({
      row: rows.length,
      kind: 'phase',
      label: phase.label,
      start: Math.min(...spans.map((span) => time(span.start))),
      end: Math.max(...spans.map((span) => time(addDays(span.end, 1)))),
    });
    for (const task of phaseTasks) {
      const span = taskSpan(task)!;
      rows.push({
        row: rows.length,
        kind: 'task',
        label: `${task.number}. ${task.values.intitule}`,
        ...(task.values.responsable ? { who: task.values.responsable.nom } : {}),
        start: time(span.start),
        end: time(addDays(span.end, 1)),
        status: STATUS_STYLES[taskStatus(task, today)].label,
        milestone: span.start === span.end,
      });
    }
  }
  return rows;
}

/** Month ticks: every month gets a grid line, one in `step` a label, so labels never overlap. */
function monthAxis(months: Month[], plotWidth: number) {
  const measure = chartFont().measure;
  const labelWidth = measure ? measure('sept. 2027', 11, false) : 60;
  const step = Math.max(1, Math.ceil((labelWidth + 12) / (plotWidth / months.length)));
  return {
    values: months.map((month) => Date.UTC(month.year, month.month - 1, 1)),
    step,
    // The last label starts a month before the end and may run past it: Vega's fit leaves it too little room.
    overflow: Math.ceil(labelWidth),
  };
}

function subtitle(tasks: Task[], shown: number, today: string): string[] {
  const late = tasks.filter((task) => taskStatus(task, today) === 'en_retard').length;
  const plural = (count: number, word: string) => `${count} ${word}${count > 1 ? 's' : ''}`;
  const lines = [
    `Situation au ${formatDate(today)} · ${plural(tasks.length, 'tâche')}, ${late > 0 ? `dont ${late} en retard` : 'aucune en retard'}`,
  ];
  const undated = tasks.length - shown;
  if (undated > 0)
    lines.push(
      `${plural(undated, 'tâche')} sans date ${undated > 1 ? 'n’apparaissent' : 'n’apparaît'} pas ici`,
    );
  return lines;
}

export function ganttSpec(input: GanttInput): TopLevelSpec {
  const width = input.width ?? 1200;
  const tasks = sortTasks(input.tasks);
  const rows = rowsOf(tasks, input.today);
  const shown = rows.filter((row) => row.kind === 'task').length;
  const title = {
    text: `Calendrier du projet — ${input.collectivite.name}`,
    subtitle: subtitle(tasks, shown, input.today),
  };
  if (shown === 0)
    return messageSpec(
      title,
      'Aucune tâche datée : le calendrier se remplit avec les dates de début et de fin.',
      width,
    );
  const months = monthsSpanning(
    tasks.filter((task) => taskSpan(task)),
    input.today,
  );
  const first = months[0]!;
  const last = months.at(-1)!;
  const domain = [Date.UTC(first.year, first.month - 1, 1), Date.UTC(last.year, last.month, 1)];

  const labelWidth =
    widthOf(
      rows.map((row) => row.label),
      LABEL_SIZE,
      true,
      MAX_LABEL,
    ) + INDENT;
  const whoWidth = widthOf(
    rows.flatMap((row) => (row.who ? [row.who] : [])),
    WHO_SIZE,
    false,
    MAX_WHO,
  );
  const left = labelWidth + GAP + (whoWidth > 0 ? whoWidth + GAP : 0);
  const plotWidth = Math.max(200, width - left - 32 - 60);
  const axis = monthAxis(months, plotWidth);
  const data = rows.map((row) => ({
    ...row,
    label: truncated(
      row.label,
      MAX_LABEL - (row.kind === 'task' ? INDENT : 0),
      LABEL_SIZE,
      row.kind === 'phase',
    ),
    who: row.who ? truncated(row.who, MAX_WHO, WHO_SIZE) : undefined,
  }));
  const todayTime = time(input.today);
  const todayShown = todayTime >= domain[0]! && todayTime <= domain[1]!;

  const y = {
    field: 'row',
    type: 'ordinal' as const,
    axis: null,
    scale: { domain: rows.map((row) => row.row), paddingInner: 0, paddingOuter: 0 },
  };
  const x = { field: 'start', type: 'temporal' as const };
  // Scale and axis are given once, on the phase bars: the layers share them.
  const xAxis = {
    ...x,
    scale: {
      type: 'utc' as const,
      domainMin: domain[0],
      domainMax: domain[1],
      nice: false,
    },
    title: null,
    axis: {
      orient: 'top' as const,
      values: axis.values,
      // Vega thins explicit values down to the tick count: allow them all.
      tickCount: axis.values.length,
      grid: true,
      ticks: false,
      domain: false,
      labelAlign: 'left' as const,
      labelPadding: 6,
      // One label in `step` months is shown, so they cannot overlap: none is to be dropped.
      labelOverlap: false,
      labelFlush: false,
      labelExpr: `(utcyear(datum.value) * 12 + utcmonth(datum.value)) % ${axis.step} === 0 ? utcFormat(datum.value, '%b %Y') : ''`,
    },
  };
  const isTask = { filter: "datum.kind === 'task'" };
  const isPhase = { filter: "datum.kind === 'phase'" };
  const colour = {
    field: 'status',
    type: 'nominal' as const,
    title: null,
    scale: {
      domain: STATUS_ORDER.map((status) => STATUS_STYLES[status].label),
      range: STATUS_ORDER.map((status: TaskStatus) => STATUS_STYLES[status].fill),
    },
    legend: { orient: 'top' as const, direction: 'horizontal' as const, offset: 10 },
  };

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width,
    // A plot height rather than a step: Vega-Lite fits the width only when the height is a number.
    height: rows.length * ROW,
    autosize: { type: 'fit-x', contains: 'padding' },
    padding: { left: 16, right: 16 + axis.overflow, top: 14, bottom: 12 },
    data: { values: data },
    layer: [
      {
        transform: [isPhase],
        mark: { type: 'rect', color: PHASE_BAND },
        encoding: { y, x: { value: -left - 8 }, x2: { value: 'width' } },
      },
      {
        transform: [isPhase],
        mark: { type: 'bar', color: PHASE_BAR, height: { band: 0.22 } },
        encoding: { y, x: xAxis, x2: { field: 'end' } },
      },
      {
        transform: [isTask, { filter: '!datum.milestone' }],
        mark: { type: 'bar', height: { band: 0.62 }, cornerRadius: 3 },
        encoding: { y, x, x2: { field: 'end' }, color: colour },
      },
      {
        transform: [isTask, { filter: 'datum.milestone' }],
        mark: {
          type: 'point',
          shape: 'diamond',
          filled: true,
          size: 150,
          opacity: 1,
          stroke: '#FFFFFF',
          strokeWidth: 1,
        },
        encoding: { y, x, color: colour },
      },
      {
        transform: [isPhase],
        mark: {
          type: 'text',
          align: 'left',
          baseline: 'middle',
          fontWeight: 'bold',
          fontSize: LABEL_SIZE,
          color: INK,
        },
        encoding: { y, x: { value: -left }, text: { field: 'label' } },
      },
      {
        transform: [isTask],
        mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: LABEL_SIZE, color: INK },
        encoding: { y, x: { value: -left + INDENT }, text: { field: 'label' } },
      },
      {
        transform: [isTask, { filter: 'datum.who' }],
        mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: WHO_SIZE, color: MUTED },
        encoding: { y, x: { value: -whoWidth - GAP }, text: { field: 'who' } },
      },
      ...(todayShown
        ? [
            {
              data: { values: [{ start: todayTime, label: 'aujourd’hui' }] },
              layer: [
                {
                  mark: { type: 'rule' as const, color: TODAY, strokeWidth: 1.5, strokeDash: [5, 3] },
                  encoding: { x },
                },
                {
                  mark: {
                    type: 'text' as const,
                    color: TODAY,
                    fontWeight: 'bold' as const,
                    fontSize: 11,
                    align: 'center' as const,
                    baseline: 'top' as const,
                    dy: 4,
                  },
                  encoding: { x, y: { value: rows.length * ROW }, text: { field: 'label' } },
                },
              ],
            },
          ]
        : []),
    ],
    config: { axis: { gridColor: '#E3E8EF' } },
  } as TopLevelSpec;
}

/** The Gantt of a dashboard as a PNG, `width` pixels wide. */
export function ganttPng(input: GanttInput): Promise<ChartPng> {
  return chartPng(ganttSpec(input));
}
