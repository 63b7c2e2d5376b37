import ExcelJS from 'exceljs';
import { formatDate } from '../../core/french/index.ts';
import { PHASES, type Suivi, type Task } from '../../features/dashboard/model.ts';
import type { Fiche } from '../../features/fiches/model.ts';
import { copilSheet } from './copil-sheet.ts';
import {
  BORDERS,
  CENTER,
  fitRowHeight,
  font,
  MUTED,
  printSetup,
  setText,
  solid,
  styleHeader,
  titleRow,
  WRAP,
} from './sheet-kit.ts';
import { suiviSheet } from './suivi-sheet.ts';
import {
  type Month,
  monthCover,
  monthLabel,
  monthsSpanning,
  STATUS_ORDER,
  STATUS_STYLES,
  sortTasks,
  taskSpan,
  taskStatus,
  utcDay,
} from './tasks.ts';

/**
 * The tableau de bord as an Excel workbook, laid out like the guide's example (Fiche 3): « ÉTAPES | QUI ?
 * Responsable | Date début | Date fin | Livrables ? » then one column per month, a band per phase in the
 * guide's order with ▶ in the month it starts, and under it its tasks, each month of a task filled in the
 * colour of its state (▶ its first month, X the others). Then the COPIL table of indicators per action and
 * the suivis of one period, the quarterly report to the ARS.
 */

export interface DashboardXlsxInput {
  collectivite: { name: string };
  tasks: Task[];
  fiches: Fiche[];
  suivis: Suivi[];
  /** « 2027-T2 » for a quarter, « 2027-A » for the annual bilan. */
  period: string;
  /** YYYY-MM-DD, Europe/Paris: what is late is late on this day. */
  today: string;
}

export const DASHBOARD_SHEET = 'Tableau de bord';

const FIXED_COLUMNS = [
  { header: 'ÉTAPES', width: 46 },
  { header: 'QUI ? Responsable', width: 22 },
  { header: 'Date début', width: 11.5 },
  { header: 'Date fin', width: 11.5 },
  { header: 'Livrables ?', width: 28 },
];
const FIRST_MONTH = FIXED_COLUMNS.length + 1;
const HEADER_ROW = 4;
const PHASE_FILL = '#DCE6F1';
const PHASE_SPAN_FILL = '#B4C7DE';

function legend(sheet: ExcelJS.Worksheet): void {
  const row = sheet.getRow(3);
  const intro = row.getCell(1);
  intro.value = '▶ premier mois, X mois d’activité ; couleur de la barre :';
  intro.font = font({ italic: true, color: MUTED });
  intro.alignment = { horizontal: 'right', vertical: 'middle' };
  STATUS_ORDER.forEach((status, index) => {
    const cell = row.getCell(2 + index);
    const style = STATUS_STYLES[status];
    cell.value = style.label;
    cell.fill = solid(style.fill);
    cell.font = font({ color: style.ink, bold: true });
    cell.alignment = CENTER;
    cell.border = BORDERS;
  });
}

function phaseRow(
  sheet: ExcelJS.Worksheet,
  rowNumber: number,
  label: string,
  tasks: Task[],
  months: Month[],
) {
  const row = sheet.getRow(rowNumber);
  const lastColumn = FIRST_MONTH + months.length - 1;
  for (let column = 1; column <= lastColumn; column += 1) {
    const cell = row.getCell(column);
    cell.fill = solid(PHASE_FILL);
    cell.border = BORDERS;
  }
  row.getCell(1).value = label;
  row.getCell(1).font = font({ bold: true, size: 11 });
  row.getCell(1).alignment = { vertical: 'middle' };
  const spans = tasks.map(taskSpan).filter((span) => span !== undefined);
  if (spans.length > 0) {
    const span = {
      start: spans.map((each) => each.start).sort()[0]!,
      end: spans
        .map((each) => each.end)
        .sort()
        .at(-1)!,
    };
    months.forEach((month, index) => {
      const cover = monthCover(span, month);
      if (!cover) return;
      const cell = row.getCell(FIRST_MONTH + index);
      cell.fill = solid(PHASE_SPAN_FILL);
      if (cover === 'start') {
        cell.value = '▶';
        cell.font = font({ bold: true });
        cell.alignment = CENTER;
      }
    });
  }
  row.height = 18;
}

