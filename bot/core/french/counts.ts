import { type Count, formatCount } from './format.ts';
import { accept, type Parsed, quote, refuse } from './parsed.ts';
import { prepare, readDecimal } from './text.ts';

const NUM = '(?<![\\d.,a-z])(\\d{1,3}(?: \\d{3})+|\\d+(?:[.,]\\d+)*)';
const END = '(?![a-z0-9]| ?%| ?pour ?cent)';

const ROUND_WORDS: Record<string, number> = {
  dizaine: 10,
  douzaine: 12,
  quinzaine: 15,
  vingtaine: 20,
  trentaine: 30,
  quarantaine: 40,
  cinquantaine: 50,
  soixantaine: 60,
  centaine: 100,
  millier: 1000,
};
const ROUND = `(${Object.keys(ROUND_WORDS).join('|')})s?`;

interface Rule {
  pattern: RegExp;
  read: (match: RegExpExecArray) => Count | undefined;
}

function read(text: string | undefined): number {
  const value = text === undefined ? 1 : readDecimal(text);
  return value !== undefined && Number.isInteger(value) ? value : Number.NaN;
}

const RULES: Rule[] = [
  {
    // « un grand nombre », « un certain nombre »: the « un » is an article, not a count.
    pattern: /(?:^|\s)1 (?:grand|certain|bon|petit) nombre/g,
    read: () => ({ value: Number.NaN, approximate: true }),
  },
  {
    // « une trentaine à une quarantaine », « entre une dizaine et une vingtaine »
    pattern: new RegExp(`(?:entre |de )?(?:1 )?${ROUND} ?(?:et|a|-) ?(?:1 )?${ROUND}${END}`, 'g'),
    read: (m) => {
      const [min, max] = [ROUND_WORDS[m[1]!]!, ROUND_WORDS[m[2]!]!];
      if (!(min < max)) return undefined;
      return { value: Math.round((min + max) / 2), approximate: true, min, max };
    },
  },
  {
    pattern: new RegExp(`(?:entre |de )?${NUM} ?(?:et|a|-) ?${NUM}${END}`, 'g'),
    read: (m) => {
      const [min, max] = [read(m[1]), read(m[2])];
      if (!(min < max)) return undefined;
      return { value: Math.round((min + max) / 2), approximate: true, min, max };
    },
  },
  {
    pattern: new RegExp(`(?:(${NUM}|quelques|plusieurs) )?(?:(?:petite|bonne|grosse) )?${ROUND}${END}`, 'g'),
    read: (m) => {
      // « quelques centaines », « des centaines »: no number to keep.
      const vague = m[1] === 'quelques' || m[1] === 'plusieurs' || (m[2] === undefined && m[0].endsWith('s'));
      if (vague) return { value: Number.NaN, approximate: true };
      return { value: read(m[2]) * ROUND_WORDS[m[3]!]!, approximate: true };
    },
  },
  {
    pattern: new RegExp(
      `(?:plus de|au moins|minimum|au minimum|pas moins de|>=?|\\+ de|superieur a) ?${NUM}${END}|${NUM} ?(?:\\+|et plus|ou plus|minimum|au moins)(?![a-z0-9])`,
      'g',
    ),
    read: (m) => {
      const min = read(m[1] ?? m[2]);
      return { value: min, approximate: true, min };
    },
  },
  {
    pattern: new RegExp(
      `(?:moins de|au plus|maximum|au maximum|au max|jusqu'a|<=?|inferieur a) ?${NUM}${END}|${NUM} ?(?:maximum|au maximum|max|au plus)(?![a-z0-9])`,
      'g',
    ),
    read: (m) => {
      const max = read(m[1] ?? m[2]);
      return { value: max, approximate: true, max };
    },
  },
  {
    pattern: new RegExp(
      `(?:environ|a peu pres|a peu pres|pres de|approximativement|autour de|~|env\\.?|dans les|grosso modo|quasiment|presque|a vue de nez) ?${NUM}${END}|${NUM} ?(?:environ|a peu pres|approximativement|~)(?![a-z0-9])`,
      'g',
    ),
    read: (m) => ({ value: read(m[1] ?? m[2]), approximate: true }),
  },
  {
    pattern: new RegExp(`${NUM}${END}`, 'g'),
    read: (m) => ({ value: read(m[1]), approximate: false }),
  },
];

const EXAMPLE = 'Indiquez un nombre comme « 40 », « environ 40 », « une quarantaine » ou « entre 30 et 50 ».';

/**
 * A number of people or things: « 40 », « environ 40 », « une soixantaine », « plus de 100 »,
 * « entre 30 et 50 » (value 40, approximate, with min 30 and max 50 kept), « trois cents ».
 */
export function parseCount(text: string): Parsed<Count> {
  const prepared = prepare(text);
  let masked = prepared.text;
  const found: { from: number; count: Count | undefined }[] = [];
  for (const rule of RULES) {
    for (const match of masked.matchAll(rule.pattern)) {
      found.push({ from: match.index, count: rule.read(match) });
      masked =
        masked.slice(0, match.index) +
        ' '.repeat(match[0].length) +
        masked.slice(match.index + match[0].length);
    }
  }
  found.sort((a, b) => a.from - b.from);
  // « 3 classes, soit environ 75 élèves »: the number after « soit » is the answer.
  const restated = /(?:^|[\s,])soit /.exec(prepared.text);
  const first = (restated && found.find((item) => item.from > restated.index)) || found[0];
  if (!first) {
    if (/\d ?(?:%|pour ?cent)/.test(prepared.text)) {
      return refuse(`Un pourcentage n’est pas un nombre de personnes ou de séances. ${EXAMPLE}`);
    }
    return refuse(`Je n’ai pas reconnu de nombre dans ${quote(text)}. ${EXAMPLE}`);
  }
  const count = first.count;
  if (/(^|[\s:(=])-\s*$/.test(prepared.text.slice(0, first.from))) {
    return refuse(`Un nombre ne peut pas être négatif. ${EXAMPLE}`);
  }
  if (!count || !Number.isFinite(count.value)) {
    return refuse(
      `Il me faut un nombre entier, même approximatif : ${quote(text)} ne suffit pas. ${EXAMPLE}`,
    );
  }
  const warnings = found.length > 1 ? [`J’ai retenu le premier nombre donné (${formatCount(count)}).`] : [];
  return accept(count, formatCount(count), warnings);
}
