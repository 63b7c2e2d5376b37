import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, createMigration, defaultMigrationPaths } from '../../bot/store/migrations.ts';
import { ensureServerDatabase } from '../../bot/store/postgres-server.ts';
import { dropServerDatabase, freshServerDatabaseUrl, serverAdminUrl } from './backends.ts';

async function committedMigrations(): Promise<string[]> {
  const entries = await readdir(defaultMigrationPaths.migrationsDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

async function tableNames(query: (sql: string) => Promise<{ table_name: string }[]>): Promise<string[]> {
  const rows = await query(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  return rows.map((row) => row.table_name);
}

interface Target {
  name: string;
  /** False when no PostgreSQL server answers: its test is then skipped. */
  available: boolean;
  setup(): Promise<{ target: PGlite | string; tables(): Promise<string[]>; teardown(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'PGlite',
    available: true,
    async setup() {
      const pglite = await PGlite.create();
      return {
        target: pglite,
        tables: () => tableNames(async (sql) => (await pglite.query<{ table_name: string }>(sql)).rows),
        teardown: () => pglite.close(),
      };
    },
  },
  {
    name: 'PostgreSQL',
    available: serverAdminUrl !== undefined,
    async setup() {
      const url = freshServerDatabaseUrl();
      await ensureServerDatabase(url);
      return {
        target: url,
        async tables() {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          try {
            return await tableNames(async (sql) => (await client.query<{ table_name: string }>(sql)).rows);
          } finally {
            await client.end();
          }
        },
        teardown: () => dropServerDatabase(url),
      };
    },
  },
];

for (const { name, available, setup } of targets) {
  describe.skipIf(!available)(`applyMigrations on ${name}`, () => {
    let database: Awaited<ReturnType<Target['setup']>>;
    beforeAll(async () => {
      database = await setup();
    });
    afterAll(() => database?.teardown());

    it('applies every committed migration to an empty database, then nothing, quickly', async () => {
      expect(await applyMigrations(database.target)).toEqual(await committedMigrations());
      expect(await database.tables()).toEqual(
        expect.arrayContaining([
          '_prisma_migrations',
          'documents',
          'interactions',
          'feedback',
          'processed_events',
          'tasks',
          'suivis',
        ]),
      );
      const started = performance.now();
      expect(await applyMigrations(database.target)).toEqual([]);
      expect(performance.now() - started).toBeLessThan(1_000);
    });
  });
}

describe('createMigration', () => {
  let workDir: string;
  let migrationsDir: string;
  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'boussole-migrations-'));
    migrationsDir = path.join(workDir, 'migrations');
    await cp(defaultMigrationPaths.migrationsDir, migrationsDir, { recursive: true });
  });
  afterAll(() => rm(workDir, { recursive: true, force: true }));

  it('finds nothing to do when the committed migrations match the schema', async () => {
    expect(
      await createMigration('drift', { schemaPath: defaultMigrationPaths.schemaPath, migrationsDir }),
    ).toBeNull();
    expect(await readdir(migrationsDir)).toHaveLength((await committedMigrations()).length + 1);
  });

  it('writes a migration for a schema change, which then applies on top of the others', async () => {
    const schemaPath = path.join(workDir, 'schema.prisma');
    const schema = await readFile(defaultMigrationPaths.schemaPath, 'utf8');
    await writeFile(schemaPath, `${schema}\nmodel Note {\n  id String @id\n\n  @@map("notes")\n}\n`);

    const folder = await createMigration('Add notes!', { schemaPath, migrationsDir });
    expect(folder).toMatch(/^\d{14}_add_notes$/);
    expect(await readFile(path.join(migrationsDir, folder!, 'migration.sql'), 'utf8')).toContain(
      'CREATE TABLE "notes"',
    );

    const pglite = await PGlite.create();
    try {
      await applyMigrations(pglite);
      expect(await applyMigrations(pglite, { migrationsDir })).toEqual([folder]);
    } finally {
      await pglite.close();
    }
  });
});

describe('reshape_people_fiches on a database of the previous schema', () => {
  let workDir: string;
  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'boussole-reshape-'));
  });
  afterAll(() => rm(workDir, { recursive: true, force: true }));

  it('drops the people the former identity upsert created and keeps their accounts and questions', async () => {
    const names = await committedMigrations();
    const reshape = names.findIndex((name) => name.endsWith('_reshape_people_fiches'));
    await cp(
      path.join(defaultMigrationPaths.migrationsDir, 'migration_lock.toml'),
      path.join(workDir, 'migration_lock.toml'),
    );
    for (const name of names.slice(0, reshape)) {
      await cp(path.join(defaultMigrationPaths.migrationsDir, name), path.join(workDir, name), {
        recursive: true,
      });
    }
    const pglite = await PGlite.create();
    try {
      await applyMigrations(pglite, { migrationsDir: workDir });
      await pglite.exec(`
        INSERT INTO people (id, display_name, updated_at) VALUES ('p1', 'Claire', now());
        INSERT INTO channel_identities (id, channel, workspace_id, external_user_id, person_id, conversation_reference, updated_at)
          VALUES ('i1', 'teams', 'tenant', 'aad-1', 'p1', '{"v":1}', now());
        INSERT INTO interactions (id, channel, workspace_id, conversation_id, person_id, question, answer, abstained, mode, latency_ms)
          VALUES ('q1', 'teams', 'tenant', 'conv', 'p1', 'Question ?', 'Réponse.', false, 'extractive', 5);
      `);
      expect(await applyMigrations(pglite)).toEqual(names.slice(reshape));
      const rows = async (sql: string) => (await pglite.query(sql)).rows;
      expect(await rows('SELECT count(*)::int AS n FROM people')).toEqual([{ n: 0 }]);
      expect(await rows('SELECT person_id, conversation_reference FROM channel_identities')).toEqual([
        { person_id: null, conversation_reference: { v: 1 } },
      ]);
      expect(await rows('SELECT person_id, question FROM interactions')).toEqual([
        { person_id: null, question: 'Question ?' },
      ]);
    } finally {
      await pglite.close();
    }
  });
});