function taskRow(sheet: ExcelJS.Worksheet, rowNumber: number, task: Task, months: Month[], today: string) {
  const row = sheet.getRow(rowNumber);
  const { values } = task;
  const status = taskStatus(task, today);
  const late = status === 'en_retard';
  setText(row.getCell(1), `${task.number}. ${values.intitule}`);
  row.getCell(1).alignment = { ...WRAP, indent: 1 };
  setText(row.getCell(2), values.responsable?.nom);
  (['debut', 'fin'] as const).forEach((key, index) => {
    const cell = row.getCell(3 + index);
    const date = values[key];
    cell.value = date ? utcDay(date) : null;
    cell.numFmt = 'dd/mm/yyyy';
    cell.font = font(late && key === 'fin' ? { bold: true, color: STATUS_STYLES.en_retard.fill } : {});
    cell.alignment = { horizontal: 'center', vertical: 'top' };
    cell.border = BORDERS;
  });
  setText(row.getCell(5), values.livrables);
  const span = taskSpan(task);
  const style = STATUS_STYLES[status];
  months.forEach((month, index) => {
    const cell = row.getCell(FIRST_MONTH + index);
    cell.border = BORDERS;
    const cover = span && monthCover(span, month);
    if (!cover) return;
    cell.value = cover === 'start' ? '▶' : 'X';
    cell.fill = solid(style.fill);
    cell.font = font({ color: style.ink, bold: true });
    cell.alignment = CENTER;
  });
  fitRowHeight(sheet, row);
}

function placeholderRow(sheet: ExcelJS.Worksheet, rowNumber: number, months: Month[]) {
  const row = sheet.getRow(rowNumber);
  for (let column = 1; column < FIRST_MONTH + months.length; column += 1)
    row.getCell(column).border = BORDERS;
  row.getCell(1).value = 'À compléter…';
  row.getCell(1).font = font({ italic: true, color: MUTED });
  row.getCell(1).alignment = { indent: 1 };
}

function dashboardSheet(workbook: ExcelJS.Workbook, input: DashboardXlsxInput): void {
  const tasks = sortTasks(input.tasks);
  const months = monthsSpanning(tasks, input.today);
  const sheet = workbook.addWorksheet(DASHBOARD_SHEET, {
    views: [{ state: 'frozen', xSplit: FIXED_COLUMNS.length, ySplit: HEADER_ROW }],
    properties: { tabColor: { argb: 'FF1F3A5F' } },
  });
  sheet.columns = [
    ...FIXED_COLUMNS.map((column) => ({ width: column.width })),
    ...months.map(() => ({ width: 10 })),
  ];
  titleRow(sheet, 1, `Tableau de bord — ${input.collectivite.name}`, FIXED_COLUMNS.length);
  titleRow(sheet, 2, `Situation au ${formatDate(input.today)}`, FIXED_COLUMNS.length, 10);
  legend(sheet);
  const header = sheet.getRow(HEADER_ROW);
  header.values = [...FIXED_COLUMNS.map((column) => column.header), ...months.map(monthLabel)];
  styleHeader(header, 1, FIXED_COLUMNS.length + months.length);
  header.height = 30;

  let rowNumber = HEADER_ROW + 1;
  for (const phase of PHASES) {
    const phaseTasks = tasks.filter((task) => task.values.phase === phase.id);
    phaseRow(sheet, rowNumber, phase.label, phaseTasks, months);
    rowNumber += 1;
    if (phaseTasks.length === 0) {
      placeholderRow(sheet, rowNumber, months);
      rowNumber += 1;
    }
    for (const task of phaseTasks) {
      taskRow(sheet, rowNumber, task, months, input.today);
      rowNumber += 1;
    }
  }
  printSetup(sheet, `${HEADER_ROW}:${HEADER_ROW}`);
}

/** The workbook: « Tableau de bord », « COPIL – indicateurs », « Suivi <période> ». */
export async function dashboardXlsx(input: DashboardXlsxInput): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Boussole';
  // Dated by the dashboard’s day rather than the clock.
  workbook.created = utcDay(input.today);
  workbook.modified = utcDay(input.today);
  dashboardSheet(workbook, input);
  copilSheet(workbook, input);
  suiviSheet(workbook, input);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
