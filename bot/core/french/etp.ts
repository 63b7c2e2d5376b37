import { formatEtp, formatNumber } from './format.ts';
import { accept, type Parsed, quote, refuse } from './parsed.ts';
import { type Mapped, prepare, readDecimal } from './text.ts';

/** Hours of one full-time post: 35 h a week (the legal week), 1 607 h a year (the legal year). */
const HOURS_PER_WEEK = 35;
const HOURS_PER_YEAR = 1607;
const WEEKS_PER_MONTH = 52 / 12;

export interface FoundEtp {
  from: number;
  to: number;
  value: number;
  /** How it was read, for the echo (« 1 jour par semaine, sur une base de 5 jours »). */
  reading?: string;
  negative: boolean;
}

// The lookbehind starts a number only at its first digit, which keeps long digit runs linear.
const NUM = '(?<![\\d.,])(\\d+(?:[.,]\\d+)?)';
const PER_WEEK =
  '(?: ?(?:par|/|a la|chaque|toutes les|dans la|de la) ?(?:semaine|sem)\\.?| ?hebdo(?:madaires?)?)';
const PER_MONTH = '(?: ?(?:par|/|chaque) ?mois| ?mensuels?)';
const PER_YEAR = '(?: ?(?:par|/|chaque) ?(?:an|annee)| ?annuels?)';
const HOURS = `${NUM} ?(?:h|heures?)(?:(\\d{2}))?`;
const DAYS = `(?:${NUM} ?(?:jours?|journees?|j)|(?:(?<![\\d.,])(\\d+) )?demi[- ]?journees?)`;
const END = '(?![a-z0-9])';
const PEOPLE =
  '(?:personnes?|agents?|salarie(?:e)?s?|animat(?:eur|rice)s?|intervenant(?:e)?s?|professionnel(?:le)?s?|postes?|charge(?:e)?s? de mission|coordinat(?:eur|rice)s?|educat(?:eur|rice)s?|infirmier(?:e)?s?|mediat(?:eur|rice)s?)';

function num(text: string | undefined, fallback = 1): number {
  return text === undefined ? fallback : (readDecimal(text, true) ?? Number.NaN);
}

function hours(match: RegExpExecArray): number {
  return num(match[1]) + (match[2] ? Number(match[2]) / 60 : 0);
}

function days(match: RegExpExecArray): { count: number; words: string } {
  if (match[1] !== undefined) {
    const count = num(match[1]);
    return { count, words: `${formatNumber(count)} jour${count >= 2 ? 's' : ''}` };
  }
  const halves = num(match[2]);
  return { count: halves / 2, words: `${formatNumber(halves)} demi-journée${halves >= 2 ? 's' : ''}` };
}

interface Rule {
  pattern: RegExp;
  read: (match: RegExpExecArray) => { value: number; reading?: string };
}

