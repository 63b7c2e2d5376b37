import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, inMemoryDataDir, openDatabase } from '../../bot/store/database.ts';
import { dropServerDatabase, freshServerDatabaseUrl, serverAdminUrl } from '../store/backends.ts';
import { FAKE_TEAM_ID, type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api.ts';

/**
 * Two processes of Boussole on one PostgreSQL database (each with its own connections and its own pg-boss),
 * at the scheduled minute: both tick, both work the queue, and each person gets one digest.
 */

const execFileAsync = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');
const INSTANCE = path.resolve('tests/support/digest-instance.ts');

const admin = { name: 'admin (ligne de commande) — test' };
const PEOPLE = 6;

describe.skipIf(!serverAdminUrl)('two processes on one PostgreSQL at the scheduled minute', () => {
  const url = serverAdminUrl ? freshServerDatabaseUrl() : '';
  const now = new Date('2026-11-30T08:00:20Z'); // Monday 09:00 Paris
  let slack: FakeSlackApi;
  const databases: Database[] = [];

  beforeAll(async () => {
    slack = await startFakeSlackApi();
    databases.push(await openDatabase({ databaseUrl: url, dataDir: inMemoryDataDir }));
    const { directory, identities } = databases[0]!.repositories;
    const commune = await directory.createCollectivite(
      { name: 'Commune de Démoville', kind: 'commune' },
      admin,
    );
    for (let n = 1; n <= PEOPLE; n++) {
      const person = await directory.createPerson({ displayName: `Coordination ${n}` }, admin);
      await directory.grant({ personId: person.id, role: 'coordinateur', collectiviteId: commune.id }, admin);
      const identity = { channel: 'slack' as const, workspaceId: FAKE_TEAM_ID, externalUserId: `U0PG${n}` };
      await identities.upsert(identity);
      await directory.linkIdentity(identity, person.id, admin);
    }
  });

  afterAll(async () => {
    await Promise.all(databases.map((database) => database.close()));
    await slack?.close();
    if (url) await dropServerDatabase(url);
  });

  it('sends each person one digest from two processes started at the scheduled minute', async () => {
    // Two processes start at 09:00:20 Paris; each one's start tick finds the six digests owed.
    const instance = () =>
      execFileAsync(TSX, [INSTANCE, url, `${slack.url}/api/`, now.toISOString(), String(PEOPLE)], {
        timeout: 60_000,
      });
    await Promise.all([instance(), instance()]);
    const rows = await databases[0]!.repositories.digestLedger.history();
    expect(rows).toHaveLength(PEOPLE);
    expect(rows.every((row) => row.state === 'sent' && row.attempts === 1 && !row.late)).toBe(true);
    const opened = slack.callsTo('conversations.open').map((call) => String(call.body.users));
    expect(opened.sort()).toEqual(Array.from({ length: PEOPLE }, (_, i) => `U0PG${i + 1}`).sort());
    const posted = new Set(slack.callsTo('chat.postMessage').map((call) => String(call.body.channel)));
    expect(posted.size).toBe(PEOPLE);
  });
});
