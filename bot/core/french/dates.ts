import { addDays, fromIso, type IsoDate, isIsoDate } from './calendar.ts';
import {
  type DateContext,
  type DateExpression,
  findDateExpressions,
  findImpossibleDate,
  prepareDateText,
  readUnit,
  resolveAfter,
  resolveAlone,
  resolveBefore,
  type Span,
  shift,
} from './date-expressions.ts';
import { formatDate, formatPeriod } from './format.ts';
import { accept, type Parsed, quote, refuse } from './parsed.ts';
import type { Mapped } from './text.ts';

export interface Period {
  start: IsoDate;
  end: IsoDate;
}

export interface DateOptions extends DateContext {
  /** Which end of a vague date to keep: « mars 2027 » is the 1st as a start, the 31st as an end. */
  bias?: 'start' | 'end';
}

const DATE_EXAMPLE = 'Indiquez une date comme « 15 mars 2027 » ou « 15/03/2027 ».';
const PERIOD_EXAMPLE =
  'Indiquez une période comme « du 1er mars au 30 novembre 2027 », « de septembre 2027 à juin 2028 » ou « T2 2027 ».';

function checkToday(today: string): void {
  if (!isIsoDate(today)) throw new Error(`today must be an ISO date, got ${today}`);
}

function impossibleMessage(prepared: Mapped, example: string): string | undefined {
  const found = findImpossibleDate(prepared);
  return found ? `${found} ${example}` : undefined;
}

