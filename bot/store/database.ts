import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../../generated/prisma/client.ts';
import { applyMigrations } from './migrations.ts';
import { DatabaseUnavailableError, ensureServerDatabase, unavailable } from './postgres-server.ts';
import { createRepositories, type StoreRepositories } from './repositories.ts';

export { DatabaseUnavailableError } from './postgres-server.ts';

/** Pass as `dataDir` to keep an embedded database in memory only (tests). */
export const inMemoryDataDir = 'memory://';

export interface DatabaseOptions {
  /** postgresql:// URL of a server; undefined means embedded PGlite in `${dataDir}/pglite`. */
  databaseUrl?: string;
  dataDir: string;
}

/** Where the job queue (pg-boss) keeps its tables: the same database, through its own connection. */
export type QueueTarget = { kind: 'pglite'; pglite: PGlite } | { kind: 'postgres'; url: string };

export interface Database {
  prisma: PrismaClient;
  queueTarget: QueueTarget;
  repositories: StoreRepositories;
  /** Applied migrations when opening, oldest first; empty when the database was up to date. */
  appliedMigrations: string[];
  close(): Promise<void>;
}

/**
 * PostgreSQL's default 128 MB of shared buffers grow PGlite's WebAssembly memory, which never shrinks,
 * to about 190 MB at start; Boussole's tables fit in far less. With 16 MB the idle PGlite process
 * measured 210 MB instead of 345 MB.
 */
const pgliteOptions = { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'] };

async function openPGlite(dataDir: string): Promise<PGlite> {
  if (dataDir === inMemoryDataDir) return PGlite.create(pgliteOptions);
  const folder = path.join(dataDir, 'pglite');
  try {
    await mkdir(folder, { recursive: true });
    return await PGlite.create(folder, pgliteOptions);
  } catch (error) {
    throw new DatabaseUnavailableError(
      `Base de données embarquée illisible (${folder}) : ${(error as Error).message}. ` +
        'Vérifiez DATA_DIR et qu’aucun autre processus Boussole n’utilise ce dossier.',
      { cause: error },
    );
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One event-loop turn per query: the n-th caller resumes one turn after the (n-1)-th. Only the yields
 * are ordered, never the queries themselves, so a transaction's queries cannot wait behind a query
 * that waits for that transaction.
 */
function eventLoopTurns(): () => Promise<void> {
  let last = Promise.resolve();
  return () => {
    last = last.then(nextTurn);
    return last;
  };
}

/**
 * PGlite runs each query synchronously on this thread and resolves it in a microtask, so a queue of
 * queries (twenty users at once) never lets the event loop read a socket or fire a timer: a 10 ms timer
 * did not fire once during 9 s of such load, and every HTTP request, Slack's acks included, waited for
 * the queue to drain. Each query first yields to the event loop, so that I/O is served between queries.
 */
function yieldingToEventLoop<Client extends object>(client: Client, turns = eventLoopTurns()): Client {
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property === 'query' || property === 'exec') {
        return async (...args: unknown[]) => {
          await turns();
          return value.apply(target, args);
        };
      }
      if (property === 'transaction') {
        return (callback: (transaction: object) => unknown) =>
          value.call(target, (transaction: object) => callback(yieldingToEventLoop(transaction, turns)));
      }
      // PGlite keeps its state in private fields: its own methods must run on the real object.
      return value.bind(target);
    },
  });
}

async function openEmbedded(dataDir: string): Promise<Database> {
  const pglite = await openPGlite(dataDir);
  try {
    const appliedMigrations = await applyMigrations(pglite);
    // The adapter queues queries and transactions on PGlite's single connection.
    const turns = eventLoopTurns();
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(yieldingToEventLoop(pglite, turns)) });
    const queueTarget: QueueTarget = { kind: 'pglite', pglite: yieldingToEventLoop(pglite, turns) };
    return assemble(prisma, queueTarget, appliedMigrations, () => pglite.close());
  } catch (error) {
    await pglite.close();
    throw error;
  }
}

async function openServer(databaseUrl: string): Promise<Database> {
  await ensureServerDatabase(databaseUrl);
  const appliedMigrations = await applyMigrations(databaseUrl).catch((error: { code?: string }) => {
    // Lost between the check and the migration: still an availability problem, not a bug.
    if (typeof error.code === 'string' && /^E[A-Z]+$/.test(error.code)) throw unavailable(databaseUrl, error);
    throw error;
  });
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 }),
  });
  return assemble(prisma, { kind: 'postgres', url: databaseUrl }, appliedMigrations, async () => {});
}

function assemble(
  prisma: PrismaClient,
  queueTarget: QueueTarget,
  appliedMigrations: string[],
  release: () => Promise<void>,
): Database {
  return {
    prisma,
    queueTarget,
    repositories: createRepositories({ prisma }),
    appliedMigrations,
    async close() {
      await prisma.$disconnect();
      await release();
    },
  };
}

/**
 * Opens the database, creating and migrating it when needed: a PostgreSQL server when `databaseUrl`
 * is set, else PGlite in `${dataDir}/pglite`. Throws DatabaseUnavailableError when it cannot be reached.
 */
export function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openServer(options.databaseUrl) : openEmbedded(options.dataDir);
}
