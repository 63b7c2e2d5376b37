import { distance } from 'fastest-levenshtein';
import { normalizeForMatch } from '../../../knowledge/text/normalize.ts';
import { accept, type Parsed, quote, refuse } from './parsed.ts';

const BULLET = /^\s*(?:[-–—•*·▪◦→>]+|\d{1,2}\s*[.)°-]|[a-z]\))\s+/i;

/** Splits on commas and semicolons outside parentheses. */
export function splitOutsideParentheses(text: string, separators: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '(' || char === '[') depth++;
    if ((char === ')' || char === ']') && depth > 0) depth--;
    // A comma between two digits is a decimal comma (« 2,5 »), not a separator.
    const decimal = char === ',' && /\d/.test(text[i - 1] ?? '') && /\d/.test(text[i + 1] ?? '');
    if (depth === 0 && separators.test(char) && !decimal) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

export function cleanItem(item: string): string {
  return item
    .replace(BULLET, '')
    .replace(/^\s*(?:et|puis|ainsi que)\s+/i, '')
    .replace(/[\s.;,]+$/, '')
    .trim();
}

/**
 * Items of a list as people type them: one per line or bullet (« - », « • », « 1. »), or on one
 * line separated by semicolons, or by commas outside parentheses with a final « et »
 * (« jeunes, parents et enseignants »). A lone « A et B » stays one item: « prévention et
 * promotion de la santé » is one thing. « autre : … » items are kept.
 */
