import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthorRef } from '../../bot/core/people.ts';
import type { Database } from '../../bot/store/database.ts';
import { backends } from './backends.ts';

const admin = { name: 'admin (ligne de commande) — test' };

describe.each(backends)('fiches-actions on $name', (backend) => {
  let database: Database;
  let camille: AuthorRef;
  let dominique: AuthorRef;
  beforeAll(async () => {
    database = await backend.open();
    const { directory } = database.repositories;
    const [first, second] = await Promise.all([
      directory.createPerson({ displayName: 'Camille Exemple' }, admin),
      directory.createPerson({ displayName: 'Dominique Exemple' }, admin),
    ]);
    camille = { personId: first.id, name: first.displayName };
    dominique = { personId: second.id, name: second.displayName };
  });
  afterAll(() => backend.dispose(database));

  const fiches = () => database.repositories.fiches;

  async function collectivite() {
    const name = `Commune de Démoville (démo) ${randomUUID().slice(0, 8)}`;
    return database.repositories.directory.createCollectivite({ name, kind: 'commune' }, admin);
  }

  async function draft(collectiviteId: string, values: Record<string, unknown> = {}) {
    return fiches().create({
      collectiviteId,
      values,
      changes: Object.entries(values).map(([fieldId, after]) => ({ fieldId, before: undefined, after })),
      author: camille,
    });
  }

  it('creates a draft at version 1, numbered in its collectivité, titled from its intitulé', async () => {
    const commune = await collectivite();
    const first = await draft(commune.id, { programme: 'Bien vieillir', intitule: '  Ateliers mémoire  ' });
    const second = await draft(commune.id);
    const elsewhere = await draft((await collectivite()).id);

    expect(first).toMatchObject({
      collectivite: { id: commune.id, name: commune.name },
      number: 1,
      programme: 'Bien vieillir',
      title: 'Ateliers mémoire',
      status: 'brouillon',
      version: 1,
      createdBy: camille,
      values: { programme: 'Bien vieillir', intitule: '  Ateliers mémoire  ' },
    });
    expect([second.number, second.title, second.programme]).toEqual([2, 'Fiche sans intitulé', undefined]);
    expect(elsewhere.number).toBe(1);
    expect(await fiches().get(first.id)).toEqual(first);
    expect(await fiches().findByNumber(commune.id, 2)).toEqual(second);
    expect(await fiches().history(first.id)).toMatchObject([
      {
        recordType: 'fiche_action',
        recordId: first.id,
        version: 1,
        author: camille,
        status: 'brouillon',
        changes: [
          { fieldId: 'programme', after: 'Bien vieillir' },
          { fieldId: 'intitule', after: '  Ateliers mémoire  ' },
        ],
      },
    ]);
  });

  it('numbers 12 drafts created at once 1 to 12, without a collision', async () => {
    const commune = await collectivite();
    const created = await Promise.all(Array.from({ length: 12 }, () => draft(commune.id)));
    expect(created.map((fiche) => fiche.number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
  });

  it('commits a new version with what changed, its status and note', async () => {
    const fiche = await draft((await collectivite()).id, { intitule: 'Ateliers' });
    const result = await fiches().commit({
      ficheId: fiche.id,
      expectedVersion: 1,
      values: { intitule: 'Ateliers cuisine', budget: 15000 },
      changes: [
        { fieldId: 'intitule', before: 'Ateliers', after: 'Ateliers cuisine' },
        { fieldId: 'budget', before: undefined, after: 15000 },
      ],
      author: dominique,
      status: 'a_revoir',
      note: 'Préciser les indicateurs de résultat.',
    });
    expect(result).toMatchObject({
      ok: true,
      fiche: { version: 2, title: 'Ateliers cuisine', status: 'a_revoir', values: { budget: 15000 } },
    });
    const [, second] = await fiches().history(fiche.id);
    expect(second).toMatchObject({
      version: 2,
      author: dominique,
      status: 'a_revoir',
      note: 'Préciser les indicateurs de résultat.',
      values: { intitule: 'Ateliers cuisine', budget: 15000 },
    });
    expect(second?.changes).toHaveLength(2);
  });

  it('lets exactly one of two concurrent commits win; the loser learns what changed', async () => {
    const fiche = await draft((await collectivite()).id, { intitule: 'Ateliers' });
    const commitBy = (author: AuthorRef, intitule: string) =>
      fiches().commit({
        ficheId: fiche.id,
        expectedVersion: 1,
        values: { intitule },
        changes: [{ fieldId: 'intitule', before: 'Ateliers', after: intitule }],
        author,
      });
    const results = await Promise.all([commitBy(camille, 'Version A'), commitBy(dominique, 'Version B')]);
    const winner = results.find((result) => result.ok);
    const loser = results.find((result) => !result.ok);
    expect(winner).toBeDefined();
    expect(loser).toMatchObject({ ok: false, currentVersion: 2 });
    if (!winner?.ok || !loser || loser.ok) return;
    expect(loser.changedSince).toHaveLength(1);
    expect(loser.changedSince[0]?.values).toEqual(winner.fiche.values);

    expect(await fiches().history(fiche.id)).toHaveLength(2);
    expect((await fiches().get(fiche.id))?.values).toEqual(winner.fiche.values);
  });

  it('lists the fiches of given collectivités, newest change first, filtered by status, without discarded drafts', async () => {
    const [commune, other] = [await collectivite(), await collectivite()];
    const older = await draft(commune.id, { intitule: 'Plus ancienne' });
    const discarded = await draft(commune.id, { intitule: 'Abandonnée' });
    const submitted = await draft(commune.id, { intitule: 'Soumise' });
    await fiches().commit({
      ficheId: submitted.id,
      expectedVersion: 1,
      values: submitted.values,
      changes: [],
      author: camille,
      status: 'soumise',
    });
    await draft(other.id);
    await fiches().discard(discarded.id, camille);

    expect((await fiches().list({ collectiviteIds: [commune.id] })).map((f) => f.title)).toEqual([
      'Soumise',
      'Plus ancienne',
    ]);
    expect(
      (await fiches().list({ collectiviteIds: [commune.id], statuses: ['soumise'] })).map((f) => f.id),
    ).toEqual([submitted.id]);
    expect(await fiches().list({ collectiviteIds: [commune.id, other.id] })).toHaveLength(3);
    expect(await fiches().get(discarded.id)).toBeUndefined();
    expect(await fiches().history(discarded.id)).toHaveLength(1);
    await expect(
      fiches().commit({
        ficheId: discarded.id,
        expectedVersion: 1,
        values: {},
        changes: [],
        author: camille,
      }),
    ).rejects.toThrow(/introuvable/);
    expect(await database.prisma.auditEntry.findFirst({ where: { subjectId: discarded.id } })).toMatchObject({
      action: 'fiche.discard',
      actorId: camille.personId,
    });
    expect(older.number).toBe(1);
  });

  it('keeps comments in order', async () => {
    const fiche = await draft((await collectivite()).id);
    await fiches().comment(fiche.id, dominique, 'Indicateurs à fixer avant le démarrage.');
    await fiches().comment(fiche.id, camille, 'C’est fait.');
    expect(await fiches().comments(fiche.id)).toMatchObject([
      { author: dominique, text: 'Indicateurs à fixer avant le démarrage.', createdAt: expect.any(Date) },
      { author: camille, text: 'C’est fait.' },
    ]);
  });

  it('keeps the versions when the fiche, its author and its collectivité are deleted', async () => {
    const commune = await collectivite();
    const author = await database.repositories.directory.createPerson(
      { displayName: 'Auteur éphémère' },
      admin,
    );
    const fiche = await fiches().create({
      collectiviteId: commune.id,
      values: { intitule: 'Éphémère' },
      changes: [],
      author: { personId: author.id, name: author.displayName },
    });
    await database.prisma.person.delete({ where: { id: author.id } });
    await database.prisma.collectivite.delete({ where: { id: commune.id } });
    expect(await database.prisma.ficheAction.count({ where: { id: fiche.id } })).toBe(0);
    expect(await fiches().history(fiche.id)).toMatchObject([
      {
        version: 1,
        author: { personId: author.id, name: 'Auteur éphémère' },
        values: { intitule: 'Éphémère' },
      },
    ]);
  });
});
