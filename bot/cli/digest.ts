import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Repositories } from '../core/ports.ts';
import { buildDigests, type DigestRequest } from '../features/digest/build.ts';
import { digestDeps } from '../features/digest/deps.ts';
import type { Digest, IsoWeek } from '../features/digest/model.ts';
import { digestText } from '../features/digest/view.ts';
import { isoWeekOf, parseIsoWeek, previousWeek } from '../features/digest/weeks.ts';
import { type Command, type CommandContext, CommandError, parseUsage } from './command.ts';
import { DELIVERY_OPTIONS, DELIVERY_USAGE, digestHistory, sendDigests } from './digest-delivery.ts';

export const DIGEST_USAGE = `Usage :
  npm run digest -- --dry-run [--week 2026-W48] [--person <id|e-mail>] [--json]
    Affiche le digest hebdomadaire tel qu’il serait envoyé, sans rien envoyer. Par défaut : la dernière
    semaine complète, pour chaque coordinateur (ou la personne donnée, référent compris).
${DELIVERY_USAGE}`;

/** The options of `npm run digest`: delivery adds its own (--send, --force, …) to these. */
export const DIGEST_OPTIONS = {
  'dry-run': { type: 'boolean', default: false },
  week: { type: 'string' },
  person: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  ...DELIVERY_OPTIONS,
} as const satisfies ParseArgsConfig['options'];

/** The week asked for, or the last whole week before `now` (a Monday digest reports on the week before). */
export function weekOption(text: string | undefined, now: Date): IsoWeek {
  if (text === undefined) return previousWeek(isoWeekOf(now));
  const week = parseIsoWeek(text);
  if (!week) throw new CommandError(`Semaine invalide : « ${text} », attendu par exemple « 2026-W48 ».`, 2);
  return week;
}

/** The person asked for, or every coordinator (and deployment administrator) with access. */
export async function digestRequests(
  repositories: Repositories,
  person: string | undefined,
): Promise<DigestRequest[]> {
  if (person) {
    const found = await repositories.directory.findPerson(person);
    if (!found || found.deactivatedAt) {
      throw new CommandError(`Personne inconnue : « ${person} ». Voir npm run admin -- personne list.`);
    }
    return [{ personId: found.id }];
  }
  return (await repositories.directory.listPeople())
    .filter((p) => !p.deactivatedAt)
    .filter((p) =>
      p.memberships.some((m) => m.role === 'coordinateur' || (m.role === 'admin' && !m.collectivite)),
    )
    .map((p) => ({ personId: p.id }));
}

/** The digests of a week as they would be sent now. */
export async function digestsFor(
  context: CommandContext,
  options: { week: IsoWeek; person?: string; now: Date },
): Promise<Digest[]> {
  const repositories = await context.repositories();
  const requests = await digestRequests(repositories, options.person);
  const deps = digestDeps(repositories, context.config.publicUrl, () => options.now);
  return buildDigests(deps, { week: options.week, now: options.now, requests });
}

/** `npm run digest`, with the clock given (tests fix it). */
export function digestCommand(clock: () => Date = () => new Date()): Command {
  return {
    name: 'digest',
    async run(argv, context, io) {
      const { values, positionals } = parseUsage(DIGEST_USAGE, () =>
        parseArgs({ args: argv, options: DIGEST_OPTIONS, allowPositionals: true }),
      );
      const [subcommand, ...extra] = positionals;
      if (values.help) throw new CommandError(DIGEST_USAGE, 0);
      // Actions are positional: « history »; without one, the digests themselves (--dry-run, --send).
      if (extra.length > 0 || (subcommand !== undefined && subcommand !== 'history')) {
        throw new CommandError(`Action inconnue : « ${positionals.join(' ')} ».\n${DIGEST_USAGE}`, 2);
      }
      const now = clock();
      if (subcommand === 'history') {
        const [person] = values.person
          ? await digestRequests(await context.repositories(), values.person)
          : [];
        return digestHistory(context, io, {
          personId: person?.personId,
          limit: values.limit,
          json: values.json,
          now,
        });
      }
      if (values.force && !values.send) throw new CommandError(`--force va avec --send.\n${DIGEST_USAGE}`, 2);
      const week = weekOption(values.week, now);
      if (values.send) {
        const requests = await digestRequests(await context.repositories(), values.person);
        return sendDigests(context, io, {
          week,
          requests,
          force: values.force,
          json: values.json,
          now: clock,
        });
      }
      if (!values['dry-run'])
        throw new CommandError(`Précisez --dry-run, --send ou history.\n${DIGEST_USAGE}`, 2);
      const digests = await digestsFor(context, { week, person: values.person, now });
      if (values.json) {
        io.stdout(`${JSON.stringify(digests, null, 2)}\n`);
      } else if (digests.length === 0) {
        io.stdout(`Aucun digest pour la semaine ${week} : personne ne suit de collectivité.\n`);
      } else {
        io.stdout(digests.map(digestText).join(`\n${'─'.repeat(60)}\n\n`));
      }
      return 0;
    },
  };
}

export const digest = digestCommand();
