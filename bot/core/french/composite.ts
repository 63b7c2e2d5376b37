import { findAmounts, pickAmount } from './amounts.ts';
import type { IsoDate } from './calendar.ts';
import {
  type DateContext,
  findDateExpressions,
  findImpossibleDate,
  prepareDateText,
  resolveAfter,
  resolveAlone,
} from './date-expressions.ts';
import { checkEtp, findEtps } from './etp.ts';
import { formatDate, formatEtp, formatEuros, formatPeriod } from './format.ts';
import { cleanItem, splitOutsideParentheses } from './lists.ts';
import { accept, type Parsed, quote, refuse } from './parsed.ts';
import { type Mapped, prepare } from './text.ts';

export interface Funding {
  funder: string;
  amount: number;
}

export interface Staffing {
  structure: string;
  etp: number;
}

export interface Milestone {
  label: string;
  date: IsoDate;
}

/** What one entry holds: where its value sits in the original entry, and the value read. */
interface Reading<T> {
  value: Parsed<T>;
  /** Span of the value in the original entry text. */
  from: number;
  to: number;
}

/**
 * Splits entries (« ARS 10 000 €, commune 5 000 € et CAF 2k€ », one per line…) so that each holds
 * one value: pieces without a value join the next piece (« Conseil départemental et CAF : 10 000 € »
 * is one funder).
 */
function splitEntries(
  text: string,
  hasValue: (piece: string) => boolean,
): { entries: string[]; orphan?: string } {
  const pieces = text
    .split(/\r?\n/)
    .flatMap((line) => splitOutsideParentheses(line.replace(/\s\/\s/g, ' ; '), /[;,]/)) // « ARS 6000 € / Ville 4000 € »
    .flatMap((piece) => piece.split(/\s+(?:et|\+|puis|&)\s+/i))
    .map(cleanItem)
    .filter((piece) => piece !== '');
  const entries: string[] = [];
  let pending: string[] = [];
  for (const piece of pieces) {
    if (hasValue(piece)) {
      entries.push([...pending, piece].join(' et '));
      pending = [];
    } else {
      pending.push(piece);
    }
  }
  return pending.length > 0 ? { entries, orphan: pending.join(', ') } : { entries };
}

const SEPARATORS = '[\\s:=–—,-]';
const LEADING_LINKS = new RegExp(
  `^(?:${SEPARATORS}+|[dl][’']|(?:de la part de|financ[ée]e?s? par|apport[ée]?e?s? par|vers[ée]e?s? par|port[ée]e?s? par|mise? à disposition par|subvention|financement|apport|reste|solde|complément|pour|par|chez|côté|de|du|des|à|au|aux|le|la|les)(?=${SEPARATORS}|$))+`,
  'i',
);
const TRAILING_LINKS = new RegExp(
  String.raw`(?:${SEPARATORS}+|(?<=^|\s)(?:apporte|finance|verse|donne|met|pour|de|du|à hauteur de|a hauteur de|soit|en|le|la|au|prévu|prévue|prévus|prévues|vers|d’ici|d'ici|à partir du|dès le|est|sera|avec))+$`,
  'i',
);

function cleanLabel(text: string): string {
  let label = text.trim();
  for (let previous = ''; previous !== label; ) {
    previous = label;
    label = label.replace(LEADING_LINKS, '').replace(TRAILING_LINKS, '').trim();
  }
  return label;
}

/** The entry without its value; brackets that held only the value go too (« lancement (1er mars 2027) »). */
function labelAround(entry: string, from: number, to: number): string {
  return cleanLabel(
    `${entry.slice(0, from)} ${entry.slice(to)}`.replace(/\(\s*\)|\[\s*\]/g, ' ').replace(/\s+/g, ' '),
  );
}

function original(mapped: Mapped, from: number, to: number): { from: number; to: number } {
  return { from: mapped.origin[from]!, to: mapped.origin[to]! };
}

function readAmount(entry: string): Reading<number> | undefined {
  const prepared = prepare(entry);
  const found = findAmounts(prepared);
  if (found.length === 0) return undefined;
  const value = pickAmount(found, entry);
  const chosen = value.ok ? (found.find((amount) => amount.value === value.value) ?? found[0]!) : found[0]!;
  return { value, ...original(prepared, chosen.from, chosen.to) };
}

const TOTAL = /^(?:au\s+)?total|^soit$|^(?:montant\s+)?total/i;

/**
 * Funders and their amounts: « ARS 10 000 €, commune 5 000 €, CAF 2k€ », « 10 000 € de l’ARS et
 * 5 000 € de la ville », one per line. A « total » entry is checked against the sum, not listed.
 */
