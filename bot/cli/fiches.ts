import { parseArgs } from 'node:util';
import { missingRequired } from '../core/forms/engine.ts';
import type { Repositories } from '../core/ports.ts';
import type { RecordVersion } from '../core/versions.ts';
import { FICHE_FORM } from '../features/fiches/form.ts';
import { type Fiche, type FicheStatus, STATUS_LABELS } from '../features/fiches/model.ts';
import { ficheMarkdown, historyText, progressOf } from '../features/fiches/view.ts';
import { type Command, CommandError, parseUsage } from './command.ts';

const USAGE = `Usage :
  npm run fiches -- list [--collectivite <nom|code|id>] [--statut brouillon|soumise|a_revoir|validee] [--json]
  npm run fiches -- show <id | numéro> [--collectivite …] [--json]
  npm run fiches -- history <id | numéro> [--collectivite …] [--json]`;

const STATUSES = Object.keys(STATUS_LABELS) as FicheStatus[];

/**
 * The stable JSON of a fiche (`show --json`, one per line of `list --json`): the envelope in English, the
 * values under the form's field ids with normalized values (ISO dates, euros as numbers, ETP as decimals,
 * lists as arrays). Documented in the README.
 */
export function ficheJson(fiche: Fiche, versionCount: number) {
  return {
    id: fiche.id,
    number: fiche.number,
    collectivite: fiche.collectivite,
    programme: fiche.programme ?? null,
    title: fiche.title,
    status: fiche.status,
    version: fiche.version,
    versionCount,
    author: fiche.createdBy,
    createdAt: fiche.createdAt.toISOString(),
    updatedAt: fiche.updatedAt.toISOString(),
    values: fiche.values,
    missing: missingRequired(FICHE_FORM, fiche.values).map((field) => field.id),
  };
}

const versionJson = (version: RecordVersion) => ({
  version: version.version,
  author: version.author,
  createdAt: version.createdAt.toISOString(),
  status: version.status ?? null,
  note: version.note ?? null,
  changes: version.changes,
});

async function collectiviteIds(repositories: Repositories, reference: string | undefined): Promise<string[]> {
  if (reference) {
    const found = await repositories.directory.findCollectivite(reference);
    if (!found)
      throw new CommandError(
        `Collectivité inconnue : « ${reference} ». Voir npm run admin -- collectivite list.`,
      );
    return [found.id];
  }
  return (await repositories.directory.listCollectivites()).map((collectivite) => collectivite.id);
}

async function findFiche(
  repositories: Repositories,
  reference: string | undefined,
  collectivite: string | undefined,
): Promise<Fiche> {
  if (!reference) throw new CommandError(`Il manque l’identifiant ou le numéro de la fiche.\n${USAGE}`, 2);
  if (/^\d{1,6}$/.test(reference)) {
    const ids = await collectiviteIds(repositories, collectivite);
    const matches = (await repositories.fiches.list({ collectiviteIds: ids })).filter(
      (fiche) => fiche.number === Number(reference),
    );
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      throw new CommandError(
        `Plusieurs collectivités ont une fiche n° ${reference} : précisez --collectivite (${matches.map((fiche) => fiche.collectivite.name).join(', ')}).`,
        2,
      );
    }
    throw new CommandError(`Aucune fiche n° ${reference}.`);
  }
  const fiche = await repositories.fiches.get(reference);
  if (!fiche) throw new CommandError(`Aucune fiche d’identifiant « ${reference} ».`);
  return fiche;
}

/** `npm run fiches`: the fiches-actions in the shared database, readable by people and by scripts. */
export const fiches: Command = {
  name: 'fiches',
  async run(argv, context, io) {
    const { values, positionals } = parseUsage(USAGE, () =>
      parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          collectivite: { type: 'string' },
          statut: { type: 'string' },
          json: { type: 'boolean', default: false },
          help: { type: 'boolean', short: 'h', default: false },
        },
      }),
    );
    const [action = 'list', reference] = positionals;
    if (values.help) throw new CommandError(USAGE, 0);
    if (values.statut && !STATUSES.includes(values.statut as FicheStatus)) {
      throw new CommandError(`Statut inconnu : « ${values.statut} » (${STATUSES.join(', ')}).`, 2);
    }
    const repositories = await context.repositories();
    switch (action) {
      case 'list': {
        const ids = await collectiviteIds(repositories, values.collectivite);
        const list = await repositories.fiches.list({
          collectiviteIds: ids,
          statuses: values.statut ? [values.statut as FicheStatus] : undefined,
        });
        if (values.json) {
          io.stdout(`${JSON.stringify(list.map((fiche) => ficheJson(fiche, fiche.version)))}\n`);
        } else if (list.length === 0) {
          io.stdout('Aucune fiche-action.\n');
        } else {
          for (const fiche of list) {
            const { filled, total } = progressOf(fiche.values);
            io.stdout(
              `n° ${fiche.number}\t${STATUS_LABELS[fiche.status]}\t${filled}/${total}\t${fiche.collectivite.name}\t${fiche.title}\t${fiche.id}\n`,
            );
          }
        }
        return 0;
      }
      case 'show': {
        const fiche = await findFiche(repositories, reference, values.collectivite);
        const history = await repositories.fiches.history(fiche.id);
        if (values.json) io.stdout(`${JSON.stringify(ficheJson(fiche, history.length), null, 2)}\n`);
        else io.stdout(`${ficheMarkdown(fiche, await repositories.fiches.comments(fiche.id))}\n`);
        return 0;
      }
      case 'history': {
        const fiche = await findFiche(repositories, reference, values.collectivite);
        const history = await repositories.fiches.history(fiche.id);
        if (values.json) io.stdout(`${JSON.stringify(history.map(versionJson), null, 2)}\n`);
        else io.stdout(`${historyText(history, history.length)}\n`);
        return 0;
      }
      default:
        throw new CommandError(`Action inconnue : « ${action} ».\n${USAGE}`, 2);
    }
  },
};
