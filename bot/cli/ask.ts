import { parseArgs } from 'node:util';
import type { Answer } from '../../knowledge/types.ts';
import { fail, loadCliConfig, openCliKnowledge, readJsonl } from './support.ts';

const USAGE = `Usage :
  npm run --silent ask -- "Comment rédiger une convention de partenariat ?"
  npm run --silent ask -- --json [--k 5] "question"
  npm run --silent ask -- --json --batch questions.jsonl   (lignes {"id","question"})`;

function parseCommandLine() {
  try {
    const { values, positionals } = parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        k: { type: 'string', default: '5' },
        batch: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
    });
    const k = Number(values.k);
    if (!Number.isInteger(k) || k < 1 || k > 50)
      fail(`--k attend un nombre entier entre 1 et 50.\n${USAGE}`, 2);
    if (values.help) fail(USAGE, 0);
    return { json: values.json, k, batch: values.batch, question: positionals.join(' ') };
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`, 2);
  }
}

/** The JSON shape of one answer: sources best first, each passage as retrieved. */
function toJson(answer: Answer, id?: unknown) {
  return {
    ...(id === undefined ? {} : { id }),
    question: answer.question,
    answer: answer.text,
    abstained: answer.abstained,
    sources: answer.sources.map(({ document, title, section, text, score }) => ({
      document,
      title,
      section,
      text,
      score,
    })),
  };
}

function toReadable(answer: Answer): string {
  return answer.abstained ? answer.text : `${answer.text}\n`;
}

const options = parseCommandLine();
if (!options.batch && !options.question.trim()) fail(`Posez une question.\n${USAGE}`, 2);
const config = loadCliConfig();
const batch = options.batch ? await readJsonl(options.batch) : undefined;
const knowledge = await openCliKnowledge(config);

if (batch) {
  for (const item of batch) {
    const answer = await knowledge.answer(String(item.question ?? ''), { k: options.k });
    process.stdout.write(
      `${options.json ? JSON.stringify(toJson(answer, item.id)) : `${item.id ?? ''}\n${toReadable(answer)}`}\n`,
    );
  }
} else {
  const answer = await knowledge.answer(options.question, { k: options.k });
  process.stdout.write(`${options.json ? JSON.stringify(toJson(answer)) : toReadable(answer)}\n`);
}
