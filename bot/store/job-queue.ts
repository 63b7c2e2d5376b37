import { fromPglite, PgBoss } from 'pg-boss';
import type { QueueTarget } from './database.ts';

/**
 * pg-boss on Boussole's own database, in its `pgboss` schema: on a PostgreSQL server through its own pool,
 * on PGlite through pg-boss's PGlite adapter, which shares the single connection (its statements wait while a
 * Prisma transaction holds it: never enqueue from inside one).
 */
export function createJobQueue(target: QueueTarget): PgBoss {
  const options = { schema: 'pgboss', application_name: 'boussole-jobs' };
  return target.kind === 'pglite'
    ? new PgBoss({ ...options, db: fromPglite(target.pglite), backend: 'pglite' })
    : new PgBoss({ ...options, connectionString: target.url, max: 4 });
}
