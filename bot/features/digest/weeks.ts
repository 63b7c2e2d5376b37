import { parisDay, parisTime } from '../../core/calendar.ts';
import { addDays, fromIso, type IsoDate, mondayOf, toIso } from '../../core/french/calendar.ts';
import type { IsoWeek } from './model.ts';

/**
 * ISO weeks in the Europe/Paris calendar. Node 24 has no Temporal yet, so Paris wall-clock time is read
 * from Intl's UTC offset: a week runs from Monday 00:00 Paris to the next Monday 00:00 Paris, which is
 * 167 or 169 hours long in the weeks of the last Sundays of March and October.
 */

const WEEK = /^(\d{4})-W(\d{2})$/;

/** The ISO week of a calendar day (its Thursday's year owns it). */
export function isoWeekOfDay(day: IsoDate): IsoWeek {
  const thursday = addDays(mondayOf(day), 3);
  const { year } = fromIso(thursday);
  const firstThursday = addDays(mondayOf(toIso({ year, month: 1, day: 4 })), 3);
  const week = 1 + Math.round(daysBetween(firstThursday, thursday) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The ISO week an instant falls in, in Paris. */
export function isoWeekOf(instant: Date): IsoWeek {
  return isoWeekOfDay(parisDay(instant));
}

/** « 2026-W48 » checked: a real week of that year (W53 only in years that have one). */
export function parseIsoWeek(text: string): IsoWeek | undefined {
  const match = WEEK.exec(text.trim());
  if (!match) return undefined;
  const week = Number(match[2]);
  if (week < 1 || week > 53) return undefined;
  const normalized = `${match[1]}-W${match[2]}`;
  return isoWeekOfDay(mondayOfWeek(normalized)) === normalized ? normalized : undefined;
}

/** The Monday of an ISO week, as YYYY-MM-DD. */
export function mondayOfWeek(week: IsoWeek): IsoDate {
  const match = WEEK.exec(week);
  if (!match) throw new Error(`Semaine invalide : « ${week} », attendu « 2026-W48 ».`);
  const firstMonday = mondayOf(toIso({ year: Number(match[1]), month: 1, day: 4 }));
  return addDays(firstMonday, (Number(match[2]) - 1) * 7);
}

/** Monday 00:00 Paris (included) to the next Monday 00:00 Paris (excluded), with their calendar days. */
export function weekRange(week: IsoWeek): { start: Date; end: Date; monday: IsoDate; sunday: IsoDate } {
  const monday = mondayOfWeek(week);
  return {
    start: parisMidnight(monday),
    end: parisMidnight(addDays(monday, 7)),
    monday,
    sunday: addDays(monday, 6),
  };
}

/** The week before. */
export function previousWeek(week: IsoWeek): IsoWeek {
  return isoWeekOfDay(addDays(mondayOfWeek(week), -7));
}

/** The week after. */
export function nextWeek(week: IsoWeek): IsoWeek {
  return isoWeekOfDay(addDays(mondayOfWeek(week), 7));
}

/** The week's number: « 2026-W48 » → 48. */
export const weekNumber = (week: IsoWeek) => Number(week.slice(-2));

/** The instant of 00:00 in Paris on a calendar day (never in a DST gap: France changes at 02:00 and 03:00). */
export const parisMidnight = (day: IsoDate): Date => parisTime(day, 0);

function daysBetween(from: IsoDate, to: IsoDate): number {
  const a = fromIso(from);
  const b = fromIso(to);
  return (Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000;
}

/** The quarter a day falls in, as the suivis name it: « 2026-T4 ». */
export function quarterOf(day: IsoDate): string {
  const { year, month } = fromIso(day);
  return `${year}-T${Math.floor((month - 1) / 3) + 1}`;
}

/** The quarter before: « 2026-T4 » → « 2026-T3 », « 2027-T1 » → « 2026-T4 ». */
export function previousQuarter(quarter: string): string {
  const [year, q] = quarter.split('-T').map(Number) as [number, number];
  return q === 1 ? `${year - 1}-T4` : `${year}-T${q - 1}`;
}
