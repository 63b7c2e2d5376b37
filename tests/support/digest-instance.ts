import { createDigestNotifier } from '../../bot/channels/digest-notifier.ts';
import { loadConfig } from '../../bot/config.ts';
import { startDigestScheduler } from '../../bot/digest-scheduler.ts';
import { composeWith, createDigestDelivery } from '../../bot/features/digest/deliver.ts';
import { digestDeps } from '../../bot/features/digest/deps.ts';
import { createLogger } from '../../bot/logger.ts';
import { inMemoryDataDir, openDatabase } from '../../bot/store/database.ts';

/**
 * One Boussole instance's digest scheduler in its own process, for the test of several processes on one
 * PostgreSQL: it starts (its start tick enqueues what is owed at the fixed time), works the queue until
 * `expected` digests are settled in the ledger, then stops.
 * Usage: tsx tests/support/digest-instance.ts <databaseUrl> <slackApiUrl> <now ISO> <expected>
 */
const [databaseUrl, slackApiUrl, nowIso, expected] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
];
const now = new Date(nowIso);
const clock = () => now;
const config = loadConfig({
  NODE_ENV: 'test',
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 'secret',
  SLACK_API_URL: slackApiUrl,
});
const logger = createLogger('silent');
const database = await openDatabase({ databaseUrl, dataDir: inMemoryDataDir });
const { repositories } = database;
const scheduler = await startDigestScheduler({
  target: database.queueTarget,
  delivery: createDigestDelivery({
    repositories,
    compose: composeWith(digestDeps(repositories, config.publicUrl, clock)),
    notifier: createDigestNotifier(config),
    clock,
    logger,
  }),
  clock,
  logger,
  pollingIntervalSeconds: 0.5,
});
const deadline = Date.now() + 30_000;
while (
  (await repositories.digestLedger.history()).filter((row) => row.state !== 'claimed').length <
  Number(expected)
) {
  if (Date.now() > deadline) break;
  await new Promise((resolve) => setTimeout(resolve, 50));
}
await scheduler.stop();
await database.close();
process.exit(0);
