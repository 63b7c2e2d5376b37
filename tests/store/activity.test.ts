import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weekRange } from '../../bot/features/digest/weeks.ts';
import type { Database } from '../../bot/store/database.ts';
import { type SeededWeek, seedWeek, WEEK } from '../features/digest/seed.ts';
import { backends } from './backends.ts';

describe.each(backends)('the activity of a week on $name', (backend) => {
  let database: Database;
  let seeded: SeededWeek;
  const { start, end } = weekRange(WEEK);
  beforeAll(async () => {
    database = await backend.open();
    seeded = await seedWeek(database);
  });
  afterAll(() => backend.dispose(database));

  const activity = () => database.repositories.activity;

  it('lists the week’s versions with their collectivité, subject and the status before', async () => {
    const versions = await activity().versionsBetween(
      [seeded.collectivites.avon, seeded.collectivites.breau],
      start,
      end,
    );
    expect(
      versions.map((v) => [
        v.collectivite.name,
        v.recordType,
        v.subject.number,
        v.version,
        v.previousStatus,
        v.status,
      ]),
    ).toEqual([
      ['Avon', 'fiche_action', 1, 2, 'brouillon', 'soumise'],
      ['Avon', 'task', 1, 2, 'en_cours', 'fait'],
      ['Avon', 'fiche_action', 2, 1, undefined, 'brouillon'],
      ['Avon', 'fiche_action', 2, 2, 'brouillon', 'brouillon'],
      ['Bréau', 'suivi', 1, 2, 'brouillon', 'soumis'],
      ['Avon', 'fiche_action', 1, 3, 'soumise', 'validee'],
      ['Avon', 'fiche_action', 3, 3, 'soumise', 'a_revoir'],
      ['Avon', 'fiche_action', 3, 4, 'a_revoir', 'a_revoir'],
    ]);
    const suivi = versions.find((v) => v.recordType === 'suivi')!;
    expect(suivi).toMatchObject({
      recordId: seeded.suiviBreau,
      subject: { number: 1, title: 'Prévention solaire', period: '2026-T3' },
      author: { name: 'Bruno Référent', personId: seeded.people.bruno },
      values: { freins: 'Peu de participants en août' },
    });
    expect(versions.find((v) => v.status === 'a_revoir')?.note).toBe('Préciser le budget');
    expect(await activity().versionsBetween([], start, end)).toEqual([]);
  });

  it('leaves out discarded fiches and deleted tasks', async () => {
    const { fiches, tasks } = database.repositories;
    const author = { name: 'Rémi Référent', personId: seeded.people.remi };
    const draft = await fiches.create({
      collectiviteId: seeded.collectivites.breau,
      values: { intitule: 'Abandonnée' },
      changes: [],
      author,
    });
    await fiches.discard(draft.id, author);
    const task = await tasks.create({
      collectiviteId: seeded.collectivites.breau,
      values: { intitule: 'Supprimée', phase: 'diagnostic', etat: 'a_faire' },
      author,
    });
    await tasks.delete(task.id, author);
    const now = await activity().versionsBetween(
      [seeded.collectivites.breau],
      start,
      new Date(Date.now() + 60_000),
    );
    expect(now.map((v) => v.subject.title)).not.toContain('Abandonnée');
    expect(now.map((v) => v.subject.title)).not.toContain('Supprimée');
  });

  it('tells when each collectivité last changed', async () => {
    const last = await activity().lastActivity([
      seeded.collectivites.champagne,
      seeded.collectivites.dammarie,
    ]);
    expect(last).toEqual(
      new Map([
        [seeded.collectivites.champagne, new Date('2026-10-01T09:00:00Z')],
        [seeded.collectivites.dammarie, new Date('2026-11-26T09:00:00Z')],
      ]),
    );
    expect(await activity().lastActivity([])).toEqual(new Map());
  });

  it('counts the tasks by état as of a day, late ones apart', async () => {
    const progress = await activity().taskProgress(
      [seeded.collectivites.avon, seeded.collectivites.champagne],
      '2026-11-30',
    );
    expect(progress).toEqual(
      new Map([[seeded.collectivites.avon, { done: 1, inProgress: 1, late: 1, todo: 1 }]]),
    );
    // On 6 December the questionnaire (due the 5th) is late too.
    expect(
      (await activity().taskProgress([seeded.collectivites.avon], '2026-12-06')).get(
        seeded.collectivites.avon,
      ),
    ).toEqual({
      done: 1,
      inProgress: 0,
      late: 2,
      todo: 1,
    });
  });

  it('gives the questions left unanswered and the answers rated 👎, within a limit', async () => {
    expect(await activity().knowledgeGaps(start, end, 10)).toEqual({
      unanswered: ['Quel est le montant du FIR pour 2027 ?'],
      downvoted: [
        { question: 'Comment remplir le suivi trimestriel ?', answer: 'Utilisez le tableau de la fiche 5.' },
      ],
    });
    const wide = await activity().knowledgeGaps(new Date('2026-11-01T00:00:00Z'), end, 1);
    expect(wide.unanswered).toEqual(['Quel est le montant du FIR pour 2027 ?']);
  });
});
