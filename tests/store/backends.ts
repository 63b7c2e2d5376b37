import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, inMemoryDataDir, openDatabase } from '../../bot/store/database.ts';
import type { StoreRepositories } from '../../bot/store/repositories.ts';
import { createMemoryRepositories } from '../support/memory-repositories.ts';

/**
 * The PostgreSQL server for tests (TEST_DATABASE_URL, or the local one), as checked once by
 * tests/support/global-setup.ts: undefined when none answers, and the PostgreSQL tests are then skipped
 * (that setup says so in one line). Each test file works in its own throwaway database on it.
 */
export const serverAdminUrl: string | undefined = inject('postgresUrl');

function adminUrl(): string {
  if (!serverAdminUrl) throw new Error('No PostgreSQL server for tests: this test should have been skipped.');
  return serverAdminUrl;
}

export interface TestBackend<Store = Database> {
  name: 'mémoire' | 'PGlite' | 'PostgreSQL';
  /** Opens a new, empty store of this kind (a database is migrated by openDatabase). */
  open(): Promise<Store>;
  /** Closes the store and removes whatever `open` created. */
  dispose(store: Store | undefined): Promise<void>;
}

export function freshServerDatabaseUrl(): string {
  const url = new URL(adminUrl());
  url.pathname = `/boussole_test_${randomBytes(6).toString('hex')}`;
  return url.toString();
}

export async function dropServerDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

function serverBackend(): TestBackend {
  const url = freshServerDatabaseUrl();
  return {
    name: 'PostgreSQL',
    open: () => openDatabase({ databaseUrl: url, dataDir: inMemoryDataDir }),
    async dispose(database) {
      await database?.close();
      await dropServerDatabase(url);
    },
  };
}

const pgliteBackend: TestBackend = {
  name: 'PGlite',
  open: () => openDatabase({ dataDir: inMemoryDataDir }),
  dispose: async (database) => database?.close(),
};

/** The Prisma databases: PGlite, and PostgreSQL when a server answers. */
export const backends: TestBackend[] = [pgliteBackend, ...(serverAdminUrl ? [serverBackend()] : [])];

/** What the repository contract needs of a store: its ports. */
export interface StoreUnderTest {
  repositories: StoreRepositories;
}

const memoryBackend: TestBackend<StoreUnderTest> = {
  name: 'mémoire',
  open: async () => ({ repositories: createMemoryRepositories() }),
  dispose: async () => {},
};

/** Everything that implements the ports, the in-memory fakes included: the contract runs on each. */
export const repositoryBackends: TestBackend<StoreUnderTest>[] = [memoryBackend, ...backends];
