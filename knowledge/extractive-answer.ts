import { isTemplateText } from './passage-terms.ts';
import type { Passage, RetrievedPassage } from './types.ts';

/** Scores a piece of text against the question: the summed weight of the question terms it contains. */
export type TermScorer = (text: string) => number;

export interface ExtractiveSelection {
  /** Passage index (0-based in the retrieved list) -> sentences taken from it, in reading order. */
  excerpts: { passageIndex: number; sentences: string[] }[];
}

const BODY_BUDGET = 880;
const FIRST_PASSAGE_BUDGET = 700;
const UNIT_MAX = 420;
const SECOND_PASSAGE_RATIO = 0.5;
/** How much more a run of sentences stating the precise fact asked is worth. */
const FACT_WINDOW_FACTOR = 1.5;
/** A sentence stating it must match the question at least this well, relative to the best sentence. */
const FACT_SENTENCE_SHARE = 0.5;

/** Cells of a Markdown table row, without the blank ones and the separator dashes. */
function cells(row: string): string[] {
  return row
    .replace(/^\|/, '')
    .replace(/\|\s*$/, '')
    .split('|')
    .map((cell) => cell.replace(/<br\s*\/?>/gi, ' ').trim());
}

/**
 * A table row as a list item that names its columns: « - Acteurs — CLS : Pilotage partagé… ». A row with a
 * single filled cell is a blank line of a form (« | Contenu de l'action | | ») and says nothing on its own.
 */
export function tableRowText(row: string, header?: string): string | undefined {
  const values = cells(row);
  const names = header ? cells(header) : [];
  const filled = values.flatMap((value, i) => (value && !/^:?-+:?$/.test(value) ? [{ value, i }] : []));
  if (filled.length < 2) return undefined;
  const [label, ...rest] = filled;
  const described = rest.map(({ value, i }) => (names[i] ? `${names[i]} : ${value}` : value));
  return `- ${label!.value} — ${described.join(' ; ')}`;
}

/** Lines of a passage body (its first line is the heading), each cut into sentences; table rows as items. */
export function sentenceUnits(passageText: string): string[] {
  const [, ...body] = passageText.split('\n');
  let header: string | undefined;
  return body
    .flatMap((line, i) => {
      if (!line.startsWith('|'))
        return /^\s*-/.test(line) ? [line] : line.split(/(?<=[.!?])\s+(?=[A-ZÀ-Ý«])/u);
      // The first row of a table names its columns: it is no answer, but it labels the others.
      if (!body[i - 1]?.startsWith('|')) {
        header = line;
        return [];
      }
      return [tableRowText(line, header) ?? ''];
    })
    .map((unit) => unit.trim())
    .filter((unit) => unit.length > 2);
}

const isLineItem = (unit: string) => /^\s*-/.test(unit);

/**
 * How to present words taken from a form to fill in: « Le modèle de convention de partenariat prévoit : ».
 * The form's name is its heading up to its first blank (« Convention de partenariat relative à..... »).
 */