const RULES: Rule[] = [
  // « deux animatrices à mi-temps », « 3 personnes à temps plein »: the time is per person.
  {
    pattern: new RegExp(
      `${NUM} ${PEOPLE} (?:a|en|sur) (?:un |1 )?(?:(mi[- ]?temps|demi[- ]?temps)|temps pleins?|pleins? temps|temps complets?|${NUM} ?(?:%|pour ?cent))${END}`,
      'g',
    ),
    read: (m) => {
      const each = m[2] ? 0.5 : m[3] ? num(m[3]) / 100 : 1;
      const share = m[2] ? 'mi-temps' : m[3] ? `${m[3]} %` : 'temps plein';
      return { value: num(m[1]) * each, reading: num(m[1]) === 1 ? share : `${m[1]} × ${share}` };
    },
  },
  {
    pattern: new RegExp(`${HOURS}${PER_WEEK}${END}`, 'g'),
    read: (m) => ({
      value: hours(m) / HOURS_PER_WEEK,
      reading: `${formatNumber(hours(m))} h par semaine, sur une base de 35 h`,
    }),
  },
  {
    pattern: new RegExp(`${HOURS}${PER_MONTH}${END}`, 'g'),
    read: (m) => ({
      value: hours(m) / (HOURS_PER_WEEK * WEEKS_PER_MONTH),
      reading: `${formatNumber(hours(m))} h par mois, sur une base de 35 h par semaine`,
    }),
  },
  {
    pattern: new RegExp(`${HOURS}${PER_YEAR}${END}`, 'g'),
    read: (m) => ({
      value: hours(m) / HOURS_PER_YEAR,
      reading: `${formatNumber(hours(m))} h par an, sur une base de 1 607 h`,
    }),
  },
  {
    pattern: new RegExp(`${DAYS}${PER_WEEK}${END}`, 'g'),
    read: (m) => {
      const { count, words } = days(m);
      return { value: count / 5, reading: `${words} par semaine, sur une base de 5 jours` };
    },
  },
  {
    pattern: new RegExp(`${DAYS}${PER_MONTH}${END}`, 'g'),
    read: (m) => {
      const { count, words } = days(m);
      return {
        value: count / (5 * WEEKS_PER_MONTH),
        reading: `${words} par mois, sur une base de 5 jours par semaine`,
      };
    },
  },
  {
    pattern: new RegExp(
      `${NUM} ?(?:%|pour ?cent)(?: (?:d'1 |de |du |d')?(?:etp|temps plein|temps de travail|temps|poste))?${END}`,
      'g',
    ),
    read: (m) => ({ value: num(m[1]) / 100, reading: `${formatNumber(num(m[1]))} % d’un temps plein` }),
  },
  {
    pattern: new RegExp(`${NUM} ?(?:etp|e\\.t\\.p\\.?|equivalents? temps pleins?)${END}`, 'g'),
    read: (m) => ({ value: num(m[1]) }),
  },
  {
    pattern: new RegExp(
      `(?<![\\d.,])(\\d+) ?/ ?(\\d+)(?: ?(?:d'1 |de |d')?(?:etp|temps|de temps))?${END}`,
      'g',
    ),
    read: (m) => ({ value: num(m[1]) / num(m[2]), reading: `${m[1]}/${m[2]} de temps plein` }),
  },
  {
    pattern: new RegExp(`(?:${NUM} )?(?:mi|demi)[- ]?(?:temps|poste|etp)s?${END}`, 'g'),
    read: (m) => ({
      value: num(m[1]) * 0.5,
      reading: m[1] && num(m[1]) !== 1 ? `${m[1]} mi-temps` : undefined,
    }),
  },
  {
    pattern: new RegExp(`(?:${NUM} )?quarts?[- ]?(?:de )?temps${END}`, 'g'),
    read: (m) => ({ value: num(m[1]) * 0.25 }),
  },
  {
    pattern: new RegExp(`(?:${NUM} )?tiers[- ]?(?:de )?temps${END}`, 'g'),
    read: (m) => ({
      value: num(m[1]) / 3,
      reading: m[1] && num(m[1]) !== 1 ? `${m[1]} tiers temps` : 'tiers temps',
    }),
  },
  {
    pattern: new RegExp(`(?:${NUM} )?(?:temps pleins?|pleins? temps|temps complets?)${END}`, 'g'),
    read: (m) => ({
      value: num(m[1]),
      reading: m[1] && num(m[1]) !== 1 ? `${m[1]} temps pleins` : undefined,
    }),
  },
];

// A bare number is an ETP unless a unit follows that no rule above read (« 1 temps partiel »).
const BARE = new RegExp(`${NUM}${END}(?! ?(?:temps|heures?|h|jours?|j|semaines?|mois|ans?)(?![a-z]))`, 'g');

