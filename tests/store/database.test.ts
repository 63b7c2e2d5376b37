import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, inMemoryDataDir, openDatabase } from '../../bot/store/database.ts';
import { dropServerDatabase, freshServerDatabaseUrl, serverAdminUrl } from './backends.ts';

describe('openDatabase', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'boussole-db-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('creates and migrates PGlite in DATA_DIR/pglite, then reopens it as is', async () => {
    const first = await openDatabase({ dataDir });
    expect(first.appliedMigrations.length).toBeGreaterThan(0);
    expect((await stat(path.join(dataDir, 'pglite'))).isDirectory()).toBe(true);
    await first.repositories.processedEvents.claim('slack', 'persisted');
    await first.close();

    const second = await openDatabase({ dataDir });
    try {
      expect(second.appliedMigrations).toEqual([]);
      expect(await second.repositories.processedEvents.claim('slack', 'persisted')).toBe(false);
    } finally {
      await second.close();
    }
  });

  it.skipIf(!serverAdminUrl)('creates a missing database on the server and migrates it', async () => {
    const url = freshServerDatabaseUrl();
    try {
      const database = await openDatabase({ databaseUrl: url, dataDir: inMemoryDataDir });
      expect(database.appliedMigrations.length).toBeGreaterThan(0);
      await database.close();
      const reopened = await openDatabase({ databaseUrl: url, dataDir: inMemoryDataDir });
      expect(reopened.appliedMigrations).toEqual([]);
      await reopened.close();
    } finally {
      await dropServerDatabase(url);
    }
    const admin = new pg.Client({ connectionString: serverAdminUrl! });
    await admin.connect();
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      new URL(url).pathname.slice(1),
    ]);
    await admin.end();
    expect(rowCount).toBe(0);
  });

  it('reports an unreachable server in French, without its password', async () => {
    const failure = await openDatabase({
      databaseUrl: 'postgresql://postgres:s3cret@127.0.0.1:1/x',
      dataDir: inMemoryDataDir,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DatabaseUnavailableError);
    const message = (failure as Error).message;
    expect(message).toMatch(
      /^Base de données injoignable \(postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/x\)/,
    );
    expect(message).toContain('connexion refusée');
    expect(message).toContain('DATABASE_URL');
    expect(message).not.toContain('s3cret');
  });

  it('reports an unusable embedded folder in French', async () => {
    const notAFolder = path.join(dataDir, 'a-file');
    await writeFile(notAFolder, '');
    const failure = await openDatabase({ dataDir: notAFolder }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DatabaseUnavailableError);
    expect((failure as Error).message).toContain('Base de données embarquée illisible');
  });
});
