import * as chrono from 'chrono-node';
import { distance } from 'fastest-levenshtein';
import {
  addDays,
  addMonths,
  daysInMonth,
  firstOfMonth,
  fromIso,
  type IsoDate,
  isValidYmd,
  lastOfMonth,
  mondayOf,
  monthName,
  toIso,
  type Ymd,
} from './calendar.ts';
import { formatDate } from './format.ts';
import { digitizeNumberWords, fold, type Mapped, mapReplace } from './text.ts';

/**
 * Finds the date expressions in a French text. chrono-node (French locale) reads what it reads
 * well: written and numeric days (« 1er mars 2027 », « 15/03/27 »), weekdays (« lundi prochain »),
 * « demain », and day ranges with the year given once (« du 1er mars au 30 novembre 2027 »). The
 * grammar below covers what it does not read: months and years alone, début/mi/fin, quarters,
 * semesters, seasons, the school year, « la semaine prochaine » (ISO Monday), « après-demain »
 * and « dans 1 an ». Measured case by case in tests/core/french/chrono-coverage.test.ts.
 */

/** A stretch of calendar as understood: one day has start === end. */
export interface Span {
  start: IsoDate;
  end: IsoDate;
  /** The day meant when the expression names one inside its span (« fin juin » → 30 juin). */
  point?: IsoDate;
  /** How the expression reads in French, when the dates alone would not say it (« 2e trimestre 2027 »). */
  label?: string;
  /** Relative expressions (« lundi prochain », « dans 3 semaines ») are echoed with their weekday. */
  relative?: boolean;
  /** Written to the day (« 1er mars »), so echoed to the day even when it starts a month. */
  byDay?: boolean;
}

type Reading =
  | { kind: 'fixed'; span: Span }
  /** Written without a year: the year comes from the other end of a range or the next occurrence. */
  | { kind: 'yearless'; atYear: (year: number) => Span | undefined };

export type DateExpression = Reading & {
  /** Position in the prepared text. */
  from: number;
  to: number;
  /** The two ends of one range chrono read at once share `from` and `to`. */
  rangePart?: 'start' | 'end';
};

export interface DateContext {
  today: IsoDate;
}

const MONTH_KEYS = [
  'janvier',
  'fevrier',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'aout',
  'septembre',
  'octobre',
  'novembre',
  'decembre',
];
const MONTH = `(${MONTH_KEYS.join('|')})`;
const YEAR = '((?:19|20)\\d{2})';
const B = '(?<![a-z0-9])';
const E = '(?![a-z0-9])';

function monthIndex(name: string): number {
  return MONTH_KEYS.indexOf(name) + 1;
}

const ABBREVIATIONS: Record<string, string> = {
  janv: 'janvier',
  jan: 'janvier',
  fevr: 'fevrier',
  fev: 'fevrier',
  avr: 'avril',
  juil: 'juillet',
  sept: 'septembre',
  sep: 'septembre',
  oct: 'octobre',
  nov: 'novembre',
  dec: 'decembre',
};

/** Month names long enough to correct a typo in without catching ordinary words. */
const TYPO_TARGETS = MONTH_KEYS.filter((name) => name.length >= 5);

