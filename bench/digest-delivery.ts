import { createDigestNotifier } from '../bot/channels/digest-notifier.ts';
import { loadConfig } from '../bot/config.ts';
import { startDigestScheduler } from '../bot/digest-scheduler.ts';
import { generatedTasks } from '../bot/documents/dashboard/example.ts';
import { composeWith, createDigestDelivery } from '../bot/features/digest/deliver.ts';
import { digestDeps } from '../bot/features/digest/deps.ts';
import { createLogger } from '../bot/logger.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../bot/store/database.ts';
import { FAKE_TEAM_ID, startFakeSlackApi } from '../tests/support/fake-slack-api.ts';
import { startFakeTeamsConnector } from '../tests/support/fake-teams-connector.ts';
import type { Metric } from './report.ts';

/**
 * The weekly digest's delivery in `npm run bench`: 50 coordinators (half on Slack, half on Teams), each
 * following a collectivité of 30 tasks, on PGlite; from the 09:00 tick to the 50th digest marked sent in
 * the ledger, through pg-boss, the Slack Web API fake and the Bot Connector fake.
 */

const COORDINATORS = 50;
const TASKS = 30;
/** Monday 30 November 2026, 09:00:30 in Paris. */
const NOW = new Date('2026-11-30T08:00:30Z');
const admin = { name: 'Banc d’essai' };

async function seed(database: Database, count: number, teamsUrl: string): Promise<void> {
  const { directory, identities } = database.repositories;
  for (let n = 1; n <= count; n++) {
    const person = await directory.createPerson({ displayName: `Coordination ${n}` }, admin);
    const commune = await directory.createCollectivite({ name: `Commune ${n}`, kind: 'commune' }, admin);
    await directory.grant({ personId: person.id, role: 'coordinateur', collectiviteId: commune.id }, admin);
    await database.prisma.task.createMany({
      data: generatedTasks({ id: commune.id, name: commune.name }, TASKS).map((task) => ({
        collectiviteId: commune.id,
        number: task.number,
        phase: task.values.phase,
        title: task.values.intitule,
        state: task.values.etat,
        endDate: task.values.fin ? new Date(`${task.values.fin}T00:00:00Z`) : null,
        values: task.values as object,
        createdByName: admin.name,
      })),
    });
    const onSlack = n % 2 === 0;
    const identity = onSlack
      ? { channel: 'slack' as const, workspaceId: FAKE_TEAM_ID, externalUserId: `U0BENCH${n}` }
      : { channel: 'teams' as const, workspaceId: 'tenant-bench', externalUserId: `29:bench-${n}` };
    await identities.upsert({
      ...identity,
      conversationReference: onSlack
        ? undefined
        : {
            channelId: 'msteams',
            serviceUrl: teamsUrl,
            agent: { id: '28:boussole', name: 'Boussole' },
            user: { id: identity.externalUserId },
            conversation: { id: `a:bench-${n}`, conversationType: 'personal', tenantId: 'tenant-bench' },
          },
    });
    await directory.linkIdentity(identity, person.id, admin);
  }
}

export async function benchDigestDelivery(options: { quick?: boolean } = {}): Promise<Metric[]> {
  const count = options.quick ? 10 : COORDINATORS;
  const [database, slack, teams] = await Promise.all([
    openDatabase({ dataDir: inMemoryDataDir }),
    startFakeSlackApi(),
    startFakeTeamsConnector(),
  ]);
  try {
    await seed(database, count, teams.url);
    const config = loadConfig({
      NODE_ENV: 'test',
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: 'bench',
      SLACK_API_URL: `${slack.url}/api/`,
    });
    const clock = () => NOW;
    const logger = createLogger('silent');
    const { repositories } = database;
    const compose = composeWith(digestDeps(repositories, config.publicUrl, clock));
    // The same digests made one by one, as the delivery jobs make them, without sending: the part of the
    // delivery time that is building.
    await repositories.digestSubscriptions.ensureCoordinatorDefaults();
    const buildStarted = performance.now();
    for (const personId of (await repositories.digestSubscriptions.active()).map((s) => s.personId)) {
      await compose({ personId, week: '2026-W48', now: NOW, late: false });
    }
    const buildMs = performance.now() - buildStarted;
    const scheduler = await startDigestScheduler({
      target: database.queueTarget,
      delivery: createDigestDelivery({
        repositories,
        compose,
        notifier: createDigestNotifier(config),
        clock,
        logger,
      }),
      clock,
      logger,
      pollingIntervalSeconds: 0.5,
      catchUpAtStart: false,
    });
    try {
      const started = performance.now();
      await scheduler.tick();
      let rows = await repositories.digestLedger.history({ limit: count + 1 });
      while (rows.filter((row) => row.state !== 'claimed').length < count) {
        if (performance.now() - started > 120_000) throw new Error('digests non envoyés après 2 minutes');
        await new Promise((resolve) => setTimeout(resolve, 20));
        rows = await repositories.digestLedger.history({ limit: count + 1 });
      }
      const ms = performance.now() - started;
      const sent = rows.filter((row) => row.state === 'sent').length;
      const slackMessages = slack.callsTo('chat.postMessage').length;
      const teamsCards = teams.messages().length;
      return [
        {
          label: `Envoi des digests à ${count} coordinateurs (pg-boss sur PGlite, faux Slack et Teams)`,
          value: ms,
          unit: 'ms',
        },
        { label: 'Par digest', value: ms / count, unit: 'ms' },
        { label: 'dont la construction des digests, un à un (sans envoi)', value: buildMs, unit: 'ms' },
        { label: 'Digests envoyés', value: sent, unit: '', target: { equals: count } },
        { label: 'Messages Slack postés', value: slackMessages, unit: '' },
        {
          label: 'Cartes Teams postées',
          value: teamsCards,
          unit: '',
          target: { equals: count - Math.floor(count / 2) },
        },
      ];
    } finally {
      await scheduler.stop();
    }
  } finally {
    await database.close();
    await Promise.all([slack.close(), teams.close()]);
  }
}
