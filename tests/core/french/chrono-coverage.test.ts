import * as chrono from 'chrono-node';
import { describe, expect, it } from 'vitest';
import { parseDate, parsePeriod } from '../../../bot/core/french/index.ts';

/**
 * What chrono-node's French locale (2.10.3) gets right alone on the cases the fiche-action needs,
 * measured against the expected value; bot/core/french uses it for what it reads and adds the
 * rest. `chrono` records its verdict: if an upgrade changes one, this test says which.
 */
const today = '2026-11-29';

type Case =
  | { text: string; date: string; chrono: boolean }
  | { text: string; period: [string, string]; chrono: boolean };

const CASES: Case[] = [
  { text: '15/03/2027', date: '2027-03-15', chrono: true },
  { text: '15-03-27', date: '2027-03-15', chrono: true },
  { text: '2027-03-15', date: '2027-03-15', chrono: true },
  { text: '1er mars 2027', date: '2027-03-01', chrono: true },
  { text: 'premier mars 2027', date: '2027-03-01', chrono: false },
  { text: '15 sept. 2027', date: '2027-09-15', chrono: true },
  { text: '15 septembr 2027', date: '2027-09-15', chrono: false },
  { text: '15 mars 28', date: '2028-03-15', chrono: false },
  { text: '15 / 03 / 2027', date: '2027-03-15', chrono: false },
  { text: '15 mars', date: '2027-03-15', chrono: true },
  { text: 'mars 2027', date: '2027-03-01', chrono: false },
  { text: 'début juin 2027', date: '2027-06-01', chrono: false },
  { text: 'mi-juin 2027', date: '2027-06-15', chrono: false },
  { text: 'fin juin 2027', date: '2027-06-30', chrono: false },
  { text: 'fin 2027', date: '2027-12-31', chrono: false },
  { text: 'demain', date: '2026-11-30', chrono: true },
  { text: 'après-demain', date: '2026-12-01', chrono: false },
  { text: 'dans trois semaines', date: '2026-12-20', chrono: true },
  { text: 'dans un an', date: '2027-11-29', chrono: false },
  { text: "d'ici 2 semaines", date: '2026-12-13', chrono: false },
  { text: 'la semaine prochaine', date: '2026-11-30', chrono: false },
  { text: 'lundi prochain', date: '2026-11-30', chrono: true },
  { text: 'T2 2027', date: '2027-04-01', chrono: false },
  { text: '2027', date: '2027-01-01', chrono: false },
  { text: 'du 1er mars au 30 novembre 2027', period: ['2027-03-01', '2027-11-30'], chrono: true },
  { text: 'du 1er décembre au 30 mars 2028', period: ['2027-12-01', '2028-03-30'], chrono: true },
  { text: '01/03/2027 - 30/11/2027', period: ['2027-03-01', '2027-11-30'], chrono: true },
  { text: 'du 15 au 30 mars 2027', period: ['2027-03-15', '2027-03-30'], chrono: true },
  { text: 'entre le 1er mars et le 30 juin 2027', period: ['2027-03-01', '2027-06-30'], chrono: false },
  { text: 'de septembre 2027 à juin 2028', period: ['2027-09-01', '2028-06-30'], chrono: false },
  { text: 'de mars à juin 2027', period: ['2027-03-01', '2027-06-30'], chrono: false },
  { text: 'entre avril et juillet 2027', period: ['2027-04-01', '2027-07-31'], chrono: false },
  { text: 'T2 2027', period: ['2027-04-01', '2027-06-30'], chrono: false },
  { text: '2e trimestre 2027', period: ['2027-04-01', '2027-06-30'], chrono: false },
  { text: 'S1 2027', period: ['2027-01-01', '2027-06-30'], chrono: false },
  { text: 'l’année scolaire 2027-2028', period: ['2027-09-01', '2028-06-30'], chrono: false },
  { text: 'mars 2027', period: ['2027-03-01', '2027-03-31'], chrono: false },
  { text: '2027', period: ['2027-01-01', '2027-12-31'], chrono: false },
  { text: 'pendant 6 mois à partir de mars 2027', period: ['2027-03-01', '2027-08-31'], chrono: false },
];

function iso(components: chrono.ParsedComponents): string {
  const pad = (value: number | null) => String(value).padStart(2, '0');
  return `${components.get('year')}-${pad(components.get('month'))}-${pad(components.get('day'))}`;
}

/** chrono alone: the first result it finds, read the obvious way. */
function chronoReads(item: Case): boolean {
  const results = chrono.fr.parse(
    item.text,
    { instant: new Date(`${today}T12:00:00Z`), timezone: 'UTC' },
    { forwardDate: true },
  );
  const first = results[0];
  if (!first) return false;
  if ('date' in item) return iso(first.start) === item.date;
  return Boolean(first.end) && iso(first.start) === item.period[0] && iso(first.end!) === item.period[1];
}

function oursReads(item: Case): boolean {
  if ('date' in item) {
    const parsed = parseDate(item.text, { today, bias: 'start' });
    return parsed.ok && parsed.value === item.date;
  }
  const parsed = parsePeriod(item.text, { today });
  return parsed.ok && parsed.value.start === item.period[0] && parsed.value.end === item.period[1];
}

describe('chrono-node French locale, measured', () => {
  it.each(
    CASES.map((item) => [item.text, 'date' in item ? item.date : item.period.join('/'), item] as const),
  )('%s → %s', (_text, _expected, item) => {
    expect({ chrono: chronoReads(item), ours: oursReads(item) }).toEqual({ chrono: item.chrono, ours: true });
  });

  it('gets 13 of the 39 cases alone', () => {
    const right = CASES.filter(chronoReads).length;
    expect(`${right}/${CASES.length}`).toBe('13/39');
  });
});