export function parseFunding(text: string): Parsed<Funding[]> {
  const example =
    'Indiquez chaque financeur avec son montant, par exemple « ARS 10 000 €, commune 5 000 € ».';
  const { entries, orphan } = splitEntries(text, (piece) => findAmounts(prepare(piece)).length > 0);
  if (entries.length === 0) return refuse(`Je n’ai trouvé aucun montant. ${example}`);
  if (orphan) return refuse(`Je n’ai pas trouvé de montant pour ${quote(orphan)}. ${example}`);
  const funding: Funding[] = [];
  let declaredTotal: number | undefined;
  for (const entry of entries) {
    const reading = readAmount(entry)!;
    if (!reading.value.ok) return refuse(`Pour ${quote(entry)} : ${reading.value.message}`);
    const funder = labelAround(entry, reading.from, reading.to);
    // « total 15 000 € : ARS 10 000 »: a second amount in the entry would be lost with its funder.
    if (findAmounts(prepare(funder)).some((amount) => !amount.percent)) {
      return refuse(
        `Pour ${quote(entry)}, j’ai trouvé plusieurs montants : séparez les financeurs. ${example}`,
      );
    }
    if (TOTAL.test(funder)) {
      declaredTotal = reading.value.value;
      continue;
    }
    if (funder === '') {
      return refuse(`Pour ${formatEuros(reading.value.value)}, indiquez le financeur. ${example}`);
    }
    funding.push({ funder, amount: reading.value.value });
  }
  const total = Math.round(funding.reduce((sum, line) => sum + line.amount, 0) * 100) / 100;
  const warnings =
    declaredTotal !== undefined && declaredTotal !== total
      ? [
          `Le total annoncé (${formatEuros(declaredTotal)}) ne correspond pas à la somme des montants (${formatEuros(total)}).`,
        ]
      : [];
  const lines = funding.map((line) => `${line.funder} : ${formatEuros(line.amount)}`).join(' ; ');
  const totalEcho = funding.length > 1 ? ` — total : ${formatEuros(total)}` : '';
  return accept(funding, `${lines}${totalEcho}`, warnings);
}

/**
 * Working time per structure: « 0,5 ETP CCAS, un mi-temps pour l’association Horizon »,
 * « CCAS : 0,3 ETP ; mairie : 0,2 ».
 */
export function parseStaffing(text: string): Parsed<Staffing[]> {
  const example =
    'Indiquez chaque structure avec son temps de travail, par exemple « CCAS : 0,5 ETP ; association Horizon : un mi-temps ».';
  const { entries, orphan } = splitEntries(text, (piece) => findEtps(prepare(piece)).length > 0);
  if (entries.length === 0) return refuse(`Je n’ai trouvé aucun temps de travail. ${example}`);
  if (orphan) return refuse(`Je n’ai pas trouvé de temps de travail pour ${quote(orphan)}. ${example}`);
  const staffing: Staffing[] = [];
  const echoes: string[] = [];
  for (const entry of entries) {
    const prepared = prepare(entry);
    const found = findEtps(prepared);
    if (found.length > 1)
      return refuse(`J’ai trouvé plusieurs temps de travail dans ${quote(entry)}. ${example}`);
    const etp = checkEtp(found[0]!);
    if (!etp.ok) return refuse(`Pour ${quote(entry)} : ${etp.message}`);
    const span = original(prepared, found[0]!.from, found[0]!.to);
    const structure = labelAround(entry, span.from, span.to);
    if (structure === '') return refuse(`Pour ${etp.echo}, indiquez la structure. ${example}`);
    staffing.push({ structure, etp: etp.value });
    echoes.push(`${structure} : ${etp.echo}`);
  }
  const total = Math.round(staffing.reduce((sum, line) => sum + line.etp, 0) * 100) / 100;
  const totalEcho = staffing.length > 1 ? ` — total : ${formatEtp(total)}` : '';
  return accept(staffing, `${echoes.join(' ; ')}${totalEcho}`);
}

/**
 * Key steps with their dates: « lancement en mars 2027 ; comité de pilotage le 15/06/2027 ;
 * bilan fin 2027 ». A step given as a month counts from its first day.
 */
export function parseMilestones(text: string, context: DateContext): Parsed<Milestone[]> {
  const example =
    'Indiquez chaque étape avec sa date, par exemple « lancement en mars 2027 ; bilan fin 2027 ».';
  const { entries, orphan } = splitEntries(
    text,
    (piece) =>
      findDateExpressions(prepareDateText(piece), context).length > 0 ||
      findImpossibleDate(prepareDateText(piece)) !== undefined,
  );
  if (entries.length === 0) return refuse(`Je n’ai trouvé aucune date. ${example}`);
  if (orphan) return refuse(`Je n’ai pas trouvé de date pour ${quote(orphan)}. ${example}`);
  const milestones: Milestone[] = [];
  const echoes: string[] = [];
  for (const entry of entries) {
    const prepared = prepareDateText(entry);
    const impossible = findImpossibleDate(prepared);
    if (impossible) return refuse(`${impossible} ${example}`);
    const expressions = findDateExpressions(prepared, context);
    const first = expressions[0]!;
    // A step written without its year follows the one before (« mars 2027, bilan en décembre »).
    const previous = milestones.at(-1)?.date;
    const span = previous ? resolveAfter(first, previous) : resolveAlone(first, context.today);
    if (!span) return refuse(`Je n’ai pas compris la date de ${quote(entry)}. ${example}`);
    const last = expressions.at(-1)!;
    const around = original(prepared, first.from, last.to);
    const label = labelAround(entry, around.from, around.to);
    const date = span.point ?? span.start;
    if (label === '') return refuse(`Donnez un nom à l’étape du ${formatDate(date)}. ${example}`);
    milestones.push({ label, date });
    const said = span.label ?? (span.start === span.end ? undefined : formatPeriod(span.start, span.end));
    echoes.push(`${label} : ${formatDate(date)}${said ? ` (${said})` : ''}`);
  }
  return accept(milestones, echoes.join(' ; '));
}