/** Folds the text and evens out how dates are typed, before number words become digits. */
export function prepareDateText(text: string): Mapped {
  let mapped = fold(text);
  mapped = mapReplace(mapped, /(\d) *([/.]) *(?=\d)/g, ([whole, digit, separator]) =>
    whole === `${digit}${separator}` ? undefined : `${digit}${separator}`,
  );
  mapped = mapReplace(
    mapped,
    /(?<![a-z])(janv|jan|fevr|fev|avr|juil|sept|sep|oct|nov|dec)(\.|(?![a-z]))/g,
    (match, source) => {
      const [word, abbreviation] = match;
      // « sept » is also seven: read as September only next to a day, a year, or a dot.
      if (abbreviation === 'sept' || abbreviation === 'sep') {
        const before = source.slice(0, match.index);
        const after = source.slice(match.index + word.length);
        const nearDate =
          word.endsWith('.') ||
          /(\d|1er|debut|mi|fin|courant|mois de|en) ?-?$/.test(before) ||
          /^ ?(\d{4}|'\d{2})/.test(after);
        if (!nearDate) return undefined;
      }
      return ABBREVIATIONS[abbreviation!];
    },
  );
  mapped = mapReplace(mapped, /(?<![a-z])[a-z]{5,}(?![a-z])/g, ([word]) => {
    if (MONTH_KEYS.includes(word)) return undefined;
    const limit = word.length >= 8 ? 2 : 1;
    const near = TYPO_TARGETS.filter((month) => distance(word, month) <= limit);
    return near.length === 1 ? near[0] : undefined;
  });
  mapped = mapReplace(
    mapped,
    new RegExp(`${B}(1ere|1re|premiere|premier) (?=${MONTH}${E})`, 'g'),
    () => '1er ',
  );
  // chrono keeps « 15 mars 28 » as « 15 mars » of the next year: give it the century.
  mapped = mapReplace(
    mapped,
    new RegExp(`${B}((?:\\d{1,2}|1er) ${MONTH}) '?(\\d{2})(?![\\d/:h])`, 'g'),
    ([, dayMonth, , year]) => `${dayMonth} 20${year}`,
  );
  return digitizeNumberWords(mapped);
}

const ORDINALS: Record<string, number> = {
  '1': 1,
  '1er': 1,
  '1re': 1,
  '1ere': 1,
  premier: 1,
  premiere: 1,
  '2': 2,
  '2e': 2,
  '2eme': 2,
  '2nd': 2,
  '2nde': 2,
  deuxieme: 2,
  second: 2,
  seconde: 2,
  '3': 3,
  '3e': 3,
  '3eme': 3,
  troisieme: 3,
  '4': 4,
  '4e': 4,
  '4eme': 4,
  quatrieme: 4,
  dernier: 4,
};
const ORDINAL = `(${Object.keys(ORDINALS)
  .sort((a, b) => b.length - a.length)
  .join('|')})`;

/** A year written as digits or relative to today: « 2027 », « l’année prochaine », « cette année ». */
const YEAR_REF = `((?:19|20)\\d{2}|(?:de |d')?(?:l'annee|l'an) (?:prochaine?|suivante)|(?:de )?cette annee|(?:de |d')?l'annee(?! \\d)|d'annee)`;

function readYearRef(text: string, today: Ymd): number {
  if (/^\d{4}$/.test(text)) return Number(text);
  if (/prochaine?|suivante/.test(text)) return today.year + 1;
  return today.year;
}

function monthSpan(year: number, month: number): Span {
  return { start: firstOfMonth(year, month), end: lastOfMonth(year, month) };
}

function monthsSpan(year: number, fromMonth: number, months: number, label: string): Span {
  const start = firstOfMonth(year, fromMonth);
  return { start, end: addDays(addMonths(start, months), -1), label };
}

type Unit = 'jour' | 'semaine' | 'mois' | 'an';

const UNIT = '(jours?|j|semaines?|sem|mois|ans?|annees?)';

export function readUnit(word: string): Unit {
  if (/^j/.test(word)) return 'jour';
  if (/^s/.test(word)) return 'semaine';
  if (word === 'mois') return 'mois';
  return 'an';
}

/** The day `amount` units after `from`. */
export function shift(from: IsoDate, amount: number, unit: Unit): IsoDate {
  switch (unit) {
    case 'jour':
      return addDays(from, Math.round(amount));
    case 'semaine':
      return addDays(from, Math.round(amount * 7));
    case 'mois':
      return Number.isInteger(amount) ? addMonths(from, amount) : addDays(from, Math.round(amount * 30.4));
    case 'an':
      return Number.isInteger(amount)
        ? addMonths(from, amount * 12)
        : addMonths(from, Math.round(amount * 12));
  }
}

interface Rule {
  pattern: RegExp;
  build: (match: RegExpExecArray, today: Ymd, todayIso: IsoDate) => Reading | undefined;
}

const PART_OF_MONTH: Record<string, { label: string; span: (y: number, m: number) => Span }> = {
  debut: {
    label: 'début',
    span: (y, m) => ({ start: firstOfMonth(y, m), end: toIso({ year: y, month: m, day: 10 }) }),
  },
  mi: {
    label: 'mi',
    span: (y, m) => ({
      start: toIso({ year: y, month: m, day: 11 }),
      end: toIso({ year: y, month: m, day: 20 }),
      point: toIso({ year: y, month: m, day: 15 }),
    }),
  },
  fin: {
    label: 'fin',
    span: (y, m) => ({ start: toIso({ year: y, month: m, day: 21 }), end: lastOfMonth(y, m) }),
  },
  courant: { label: 'courant', span: (y, m) => monthSpan(y, m) },
};

function partOfMonth(part: string, year: number, month: number): Span {
  const key = part.startsWith('mi') ? 'mi' : part;
  const rule = PART_OF_MONTH[key]!;
  const span = rule.span(year, month);
  const point = key === 'debut' ? span.start : key === 'fin' ? span.end : span.point;
  if (!point) return span; // « courant mars » is the whole month
  const label = key === 'mi' ? `mi-${monthName(month)} ${year}` : `${rule.label} ${monthName(month)} ${year}`;
  return { ...span, point, label };
}

const SEASONS: Record<string, { from: number; label: string }> = {
  printemps: { from: 3, label: 'printemps' },
  ete: { from: 6, label: 'été' },
  automne: { from: 9, label: 'automne' },
  hiver: { from: 12, label: 'hiver' },
};

function seasonSpan(season: string, year: number): Span {
  const { from, label } = SEASONS[season]!;
  return monthsSpan(year, from, 3, `${label} ${year}`);
}

const RULES: Rule[] = [
  {
    // The French school year: classes run from early September to early July; counted here in whole
    // months, September to June, so it lines up with the quarterly suivi and the echo says so.
    pattern: new RegExp(`${B}(?:l')?annee scolaire ${YEAR}(?: ?[-/] ?((?:19|20)?\\d{2}))?${E}`, 'g'),
    build: (match) => {
      const first = Number(match[1]);
      const second = match[2]
        ? Number(match[2].length === 2 ? `${match[1]!.slice(0, 2)}${match[2]}` : match[2])
        : first + 1;
      if (second !== first + 1) return undefined;
      return {
        kind: 'fixed',
        span: monthsSpan(
          first,
          9,
          10,
          `année scolaire ${first}-${second}, comptée du 1er septembre au 30 juin`,
        ),
      };
    },
  },
  {
    pattern: new RegExp(
      `${B}(?:la )?rentree(?: scolaire)?(?: de septembre)?(?: (?:de |d')?${YEAR})?${E}`,
      'g',
    ),
    build: (match) => {
      const at = (year: number): Span => {
        const day = firstOfMonth(year, 9);
        return { start: day, end: day, point: day, label: `rentrée ${year}` };
      };
      return match[1] ? { kind: 'fixed', span: at(Number(match[1])) } : { kind: 'yearless', atYear: at };
    },
  },
  {
    pattern: new RegExp(
      `${B}(?:(?:t|q)([1-4])|${ORDINAL} trim(?:estre|\\.)?)(?: (?:de |d'|du |en )?(?:l'annee )?${YEAR}| (de l'annee (?:prochaine|suivante)|de cette annee))?${E}`,
      'g',
    ),
    build: (match, today) => {
      const quarter = match[1] ? Number(match[1]) : ORDINALS[match[2]!]!;
      const at = (year: number) => monthsSpan(year, quarter * 3 - 2, 3, `${quarterWord(quarter)} ${year}`);
      if (match[4]) return { kind: 'fixed', span: at(readYearRef(match[4], today)) };
      return match[3] ? { kind: 'fixed', span: at(Number(match[3])) } : { kind: 'yearless', atYear: at };
    },
  },
  {
    pattern: new RegExp(
      `${B}(?:(?:le )?trimestre (prochain|suivant)|ce trimestre(?:-ci)?|(?:le )?trimestre en cours)${E}`,
      'g',
    ),
    build: (match, today) => {
      const current = Math.ceil(today.month / 3);
      const next = match[1] !== undefined;
      const quarter = next ? (current % 4) + 1 : current;
      const year = next && current === 4 ? today.year + 1 : today.year;
      const span = monthsSpan(year, quarter * 3 - 2, 3, `${quarterWord(quarter)} ${year}`);
      return { kind: 'fixed', span: { ...span, relative: true } };
    },
  },
  {
    pattern: new RegExp(
      `${B}(?:s([12])|${ORDINAL} semestre)(?: (?:de |d'|du |en )?(?:l'annee )?${YEAR})?${E}`,
      'g',
    ),
    build: (match) => {
      const ordinal = match[1] ? Number(match[1]) : ORDINALS[match[2]!]!;
      if (ordinal > 2 && !(match[2] === 'dernier')) return undefined;
      const semester = match[2] === 'dernier' ? 2 : ordinal;
      const at = (year: number) =>
        monthsSpan(year, semester === 1 ? 1 : 7, 6, `${semester === 1 ? '1er' : '2d'} semestre ${year}`);
      return match[3] ? { kind: 'fixed', span: at(Number(match[3])) } : { kind: 'yearless', atYear: at };
    },
  },
  {
    // « été » alone is also a past participle (« a été »): the season needs a year or an article.
    pattern: new RegExp(
      `${B}(?:(?:au |le |l'|a l'|cet |ce |en |pendant l')(printemps|ete|automne|hiver)(?: (prochaine?)| ${YEAR})?|(printemps|ete|automne|hiver) ${YEAR})${E}`,
      'g',
    ),
    build: (match, _today, todayIso) => {
      const season = (match[1] ?? match[4])!;
      const year = match[3] ?? match[5];
      const at = (y: number) => seasonSpan(season, y);
      if (year) return { kind: 'fixed', span: at(Number(year)) };
      if (!match[2]) return { kind: 'yearless', atYear: at };
      const thisYear = fromIso(todayIso).year;
      const next = at(thisYear).start > todayIso ? at(thisYear) : at(thisYear + 1);
      return { kind: 'fixed', span: next };
    },
  },
  {
    pattern: new RegExp(
      `${B}(debut|mi|milieu|fin|courant)(?: |-)(?:de |du mois de |d')?${MONTH}(?: (?:de |d')?${YEAR})?${E}`,
      'g',
    ),
    build: (match) => {
      const month = monthIndex(match[2]!);
      const at = (year: number) => partOfMonth(match[1]!, year, month);
      return match[3] ? { kind: 'fixed', span: at(Number(match[3])) } : { kind: 'yearless', atYear: at };
    },
  },
  {
    pattern: new RegExp(`${B}(debut|mi|milieu|fin|courant)(?: |-)${YEAR_REF}${E}`, 'g'),
    build: (match, today) => {
      const year = readYearRef(match[2]!.replace(/^(de |d')/, ''), today);
      const part = match[1]!.startsWith('mi') ? 'mi' : match[1]!;
      const spans: Record<string, Span> = {
        debut: { start: firstOfMonth(year, 1), end: lastOfMonth(year, 3), point: firstOfMonth(year, 1) },
        mi: { start: firstOfMonth(year, 5), end: lastOfMonth(year, 8), point: firstOfMonth(year, 7) },
        fin: { start: firstOfMonth(year, 10), end: lastOfMonth(year, 12), point: lastOfMonth(year, 12) },
        courant: { start: firstOfMonth(year, 1), end: lastOfMonth(year, 12) },
      };
      const words: Record<string, string> = { debut: 'début', mi: 'mi-', fin: 'fin', courant: 'courant' };
      const word = words[part]!;
      return {
        kind: 'fixed',
        span: { ...spans[part]!, label: word.endsWith('-') ? `${word}${year}` : `${word} ${year}` },
      };
    },
  },
  {
    // A month not preceded by its day (chrono reads « 15 mars »).
    pattern: new RegExp(
      `(?<!(?:\\d|1er|premier) *)${B}(?:(?:le )?mois (?:de |d'))?${MONTH}(?: (?:de |d')?${YEAR})?${E}`,
      'g',
    ),
    build: (match) => {
      const month = monthIndex(match[1]!);
      const at = (year: number) => monthSpan(year, month);
      return match[2] ? { kind: 'fixed', span: at(Number(match[2])) } : { kind: 'yearless', atYear: at };
    },
  },
  {
    // « 03/2027 »: a month written as digits, which chrono does not read.
    pattern: /(?<![\d/.])(0?[1-9]|1[0-2]) ?[/.-] ?((?:19|20)\d{2})(?![\d/.])/g,
    build: (match) => ({ kind: 'fixed', span: monthSpan(Number(match[2]), Number(match[1])) }),
  },
  {
    pattern: new RegExp(`${B}(debut|mi|milieu|fin) (?:du |de ce )mois(?:-ci)?( prochain| suivant)?${E}`, 'g'),
    build: (match, today) => {
      const next = match[2] !== undefined;
      const month = next ? (today.month % 12) + 1 : today.month;
      const year = next && today.month === 12 ? today.year + 1 : today.year;
      return { kind: 'fixed', span: partOfMonth(match[1]!, year, month) };
    },
  },
  {
    pattern: new RegExp(`${B}(?:(?:le )?mois (prochain|suivant)|ce mois(?:-ci)?)${E}`, 'g'),
    build: (match, today) => {
      const next = match[1] !== undefined;
      const month = next ? (today.month % 12) + 1 : today.month;
      const year = next && today.month === 12 ? today.year + 1 : today.year;
      return { kind: 'fixed', span: { ...monthSpan(year, month), relative: true } };
    },
  },
  {
    pattern: new RegExp(`${B}(?:(?:la )?semaine (prochaine|suivante)|cette semaine)${E}`, 'g'),
    build: (match, _today, todayIso) => {
      const monday = addDays(mondayOf(todayIso), match[1] ? 7 : 0);
      const label = `semaine du ${formatDate(monday)}`;
      return { kind: 'fixed', span: { start: monday, end: addDays(monday, 6), label, relative: true } };
    },
  },
  {
    pattern: new RegExp(`${B}(?:dans|d'ici|sous) (\\d+(?:,\\d+)?) ${UNIT}${E}`, 'g'),
    build: (match, _today, todayIso) => {
      const day = shift(todayIso, Number(match[1]!.replace(',', '.')), readUnit(match[2]!));
      return { kind: 'fixed', span: { start: day, end: day, relative: true } };
    },
  },
  {
    pattern: new RegExp(`${B}apres[- ]?demain${E}`, 'g'),
    build: (_match, _today, todayIso) => {
      const day = addDays(todayIso, 2);
      return { kind: 'fixed', span: { start: day, end: day, relative: true } };
    },
  },
  {
    pattern: new RegExp(`${B}(?:(?:l'|d')?(?:annee|an) (?:prochaine?|suivante)|cette annee)${E}`, 'g'),
    build: (match, today) => {
      const year = /prochaine?|suivante/.test(match[0]) ? today.year + 1 : today.year;
      return { kind: 'fixed', span: { ...monthsSpan(year, 1, 12, `l’année ${year}`), relative: true } };
    },
  },
  {
    // A year after a month is chrono's (« 15 mars 2027 »): a month without its day was read above.
    pattern: new RegExp(`(?<![\\d/.]|[/.-]\\d{1,2}-|${MONTH} )${YEAR}(?![\\d/.]|-\\d{1,2}(?!\\d))`, 'g'),
    build: (match) => ({ kind: 'fixed', span: monthsSpan(Number(match[2]), 1, 12, `l’année ${match[2]}`) }),
  },
];

function quarterWord(quarter: number): string {
  return `${quarter === 1 ? '1er' : `${quarter}e`} trimestre`;
}

/** Words that tell a chrono match is a date and not a time or a stray number. */
const DATE_WORD = new RegExp(
  `${MONTH}|\\d{1,2}[/.-]\\d{1,2}|\\d{4}-\\d{2}|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|demain|aujourd'hui|hier`,
);

/**
 * chrono's French parser without its range merger: the merger swaps a range written backwards
 * (« du 30/11/2027 au 01/03/2027 » comes out as March to November), which must be refused, not
 * fixed silently. The two ends are joined below, with the same year borrowing.
 */
const frenchDates = chrono.fr.casual.clone();
const rangeMergers = frenchDates.refiners.filter(
  (refiner) => refiner.constructor.name === 'FRMergeDateRangeRefiner',
);
if (rangeMergers.length !== 1)
  throw new Error('chrono-node: FRMergeDateRangeRefiner not found; check the upgrade');
frenchDates.refiners = frenchDates.refiners.filter((refiner) => !rangeMergers.includes(refiner));

function chronoExpressions(masked: string, todayIso: IsoDate): DateExpression[] {
  const reference = { instant: new Date(`${todayIso}T12:00:00Z`), timezone: 'UTC' };
  const found: DateExpression[] = [];
  for (const result of frenchDates.parse(masked, reference, { forwardDate: true })) {
    if (!DATE_WORD.test(result.text)) continue;
    const from = result.index;
    const to = result.index + result.text.length;
    const ends = result.end ? ([result.start, result.end] as const) : ([result.start] as const);
    ends.forEach((components, index) => {
      const ymd = {
        year: components.get('year')!,
        month: components.get('month')!,
        day: components.get('day')!,
      };
      const absolute = components.isCertain('day') && components.isCertain('month');
      const relative = !absolute || /demain|aujourd'hui|hier/.test(result.text);
      const base: Pick<DateExpression, 'from' | 'to' | 'rangePart'> = result.end
        ? { from, to, rangePart: index === 0 ? 'start' : 'end' }
        : { from, to };
      if (absolute && !components.isCertain('year') && !relative) {
        const { month, day } = ymd;
        found.push({
          ...base,
          kind: 'yearless',
          atYear: (year) => {
            const date = { year, month, day };
            return isValidYmd(date) ? { start: toIso(date), end: toIso(date), byDay: true } : undefined;
          },
        });
      } else {
        const day = toIso(ymd);
        const span: Span = { start: day, end: day, byDay: true };
        found.push({ ...base, kind: 'fixed', span: relative ? { ...span, relative } : span });
      }
    });
  }
  return found;
}

/** Every date expression in the prepared text, in reading order. */
export function findDateExpressions(prepared: Mapped, context: DateContext): DateExpression[] {
  const today = fromIso(context.today);
  let masked = prepared.text;
  const found: DateExpression[] = [];
  for (const rule of RULES) {
    for (const match of masked.matchAll(rule.pattern)) {
      const built = rule.build(match, today, context.today);
      if (!built) continue;
      const from = match.index;
      const to = from + match[0].length;
      found.push({ ...built, from, to });
      masked = masked.slice(0, from) + ' '.repeat(to - from) + masked.slice(to);
    }
  }
  found.push(...chronoExpressions(masked, context.today));
  return found.sort((a, b) => a.from - b.from || (a.rangePart === 'end' ? 1 : -1));
}

/** Resolves an expression alone: a date written without its year is its next occurrence from today. */
export function resolveAlone(expression: DateExpression, today: IsoDate): Span | undefined {
  if (expression.kind === 'fixed') return expression.span;
  const year = fromIso(today).year;
  for (let candidate = year; candidate <= year + 8; candidate++) {
    const span = expression.atYear(candidate);
    if (span && (span.point ?? span.end) >= today) return span;
  }
  return undefined;
}

/** Resolves the start of a range whose end is known: the latest year that keeps it before the end. */
export function resolveBefore(expression: DateExpression, end: IsoDate): Span | undefined {
  if (expression.kind === 'fixed') return expression.span;
  const year = fromIso(end).year;
  for (let candidate = year; candidate >= year - 8; candidate--) {
    const span = expression.atYear(candidate);
    if (span && (span.point ?? span.start) <= end) return span;
  }
  return undefined;
}

/** Resolves the end of a range whose start is known: the earliest year that keeps it after the start. */
export function resolveAfter(expression: DateExpression, start: IsoDate): Span | undefined {
  if (expression.kind === 'fixed') return expression.span;
  const year = fromIso(start).year;
  for (let candidate = year; candidate <= year + 8; candidate++) {
    const span = expression.atYear(candidate);
    if (span && (span.point ?? span.end) >= start) return span;
  }
  return undefined;
}

function impossibleDay(day: number, month: number, year: number | undefined): string | undefined {
  if (month < 1 || month > 12) {
    return `Le ${day}/${month}${year ? `/${year}` : ''} n’existe pas (il n’y a pas de mois ${month}).`;
  }
  const longest =
    year === undefined ? (month === 2 ? 29 : daysInMonth(2024, month)) : daysInMonth(year, month);
  if (day >= 1 && day <= longest) return undefined;
  const written = `${day === 1 ? '1er' : day} ${monthName(month)}${year ? ` ${year}` : ''}`;
  const monthWords = year ? `${monthName(month)} ${year}` : monthName(month);
  const reason = day < 1 ? 'un mois commence au 1er' : `${monthWords} n’a que ${longest} jours`;
  return `Le ${written} n’existe pas (${reason}).`;
}

function fullYear(text: string | undefined): number | undefined {
  if (!text) return undefined;
  return text.length === 2 ? 2000 + Number(text) : Number(text);
}

/**
 * A date the person wrote that no calendar has (« 31/02/2027 », « 30 février », « T5 2027 »),
 * as a French sentence that names it, so the re-prompt says exactly what is wrong.
 */
export function findImpossibleDate(prepared: Mapped): string | undefined {
  const text = prepared.text;
  for (const match of text.matchAll(/(?<![\d/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/.-])/g)) {
    const found = impossibleDay(Number(match[3]), Number(match[2]), Number(match[1]));
    if (found) return found;
  }
  for (const match of text.matchAll(
    /(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\d/.-])/g,
  )) {
    if (match[2] === '-' && !match[4]) continue; // « 15-30 mars » is a range of days
    const found = impossibleDay(Number(match[1]), Number(match[3]), fullYear(match[4]));
    if (found) return found;
  }
  for (const match of text.matchAll(new RegExp(`${B}(\\d{1,2}|1er) ${MONTH}(?: ${YEAR})?${E}`, 'g'))) {
    const day = match[1] === '1er' ? 1 : Number(match[1]);
    const found = impossibleDay(day, monthIndex(match[2]!), match[3] ? Number(match[3]) : undefined);
    if (found) return found;
  }
  const quarter = new RegExp(
    `${B}(?:[tq]([5-9]|\\d{2,})|(\\d+)(?:e|eme) trim(?:estre)?)(?= ?${YEAR}|${E})`,
  ).exec(text);
  if (quarter && Number(quarter[1] ?? quarter[2]) > 4) {
    return `Le ${quarter[1] ? `T${quarter[1]}` : `${quarter[2]}e trimestre`} n’existe pas (une année a 4 trimestres).`;
  }
  const semester = new RegExp(`${B}s([3-9]) ${YEAR}${E}`).exec(text);
  if (semester) return `Le S${semester[1]} n’existe pas (une année a 2 semestres).`;
  const school = new RegExp(`annee scolaire ${YEAR} ?[-/] ?((?:19|20)?\\d{2})${E}`).exec(text);
  if (school) {
    const first = Number(school[1]);
    const second = Number(school[2]!.length === 2 ? `${school[1]!.slice(0, 2)}${school[2]}` : school[2]);
    if (second !== first + 1) {
      return `L’année scolaire ${first}-${second} n’existe pas (elle court sur deux années qui se suivent, comme ${first}-${first + 1}).`;
    }
  }
  return undefined;
}
