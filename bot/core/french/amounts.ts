import { formatEuros } from './format.ts';
import { accept, type Parsed, quote, refuse } from './parsed.ts';
import { type Mapped, NUMBER, prepare, readDecimal } from './text.ts';

export interface FoundAmount {
  /** Position in the prepared text. */
  from: number;
  to: number;
  value: number;
  /** Written with a currency or a multiplier (« € », « k », « millions »): surely money. */
  marked: boolean;
  negative: boolean;
  percent: boolean;
}

const MULTIPLIERS: Record<string, number> = {
  k: 1_000,
  mille: 1_000,
  m: 1_000_000,
  million: 1_000_000,
  millions: 1_000_000,
  md: 1_000_000_000,
  mds: 1_000_000_000,
  milliard: 1_000_000_000,
  milliards: 1_000_000_000,
};

const AMOUNT = new RegExp(
  `(?:(€|eur) ?)?(${NUMBER})(?: ?(k|mille|millions?|milliards?|mds?|m)(?=[^a-z]|$|e(?:[^a-z]|$|ur)))?(?: ?(€|euros?|eur|e|(?:d'|de )euros?)(?![a-z]))?( ?(?:%|pour ?cent))?`,
  'g',
);

/** Every number in the prepared text read as an amount in euros. */
export function findAmounts(prepared: Mapped): FoundAmount[] {
  const found: FoundAmount[] = [];
  for (const match of prepared.text.matchAll(AMOUNT)) {
    const [whole, prefix, number, multiplier, currency, percent] = match;
    const factor = multiplier ? MULTIPLIERS[multiplier]! : 1;
    const read = readDecimal(number!, multiplier !== undefined);
    if (read === undefined) continue;
    const before = prepared.text.slice(0, match.index);
    found.push({
      from: match.index,
      to: match.index + whole.length,
      value: Math.round(read * factor * 100) / 100,
      marked: prefix !== undefined || multiplier !== undefined || currency !== undefined,
      negative: /(^|[\s:(=])-\s*$|(^|\s)moins $/.test(before),
      percent: percent !== undefined,
    });
  }
  return found;
}

const EXAMPLE = 'Indiquez un montant en euros, par exemple « 12 000 € », « 12k€ » ou « 1,5 M€ ».';

/** Whether a bare number looks like a year next to the amount (« 15 000 en 2027 »). */
function isYear(found: FoundAmount): boolean {
  return !found.marked && Number.isInteger(found.value) && found.value >= 1900 && found.value <= 2100;
}

/** Chooses the amount a text gives, or says why none or several. */
export function pickAmount(found: FoundAmount[], text: string): Parsed<number> {
  if (found.some((amount) => amount.negative)) {
    return refuse(`Un montant ne peut pas être négatif. ${EXAMPLE}`);
  }
  const money = found.filter((amount) => !amount.percent);
  const marked = money.filter((amount) => amount.marked);
  let candidates = marked.length > 0 ? marked : money;
  if (candidates.length > 1 && marked.length === 0)
    candidates = candidates.filter((amount) => !isYear(amount));
  const values = [...new Set(candidates.map((amount) => amount.value))];
  if (values.length === 0) {
    if (found.some((amount) => amount.percent)) {
      return refuse(`Un pourcentage n’est pas un montant. ${EXAMPLE}`);
    }
    return refuse(`Je n’ai pas reconnu de montant dans ${quote(text)}. ${EXAMPLE}`);
  }
  if (values.length > 1) {
    const listed = values.map(formatEuros).join(', ');
    return refuse(
      `J’ai trouvé plusieurs montants (${listed}) : indiquez-en un seul, par exemple le total. ${EXAMPLE}`,
    );
  }
  return accept(values[0]!, formatEuros(values[0]!));
}

/** « entre 5 000 et 6 000 € », « de 5 000 à 6 000 € », « 10 000 ou 12 000 € »: two bounds, not one amount. */
function isRange(text: string, low: FoundAmount, high: FoundAmount): boolean {
  const between = text.slice(low.to, high.from);
  if (/^\s*(?:€|euros?)?\s*ou\s*$/.test(between)) return true;
  return (
    /(?:^|\s)(?:entre|de)\s*$/.test(text.slice(0, low.from)) &&
    /^\s*(?:€|euros?)?\s*(?:et|a|-)\s*$/.test(between)
  );
}

/**
 * An amount in euros: « 12 000 € », « 12k€ », « 8 500 euros », « 1,5 M€ », « quinze mille euros »,
 * « 2 500,50 € », with extra words around it (« le budget est de 15 000 € »).
 */
export function parseAmount(text: string): Parsed<number> {
  const prepared = prepare(text);
  const found = findAmounts(prepared);
  const picked = pickAmount(found, text);
  const [low, high] = found;
  // Only « … 6 000 € » is marked as money, so pickAmount alone would keep the upper bound.
  if (picked.ok && found.length === 2 && low && high && isRange(prepared.text, low, high)) {
    return refuse(
      `${quote(text)} donne deux montants (${formatEuros(low.value)} et ${formatEuros(high.value)}) : indiquez un seul montant, même arrondi. ${EXAMPLE}`,
    );
  }
  return picked;
}