function isNegative(text: string, from: number): boolean {
  return /(^|[\s:(=])-\s*$|(^|\s)moins $/.test(text.slice(0, from));
}

/** Every working time in the prepared text; a bare number counts only when nothing else does. */
export function findEtps(prepared: Mapped): FoundEtp[] {
  let masked = prepared.text;
  const found: FoundEtp[] = [];
  const add = (match: RegExpExecArray, value: number, reading?: string) => {
    const to = match.index + match[0].length;
    const negative = isNegative(prepared.text, match.index);
    found.push(
      reading
        ? { from: match.index, to, value, reading, negative }
        : { from: match.index, to, value, negative },
    );
    masked = masked.slice(0, match.index) + ' '.repeat(match[0].length) + masked.slice(to);
  };
  for (const rule of RULES) {
    for (const match of masked.matchAll(rule.pattern)) {
      const { value, reading } = rule.read(match);
      if (Number.isFinite(value)) add(match, value, reading);
    }
  }
  if (found.length === 0) {
    for (const match of masked.matchAll(BARE)) {
      // « un jour sur deux », « 3 sur 5 »: a frequency, not a working time.
      if (/(?:^|\s)sur $/.test(prepared.text.slice(0, match.index))) continue;
      const value = num(match[1]);
      if (Number.isFinite(value)) add(match, value);
    }
  }
  return found.sort((a, b) => a.from - b.from);
}

const NAMED: Record<string, string> = {
  '0.25': 'quart temps',
  '0.5': 'mi-temps',
  '0.75': 'trois quarts temps',
  '1': 'temps plein',
};

export const MAX_ETP = 50;
const EXAMPLE = 'Indiquez un temps de travail comme « 0,5 ETP », « un mi-temps » ou « 1 jour par semaine ».';

/** Checks one working time and writes its echo: « 0,5 ETP (mi-temps) ». */
export function checkEtp(found: FoundEtp): Parsed<number> {
  if (found.negative || found.value < 0)
    return refuse(`Un temps de travail ne peut pas être négatif. ${EXAMPLE}`);
  if (found.value > MAX_ETP) {
    return refuse(
      `${formatEtp(Math.round(found.value * 100) / 100)}, c’est plus que les ${MAX_ETP} ETP qu’une action peut mobiliser : vérifiez le chiffre. ${EXAMPLE}`,
    );
  }
  const value = Math.round(found.value * 100) / 100;
  const warnings = value !== found.value ? [`Arrondi à ${formatEtp(value)}.`] : [];
  const reading = found.reading ?? NAMED[String(value)];
  return accept(value, reading ? `${formatEtp(value)} (${reading})` : formatEtp(value), warnings);
}

/**
 * A working time in ETP (équivalent temps plein): « 0,3 ETP », « un mi-temps », « trois quarts
 * temps », « 20 % », « 1 jour par semaine » (5-day week), « 7 heures par semaine » (35 h week).
 */
export function parseEtp(text: string): Parsed<number> {
  const prepared = prepare(text);
  const found = findEtps(prepared);
  if (found.length === 0 && /temps partiel/.test(prepared.text)) {
    return refuse('Un temps partiel de combien ? Précisez la quotité, par exemple « 80 % » ou « 0,8 ETP ».');
  }
  if (found.length === 0) {
    return refuse(`Je n’ai pas reconnu de temps de travail dans ${quote(text)}. ${EXAMPLE}`);
  }
  // « 2 à 3 jours par mois », « deux ou trois heures »: a range, read as its upper end otherwise.
  if (found.some((etp) => /\d\s*(?:a|-|ou)\s*$/.test(prepared.text.slice(0, etp.from)))) {
    return refuse(
      `${quote(text)} donne une fourchette : indiquez un seul temps de travail, même arrondi. ${EXAMPLE}`,
    );
  }
  const values = new Set(found.map((etp) => Math.round(etp.value * 100) / 100));
  if (values.size > 1) {
    return refuse(
      `J’ai trouvé plusieurs temps de travail dans ${quote(text)} : indiquez-en un seul, ou le total. ${EXAMPLE}`,
    );
  }
  return checkEtp(found[0]!);
}
