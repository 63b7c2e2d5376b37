import { fromIso, type IsoDate, isoWeekday, lastOfMonth, monthName } from './calendar.ts';

export const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

function dayWord(day: number): string {
  return day === 1 ? '1er' : String(day);
}

/** « 1er mars 2027 »; with `weekday`, « lundi 1er mars 2027 ». */
export function formatDate(iso: IsoDate, options: { weekday?: boolean; year?: boolean } = {}): string {
  const { year, month, day } = fromIso(iso);
  const text = `${dayWord(day)} ${monthName(month)}${options.year === false ? '' : ` ${year}`}`;
  return options.weekday ? `${WEEKDAYS[isoWeekday(iso) - 1]} ${text}` : text;
}

/** « de mars », « d’avril »: the preposition elided before a vowel. */
function deMonth(month: number): string {
  const name = monthName(month);
  return /^[aeiouyàâéèêëîïôöûü]/i.test(name) ? `d’${name}` : `de ${name}`;
}

function isWholeMonths(start: IsoDate, end: IsoDate): boolean {
  const to = fromIso(end);
  return fromIso(start).day === 1 && end === lastOfMonth(to.year, to.month);
}

/**
 * A period in French: « du 1er mars au 30 novembre 2027 », « de mars à juin 2027 » for whole months,
 * « mars 2027 » for one month, « l’année 2027 », « le 15 mars 2027 » for one day. `byDay` keeps
 * the days when the person gave them (« du 1er mars au 30 novembre 2027 »).
 */
export function formatPeriod(start: IsoDate, end: IsoDate, options: { byDay?: boolean } = {}): string {
  const from = fromIso(start);
  const to = fromIso(end);
  if (start === end) return `le ${formatDate(start)}`;
  if (!options.byDay && isWholeMonths(start, end)) {
    if (from.year === to.year && from.month === 1 && to.month === 12) return `l’année ${from.year}`;
    if (from.year === to.year && from.month === to.month) return `${monthName(from.month)} ${from.year}`;
    if (from.year === to.year) return `${deMonth(from.month)} à ${monthName(to.month)} ${to.year}`;
    return `${deMonth(from.month)} ${from.year} à ${monthName(to.month)} ${to.year}`;
  }
  if (from.year === to.year && from.month === to.month)
    return `du ${dayWord(from.day)} au ${formatDate(end)}`;
  if (from.year === to.year) return `du ${formatDate(start, { year: false })} au ${formatDate(end)}`;
  return `du ${formatDate(start)} au ${formatDate(end)}`;
}

function formatNumber(value: number, fractionDigits = 2): string {
  return new Intl.NumberFormat('fr-FR', { maximumFractionDigits: fractionDigits }).format(value);
}

/** « 12 000 € », « 2 500,50 € », as fr-FR Intl writes them (narrow no-break space between thousands). */
export function formatEuros(amount: number): string {
  const cents = Math.round(amount * 100) % 100 !== 0;
  return new Intl.NumberFormat('fr-FR', {
    style: 'currency',
    currency: 'EUR',
    minimumFractionDigits: cents ? 2 : 0,
    maximumFractionDigits: 2,
  }).format(amount);
}

/** « 0,5 ETP », « 2 ETP ». */
export function formatEtp(etp: number): string {
  return `${formatNumber(etp)}\u00a0ETP`;
}

/** A head count, exact or not (see parseCount). */
export interface Count {
  value: number;
  approximate: boolean;
  /** « plus de 100 », « entre 30 et 50 »: the lower bound given. */
  min?: number;
  /** « moins de 50 », « entre 30 et 50 »: the upper bound given. */
  max?: number;
}

/** « 40 », « environ 40 », « entre 30 et 50 », « plus de 100 », « moins de 50 », « 1 200 ». */
export function formatCount(count: Count): string {
  const { value, approximate, min, max } = count;
  if (min !== undefined && max !== undefined) return `entre ${formatNumber(min)} et ${formatNumber(max)}`;
  if (min !== undefined) return `plus de ${formatNumber(min)}`;
  if (max !== undefined) return `moins de ${formatNumber(max)}`;
  return approximate ? `environ ${formatNumber(value)}` : formatNumber(value);
}

export { formatNumber };
