import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthorRef } from '../../bot/core/people.ts';
import type { Suivi } from '../../bot/features/dashboard/model.ts';
import type { Fiche } from '../../bot/features/fiches/model.ts';
import type { Database } from '../../bot/store/database.ts';
import { periodDays } from '../../bot/store/suivis.ts';
import { backends } from './backends.ts';

const admin = { name: 'admin (ligne de commande) — test' };

describe('periodDays', () => {
  it('gives a quarter’s or a year’s first and last days', () => {
    expect(periodDays('2028-T1')).toEqual({ kind: 'trimestriel', from: '2028-01-01', to: '2028-03-31' });
    expect(periodDays('2027-T2')).toEqual({ kind: 'trimestriel', from: '2027-04-01', to: '2027-06-30' });
    expect(periodDays('2027-T3')).toEqual({ kind: 'trimestriel', from: '2027-07-01', to: '2027-09-30' });
    expect(periodDays('2027-T4')).toEqual({ kind: 'trimestriel', from: '2027-10-01', to: '2027-12-31' });
    expect(periodDays('2028-A')).toEqual({ kind: 'annuel', from: '2028-01-01', to: '2028-12-31' });
  });

  it('refuses anything else with the expected form', () => {
    for (const period of ['2027-T5', '2027-T0', '2027-Q1', '27-T1', '2027-T1 ', '2027']) {
      expect(() => periodDays(period)).toThrow(/Période invalide.*« 2027-T2 » ou « 2027-A »/);
    }
  });
});

