/**
 * Calendar arithmetic on ISO dates ('YYYY-MM-DD'). Values are days without time or time zone, so
 * plain UTC arithmetic through Date.UTC is exact; a Temporal polyfill would add a dependency for the
 * half-dozen operations below and a conversion at each boundary with chrono-node, which works on Date.
 */

export type IsoDate = string;

export interface Ymd {
  year: number;
  month: number;
  day: number;
}

const MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
] as const;

export function monthName(month: number): string {
  return MONTHS[month - 1]!;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isValidYmd({ year, month, day }: Ymd): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

export function toIso({ year, month, day }: Ymd): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function fromIso(iso: IsoDate): Ymd {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const ymd = match ? { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) } : undefined;
  if (!ymd || !isValidYmd(ymd)) throw new Error(`Not an ISO date: ${iso}`);
  return ymd;
}

function fromTime(time: number): IsoDate {
  return new Date(time).toISOString().slice(0, 10);
}

function toTime(iso: IsoDate): number {
  const { year, month, day } = fromIso(iso);
  return Date.UTC(year, month - 1, day);
}

export function addDays(iso: IsoDate, days: number): IsoDate {
  return fromTime(toTime(iso) + days * 86_400_000);
}

/** Adds months, keeping the day when it exists and the month's last day otherwise (31 jan + 1 → 28 fév). */
export function addMonths(iso: IsoDate, months: number): IsoDate {
  const { year, month, day } = fromIso(iso);
  const index = year * 12 + (month - 1) + months;
  const target = { year: Math.floor(index / 12), month: (index % 12) + 1 };
  return toIso({ ...target, day: Math.min(day, daysInMonth(target.year, target.month)) });
}

/** ISO weekday: 1 = lundi … 7 = dimanche. */
export function isoWeekday(iso: IsoDate): number {
  return ((new Date(toTime(iso)).getUTCDay() + 6) % 7) + 1;
}

export function mondayOf(iso: IsoDate): IsoDate {
  return addDays(iso, 1 - isoWeekday(iso));
}

export function firstOfMonth(year: number, month: number): IsoDate {
  return toIso({ year, month, day: 1 });
}

export function lastOfMonth(year: number, month: number): IsoDate {
  return toIso({ year, month, day: daysInMonth(year, month) });
}

export function isIsoDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return (
    match !== null && isValidYmd({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) })
  );
}