export function templateLead(passage: Passage): string | undefined {
  if (!isTemplateText(passage.text) && !passage.sectionPath.some(isTemplateText)) return undefined;
  const heading = [...passage.sectionPath].reverse().find(isTemplateText);
  const name = (heading?.split(/x{3,}|\.{3,}|…|\(/i)[0] ?? '')
    .replace(/\s+(?:relative?s?|relatifs?)\s+(?:à|au|aux)\s*$/iu, '')
    .trim();
  return name
    ? `Le modèle de ${name.charAt(0).toLowerCase()}${name.slice(1)} prévoit :`
    : 'Le modèle proposé prévoit :';
}

/** Sentences run on; list items and table rows keep their own lines. */
export function joinSentences(sentences: string[]): string {
  return sentences.reduce(
    (text, unit, i) =>
      i === 0 ? unit : `${text}${isLineItem(unit) || isLineItem(sentences[i - 1]!) ? '\n' : ' '}${unit}`,
    '',
  );
}

function cutAt(unit: string, max: number): string {
  if (unit.length <= max) return unit;
  const cut = unit.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 20))}…`;
}

/** Where a long unit divides: bullets (« • »), a table item's cells (« ; »), sentences. */
const PART_BREAK = /\s(?=•)|(?<=\S)\s;\s|(?<=[.!?])\s+(?=[A-ZÀ-Ý«])/u;

/**
 * A unit cut to `max` characters. A long bullet list, table row or paragraph keeps its opening part (the row's
 * label, « Comment ? : ») and then the parts that match the question best, in their order, rather than only
 * its beginning: the fact asked may be its last cell.
 */
function shorten(unit: string, max: number, score?: TermScorer): string {
  if (unit.length <= max) return unit;
  const parts = unit
    .split(PART_BREAK)
    .map((part) => part.trim())
    .filter(Boolean);
  if (!score || parts.length < 3) return cutAt(unit, max);
  const [head, ...rest] = parts;
  const ranked = rest
    .map((part, i) => ({ part, i, value: score(part) }))
    .filter(({ value }) => value > 0)
    .sort((a, b) => b.value - a.value || a.i - b.i);
  const opening = cutAt(head!, Math.round(max / 2));
  const kept = new Set<number>();
  let used = opening.length;
  for (const { part, i } of ranked) {
    if (used + part.length + 3 > max) continue;
    kept.add(i);
    used += part.length + 3;
  }
  if (kept.size === 0) return cutAt(unit, max);
  const shown = [opening];
  rest.forEach((part, i) => {
    if (!kept.has(i)) return;
    if (!kept.has(i - 1) && !shown[shown.length - 1]!.endsWith('…')) shown.push('…');
    shown.push(part);
  });
  return shown.join(' ');
}

/** Short fragments ("Article 5 – Durée") say little on their own: a unit's match counts in full from 80 chars. */
/** Blanks of a form to fill in ("A xxxx, le", "relative à.....") are no answer to quote. */
const FORM_BLANK = /x{3,}|\.{4,}|\((?:intitulé|objectif|liste)\b[^)]*\)/i;

function unitScore(score: TermScorer): TermScorer {
  return (unit) => (FORM_BLANK.test(unit) ? 0 : score(unit) * Math.min(1, 0.4 + unit.length / 130));
}

/**
 * The run of consecutive sentences, within the budget, that covers the most of the question's terms
 * (each counted once), ties going to the run that opens on the better-matching sentence.
 */
function bestWindow(
  units: string[],
  scores: number[],
  coverage: (units: string[]) => number,
  budget: number,
  score: TermScorer,
  statesFact?: (sentence: string) => boolean,
  fromStart = false,
) {
  let best: { units: string[]; value: number } = { units: [], value: -1 };
  const topScore = Math.max(0, ...scores);
  for (let start = 0; start < (fromStart ? 1 : units.length); start++) {
    const window: string[] = [];
    let used = 0;
    for (let end = start; end < units.length && used < budget && !FORM_BLANK.test(units[end]!); end++) {
      const unit = shorten(units[end]!, Math.min(UNIT_MAX, budget - used + 60), score);
      window.push(unit);
      used += unit.length + 1;
    }
    // For « quand », « combien »…, a run with a sentence about the question that states the date or number
    // asked is worth more than one that only repeats the question's words.
    const answers = window.some(
      (_, i) => statesFact?.(units[start + i]!) && scores[start + i]! >= FACT_SENTENCE_SHARE * topScore,
    );
    const value = coverage(window) * (answers ? FACT_WINDOW_FACTOR : 1) + 0.01 * scores[start]!;
    if (value > best.value + 1e-9) best = { units: window, value };
  }
  return best.units;
}

/**
 * Picks the sentence of the best passage that matches the question most, with the sentences that follow
 * it (where definitions, lists and figures usually are), then the best sentence of another passage when it
 * matches almost as well. The answer says only what the documents say, in their own words.
 */
export function selectExcerpts(
  passages: RetrievedPassage[],
  score: TermScorer,
  coverage: (units: string[]) => number,
  statesFact?: (sentence: string) => boolean,
): ExtractiveSelection {
  const excerpts: ExtractiveSelection['excerpts'] = [];
  const first = passages[0];
  if (!first) return { excerpts };
  const units = sentenceUnits(first.text);
  if (units.length === 0) return { excerpts: [{ passageIndex: 0, sentences: [first.text.split('\n')[0]!] }] };
  const scores = units.map(unitScore(score));
  const best = scores.indexOf(Math.max(...scores));
  // A question about a section itself (« c'est quoi l'objectif stratégique 1 ? ») is answered by its title.
  const heading = first.sectionPath[first.sectionPath.length - 1] ?? '';
  const headingScore = heading ? score(heading) : 0;
  const aboutSection = headingScore > 0 && headingScore >= Math.max(...units.map((unit) => score(unit)));
  // A title that asks the question (« Qu'entend-on par co-construction ? ») is answered from its first words.
  const asks = /\?\s*$/.test(heading);
  const lead = aboutSection && !asks ? [/[.:!]$/.test(heading) ? heading : `${heading} :`] : [];
  const budget = FIRST_PASSAGE_BUDGET - (lead[0]?.length ?? 0);
  const window = bestWindow(units, scores, coverage, budget, score, statesFact, aboutSection && asks);
  const taken = [...lead, ...(window.length > 0 ? window : [shorten(units[best]!, budget, score)])];
  excerpts.push({ passageIndex: 0, sentences: taken });
  let used = joinSentences(taken).length;

  const topScore = scores[best] ?? 0;
  for (let index = 1; index < Math.min(passages.length, 3) && used < BODY_BUDGET - 80; index++) {
    const candidate = passages[index]!;
    if (candidate.section === first.section && candidate.document === first.document && index > 1) continue;
    const candidateUnits = sentenceUnits(candidate.text);
    const candidateScores = candidateUnits.map(unitScore(score));
    const bestHere = Math.max(0, ...candidateScores);
    if (bestHere < topScore * SECOND_PASSAGE_RATIO || bestHere === 0) continue;
    const unit = shorten(candidateUnits[candidateScores.indexOf(bestHere)]!, BODY_BUDGET - used, score);
    excerpts.push({ passageIndex: index, sentences: [unit] });
    used += unit.length + 1;
    break;
  }
  return { excerpts };
}
