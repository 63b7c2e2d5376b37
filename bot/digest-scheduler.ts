import type { JobResult, PgBoss } from 'pg-boss';
import { PARIS } from './core/calendar.ts';
import type { DigestDelivery } from './features/digest/deliver.ts';
import { DeliveryFailedError } from './features/digest/deliver.ts';
import type { Logger } from './logger.ts';
import type { QueueTarget } from './store/database.ts';
import { createJobQueue } from './store/job-queue.ts';

/**
 * The weekly digest on pg-boss: every hour on the hour, Paris time, a tick lists the digests owed (their
 * scheduled hour has come and the ledger has no claim for them) and enqueues one delivery job per person;
 * failed deliveries are retried with backoff. A tick missed while the service was down runs once when it
 * comes back (`missed: 'once'`), and one runs at each start: the digests missed meanwhile go out, late.
 * Several instances may run on one database: the ledger's claim, not the queue, keeps it to one per person.
 */

export const TICK_QUEUE = 'digest-tick';
export const DELIVER_QUEUE = 'digest-deliver';
/** Every hour at minute 0 in Europe/Paris: 09:00 Paris on both sides of a change of time. */
export const TICK_CRON = '0 * * * *';

const RETRIES = { retryLimit: 5, retryDelay: 60, retryBackoff: true, retryDelayMax: 3_600 };

interface DeliverJob {
  personId: string;
  week: string;
  late: boolean;
  scheduledAt: string;
}

export interface DigestScheduler {
  /** Lists the digests owed now and enqueues them (after the reads: never inside a transaction). */
  tick(): Promise<number>;
  /** The queue, for tests and the bench that watch its jobs. */
  boss: PgBoss;
  stop(): Promise<void>;
}

export interface DigestSchedulerOptions {
  target: QueueTarget;
  delivery: DigestDelivery;
  clock: () => Date;
  logger: Logger;
  /** How often idle workers look for jobs (pg-boss's default is 2 s). */
  pollingIntervalSeconds?: number;
  /** Seconds between retries of a failed delivery, doubled each time (60 s by default). */
  retryDelaySeconds?: number;
  /** A first tick at start, to send what was missed while stopped (on by default). */
  catchUpAtStart?: boolean;
}

export async function startDigestScheduler(options: DigestSchedulerOptions): Promise<DigestScheduler> {
  const { delivery, logger } = options;
  const log = logger.child({ component: 'digest' });
  const boss = createJobQueue(options.target);
  boss.on('error', (error) => log.error({ err: error }, 'file de tâches : erreur'));
  await boss.start();
  await boss.createQueue(TICK_QUEUE, { retryLimit: 1 });
  await boss.createQueue(DELIVER_QUEUE, {
    ...RETRIES,
    ...(options.retryDelaySeconds !== undefined ? { retryDelay: options.retryDelaySeconds } : {}),
  });
  await boss.schedule(TICK_QUEUE, TICK_CRON, null, { tz: PARIS, missed: 'once' });

  async function tick(): Promise<number> {
    const due = await delivery.due(options.clock());
    for (const digest of due) {
      const job: DeliverJob = { ...digest, scheduledAt: digest.scheduledAt.toISOString() };
      await boss.send(DELIVER_QUEUE, job, { singletonKey: `${digest.personId}|${digest.week}` });
    }
    if (due.length > 0) log.info({ count: due.length }, 'digests à envoyer');
    return due.length;
  }

  const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 };
  await boss.work(TICK_QUEUE, polling, async () => {
    await tick();
  });
  // Batches of jobs, each settled on its own: a failed send is retried alone. A full batch fetches the next at
  // once instead of waiting for the next poll.
  const batch = { ...polling, batchSize: 10, burstWhenBatchFull: true, perJobResults: true } as const;
  await boss.work<DeliverJob, unknown, typeof batch>(DELIVER_QUEUE, batch, (jobs) =>
    Promise.all(
      jobs.map(async (job): Promise<JobResult> => {
        try {
          await delivery.deliver({ ...job.data, scheduledAt: new Date(job.data.scheduledAt) });
          return { id: job.id, status: 'completed' };
        } catch (error) {
          // A failed send is in the ledger already; anything else is logged. The queue retries both.
          if (!(error instanceof DeliveryFailedError)) log.error({ err: error }, 'digest : envoi interrompu');
          return { id: job.id, status: 'failed', output: { message: (error as Error).message } };
        }
      }),
    ),
  );
  if (options.catchUpAtStart ?? true) await boss.send(TICK_QUEUE, {});
  log.info({ cron: TICK_CRON, tz: PARIS }, 'envoi des digests programmé');

  return {
    tick,
    boss,
    async stop() {
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
