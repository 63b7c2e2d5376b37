import { parseArgs } from 'node:util';
import type { FeedbackView } from '../core/ports.ts';
import { type Command, CommandError, parseUsage } from './command.ts';

const USAGE = `Usage :
  npm run feedback                 (les 20 derniers retours, les négatifs d'abord)
  npm run feedback -- --limit 50
  npm run --silent feedback -- --json`;

const RATING_LABEL = { down: '👎', up: '👍' } as const;

function parseCommandLine(argv: string[]) {
  const { values } = parseUsage(USAGE, () =>
    parseArgs({
      args: argv,
      options: {
        limit: { type: 'string', default: '20' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }),
  );
  if (values.help) throw new CommandError(USAGE, 0);
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new CommandError(`--limit attend un nombre entier entre 1 et 1000.\n${USAGE}`, 2);
  return { limit, json: values.json };
}

/** One line of a cell: spaces collapsed, cut with an ellipsis, padded to the column width. */
function cell(text: string, width: number): string {
  const flat = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  const fitted = chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : flat;
  // UTF-16 length matches terminal columns for accented letters and for emoji (two of each).
  return fitted.padEnd(width);
}

function formatDate(date: Date, timeZone: string): string {
  return date.toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone });
}

function sourcesSummary(sources: FeedbackView['sources']): string {
  return [...new Set(sources.map((source) => source.document))].join(', ') || '—';
}

const COLUMNS: { title: string; width: number; value: (view: FeedbackView, timeZone: string) => string }[] = [
  { title: 'Date', width: 17, value: (view, timeZone) => formatDate(view.createdAt, timeZone) },
  { title: 'Canal', width: 5, value: (view) => view.channel },
  { title: 'Avis', width: 4, value: (view) => RATING_LABEL[view.rating] },
  { title: 'Question', width: 36, value: (view) => view.question },
  { title: 'Début de la réponse', width: 40, value: (view) => view.answer },
  { title: 'Sources', width: 28, value: (view) => sourcesSummary(view.sources) },
  { title: 'Commentaire', width: 40, value: (view) => view.comment ?? '—' },
];

function table(views: FeedbackView[], timeZone: string): string {
  const line = (values: string[]) =>
    values
      .map((value, i) => cell(value, COLUMNS[i]!.width))
      .join(' │ ')
      .trimEnd();
  const header = line(COLUMNS.map((column) => column.title));
  const rule = COLUMNS.map((column) => '─'.repeat(column.width)).join('─┼─');
  const rows = views.map((view) => line(COLUMNS.map((column) => column.value(view, timeZone))));
  return [header, rule, ...rows].join('\n');
}

function toJson(view: FeedbackView) {
  return {
    createdAt: view.createdAt.toISOString(),
    channel: view.channel,
    rating: view.rating,
    comment: view.comment ?? null,
    question: view.question,
    answer: view.answer,
    sources: view.sources,
  };
}

/** `npm run feedback`: the latest ratings from every channel, negative first. */
export const feedback: Command = {
  name: 'feedback',
  async run(argv, context, io) {
    const options = parseCommandLine(argv);
    const repositories = await context.repositories().catch((error: Error) => {
      throw new CommandError(`Impossible de lire les retours : ${error.message}`);
    });
    const views = await repositories.feedback.latest(options.limit);
    if (options.json) io.stdout(`${JSON.stringify(views.map(toJson))}\n`);
    else if (views.length === 0) io.stdout("Aucun retour pour l'instant.\n");
    else
      io.stdout(
        `${views.length} retour(s), les négatifs d'abord puis les plus récents :\n\n${table(views, context.caller.timeZone)}\n`,
      );
    return 0;
  },
};
