import { parseArgs } from 'node:util';
import type { Answer } from '../../knowledge/types.ts';
import { type Command, CommandError, parseUsage } from './command.ts';
import { readJsonl } from './support.ts';

const USAGE = `Usage :
  npm run --silent ask -- "Comment rédiger une convention de partenariat ?"
  npm run --silent ask -- --json [--k 5] "question"
  npm run --silent ask -- --json --batch questions.jsonl   (lignes {"id","question"})`;

function parseCommandLine(argv: string[]) {
  const { values, positionals } = parseUsage(USAGE, () =>
    parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean', default: false },
        k: { type: 'string', default: '5' },
        batch: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
    }),
  );
  if (values.help) throw new CommandError(USAGE, 0);
  const k = Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > 50)
    throw new CommandError(`--k attend un nombre entier entre 1 et 50.\n${USAGE}`, 2);
  const question = positionals.join(' ');
  if (!values.batch && !question.trim()) throw new CommandError(`Posez une question.\n${USAGE}`, 2);
  return { json: values.json, k, batch: values.batch, question };
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

/** `npm run ask`: one question, or a batch file, answered from the knowledge base. */
export const ask: Command = {
  name: 'ask',
  async run(argv, context, io) {
    const options = parseCommandLine(argv);
    const batch = options.batch ? await readJsonl(options.batch, context.caller.cwd) : undefined;
    const knowledge = await context.knowledge();
    if (batch) {
      for (const item of batch) {
        const answer = await knowledge.answer(String(item.question ?? ''), { k: options.k });
        io.stdout(
          `${options.json ? JSON.stringify(toJson(answer, item.id)) : `${item.id ?? ''}\n${toReadable(answer)}`}\n`,
        );
      }
    } else {
      const answer = await knowledge.answer(options.question, { k: options.k });
      io.stdout(`${options.json ? JSON.stringify(toJson(answer)) : toReadable(answer)}\n`);
    }
    return 0;
  },
};
