/**
 * French number words (« quatre-vingt-douze », « deux mille cinq cents ») to numbers. Measured:
 * @microsoft/recognizers-text-number reads « deux mille cinq cents » as 2005 and « trois cents » as 3,
 * and takes six seconds to load, so the project keeps this small converter instead.
 */

const SMALL: Record<string, number> = {
  zero: 0,
  un: 1,
  une: 1,
  deux: 2,
  trois: 3,
  quatre: 4,
  cinq: 5,
  six: 6,
  sept: 7,
  huit: 8,
  neuf: 9,
  dix: 10,
  onze: 11,
  douze: 12,
  treize: 13,
  quatorze: 14,
  quinze: 15,
  seize: 16,
  vingt: 20,
  vingts: 20,
  trente: 30,
  quarante: 40,
  cinquante: 50,
  soixante: 60,
  septante: 70,
  huitante: 80,
  octante: 80,
  nonante: 90,
};

const SCALES: Record<string, number> = {
  mille: 1_000,
  mil: 1_000,
  million: 1_000_000,
  millions: 1_000_000,
  milliard: 1_000_000_000,
  milliards: 1_000_000_000,
};

const WORD_ALTERNATION = [...Object.keys(SMALL), 'cents?', ...Object.keys(SCALES)]
  .sort((a, b) => b.length - a.length)
  .join('|');

/** A run of number words in folded (lowercase, unaccented) text, with an optional « et demi ». */
export const NUMBER_WORDS_PATTERN = new RegExp(
  `(?<![a-z0-9])(?:${WORD_ALTERNATION})(?:(?:[ -]+et)?[ -]+(?:${WORD_ALTERNATION}))*(?:[ -]+et[ -]+demie?)?(?![a-z])`,
  'g',
);

/** Whether adding `value` after the tens and units already in a group reads as French. */
function fitsAfter(lastTwoDigits: number, value: number): boolean {
  if (lastTwoDigits === 0) return true;
  if (lastTwoDigits === 10) return value >= 7 && value <= 9; // dix-sept … dix-neuf
  if (lastTwoDigits % 10 !== 0) return false;
  if (value < 10) return true;
  return (lastTwoDigits === 60 || lastTwoDigits === 80) && value < 20; // soixante-dix, quatre-vingt-douze
}

/** The value of French number words in folded text, or undefined when they do not read as one number. */
export function parseNumberWords(words: string): number | undefined {
  let tokens = words
    .toLowerCase()
    .split(/[\s-]+/)
    .filter((token) => token !== '' && token !== 'et');
  let half = false;
  if (tokens.at(-1)?.startsWith('demi')) {
    half = true;
    tokens = tokens.slice(0, -1);
  }
  if (tokens.length === 0) return undefined;
  let total = 0;
  let group = 0;
  let lastScale = 1;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    if (token === 'quatre' && (next === 'vingt' || next === 'vingts')) {
      if (group % 100 !== 0) return undefined;
      group += 80;
      i++;
      continue;
    }
    const small = SMALL[token];
    if (small !== undefined) {
      if (!fitsAfter(group % 100, small)) return undefined;
      group += small;
      continue;
    }
    if (token === 'cent' || token === 'cents') {
      if (group >= 10) return undefined;
      group = (group === 0 ? 1 : group) * 100;
      continue;
    }
    const scale = SCALES[token];
    if (scale === undefined) return undefined;
    if (total !== 0 && total % (scale * 1000) !== 0) return undefined; // « mille mille », « mille million »
    total += (group === 0 ? 1 : group) * scale;
    group = 0;
    lastScale = scale;
  }
  const value = total + group;
  if (!half) return value;
  return value + 0.5 * (group === 0 ? lastScale : 1);
}
