import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormSession } from '../../bot/core/forms/sessions.ts';
import type { TransactionalRepositories } from '../../bot/core/ports.ts';
import type { Database } from '../../bot/store/database.ts';
import { backends } from './backends.ts';

const admin = { name: 'admin (ligne de commande) — test' };

class LostRace extends Error {}

describe.each(backends)('repositories.atomically on $name', (backend) => {
  let database: Database;
  let personId: string;
  let collectiviteId: string;
  beforeAll(async () => {
    database = await backend.open();
    const { directory } = database.repositories;
    personId = (await directory.createPerson({ displayName: 'Camille' }, admin)).id;
    collectiviteId = (
      await directory.createCollectivite(
        { name: `Démoville (démo) ${randomUUID().slice(0, 8)}`, kind: 'commune' },
        admin,
      )
    ).id;
  });
  afterAll(() => backend.dispose(database));

  function session(): FormSession {
    return {
      key: {
        channel: 'teams',
        workspaceId: 'tenant',
        conversationId: `a:${randomUUID()}`,
        threadKey: '',
        userKey: 'aad-1',
      },
      personId,
      formId: 'fiche_action',
      createdRecord: true,
      context: {},
      state: {
        formId: 'fiche_action',
        values: {},
        cursor: { kind: 'recap' },
        path: [],
        skipped: [],
        attempts: 0,
        backToRecap: false,
      },
      revision: 0,
      expiresAt: new Date(Date.now() + 3_600_000),
    };
  }

  /** A first step of a draft: the fiche is created and the session that points to it saved, together. */
  async function firstStep(repositories: TransactionalRepositories, started: FormSession) {
    const fiche = await repositories.fiches.create({
      collectiviteId,
      values: { intitule: 'Ateliers' },
      changes: [{ fieldId: 'intitule', before: undefined, after: 'Ateliers' }],
      author: { personId, name: 'Camille' },
    });
    const revision = await repositories.formSessions.save({ ...started, recordId: fiche.id, baseVersion: 1 });
    if (revision === undefined) throw new LostRace();
    return fiche;
  }

  it('keeps every write of a unit that completes', async () => {
    const started = session();
    const fiche = await database.repositories.atomically((repositories) => firstStep(repositories, started));
    expect(await database.repositories.fiches.get(fiche.id)).toMatchObject({ title: 'Ateliers' });
    expect(await database.repositories.formSessions.find(started.key)).toMatchObject({ recordId: fiche.id });
  });

  it('keeps none of them when it throws: no fiche, no version, no number used, no session, no audit entry', async () => {
    const started = session();
    const before = await database.prisma.collectivite.findUniqueOrThrow({ where: { id: collectiviteId } });
    let ficheId = '';
    await expect(
      database.repositories.atomically(async (repositories) => {
        ficheId = (await firstStep(repositories, started)).id;
        await repositories.directory.grant({ personId, role: 'referent', collectiviteId }, admin);
        throw new Error('la suite a échoué');
      }),
    ).rejects.toThrow('la suite a échoué');
    expect(ficheId).not.toBe('');
    expect(await database.prisma.ficheAction.count({ where: { id: ficheId } })).toBe(0);
    expect(await database.repositories.fiches.history(ficheId)).toEqual([]);
    expect(await database.repositories.formSessions.find(started.key)).toBeUndefined();
    expect(await database.prisma.membership.count({ where: { personId } })).toBe(0);
    expect(
      await database.prisma.auditEntry.count({ where: { action: 'membership.grant', subjectId: personId } }),
    ).toBe(0);
    const after = await database.prisma.collectivite.findUniqueOrThrow({ where: { id: collectiviteId } });
    expect(after.lastFicheNumber).toBe(before.lastFicheNumber);
  });

  it('of two units starting the same session at once, keeps only the winner’s fiche', async () => {
    const started = session();
    const listed = () => database.repositories.fiches.list({ collectiviteIds: [collectiviteId] });
    const before = (await listed()).length;
    const outcomes = await Promise.allSettled([
      database.repositories.atomically((repositories) => firstStep(repositories, started)),
      database.repositories.atomically((repositories) => firstStep(repositories, started)),
    ]);
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(LostRace);
    const winner = (won[0] as PromiseFulfilledResult<{ id: string }>).value;
    expect(await database.repositories.formSessions.find(started.key)).toMatchObject({ recordId: winner.id });
    expect(await listed()).toHaveLength(before + 1);
  });
});
