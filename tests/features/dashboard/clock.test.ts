import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../bot/core/handle-turn.ts';
import { FEATURES } from '../../../bot/features/index.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../../bot/store/database.ts';
import { makeIncoming } from '../../fixtures/incoming.ts';
import { createCapturingLogger } from '../../support/capture-logger.ts';
import { createTestKnowledgeBase } from '../../support/test-knowledge-base.ts';

/**
 * The conversation on a fixed clock: « en retard » and « ce mois-ci » turn at midnight in Paris, on the night
 * summer time starts and at the end of a leap February.
 */

const ADMIN = { name: 'test' };
let database: Database;

beforeAll(async () => {
  database = await openDatabase({ dataDir: inMemoryDataDir });
  const { directory, identities, tasks } = database.repositories;
  const collectivite = await directory.createCollectivite(
    { name: 'Commune de Préville', kind: 'commune' },
    ADMIN,
  );
  const person = await directory.createPerson({ displayName: 'Lou', email: 'lou@exemple.org' }, ADMIN);
  await directory.grant({ personId: person.id, role: 'referent', collectiviteId: collectivite.id }, ADMIN);
  const identity = { channel: 'slack' as const, workspaceId: 'T1', externalUserId: 'U-CLOCK' };
  await identities.upsert(identity);
  await directory.linkIdentity(identity, person.id, ADMIN);
  for (const [intitule, fin] of [
    ['Fin de mars', '2027-03-31'],
    ['Début d’avril', '2027-04-02'],
    ['Fin de février bissextile', '2028-02-29'],
    ['Début de mars 2028', '2028-03-01'],
  ] as const) {
    await tasks.create({
      collectiviteId: collectivite.id,
      values: { intitule, phase: 'diagnostic', etat: 'en_cours', fin },
      author: ADMIN,
    });
  }
}, 60_000);

afterAll(async () => {
  await database?.close();
});

function at(instant: string) {
  const core = createCore({
    knowledge: createTestKnowledgeBase(),
    repositories: database.repositories,
    publicUrl: 'https://boussole.test',
    logger: createCapturingLogger().logger,
    clock: () => new Date(instant),
    features: FEATURES,
  });
  return async (text: string) =>
    (
      await core.handleTurn(
        makeIncoming({
          channel: 'slack',
          workspaceId: 'T1',
          conversationId: 'D-clock',
          userId: 'U-CLOCK',
          text,
        }),
      )
    ).text;
}

describe('the dashboard on a fixed clock', () => {
  it('turns late and moves « ce mois-ci » at midnight Paris time, summer time just begun', async () => {
    // 31 March 2027, 23:59 in Paris (UTC+2 since the 28th).
    let say = at('2027-03-31T21:59:00Z');
    expect(await say('quelles tâches sont en retard ?')).toBe('Aucune tâche en retard. 👍');
    let due = await say('qu’est-ce qui arrive à échéance ce mois-ci ?');
    expect(due).toContain('(jusqu’au 31 mars 2027, 1)');
    expect(due).toContain('Fin de mars');
    expect(due).not.toContain('Début d’avril');
    // One minute later it is 1 April in Paris, still 31 March in UTC.
    say = at('2027-03-31T22:00:00Z');
    expect(await say('quelles tâches sont en retard ?')).toContain('n° 1 · Fin de mars');
    due = await say('qu’est-ce qui arrive à échéance ce mois-ci ?');
    expect(due).toContain('(jusqu’au 30 avril 2027, 1)');
    expect(due).toContain('Début d’avril');
    expect(due).toContain('*Déjà en retard* (1)');
  });

  it('knows 29 February in a leap year, in winter time', async () => {
    let say = at('2028-02-29T22:59:00Z');
    let due = await say('qu’est-ce qui arrive à échéance ce mois-ci ?');
    expect(due).toContain('(jusqu’au 29 février 2028, 1)');
    expect(due).toContain('Fin de février bissextile');
    say = at('2028-02-29T23:00:00Z');
    due = await say('qu’est-ce qui arrive à échéance cette semaine ?');
    // 1 March 2028 is a Wednesday: the week ends on Sunday 5 March.
    expect(due).toContain('(jusqu’au 5 mars 2028, 1)');
    expect(due).toContain('Début de mars 2028');
    expect(due).toContain('n° 3 · Fin de février bissextile');
  });
});
