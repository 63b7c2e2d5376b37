/**
 * How well the French parsers read free answers written by people who never saw our tests.
 * Run: `npx tsx bench/french-answers.ts` (add `--json` for machine-readable figures). Reads
 * tests/fixtures/free-french-answers.jsonl; `expected: null` means the answer must be refused.
 */
import { readFileSync } from 'node:fs';
import {
  nameFromSentence,
  parseAmount,
  parseChoice,
  parseCount,
  parseDate,
  parseEtp,
  parseFunding,
  parseList,
  parseMilestones,
  parsePeriod,
  parseQuarter,
  parseStaffing,
  parseYesNo,
  parseYesNoPartial,
} from '../bot/core/french/index.ts';
import type { Parsed } from '../bot/core/french/parsed.ts';
import { PUBLICS } from '../bot/features/fiches/form.ts';

/** A fixed « today » so the figures do not move with the calendar. */
const TODAY = '2026-11-30';

interface Case {
  parser: string;
  text: string;
  expected: unknown;
  bias?: 'start' | 'end';
}

/** Names compared loosely: case, accents and a leading article do not matter. */
function looseName(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[’']/g, "'")
    .replace(/^(?:par |de |du |des )?(?:le |la |les |l')?/, '')
    .trim();
}

const near = (a: number, b: number) => Math.abs(a - b) < 0.005;

/** Each parser, and how its value is brought to the fixture's normalized form. */
const PARSERS: Record<string, (c: Case) => { parsed: Parsed<unknown>; normalize: (v: never) => unknown }> = {
  structure: (c) => ({
    parsed: { ok: true, value: nameFromSentence(c.text), echo: '' },
    normalize: (v: string) => v,
  }),
  date: (c) => ({ parsed: parseDate(c.text, { today: TODAY, bias: c.bias }), normalize: (v: string) => v }),
  period: (c) => ({ parsed: parsePeriod(c.text, { today: TODAY }), normalize: (v: object) => v }),
  quarter: (c) => ({
    parsed: parseQuarter(c.text, { today: TODAY }),
    normalize: (v: { id: string }) => v.id,
  }),
  amount: (c) => ({ parsed: parseAmount(c.text), normalize: (v: number) => v }),
  etp: (c) => ({ parsed: parseEtp(c.text), normalize: (v: number) => v }),
  count: (c) => ({ parsed: parseCount(c.text), normalize: (v: object) => v }),
  list: (c) => ({ parsed: parseList(c.text), normalize: (v: string[]) => v.map(looseName) }),
  choice: (c) => ({
    parsed: parseChoice(c.text, PUBLICS, { multiple: true, allowOther: true }),
    normalize: (v: { ids: string[] }) => v.ids,
  }),
  yesno: (c) => ({ parsed: parseYesNo(c.text), normalize: (v: boolean) => v }),
  yesnopartial: (c) => ({ parsed: parseYesNoPartial(c.text), normalize: (v: string) => v }),
  funding: (c) => ({
    parsed: parseFunding(c.text),
    normalize: (v: { funder: string; amount: number }[]) =>
      v.map((f) => ({ ...f, funder: looseName(f.funder) })),
  }),
  staffing: (c) => ({
    parsed: parseStaffing(c.text),
    normalize: (v: { structure: string; etp: number }[]) =>
      v.map((s) => ({ ...s, structure: looseName(s.structure) })),
  }),
  milestones: (c) => ({
    parsed: parseMilestones(c.text, { today: TODAY }),
    normalize: (v: { label: string; date: string }[]) => v.map((m) => ({ ...m, label: looseName(m.label) })),
  }),
};

/** Expected names are loosened like the parsed ones. */
function loosenExpected(parser: string, expected: unknown): unknown {
  if (parser === 'list') return (expected as string[]).map(looseName);
  if (!['funding', 'staffing', 'milestones'].includes(parser) || !Array.isArray(expected)) return expected;
  return expected.map((item: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(item).map(([key, value]) => [
        key,
        ['funder', 'structure', 'label'].includes(key) ? looseName(String(value)) : value,
      ]),
    ),
  );
}

/** Deep equality where numbers match to the cent and an expected object only fixes the keys it names. */
function matches(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number') return typeof actual === 'number' && near(actual, expected);
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((item, index) => matches(actual[index], item))
    );
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object') return false;
    const record = actual as Record<string, unknown>;
    return Object.entries(expected).every(([key, value]) => matches(record[key], value));
  }
  return actual === expected;
}

const cases: Case[] = readFileSync(
  new URL('../tests/fixtures/free-french-answers.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line));

type Outcome = 'correct' | 'refused' | 'wrong';
const tally: Record<string, Record<Outcome, number>> = {};
const failures: string[] = [];
for (const c of cases) {
  const run = PARSERS[c.parser];
  if (!run) throw new Error(`unknown parser ${c.parser}`);
  const { parsed, normalize } = run(c);
  const got = parsed.ok ? normalize(parsed.value as never) : null;
  const outcome: Outcome =
    c.expected === null
      ? parsed.ok
        ? 'wrong'
        : 'correct'
      : !parsed.ok
        ? 'refused'
        : matches(got, loosenExpected(c.parser, c.expected))
          ? 'correct'
          : 'wrong';
  const counts = tally[c.parser] ?? { correct: 0, refused: 0, wrong: 0 };
  counts[outcome] += 1;
  tally[c.parser] = counts;
  if (outcome !== 'correct') {
    const detail = parsed.ok ? `read ${JSON.stringify(got)}` : `refused: ${parsed.message}`;
    failures.push(
      `[${outcome}] ${c.parser} « ${c.text} » expected ${JSON.stringify(c.expected)} — ${detail}`,
    );
  }
}

const total = { correct: 0, refused: 0, wrong: 0 };
console.log('parser         correct  refused  wrong');
for (const [parser, counts] of Object.entries(tally)) {
  for (const key of Object.keys(total) as Outcome[]) total[key] += counts[key];
  console.log(
    `${parser.padEnd(14)} ${String(counts.correct).padStart(7)}  ${String(counts.refused).padStart(7)}  ${String(counts.wrong).padStart(5)}`,
  );
}
console.log(
  `${'TOTAL'.padEnd(14)} ${String(total.correct).padStart(7)}  ${String(total.refused).padStart(7)}  ${String(total.wrong).padStart(5)}  (${cases.length} answers)`,
);
if (failures.length > 0) console.log(`\nFailures:\n${failures.join('\n')}`);
