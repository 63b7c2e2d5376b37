import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDigest, buildDigests } from '../../../bot/features/digest/build.ts';
import { digestDeps } from '../../../bot/features/digest/deps.ts';
import type { CollectiviteDigest, Digest, DigestItem } from '../../../bot/features/digest/model.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../../bot/store/database.ts';
import { NOW, type SeededWeek, seedWeek, WEEK } from './seed.ts';

const PUBLIC_URL = 'https://boussole.test';
const texts = (items: DigestItem[]) => items.map((item) => item.text);

/** Every list of a collectivité's part, as texts. */
function listed(part: CollectiviteDigest) {
  return {
    name: part.collectivite.name,
    fiches: Object.fromEntries(Object.entries(part.fiches).map(([kind, items]) => [kind, texts(items)])),
    tasks: Object.fromEntries(Object.entries(part.tasks).map(([kind, items]) => [kind, texts(items)])),
    suivis: Object.fromEntries(Object.entries(part.suivis).map(([kind, items]) => [kind, texts(items)])),
    bilan: part.nextBilanAnnuel?.text,
    quiet: part.quiet,
    progress: part.progress,
  };
}

const none = { created: [], changed: [], submitted: [], validated: [], returned: [] };

describe('the weekly digest of a seeded week (2026-W48, on PGlite, clock fixed)', () => {
  let database: Database;
  let seeded: SeededWeek;
  let claire: Digest;
  const deps = () => digestDeps(database.repositories, PUBLIC_URL, () => NOW);
  beforeAll(async () => {
    database = await openDatabase({ dataDir: inMemoryDataDir });
    seeded = await seedWeek(database);
    claire = (await buildDigest(deps(), { personId: seeded.people.claire, week: WEEK, now: NOW }))!;
  });
  afterAll(() => database?.close());

  it('gives a coordinator every collectivité they follow, each with exactly what happened', () => {
    expect(claire).toMatchObject({
      week: WEEK,
      person: { id: seeded.people.claire, name: 'Claire Coordination' },
      audience: 'coordinateur',
      late: false,
      range: { from: '2026-11-23', to: '2026-11-29' },
      quarter: '2026-T4',
      url: `${PUBLIC_URL}/digest/${WEEK}`,
    });
    expect(claire.collectivites.map(listed)).toEqual([
      {
        name: 'Avon',
        fiches: {
          created: ['Fiche n° 2 « Marche santé », créée par Rémi Référent'],
          // Edited after being sent back: listed as changed, once, beside its return.
          changed: ['Fiche n° 3 « Jardins partagés », modifiée par Rémi Référent'],
          submitted: ['Fiche n° 1 « Ateliers cuisine », soumise par Rémi Référent'],
          validated: ['Fiche n° 1 « Ateliers cuisine », validée par Claire Coordination'],
          returned: [
            'Fiche n° 3 « Jardins partagés », à revoir (Claire Coordination) : « Préciser le budget »',
          ],
        },
        tasks: {
          done: ['Tâche n° 1 « Diagnostic partagé » faite (Rémi Référent)'],
          late: ['Tâche n° 2 « Réunir le COPIL » : Rémi Référent, prévue pour le 20 novembre 2026'],
          dueSoon: [
            'Tâche n° 3 « Questionnaire habitants » : Association Les Jardins, pour le 5 décembre 2026',
          ],
        },
        suivis: {
          submitted: [],
          freins: [],
          due: ['Fiche n° 1 « Ateliers cuisine » : suivi à remettre'],
          missing: ['Fiche n° 1 « Ateliers cuisine » : suivi du trimestre passé non remis'],
        },
        // Started on 1 March 2026: the bilan two months before its first anniversary.
        bilan: 'Bilan annuel de la fiche n° 1 « Ateliers cuisine » : vers le 1er janvier 2027',
        quiet: undefined,
        progress: { done: 1, inProgress: 1, late: 1, todo: 1 },
      },
      {
        name: 'Bréau',
        fiches: none,
        tasks: { done: [], late: [], dueSoon: [] },
        suivis: {
          submitted: ['Suivi T3 2026 de la fiche n° 1 « Prévention solaire », remis par Bruno Référent'],
          freins: ['Fiche n° 1 « Prévention solaire » : Peu de participants en août'],
          due: ['Fiche n° 1 « Prévention solaire » : suivi à remettre'],
          missing: [],
        },
        bilan: undefined,
        quiet: undefined,
        progress: { done: 0, inProgress: 0, late: 0, todo: 0 },
      },
      {
        name: 'Champagne-sur-Seine',
        fiches: none,
        tasks: { done: [], late: [], dueSoon: [] },
        suivis: { submitted: [], freins: [], due: [], missing: [] },
        bilan: undefined,
        quiet: { since: '2026-10-01' },
        progress: { done: 0, inProgress: 0, late: 0, todo: 0 },
      },
    ]);
  });

  it('links each item to its fiche, task or suivi page on the public URL', () => {
    const [avon, breau] = claire.collectivites;
    expect(avon!.fiches.created[0]!.url).toBe(`${PUBLIC_URL}/fiches/${seeded.fiches.avon2.id}`);
    expect(avon!.tasks.late[0]!.url).toBe(`${PUBLIC_URL}/taches/${seeded.tasks.copil.id}`);
    expect(breau!.suivis.submitted[0]!.url).toBe(`${PUBLIC_URL}/suivis/${seeded.suiviBreau}`);
    const items = claire.collectivites.flatMap((part) => [
      ...Object.values(part.fiches).flat(),
      ...Object.values(part.tasks).flat(),
      ...Object.values(part.suivis).flat(),
    ]);
    expect(items.every((item) => item.url?.startsWith(`${PUBLIC_URL}/`))).toBe(true);
    // One signed chart link for the three collectivités.
    expect(claire.charts).toHaveLength(1);
    expect(claire.charts[0]).toMatch(/^https:\/\/boussole\.test\/documents\/[\w-]+\.[\w-]+$/);
  });

  it('lists the questions left unanswered and the answers rated 👎 this week, never who asked', () => {
    expect(claire.knowledge).toEqual({
      unanswered: ['Quel est le montant du FIR pour 2027 ?'],
      downvoted: [
        { question: 'Comment remplir le suivi trimestriel ?', answer: 'Utilisez le tableau de la fiche 5.' },
      ],
    });
    const json = JSON.stringify(claire.knowledge);
    for (const asker of ['remi', 'bruno', 'Rémi', 'Bruno', seeded.people.remi])
      expect(json).not.toContain(asker);
  });

  it('gives a référent who opts in only their collectivité, their tasks and the suivis it owes', async () => {
    const remi = await buildDigest(deps(), { personId: seeded.people.remi, week: WEEK, now: NOW });
    expect(remi).toMatchObject({ audience: 'referent', knowledge: { unanswered: [], downvoted: [] } });
    expect(remi!.collectivites.map(listed)).toEqual([
      {
        name: 'Avon',
        fiches: {
          ...none,
          returned: [
            'Fiche n° 3 « Jardins partagés », à revoir (Claire Coordination) : « Préciser le budget »',
          ],
        },
        // The questionnaire is the association's: not Rémi's to do.
        tasks: {
          done: [],
          late: ['Tâche n° 2 « Réunir le COPIL » : Rémi Référent, prévue pour le 20 novembre 2026'],
          dueSoon: [],
        },
        suivis: {
          submitted: [],
          freins: [],
          due: ['Fiche n° 1 « Ateliers cuisine » : suivi à remettre'],
          missing: ['Fiche n° 1 « Ateliers cuisine » : suivi du trimestre passé non remis'],
        },
        bilan: 'Bilan annuel de la fiche n° 1 « Ateliers cuisine » : vers le 1er janvier 2027',
        quiet: undefined,
        progress: { done: 1, inProgress: 1, late: 1, todo: 1 },
      },
    ]);
  });

  it('builds many digests at once, each on its own collectivités, and none for people without any', async () => {
    const { claire: c, dora, nobody } = seeded.people;
    const digests = await buildDigests(deps(), {
      week: WEEK,
      now: NOW,
      requests: [
        { personId: c, collectiviteIds: [seeded.collectivites.breau], late: true },
        { personId: dora },
        // Avon is not Dora's: a subscription naming it gives her nothing there.
        { personId: dora, collectiviteIds: [seeded.collectivites.avon] },
        { personId: nobody },
        { personId: 'inconnu' },
      ],
    });
    expect(
      digests.map((digest) => [
        digest.person.name,
        digest.late,
        digest.collectivites.map((p) => p.collectivite.name),
      ]),
    ).toEqual([
      ['Claire Coordination', true, ['Bréau']],
      ['Dora Coordination', false, ['Dammarie-lès-Lys']],
    ]);
    expect(texts(digests[1]!.collectivites[0]!.fiches.created)).toEqual([
      'Fiche n° 1 « Sport sur ordonnance », créée par Claire Coordination',
    ]);
  });

  it('points out a collectivité where nothing was ever recorded', async () => {
    const admin = { name: 'admin (ligne de commande) — test' };
    const { directory } = database.repositories;
    const empty = await directory.createCollectivite({ name: 'Écuelles', kind: 'commune' }, admin);
    await directory.grant(
      { personId: seeded.people.dora, role: 'coordinateur', collectiviteId: empty.id },
      admin,
    );
    const dora = await buildDigest(deps(), { personId: seeded.people.dora, week: WEEK, now: NOW });
    expect(dora!.collectivites.map((part) => [part.collectivite.name, part.quiet])).toEqual([
      ['Dammarie-lès-Lys', undefined],
      ['Écuelles', { since: undefined }],
    ]);
  });

  it('reads a week that is not over up to now, and an earlier week from its versions', async () => {
    const midweek = new Date('2026-11-25T12:00:00Z');
    const wednesday = await buildDigest(deps(), { personId: seeded.people.claire, week: WEEK, now: midweek });
    const avon = wednesday!.collectivites[0]!;
    expect(texts(avon.fiches.submitted)).toHaveLength(1);
    expect(avon.fiches.validated).toEqual([]);
    const before = await buildDigest(deps(), { personId: seeded.people.claire, week: '2026-W47', now: NOW });
    expect(before!.collectivites.flatMap((part) => texts(part.fiches.created))).toEqual([]);
    expect(before!.knowledge.unanswered).toEqual([]);
  });
});