const ARTICLE_START = /^\s*(?:le|la|les|l'|l’)\s*/i;
const ARTICLED_AND = /\s+(?:et|ainsi que)\s+(?=(?:le|la|les|l'|l’)\s*\S)(?![^()]*\))/i;
/** « CAF, PMI, etc. »: the « etc. » is not an item. */
const ETC = /^etc\.?$|^\.\.\.$/i;

function splitList(text: string): string[] {
  // « 1. la CAF 2. la PMI 3. le CMP » on one line: a numbering that starts at 1 and goes on.
  const numbered = /^\s*1[.)]\s/.test(text) && /\s2[.)]\s/.test(text);
  const lines = text
    .split(numbered ? /\r?\n|\s+•\s+|\s(?=\d{1,2}[.)]\s)/ : /\r?\n|\s+•\s+/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  let items: string[];
  if (lines.length > 1) {
    items = lines;
  } else {
    const line = lines[0] ?? '';
    const bySemicolon = splitOutsideParentheses(line, /;/);
    if (bySemicolon.length > 1) {
      items = bySemicolon;
    } else {
      // « CCAS + centre social + CAF », « A / B »: a spaced plus or slash separates like a comma.
      items = splitOutsideParentheses(line.replace(/\s[+/]\s/g, ', '), /,/);
      if (items.length > 1) {
        const last = items.pop()!;
        const parts = last.split(/\s+(?:et|ainsi que)\s+(?![^()]*\))/);
        items.push(...(parts.length === 2 ? parts : [last]));
      } else {
        // « la mission locale et le PIJ »: two things when both sides start with an article.
        const parts = line.split(ARTICLED_AND);
        if (parts.length === 2 && ARTICLE_START.test(line)) items = parts;
      }
    }
  }
  const seen = new Set<string>();
  return items.map(cleanItem).filter((item) => {
    const key = normalizeForMatch(item);
    if (ETC.test(item)) return false;
    if (key === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function parseList(text: string): Parsed<string[]> {
  const items = splitList(text);
  if (items.length === 0) {
    return refuse(
      'Je n’ai trouvé aucun élément. Écrivez-les séparés par des virgules ou un par ligne, par exemple « jeunes, parents, enseignants ».',
    );
  }
  const echo =
    items.length === 1 ? `1 élément : ${items[0]}` : `${items.length} éléments : ${items.join(' ; ')}`;
  return accept(items, echo);
}

export interface ChoiceOption {
  id: string;
  label: string;
  synonyms?: string[];
}

export interface ChoiceOptions {
  multiple?: boolean;
  /** Accept « autre : … » with free text. */
  allowOther?: boolean;
  /** At most this many picks (the suivi asks for three publics cibles). */
  max?: number;
}

/** The id given to « autre, précisez : … » answers. */
export const OTHER_CHOICE_ID = 'autre';

export interface SingleChoice {
  id: string;
  /** The free text of an « autre : … » answer; `id` is then OTHER_CHOICE_ID. */
  other?: string;
}

export interface MultipleChoice {
  ids: string[];
  other?: string;
}

const OTHER = /^\s*autres?\b\s*(?:[,:–—-]?\s*\(?\s*pr[ée]cis(?:ez|er|ion)?\s*\)?)?\s*[:,–—-]?\s*(.*)$/is;
const ORDINAL_WORDS: Record<string, number> = {
  premier: 1,
  premiere: 1,
  deuxieme: 2,
  second: 2,
  seconde: 2,
  troisieme: 3,
  quatrieme: 4,
  cinquieme: 5,
  sixieme: 6,
  septieme: 7,
  huitieme: 8,
  neuvieme: 9,
  dixieme: 10,
};

function listOptions(options: ChoiceOption[]): string {
  return options.map((option, index) => `${index + 1}. ${option.label}`).join(' ; ');
}

type Match = { option: ChoiceOption; exact: boolean } | 'ambiguous' | undefined;

function names(option: ChoiceOption): string[] {
  return [option.label, ...(option.synonyms ?? []), option.id]
    .map(normalizeForMatch)
    .filter((name) => name !== '');
}

/** Finds the option a piece of answer names: number, label, synonym, then a close spelling. */
function matchOption(piece: string, options: ChoiceOption[]): Match {
  const key = normalizeForMatch(piece)
    .replace(/^(?:le|la|les|l|n|no|numero|choix|option|reponse)\s+/, '')
    .trim();
  if (key === '') return undefined;
  const number = /^(\d{1,2})(?:er|e|eme)?$/.exec(key)?.[1] ?? ORDINAL_WORDS[key];
  if (number !== undefined) {
    const option = options[Number(number) - 1];
    return option ? { option, exact: true } : undefined;
  }
  const exact = options.filter((option) => names(option).includes(key));
  if (exact.length === 1) return { option: exact[0]!, exact: true };
  if (exact.length > 1) return 'ambiguous';
  const words = new RegExp(`(^| )${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( |$)`);
  const containing = options.filter((option) =>
    names(option).some(
      (name) => (key.length >= 3 && words.test(name)) || new RegExp(`(^| )${name}( |$)`).test(key),
    ),
  );
  if (containing.length === 1) return { option: containing[0]!, exact: false };
  if (containing.length > 1) return 'ambiguous';
  const tolerance = key.length >= 8 ? 2 : key.length >= 4 ? 1 : 0;
  const close = options.filter((option) => names(option).some((name) => distance(name, key) <= tolerance));
  if (close.length === 1) return { option: close[0]!, exact: false };
  return close.length > 1 ? 'ambiguous' : undefined;
}

function splitChoices(text: string): string[] {
  return text
    .replace(/[ \t]+/g, ' ')
    .split(/\s*(?:[,;\n/+&]|\bet\b|\bou\b)\s*|\s+(?=\d)/i)
    .map((piece) => piece.trim())
    .filter((piece) => piece !== '');
}

/**
 * A pick among options, typed: by number (« 2 », « 1 et 3 »), by label or synonym, without
 * accents or with a small typo; « autre : … » when allowed. Ambiguous or unknown answers get the
 * numbered options back.
 */
export function parseChoice(
  text: string,
  options: ChoiceOption[],
  settings: ChoiceOptions & { multiple: true },
): Parsed<MultipleChoice>;
export function parseChoice(
  text: string,
  options: ChoiceOption[],
  settings?: ChoiceOptions,
): Parsed<SingleChoice>;
export function parseChoice(
  text: string,
  options: ChoiceOption[],
  settings: ChoiceOptions = {},
): Parsed<SingleChoice> | Parsed<MultipleChoice> {
  const choices = `Répondez par un numéro ou un libellé : ${listOptions(options)}${settings.allowOther ? ' ; ou « autre : … » en précisant' : ''}.`;
  let rest = text;
  let other: string | undefined;
  const otherAt = settings.allowOther ? text.search(/(?:^|[\s,;])autres?\b/i) : -1;
  if (otherAt >= 0) {
    const otherMatch = OTHER.exec(text.slice(otherAt).replace(/^[\s,;]+/, ''));
    other = otherMatch?.[1]?.trim().replace(/[.;,]+$/, '');
    if (!other)
      return refuse(`Précisez l’autre choix, par exemple « autre : les seniors isolés ». ${choices}`);
    rest = text.slice(0, otherAt);
  }
  const pieces = settings.multiple ? splitChoices(rest) : rest.trim() === '' ? [] : [rest];
  const picked: ChoiceOption[] = [];
  for (const piece of pieces) {
    let match = matchOption(piece, options);
    // A single answer with extra words (« je dirais plutôt le 2 ») may still name one option.
    if (match === undefined && !settings.multiple) {
      const found = splitChoices(piece)
        .map((part) => matchOption(part, options))
        .filter((part) => part !== undefined);
      const named = new Set(found.map((part) => (part === 'ambiguous' ? part : part.option)));
      if (named.size > 1 && !named.has('ambiguous')) return refuse(`Un seul choix est attendu. ${choices}`);
      match = found.length > 0 && named.size === 1 ? found[0] : found.length > 1 ? 'ambiguous' : undefined;
    }
    if (match === 'ambiguous') return refuse(`${quote(piece)} correspond à plusieurs choix. ${choices}`);
    if (match === undefined) return refuse(`Je n’ai pas reconnu ${quote(piece)} parmi les choix. ${choices}`);
    if (!picked.includes(match.option)) picked.push(match.option);
  }
  if (picked.length === 0 && other === undefined) return refuse(`Je n’ai pas reconnu de choix. ${choices}`);
  const echoParts = [...picked.map((option) => option.label), ...(other ? [`autre : ${other}`] : [])];
  if (!settings.multiple) {
    if (echoParts.length > 1) return refuse(`Un seul choix est attendu. ${choices}`);
    return accept(
      other !== undefined ? { id: OTHER_CHOICE_ID, other } : { id: picked[0]!.id },
      echoParts[0]!,
    );
  }
  if (settings.max !== undefined && echoParts.length > settings.max) {
    return refuse(`${settings.max} choix au plus : vous en avez donné ${echoParts.length}. ${choices}`);
  }
  const ids = [...picked.map((option) => option.id), ...(other !== undefined ? [OTHER_CHOICE_ID] : [])];
  return accept(other !== undefined ? { ids, other } : { ids }, echoParts.join(' ; '));
}

export type YesNoPartial = 'oui' | 'non' | 'en_partie';

/** Phrases, longest first so « pas du tout » wins over « tout ». */
const ANSWERS: [string, YesNoPartial][] = (
  [
    ['pas tout a fait', 'en_partie'],
    ['pas completement', 'en_partie'],
    ['pas totalement', 'en_partie'],
    ['pas entierement', 'en_partie'],
    ['pas toujours', 'en_partie'],
    ['oui et non', 'en_partie'],
    ['plus ou moins', 'en_partie'],
    ['en partie', 'en_partie'],
    ['pour la plupart', 'en_partie'],
    ['la plupart', 'en_partie'],
    ['pas tous', 'en_partie'],
    ['pas toutes', 'en_partie'],
    ['en grande partie', 'en_partie'],
    ['partiellement', 'en_partie'],
    ['un peu', 'en_partie'],
    ['moyennement', 'en_partie'],
    ['a moitie', 'en_partie'],
    ['pas mal', 'en_partie'],
    ['partiel', 'en_partie'],
    ['mitige', 'en_partie'],
    ['pas du tout', 'non'],
    ['je ne pense pas', 'non'],
    ['je pense pas', 'non'],
    ['je ne crois pas', 'non'],
    ['pas pour l instant', 'non'],
    ['pas pour le moment', 'non'],
    ['absolument pas', 'non'],
    ['pas vraiment', 'non'],
    ['pas encore', 'non'],
    ['aucunement', 'non'],
    ['non', 'non'],
    ['nan', 'non'],
    ['no', 'non'],
    ['nope', 'non'],
    ['jamais', 'non'],
    ['tout a fait', 'oui'],
    ['absolument', 'oui'],
    ['bien sur', 'oui'],
    ['exactement', 'oui'],
    ['completement', 'oui'],
    ['totalement', 'oui'],
    ['entierement', 'oui'],
    ['carrement', 'oui'],
    ['effectivement', 'oui'],
    ['affirmatif', 'oui'],
    ['d accord', 'oui'],
    ['ok', 'oui'],
    ['oui', 'oui'],
    ['ouais', 'oui'],
    ['yes', 'oui'],
    ['yep', 'oui'],
    ['c est ca', 'oui'],
    ['vas y', 'oui'],
    ['allez y', 'oui'],
    ['tout a fait', 'oui'],
  ] as [string, YesNoPartial][]
).sort((a, b) => b[0].length - a[0].length);

const YES_NO_PARTIAL_ECHO: Record<YesNoPartial, string> = { oui: 'oui', non: 'non', en_partie: 'en partie' };

function readAnswers(text: string): Set<YesNoPartial> {
  let key = ` ${normalizeForMatch(text).replace(/([a-z])\1{2,}/g, '$1')} `;
  const found = new Set<YesNoPartial>();
  for (const [phrase, value] of ANSWERS) {
    const padded = ` ${phrase} `;
    if (key.includes(padded)) {
      found.add(value);
      key = key.replaceAll(padded, ' | ');
    }
  }
  return found;
}

/** The suivi's OUI / NON / En partie: « tout à fait », « pas du tout », « partiellement »… */
export function parseYesNoPartial(text: string): Parsed<YesNoPartial> {
  const example = 'Répondez par « oui », « non » ou « en partie ».';
  const found = readAnswers(text);
  if (found.has('en_partie') || (found.has('oui') && found.has('non'))) {
    return accept('en_partie', YES_NO_PARTIAL_ECHO.en_partie);
  }
  const [only] = found;
  if (!only) return refuse(`Je n’ai pas compris ${quote(text)}. ${example}`);
  return accept(only, YES_NO_PARTIAL_ECHO[only]);
}

/** Oui or non, as a boolean. */
export function parseYesNo(text: string): Parsed<boolean> {
  const example = 'Répondez par « oui » ou par « non ».';
  const found = readAnswers(text);
  if (found.has('en_partie') || found.size > 1) return refuse(`Il me faut un oui ou un non. ${example}`);
  const [only] = found;
  if (!only) return refuse(`Je n’ai pas compris ${quote(text)}. ${example}`);
  return accept(only === 'oui', only);
}
