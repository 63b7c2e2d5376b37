import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parisDay } from '../core/calendar.ts';
import { addDays } from '../core/french/calendar.ts';
import { renderDashboard } from '../features/dashboard/documents.ts';
import { isLate, PHASES, type Task } from '../features/dashboard/model.ts';
import { compactView, SOON_DAYS } from '../features/dashboard/view.ts';
import { type Command, CommandError, parseUsage } from './command.ts';

const USAGE = `Usage :
  npm run dashboard -- show <collectivité> [--json]
  npm run dashboard -- export <collectivité> --format xlsx|png [--out FICHIER]`;

/** The stable JSON of a task: its number, values (ISO dates, stored état) and whether it is late today. */
const taskJson = (task: Task, today: string) => ({
  id: task.id,
  number: task.number,
  version: task.version,
  values: task.values,
  late: isLate(task.values, today),
});

/** `show --json`: the compact view as data, per phase its counts, the late tasks and those due within 14 days. */
export function dashboardJson(collectivite: { id: string; name: string }, tasks: Task[], today: string) {
  const soon = addDays(today, SOON_DAYS);
  const open = (task: Task) => task.values.etat === 'a_faire' || task.values.etat === 'en_cours';
  return {
    collectivite,
    today,
    phases: PHASES.map((phase) => {
      const ofPhase = tasks.filter((task) => task.values.phase === phase.id);
      return {
        id: phase.id,
        label: phase.label,
        tasks: ofPhase.length,
        byState: Object.fromEntries(
          (['a_faire', 'en_cours', 'fait', 'abandonne'] as const).map((state) => [
            state,
            ofPhase.filter((task) => task.values.etat === state).length,
          ]),
        ),
      };
    }),
    late: tasks.filter((task) => isLate(task.values, today)).map((task) => task.number),
    dueWithin14Days: tasks
      .filter((task) => open(task) && task.values.fin && task.values.fin >= today && task.values.fin <= soon)
      .map((task) => task.number),
    tasks: tasks.map((task) => taskJson(task, today)),
  };
}

/** `npm run dashboard`: a collectivité's tableau de bord, as text, JSON, an Excel file or a Gantt picture. */
export const dashboard: Command = {
  name: 'dashboard',
  async run(argv, context, io) {
    const { values, positionals } = parseUsage(USAGE, () =>
      parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          json: { type: 'boolean', default: false },
          format: { type: 'string' },
          out: { type: 'string' },
          help: { type: 'boolean', short: 'h', default: false },
        },
      }),
    );
    if (values.help) throw new CommandError(USAGE, 0);
    const [action, reference] = positionals;
    if (!reference) throw new CommandError(`Il manque la collectivité.\n${USAGE}`, 2);
    const repositories = await context.repositories();
    const collectivite = await repositories.directory.findCollectivite(reference);
    if (!collectivite)
      throw new CommandError(
        `Collectivité inconnue : « ${reference} ». Voir npm run admin -- collectivite list.`,
      );
    const now = new Date();
    const today = parisDay(now);
    switch (action) {
      case 'show': {
        const tasks = await repositories.tasks.list({ collectiviteIds: [collectivite.id] });
        if (values.json) {
          io.stdout(
            `${JSON.stringify(dashboardJson({ id: collectivite.id, name: collectivite.name }, tasks, today), null, 2)}\n`,
          );
        } else {
          io.stdout(`${compactView(collectivite, tasks, today, { canEdit: false }).text}\n`);
        }
        return 0;
      }
      case 'export': {
        if (values.format !== 'xlsx' && values.format !== 'png')
          throw new CommandError(`Indiquez --format xlsx ou --format png.\n${USAGE}`, 2);
        const file = await renderDashboard(
          { kind: 'dashboard', collectiviteId: collectivite.id, format: values.format },
          repositories,
          now,
        );
        if (!file) throw new CommandError(`Collectivité introuvable : « ${reference} ».`);
        const target = path.resolve(context.caller.cwd, values.out ?? file.fileName);
        await writeFile(target, file.bytes);
        io.stdout(`${target}\n`);
        return 0;
      }
      default:
        throw new CommandError(`Action inconnue : « ${action ?? ''} ».\n${USAGE}`, 2);
    }
  },
};
