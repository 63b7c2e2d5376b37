import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, inMemoryDataDir, openDatabase } from '../../bot/store/database.ts';

/** The local test server (trust auth). Each test file works in its own throwaway database on it. */
export const serverAdminUrl = 'postgresql://postgres@127.0.0.1:5432/test';

export interface TestBackend {
  name: 'PGlite' | 'PostgreSQL';
  /** Opens a new, empty database of this kind, migrated by openDatabase. */
  open(): Promise<Database>;
  /** Closes the database and removes whatever `open` created. */
  dispose(database: Database | undefined): Promise<void>;
}

export function freshServerDatabaseUrl(): string {
  const url = new URL(serverAdminUrl);
  url.pathname = `/boussole_test_${randomBytes(6).toString('hex')}`;
  return url.toString();
}

export async function dropServerDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: serverAdminUrl });
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

export const backends: TestBackend[] = [pgliteBackend, serverBackend()];
