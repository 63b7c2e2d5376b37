import { fromIso } from '../../core/french/calendar.ts';
import {
  isLate,
  PHASES,
  type PhaseId,
  TASK_STATE_LABELS,
  type Task,
  type TaskState,
} from '../../features/dashboard/model.ts';

/** What the XLSX and the pictures share: a task's state as shown, its colours, its span, the months. */

/** The stored state, or « en retard » derived from the end date and today (Europe/Paris). */
export type TaskStatus = TaskState | 'en_retard';

export function taskStatus(task: Task, today: string): TaskStatus {
  return isLate(task.values, today) ? 'en_retard' : task.values.etat;
}

/** The legend's order: from done to what is left, late last but one so it stands out. */
export const STATUS_ORDER: TaskStatus[] = ['fait', 'en_cours', 'a_faire', 'en_retard', 'abandonne'];

export const STATUS_STYLES: Record<TaskStatus, { label: string; fill: string; ink: string }> = {
  fait: { label: TASK_STATE_LABELS.fait, fill: '#3E9B5F', ink: '#FFFFFF' },
  en_cours: { label: TASK_STATE_LABELS.en_cours, fill: '#2F6DB5', ink: '#FFFFFF' },
  a_faire: { label: TASK_STATE_LABELS.a_faire, fill: '#A7B8CC', ink: '#1F2D3D' },
  en_retard: { label: 'en retard', fill: '#D23B33', ink: '#FFFFFF' },
  abandonne: { label: TASK_STATE_LABELS.abandonne, fill: '#D9D9D9', ink: '#6B6B6B' },
};

/** A task's first and last day; a task with one date is a milestone on that day. */
export function taskSpan(task: Task): { start: string; end: string } | undefined {
  const { debut, fin } = task.values;
  const start = debut ?? fin;
  const end = fin ?? debut;
  if (start === undefined || end === undefined) return undefined;
  return start <= end ? { start, end } : { start: end, end: start };
}

const phaseRank = (phase: PhaseId) => PHASES.findIndex((candidate) => candidate.id === phase);

/** By phase in the guide's order, then start date (undated last), then number. */
export function sortTasks(tasks: Task[]): Task[] {
  return [...tasks].sort(
    (a, b) =>
      phaseRank(a.values.phase) - phaseRank(b.values.phase) ||
      (taskSpan(a)?.start ?? '9999').localeCompare(taskSpan(b)?.start ?? '9999') ||
      a.number - b.number,
  );
}

export interface Month {
  year: number;
  /** 1 to 12. */
  month: number;
}

const monthIndex = (month: Month) => month.year * 12 + month.month - 1;
export const monthOf = (iso: string): Month => {
  const { year, month } = fromIso(iso);
  return { year, month };
};

/** Every month from the first task's start to the last task's end; today's month when no task is dated. */
export function monthsSpanning(tasks: Task[], today: string): Month[] {
  const spans = tasks.map(taskSpan).filter((span) => span !== undefined);
  const first = spans.length > 0 ? spans.map((span) => span.start).sort()[0]! : today;
  const last =
    spans.length > 0
      ? spans
          .map((span) => span.end)
          .sort()
          .at(-1)!
      : today;
  const months: Month[] = [];
  for (let index = monthIndex(monthOf(first)); index <= monthIndex(monthOf(last)); index += 1) {
    months.push({ year: Math.floor(index / 12), month: (index % 12) + 1 });
  }
  return months;
}

/** Whether a span covers a month, and whether it starts in it. */
export function monthCover(
  span: { start: string; end: string },
  month: Month,
): 'start' | 'during' | undefined {
  const index = monthIndex(month);
  const start = monthIndex(monthOf(span.start));
  if (index === start) return 'start';
  return index > start && index <= monthIndex(monthOf(span.end)) ? 'during' : undefined;
}

const shortMonth = new Intl.DateTimeFormat('fr-FR', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** « janv. 2027 ». */
export const monthLabel = (month: Month) =>
  shortMonth.format(new Date(Date.UTC(month.year, month.month - 1, 1)));

/** The day as a UTC midnight, what Excel and the charts read as that calendar day. */
export const utcDay = (iso: string) => {
  const { year, month, day } = fromIso(iso);
  return new Date(Date.UTC(year, month - 1, day));
};