describe.each(backends)('suivis of the fiches-actions on $name', (backend) => {
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

  const suivis = () => database.repositories.suivis;
  const fiches = () => database.repositories.fiches;

  async function collectivite(prefix = 'Commune de Démoville') {
    const name = `${prefix} (démo) ${randomUUID().slice(0, 8)}`;
    return database.repositories.directory.createCollectivite({ name, kind: 'commune' }, admin);
  }

  /** A fiche over this period, validated unless told otherwise. */
  async function fiche(
    collectiviteId: string,
    periode?: { debut: string; fin: string },
    status: Fiche['status'] = 'validee',
  ): Promise<Fiche> {
    const values = { intitule: 'Ateliers mémoire', ...(periode ? { periode } : {}) };
    const created = await fiches().create({ collectiviteId, values, changes: [], author: camille });
    if (status === 'brouillon') return created;
    const result = await fiches().commit({
      ficheId: created.id,
      expectedVersion: 1,
      values,
      changes: [],
      author: dominique,
      status,
    });
    if (!result.ok) throw new Error('conflit inattendu');
    return result.fiche;
  }

  const open = (ficheId: string, period = '2027-T2', kind: Suivi['kind'] = 'trimestriel') =>
    suivis().findOrCreate({ ficheId, period, kind, author: camille });

  async function commit(suivi: Suivi, values: Record<string, unknown>, status?: Suivi['status']) {
    const result = await suivis().commit({
      suiviId: suivi.id,
      expectedVersion: suivi.version,
      values: { ...suivi.values, ...values },
      changes: Object.entries(values).map(([fieldId, after]) => ({
        fieldId,
        before: suivi.values[fieldId],
        after,
      })),
      author: dominique,
      status,
    });
    if (!result.ok) throw new Error('conflit inattendu');
    return result.suivi;
  }

  it('opens one suivi per fiche and period, a draft at version 1; asking again returns it', async () => {
    const commune = await collectivite();
    const action = await fiche(commune.id);
    const first = await open(action.id);
    expect(first).toMatchObject({
      ficheId: action.id,
      collectivite: { id: commune.id, name: commune.name },
      period: '2027-T2',
      kind: 'trimestriel',
      values: {},
      status: 'brouillon',
      version: 1,
      createdBy: camille,
    });
    const edited = await commit(first, { ressources: 'oui' });
    expect(
      await suivis().findOrCreate({
        ficheId: action.id,
        period: '2027-T2',
        kind: 'trimestriel',
        author: dominique,
      }),
    ).toEqual(edited);
    expect((await open(action.id, '2027-T3')).id).not.toBe(first.id);
    expect((await open(action.id, '2027-A', 'annuel')).kind).toBe('annuel');
    expect(await suivis().get(first.id)).toEqual(edited);
    expect(await suivis().history(first.id)).toMatchObject([
      { recordType: 'suivi', version: 1, status: 'brouillon', author: camille, changes: [] },
      { version: 2, author: dominique, values: { ressources: 'oui' } },
    ]);
  });

  it('gives ten people opening the same suivi at once one row with one first version', async () => {
    const action = await fiche((await collectivite()).id);
    const opened = await Promise.all(Array.from({ length: 10 }, () => open(action.id, '2028-T1')));
    expect(new Set(opened.map((suivi) => suivi.id)).size).toBe(1);
    expect(await database.prisma.suivi.count({ where: { ficheId: action.id } })).toBe(1);
    expect(await suivis().history(opened[0]!.id)).toHaveLength(1);
  });

  it('refuses a period of the wrong kind or form, and a fiche that is gone', async () => {
    const commune = await collectivite();
    const action = await fiche(commune.id);
    await expect(open(action.id, '2027-A')).rejects.toThrow(/suivi annuel, pas trimestriel/);
    await expect(open(action.id, '2027-T2', 'annuel')).rejects.toThrow(/suivi trimestriel, pas annuel/);
    await expect(open(action.id, 'T2 2027')).rejects.toThrow(/Période invalide/);
    const draft = await fiche(commune.id, undefined, 'brouillon');
    await fiches().discard(draft.id, camille);
    await expect(open(draft.id)).rejects.toThrow(/introuvable ou abandonnée/);
    await expect(open(randomUUID())).rejects.toThrow(/introuvable ou abandonnée/);
    expect(await suivis().list({ collectiviteIds: [commune.id] })).toEqual([]);
  });

  it('records the submission time once, keeps it through edits and drops it back to draft', async () => {
    const suivi = await open((await fiche((await collectivite()).id)).id);
    const submittedAt = async () =>
      (await database.prisma.suivi.findUniqueOrThrow({ where: { id: suivi.id } })).submittedAt;
    const submitted = await commit(suivi, { freins: 'Locaux indisponibles' }, 'soumis');
    expect(submitted).toMatchObject({ status: 'soumis', version: 2 });
    const first = await submittedAt();
    expect(first).toBeInstanceOf(Date);
    const amended = await commit(submitted, { leviers: 'Partenariat avec le CCAS' });
    expect(amended.status).toBe('soumis');
    expect(await submittedAt()).toEqual(first);
    await commit(amended, {}, 'brouillon');
    expect(await submittedAt()).toBeNull();
    expect((await suivis().history(suivi.id)).map((version) => version.status)).toEqual([
      'brouillon',
      'soumis',
      'soumis',
      'brouillon',
    ]);
  });

  it('lets exactly one of two concurrent commits win; the loser learns what changed', async () => {
    const suivi = await open((await fiche((await collectivite()).id)).id);
    const commitBy = (author: AuthorRef, pistes: string) =>
      suivis().commit({
        suiviId: suivi.id,
        expectedVersion: 1,
        values: { pistes },
        changes: [{ fieldId: 'pistes', before: undefined, after: pistes }],
        author,
      });
    const results = await Promise.all([commitBy(camille, 'Version A'), commitBy(dominique, 'Version B')]);
    const winner = results.find((result) => result.ok);
    const loser = results.find((result) => !result.ok);
    expect(winner).toBeDefined();
    expect(loser).toMatchObject({ ok: false, currentVersion: 2 });
    if (!winner?.ok || !loser || loser.ok) return;
    expect(loser.changedSince.map((version) => version.values)).toEqual([winner.suivi.values]);
    expect((await suivis().get(suivi.id))?.values).toEqual(winner.suivi.values);
    expect(await suivis().history(suivi.id)).toHaveLength(2);
  });

  it('lists the suivis of collectivités, and those of a period with their fiche, by collectivité then fiche', async () => {
    const [b, a] = [await collectivite('Bourg'), await collectivite('Aval')];
    const [b1, b2, a1] = [await fiche(b.id), await fiche(b.id), await fiche(a.id)];
    for (const action of [b2, b1, a1]) await open(action.id, '2027-T2');
    await open(b1.id, '2027-T3');
    await open((await fiche((await collectivite()).id)).id, '2027-T2');

    const report = await suivis().listByPeriod([a.id, b.id], '2027-T2');
    expect(report.map((row) => [row.suivi.collectivite.name, row.fiche.number])).toEqual([
      [a.name, 1],
      [b.name, 1],
      [b.name, 2],
    ]);
    expect(report[0]?.fiche).toEqual(await fiches().get(a1.id));
    expect(report.every((row) => row.suivi.ficheId === row.fiche.id && row.suivi.period === '2027-T2')).toBe(
      true,
    );
    expect((await suivis().list({ collectiviteIds: [b.id] })).map((suivi) => suivi.period)).toEqual([
      '2027-T3',
      '2027-T2',
      '2027-T2',
    ]);
    expect(await suivis().list({ collectiviteIds: [a.id, b.id], period: '2027-T3' })).toHaveLength(1);
  });

  it('knows the suivis due and missing: validated fiches running in the period without a submitted suivi', async () => {
    const [commune, other] = [await collectivite('Bourg'), await collectivite('Aval')];
    const running = await fiche(commune.id, { debut: '2027-01-01', fin: '2027-12-31' });
    const endsOnFirstDay = await fiche(commune.id, { debut: '2026-09-01', fin: '2027-04-01' });
    const startsOnLastDay = await fiche(commune.id, { debut: '2027-06-30', fin: '2028-06-30' });
    const endedBefore = await fiche(commune.id, { debut: '2026-09-01', fin: '2027-03-31' });
    const startsAfter = await fiche(commune.id, { debut: '2027-07-01', fin: '2028-06-30' });
    const submitted = await fiche(commune.id, { debut: '2027-01-01', fin: '2027-12-31' });
    const drafted = await fiche(commune.id, { debut: '2027-01-01', fin: '2027-12-31' });
    await fiche(commune.id, { debut: '2027-01-01', fin: '2027-12-31' }, 'soumise');
    await fiche(commune.id);
    await fiche(other.id, { debut: '2027-05-01', fin: '2027-05-31' });
    await commit(await open(submitted.id), { realisation: 'oui' }, 'soumis');
    await commit(await open(drafted.id), { realisation: 'en_partie' });
    // Submitted for another quarter: still missing for this one.
    await commit(await open(running.id, '2027-T1'), {}, 'soumis');

    const numbers = (list: Fiche[]) => list.map((item) => item.number);
    expect(numbers(await suivis().missing([commune.id], '2027-T2'))).toEqual([
      running.number,
      endsOnFirstDay.number,
      startsOnLastDay.number,
      drafted.number,
    ]);
    expect(numbers(await suivis().missing([commune.id], '2027-T3'))).toEqual([
      running.number,
      startsOnLastDay.number,
      startsAfter.number,
      submitted.number,
      drafted.number,
    ]);
    expect(numbers(await suivis().missing([commune.id], '2027-T1'))).toEqual([
      endsOnFirstDay.number,
      endedBefore.number,
      submitted.number,
      drafted.number,
    ]);
    expect(
      (await suivis().missing([commune.id, other.id], '2027-T2')).map((item) => item.collectivite.id),
    ).toEqual([other.id, ...Array(4).fill(commune.id)]);
    expect(numbers(await suivis().missing([commune.id], '2026-A'))).toEqual([
      endsOnFirstDay.number,
      endedBefore.number,
    ]);
    expect(await suivis().missing([], '2027-T2')).toEqual([]);
    await expect(suivis().missing([commune.id], '2027-T9')).rejects.toThrow(/Période invalide/);
  });

  it('keeps the versions when the fiche and its collectivité are deleted', async () => {
    const commune = await collectivite();
    const suivi = await open((await fiche(commune.id)).id);
    await commit(suivi, { freins: 'Turn-over' }, 'soumis');
    await database.prisma.collectivite.delete({ where: { id: commune.id } });
    expect(await suivis().get(suivi.id)).toBeUndefined();
    expect(await suivis().history(suivi.id)).toMatchObject([
      { version: 1, status: 'brouillon' },
      { version: 2, status: 'soumis', values: { freins: 'Turn-over' } },
    ]);
  });
});