/** Text between two expressions that joins them into one range (« au », « à », « - », « et »). */
const RANGE_JOIN =
  /^\s*(?:au|a|-|->|>|\u2192|et|jusqu'(?:au|a|en)|jusqu'a la|jusqu a|,)?\s*(?:la |le |l'|fin |debut )?$/;

/** « du 2e trimestre 2027 », « de l’été 2027 », « d’avril 2027 », « de la semaine du … ». */
function ofLabel(label: string): string {
  if (/^(\d|printemps)/.test(label)) return `du ${label}`;
  if (/^(l’|du )/.test(label)) return `de ${label}`;
  if (/^semaine/.test(label)) return `de la ${label}`;
  if (/^(avril|août|octobre)/.test(label)) return `d’${label}`;
  if (/^[aeiouéèh]/.test(label)) return `de l’${label}`;
  return `de ${label}`;
}

function describe(span: Span, chosen: IsoDate, bias: 'start' | 'end'): string {
  const date = formatDate(chosen, { weekday: span.relative === true });
  if (span.start === span.end) return span.label ? `${date} (${span.label})` : date;
  if (span.point) return `${date} (${span.label ?? formatPeriod(span.start, span.end)})`;
  const whole = span.label ?? formatPeriod(span.start, span.end);
  return `${date} (${bias === 'start' ? 'premier' : 'dernier'} jour ${ofLabel(whole)})`;
}

function pickOne(span: Span, bias: 'start' | 'end'): IsoDate {
  return span.point ?? (bias === 'start' ? span.start : span.end);
}

/**
 * One day, as an ISO date. Vague dates follow `bias`: « mars 2027 » is the 1st (start) or the 31st
 * (end); « fin juin » is the 30th either way. A date without its year is its next occurrence.
 */
export function parseDate(text: string, options: DateOptions): Parsed<IsoDate> {
  checkToday(options.today);
  const bias = options.bias ?? 'start';
  const prepared = prepareDateText(text);
  const impossible = impossibleMessage(prepared, DATE_EXAMPLE);
  if (impossible) return refuse(impossible);
  const expressions = findDateExpressions(prepared, options);
  if (expressions.length === 0) {
    return refuse(`Je n’ai pas reconnu de date dans ${quote(text)}. ${DATE_EXAMPLE}`);
  }
  if (expressions.length > 1) {
    const period = periodFrom(expressions, prepared, options);
    if (period.ok) {
      const chosen = bias === 'start' ? period.value.start : period.value.end;
      return accept(chosen, formatDate(chosen), [
        `Vous avez donné une période (${period.echo}) : j’ai retenu sa date de ${bias === 'start' ? 'début' : 'fin'}.`,
      ]);
    }
    return refuse(`J’ai trouvé plusieurs dates dans ${quote(text)} : indiquez-en une seule. ${DATE_EXAMPLE}`);
  }
  const expression = expressions[0]!;
  // « après l’été », « après le 15 mars »: the day is not given, only what it follows.
  if (
    /(?:^|\s)apres(?: (?:le|la|les|l'|la fin de|la fin du|le debut de|le debut du))?\s*$/.test(
      prepared.text.slice(0, expression.from),
    )
  ) {
    return refuse(`${quote(text)} ne dit pas quel jour : indiquez une date précise. ${DATE_EXAMPLE}`);
  }
  const span = resolveAlone(expression, options.today);
  if (!span) return refuse(`Je n’ai pas reconnu de date dans ${quote(text)}. ${DATE_EXAMPLE}`);
  // « avant juin », « avant l’été »: the day before a whole month or season is not said.
  const whole = !span.point && span.start !== span.end;
  if (whole && /(?:^|\s)avant(?: (?:le|la|les|l'))?\s*$/.test(prepared.text.slice(0, expression.from))) {
    return refuse(`${quote(text)} ne dit pas quel jour : indiquez une date précise. ${DATE_EXAMPLE}`);
  }
  const chosen = pickOne(span, bias);
  return accept(chosen, describe(span, chosen, bias));
}

function periodEcho(start: IsoDate, end: IsoDate, labels: string[], byDay: boolean): string {
  const said = formatPeriod(start, end, { byDay });
  const extra = labels.filter((label) => !said.includes(label));
  return extra.length > 0 ? `${said} (${extra.join(' ; ')})` : said;
}

function checkedPeriod(start: IsoDate, end: IsoDate, labels: string[], byDay = false): Parsed<Period> {
  if (end < start) {
    return refuse(
      `La fin (${formatDate(end)}) est avant le début (${formatDate(start)}). Indiquez le début puis la fin, par exemple « du 1er mars au 30 novembre 2027 ».`,
    );
  }
  return accept({ start, end }, periodEcho(start, end, labels, byDay));
}

/** Words between a start and an end that say which is which: « …, ça se termine fin novembre ». */
const END_CUE =
  /^\s*[,;.]?\s*(?:et |puis |, )?(?:ca |cela |il |elle |on )?(?:se termine(?:ra)?|termine(?:ra)?|finit|finira|s'acheve(?:ra)?|prend(?:ra)? fin|(?:avec une |et )?fin(?: prevue| envisagee| previsionnelle)?)(?: (?:en|le|au|a|pour|vers|courant))?\s*(?:la |le |l'|fin |debut )?$/;

const DURATION =
  /(?:pendant|sur|durant|pour|d'une duree de|duree :?)? ?(\d+(?:,\d+)?) (jours?|semaines?|mois|ans?|annees?)(?![a-z])/;
const OPEN_START = /(?:a partir|a compter|des|depuis)(?: de| du| d'|$| le)?/;
const OPEN_END = /(?:jusqu'|jusqu a|d'ici|avant)/;

function periodFrom(expressions: DateExpression[], prepared: Mapped, context: DateContext): Parsed<Period> {
  const text = prepared.text;
  if (expressions.length === 2) {
    const [first, second] = expressions as [DateExpression, DateExpression];
    const sameRange = first.rangePart === 'start' && second.rangePart === 'end' && first.from === second.from;
    const between = text.slice(first.to, second.from);
    if (!sameRange && !RANGE_JOIN.test(between) && !END_CUE.test(between)) {
      return refuse(`J’ai trouvé deux dates sans comprendre laquelle commence la période. ${PERIOD_EXAMPLE}`);
    }
    const endAlone = second.kind === 'fixed' ? second.span : undefined;
    const startAlone = first.kind === 'fixed' ? first.span : undefined;
    let startSpan: Span | undefined;
    let endSpan: Span | undefined;
    if (endAlone || !startAlone) {
      endSpan = endAlone ?? resolveAlone(second, context.today);
      startSpan = endSpan && resolveBefore(first, endSpan.point ?? endSpan.end);
    } else {
      startSpan = startAlone;
      endSpan = resolveAfter(second, startAlone.point ?? startAlone.start);
    }
    if (!startSpan || !endSpan) return refuse(`Je n’ai pas compris cette période. ${PERIOD_EXAMPLE}`);
    return checkedPeriod(
      startSpan.point ?? startSpan.start,
      endSpan.point ?? endSpan.end,
      [startSpan.label, endSpan.label].filter(
        (label): label is string => label !== undefined && !label.startsWith('l’année'),
      ),
      startSpan.byDay === true || endSpan.byDay === true,
    );
  }
  if (expressions.length > 2) {
    return refuse(
      `J’ai trouvé plus de deux dates : indiquez seulement le début et la fin. ${PERIOD_EXAMPLE}`,
    );
  }
  const expression = expressions[0]!;
  const span = resolveAlone(expression, context.today);
  if (!span) return refuse(`Je n’ai pas compris cette période. ${PERIOD_EXAMPLE}`);
  const duration = DURATION.exec(
    text.slice(0, expression.from) + ' '.repeat(expression.to - expression.from) + text.slice(expression.to),
  );
  if (duration) {
    const amount = Number(duration[1]!.replace(',', '.'));
    const start = span.point ?? span.start;
    const end = addDays(shift(start, amount, readUnit(duration[2]!)), -1);
    const unit = readUnit(duration[2]!);
    const plural = amount >= 2 && unit !== 'mois' ? 's' : '';
    return checkedPeriod(
      start,
      end,
      [`${String(amount).replace('.', ',')} ${unit}${plural}`],
      span.byDay === true,
    );
  }
  const before = text.slice(0, expression.from);
  const after = text.slice(expression.to);
  if ((OPEN_START.test(before) && !/\d/.test(after)) || /^\s*(?:au|a|-|jusqu'(?:au|a|en)?)\s*$/.test(after)) {
    return refuse(
      `Il manque la fin de la période : j’ai compris un début (${formatDate(span.point ?? span.start)}). Ajoutez la fin ou la durée, par exemple « de mars 2027 à juin 2028 » ou « pendant 6 mois à partir de mars 2027 ».`,
    );
  }
  if (OPEN_END.test(before)) {
    return refuse(
      `Il manque le début de la période : j’ai compris une fin (${formatDate(span.point ?? span.end)}). Ajoutez le début, par exemple « de mars 2027 à juin 2028 ».`,
    );
  }
  if (span.point) {
    return refuse(
      `${quote(span.label ?? formatDate(span.point))} est une date plutôt qu’une période : indiquez le début et la fin. ${PERIOD_EXAMPLE}`,
    );
  }
  return checkedPeriod(span.start, span.end, span.label ? [span.label] : []);
}

/**
 * A period, as ISO start and end: « du 1er mars au 30 novembre 2027 », « T2 2027 », « l’année
 * scolaire 2027-2028 » (1er septembre – 30 juin, said in the echo), « pendant 6 mois à partir de
 * mars 2027 ». An end before the start is refused.
 */
export function parsePeriod(text: string, context: DateContext): Parsed<Period> {
  checkToday(context.today);
  const prepared = prepareDateText(text);
  const impossible = impossibleMessage(prepared, PERIOD_EXAMPLE);
  if (impossible) return refuse(impossible);
  const expressions = findDateExpressions(prepared, context);
  if (expressions.length === 0) {
    return refuse(`Je n’ai pas reconnu de période dans ${quote(text)}. ${PERIOD_EXAMPLE}`);
  }
  return periodFrom(expressions, prepared, context);
}

export interface Quarter {
  /** « 2027-T3 », the id the suivi uses. */
  id: string;
  year: number;
  quarter: 1 | 2 | 3 | 4;
  start: IsoDate;
  end: IsoDate;
}

function quarterAt(year: number, quarter: number): Quarter {
  const startMonth = quarter * 3 - 2;
  const start = `${year}-${String(startMonth).padStart(2, '0')}-01`;
  const end = addDays(shift(start, 3, 'mois'), -1);
  return { id: `${year}-T${quarter}`, year, quarter: quarter as Quarter['quarter'], start, end };
}

/** The quarter a day falls in. */
export function quarterOf(date: IsoDate): Quarter {
  const { year, month } = fromIso(date);
  return quarterAt(year, Math.ceil(month / 3));
}

/** A quarter from its id (« 2027-T3 »). */
export function quarterById(id: string): Quarter | undefined {
  const match = /^(\d{4})-T([1-4])$/.exec(id);
  return match ? quarterAt(Number(match[1]), Number(match[2])) : undefined;
}

/** Every quarter that a period touches, in order. */
export function quartersBetween(start: IsoDate, end: IsoDate): Quarter[] {
  const quarters: Quarter[] = [];
  for (let quarter = quarterOf(start); quarter.start <= end; quarter = quarterOf(addDays(quarter.end, 1))) {
    quarters.push(quarter);
  }
  return quarters;
}

/** « T3 2027 », « 3e trimestre 2027 », « le troisième trimestre » (next one from today) → 2027-T3. */
export function parseQuarter(text: string, context: DateContext): Parsed<Quarter> {
  const period = parsePeriod(text, context);
  const example = 'Indiquez un trimestre comme « T3 2027 » ou « 3e trimestre 2027 ».';
  if (!period.ok) return refuse(`Je n’ai pas reconnu de trimestre dans ${quote(text)}. ${example}`);
  const quarter = quarterOf(period.value.start);
  if (quarter.start !== period.value.start || quarter.end !== period.value.end) {
    return refuse(`${quote(text)} n’est pas un trimestre entier (${period.echo}). ${example}`);
  }
  return accept(
    quarter,
    `${quarter.quarter === 1 ? '1er' : `${quarter.quarter}e`} trimestre ${quarter.year} (${formatPeriod(quarter.start, quarter.end)})`,
  );
}
