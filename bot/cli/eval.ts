import { normalizeForMatch } from '../../knowledge/text/normalize.ts';
import { fail, loadCliConfig, openCliKnowledge, percentile, readJsonl } from './support.ts';

/** What the evaluation reads of a source and an answer, as a référent would: the start. */
const SOURCE_CHARS = 1_200;
const ANSWER_CHARS = 1_000;
const DEFAULT_FILE = '../shared/eval/dev.jsonl';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const file = args.find((arg) => !arg.startsWith('--')) ?? DEFAULT_FILE;
const config = loadCliConfig();
const questions = await readJsonl(file).catch((error: Error) => fail(error.message, 2));
if (questions.length === 0) fail(`Aucune question dans ${file}.`, 2);
const knowledge = await openCliKnowledge(config);

const ranks: number[] = [];
const latencies: number[] = [];
let answerable = 0;
let answerHits = 0;
let abstainExpected = 0;
let abstainCorrect = 0;
let falseAbstentions = 0;

for (const item of questions) {
  const question = String(item.question ?? '');
  const evidence = ((item.evidence as string[] | undefined) ?? []).map(normalizeForMatch);
  const started = performance.now();
  const answer = await knowledge.answer(question, { k: 5 });
  latencies.push(performance.now() - started);
  const contains = (text: string, limit: number) =>
    evidence.some((phrase) => normalizeForMatch(text.slice(0, limit)).includes(phrase));
  if (item.abstain) {
    abstainExpected++;
    if (answer.abstained) abstainCorrect++;
    else if (verbose) console.log(`✗ non abstenu : ${item.id} ${question}`);
    continue;
  }
  answerable++;
  if (answer.abstained) falseAbstentions++;
  const rank = answer.sources.findIndex((source) => contains(source.text, SOURCE_CHARS));
  ranks.push(rank);
  if (!answer.abstained && contains(answer.text, ANSWER_CHARS)) answerHits++;
  if (verbose && rank !== 0) {
    console.log(
      `✗ ${item.id} rang ${rank === -1 ? '>5' : rank + 1}${answer.abstained ? ' (abstenu)' : ''} : ${question}`,
    );
    console.log(`    attendu [${item.doc}] ${evidence.join(' | ')}`);
    for (const source of answer.sources.slice(0, 3))
      console.log(`    → ${source.id} ${source.section.slice(0, 90)}`);
  }
}

const recallAt = (k: number) =>
  ranks.filter((rank) => rank >= 0 && rank < k).length / Math.max(1, ranks.length);
const mrr =
  ranks.reduce((sum, rank) => sum + (rank >= 0 ? 1 / (rank + 1) : 0), 0) / Math.max(1, ranks.length);
const figure = (value: number) => value.toFixed(3);
console.log(
  `Questions : ${questions.length} (${answerable} avec réponse, ${abstainExpected} hors corpus) — ${file}`,
);
console.log(
  `recall@1 ${figure(recallAt(1))}   recall@3 ${figure(recallAt(3))}   recall@5 ${figure(recallAt(5))}   MRR ${figure(mrr)}`,
);
console.log(`Abstentions : ${abstainCorrect}/${abstainExpected} correctes, ${falseAbstentions} à tort`);
console.log(`Réponses contenant un fait attendu : ${figure(answerHits / Math.max(1, answerable))}`);
console.log(
  `Latence par question : p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms`,
);
