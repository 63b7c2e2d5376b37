import { composeWith, createDigestDelivery, type DeliveryOutcome } from '../features/digest/deliver.ts';
import type { DigestDeliveryRecord } from '../features/digest/delivery.ts';
import { digestDeps } from '../features/digest/deps.ts';
import type { IsoWeek } from '../features/digest/model.ts';
import { createLogger } from '../logger.ts';
import { type CommandContext, CommandError, type CommandIO } from './command.ts';

/**
 * `npm run digest -- --send` and `npm run digest -- history`: the delivery side of the command. A send goes
 * through the same ledger as the schedule, so it is still at most one per person and week; --force sends a
 * new copy anyway, recorded as forced and logged.
 */

export const DELIVERY_USAGE = `  npm run digest -- --send [--week 2026-W48] [--person <id|e-mail>] [--force] [--json]
    Envoie maintenant le digest (Slack ou Teams), au plus une fois par personne et par semaine ;
    --force le renvoie quand même (enregistré comme forcé).
  npm run digest -- history [--person <id|e-mail>] [--limit 100] [--json]
    Chaque envoi et chaque échec, du plus récent au plus ancien.`;

export const DELIVERY_OPTIONS = {
  send: { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
  limit: { type: 'string' },
} as const;

/** Beyond this, a claim never marked sent or failed is an interrupted send. */
const INTERRUPTED_AFTER_MS = 10 * 60_000;

const dateTime = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'short',
  timeStyle: 'short',
  timeZone: 'Europe/Paris',
});

function stateLabel(record: DigestDeliveryRecord, now: Date): string {
  if (record.state === 'sent') return 'envoyé';
  if (record.state === 'failed') return 'échec';
  return now.getTime() - record.claimedAt.getTime() > INTERRUPTED_AFTER_MS
    ? 'interrompu (envoi incertain, jamais renvoyé)'
    : 'en cours';
}

function outcomeLine(outcome: DeliveryOutcome, name: string, week: IsoWeek): string {
  switch (outcome.status) {
    case 'sent':
      return `✓ ${name} : digest ${week} envoyé (${outcome.destination.place}${outcome.record.forced ? ', forcé' : ''})`;
    case 'already':
      return `= ${name} : digest ${week} déjà envoyé ou en cours, rien renvoyé (--force pour renvoyer)`;
    case 'skipped':
      return `✗ ${name} : digest ${week} non envoyé — ${outcome.reason}`;
  }
}

export async function sendDigests(
  context: CommandContext,
  io: CommandIO,
  options: {
    week: IsoWeek;
    requests: { personId: string }[];
    force: boolean;
    json: boolean;
    now: () => Date;
  },
): Promise<number> {
  const repositories = await context.repositories();
  const { requests } = options;
  const logger = createLogger('warn', { write: (line: string) => io.stderr(line) });
  // The Slack and Teams SDKs load only to send: every other command (ask first) starts without them.
  const { createDigestNotifier } = await import('../channels/digest-notifier.ts');
  const delivery = createDigestDelivery({
    repositories,
    compose: composeWith(digestDeps(repositories, context.config.publicUrl, options.now)),
    notifier: createDigestNotifier(context.config),
    clock: options.now,
    logger,
  });
  const results: {
    personId: string;
    name: string;
    outcome: DeliveryOutcome | { status: 'failed'; error: string };
  }[] = [];
  for (const { personId } of requests) {
    const name = (await repositories.directory.actorByPerson(personId))?.displayName ?? personId;
    try {
      results.push({
        personId,
        name,
        outcome: await delivery.deliver({ personId, week: options.week, force: options.force }),
      });
    } catch (error) {
      results.push({ personId, name, outcome: { status: 'failed', error: (error as Error).message } });
    }
  }
  if (options.json) {
    io.stdout(
      `${JSON.stringify(
        results.map(({ personId, name, outcome }) => ({ personId, name, week: options.week, ...outcome })),
        null,
        2,
      )}\n`,
    );
  } else {
    for (const { name, outcome } of results) {
      io.stdout(
        `${outcome.status === 'failed' ? `✗ ${name} : digest ${options.week} non envoyé — ${outcome.error} (réessayé par la file)` : outcomeLine(outcome, name, options.week)}\n`,
      );
    }
    if (results.length === 0) io.stdout('Personne à qui envoyer un digest.\n');
  }
  return results.some(({ outcome }) => outcome.status === 'failed' || outcome.status === 'skipped') ? 1 : 0;
}

export async function digestHistory(
  context: CommandContext,
  io: CommandIO,
  options: { personId?: string; limit?: string; json: boolean; now: Date },
): Promise<number> {
  const limit = options.limit === undefined ? 100 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new CommandError('--limit attend un nombre entier positif.', 2);
  const repositories = await context.repositories();
  const records = await repositories.digestLedger.history({ personId: options.personId, limit });
  if (options.json) {
    io.stdout(
      `${JSON.stringify(
        records.map((record) => ({ ...record, status: stateLabel(record, options.now) })),
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  if (records.length === 0) {
    io.stdout('Aucun digest envoyé pour l’instant.\n');
    return 0;
  }
  for (const record of records) {
    const flags = [
      record.copy > 0 ? `copie ${record.copy}` : '',
      record.forced ? 'forcé' : '',
      record.late ? 'en retard' : '',
      record.attempts > 1 ? `${record.attempts} tentatives` : '',
    ].filter(Boolean);
    const at = record.sentAt ?? record.failedAt ?? record.claimedAt;
    io.stdout(
      `${record.week}  ${record.personName} : ${stateLabel(record, options.now)} le ${dateTime.format(at)}` +
        `${record.place ? ` (${record.place})` : ''}${flags.length ? ` [${flags.join(', ')}]` : ''}` +
        `${record.error ? ` — ${record.error}` : ''}\n`,
    );
  }
  return 0;
}
