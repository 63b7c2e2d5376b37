import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parisDay } from '../../bot/core/calendar.ts';
import type { AuthorRef } from '../../bot/core/people.ts';
import type { Task, TaskValues } from '../../bot/features/dashboard/model.ts';
import type { Database } from '../../bot/store/database.ts';
import { backends } from './backends.ts';

const admin = { name: 'admin (ligne de commande) — test' };

describe.each(backends)('tasks of the tableau de bord on $name', (backend) => {
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

  const tasks = () => database.repositories.tasks;

  async function collectivite() {
    const name = `Commune de Démoville (démo) ${randomUUID().slice(0, 8)}`;
    return database.repositories.directory.createCollectivite({ name, kind: 'commune' }, admin);
  }

  const task = (collectiviteId: string, values: Partial<TaskValues> = {}) =>
    tasks().create({
      collectiviteId,
      values: {
        intitule: 'Rencontres avec les acteurs concernés',
        phase: 'prefiguration',
        etat: 'a_faire',
        ...values,
      },
      author: camille,
    });

  async function commit(current: Task, values: Partial<TaskValues>, author = camille) {
    const result = await tasks().commit({
      taskId: current.id,
      expectedVersion: current.version,
      values: { ...current.values, ...values },
      changes: Object.entries(values).map(([fieldId, after]) => ({
        fieldId,
        before: current.values[fieldId as keyof TaskValues],
        after,
      })),
      author,
    });
    if (!result.ok) throw new Error(`conflit inattendu sur la tâche n° ${current.number}`);
    return result.task;
  }

  const columnsOf = (taskId: string) => database.prisma.task.findUniqueOrThrow({ where: { id: taskId } });
  const day = (value: string) => new Date(`${value}T00:00:00Z`);
  const numbers = (list: { number: number }[]) => list.map((item) => item.number);

  it('creates a task at version 1, numbered in its collectivité, its columns copied from its values', async () => {
    const commune = await collectivite();
    const fiche = await database.repositories.fiches.create({
      collectiviteId: commune.id,
      values: { intitule: 'Ateliers mémoire' },
      changes: [],
      author: camille,
    });
    const values: TaskValues = {
      intitule: '  Diagnostic quantitatif  ',
      phase: 'diagnostic',
      responsable: { nom: 'Camille Exemple', personId: camille.personId },
      debut: '2027-09-01',
      fin: '2027-12-15',
      livrables: 'Portrait de territoire',
      etat: 'en_cours',
      ficheId: fiche.id,
      programme: 'Bien vieillir',
    };
    const first = await tasks().create({ collectiviteId: commune.id, values, author: camille });
    const second = await task(commune.id);
    const elsewhere = await task((await collectivite()).id);

    expect(first).toMatchObject({
      collectivite: { id: commune.id, name: commune.name },
      number: 1,
      values,
      version: 1,
      createdBy: camille,
    });
    expect([second.number, elsewhere.number]).toEqual([2, 1]);
    expect(await tasks().get(first.id)).toEqual(first);
    expect(await tasks().findByNumber(commune.id, 2)).toEqual(second);
    expect(await columnsOf(first.id)).toMatchObject({
      programme: 'Bien vieillir',
      phase: 'diagnostic',
      title: 'Diagnostic quantitatif',
      responsibleName: 'Camille Exemple',
      responsiblePersonId: camille.personId,
      startDate: day('2027-09-01'),
      endDate: day('2027-12-15'),
      deliverables: 'Portrait de territoire',
      state: 'en_cours',
      ficheId: fiche.id,
      dependsOnId: null,
    });
    const [version] = await tasks().history(first.id);
    expect(version).toMatchObject({
      recordType: 'task',
      version: 1,
      author: camille,
      status: 'en_cours',
      values,
    });
    expect(version?.changes).toContainEqual({ fieldId: 'fin', before: undefined, after: '2027-12-15' });
    expect(version?.changes).toHaveLength(Object.keys(values).length);
  });

  it('numbers 12 tasks created at once 1 to 12, apart from the fiches’ numbers', async () => {
    const commune = await collectivite();
    await database.repositories.fiches.create({
      collectiviteId: commune.id,
      values: {},
      changes: [],
      author: camille,
    });
    const created = await Promise.all(Array.from({ length: 12 }, () => task(commune.id)));
    expect(numbers(created).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(await database.prisma.collectivite.findUniqueOrThrow({ where: { id: commune.id } })).toMatchObject(
      {
        lastTaskNumber: 12,
        lastFicheNumber: 1,
      },
    );
  });

  it('commits a new version and keeps the columns in step with the values', async () => {
    const created = await task((await collectivite()).id, {
      responsable: { nom: 'Camille Exemple', personId: camille.personId },
      fin: '2027-10-31',
      livrables: 'Compte rendu',
    });
    const { responsable: _, livrables: __, ...rest } = created.values;
    const result = await tasks().commit({
      taskId: created.id,
      expectedVersion: 1,
      values: { ...rest, responsable: { nom: 'Mission locale' }, fin: '2027-11-30', etat: 'fait' },
      changes: [{ fieldId: 'etat', before: 'a_faire', after: 'fait' }],
      author: dominique,
      note: 'Terminé en comité de pilotage.',
    });
    expect(result).toMatchObject({
      ok: true,
      task: { version: 2, values: { etat: 'fait', fin: '2027-11-30' } },
    });
    expect(await columnsOf(created.id)).toMatchObject({
      version: 2,
      state: 'fait',
      endDate: day('2027-11-30'),
      responsibleName: 'Mission locale',
      responsiblePersonId: null,
      deliverables: null,
    });
    expect((await tasks().history(created.id))[1]).toMatchObject({
      version: 2,
      author: dominique,
      status: 'fait',
      note: 'Terminé en comité de pilotage.',
    });
  });

  it('lets exactly one of two concurrent commits win; the loser learns what changed', async () => {
    const created = await task((await collectivite()).id);
    const commitBy = (author: AuthorRef, livrables: string) =>
      tasks().commit({
        taskId: created.id,
        expectedVersion: 1,
        values: { ...created.values, livrables },
        changes: [{ fieldId: 'livrables', before: undefined, after: livrables }],
        author,
      });
    const results = await Promise.all([commitBy(camille, 'Version A'), commitBy(dominique, 'Version B')]);
    const winner = results.find((result) => result.ok);
    const loser = results.find((result) => !result.ok);
    expect(winner).toBeDefined();
    expect(loser).toMatchObject({ ok: false, currentVersion: 2 });
    if (!winner?.ok || !loser || loser.ok) return;
    expect(loser.changedSince.map((version) => version.values)).toEqual([winner.task.values]);
    expect(await tasks().history(created.id)).toHaveLength(2);
    expect((await columnsOf(created.id)).deliverables).toBe(winner.task.values.livrables);
  });

  it('lists tasks in the guide’s phase order, then by start date, undated last', async () => {
    const commune = await collectivite();
    await task(commune.id, { intitule: 'Évaluer', phase: 'evaluation', debut: '2027-01-01' });
    await task(commune.id, { intitule: 'Sans date', phase: 'diagnostic' });
    await task(commune.id, { intitule: 'Diagnostic tardif', phase: 'diagnostic', debut: '2027-06-01' });
    await task(commune.id, { intitule: 'Diagnostic précoce', phase: 'diagnostic', debut: '2027-02-01' });
    await task(commune.id, { intitule: 'Concertation', phase: 'prefiguration', debut: '2027-12-01' });
    await task(commune.id, { intitule: 'Plan', phase: 'plan_actions' });
    expect((await tasks().list({ collectiviteIds: [commune.id] })).map((t) => t.values.intitule)).toEqual([
      'Concertation',
      'Diagnostic précoce',
      'Diagnostic tardif',
      'Sans date',
      'Plan',
      'Évaluer',
    ]);
  });

  it('refuses links to another collectivité and dependencies that loop, and writes nothing', async () => {
    const [commune, other] = [await collectivite(), await collectivite()];
    const foreignFiche = await database.repositories.fiches.create({
      collectiviteId: other.id,
      values: {},
      changes: [],
      author: camille,
    });
    const foreignTask = await task(other.id);
    await expect(task(commune.id, { ficheId: foreignFiche.id })).rejects.toThrow(/Fiche-action introuvable/);
    await expect(task(commune.id, { dependDe: foreignTask.id })).rejects.toThrow(/Tâche introuvable/);
    expect(await tasks().list({ collectiviteIds: [commune.id] })).toEqual([]);

    const a = await task(commune.id, { intitule: 'A' });
    const b = await task(commune.id, { intitule: 'B', dependDe: a.id });
    const c = await task(commune.id, { intitule: 'C', dependDe: b.id });
    await expect(commit(a, { dependDe: a.id })).rejects.toThrow(/elle-même/);
    await expect(commit(a, { dependDe: c.id })).rejects.toThrow(/elle-même, même indirectement/);
    expect(await tasks().get(a.id)).toEqual(a);
    expect(await tasks().history(a.id)).toHaveLength(1);
    expect((await columnsOf(c.id)).dependsOnId).toBe(b.id);
  });

  it('deletes a task with an audit entry; the tasks waiting for it lose that dependency in a new version', async () => {
    const commune = await collectivite();
    const first = await task(commune.id, { intitule: 'Mise en place des instances', fin: '2020-01-31' });
    const waiting = await task(commune.id, { intitule: 'Validation', dependDe: first.id });
    const unrelated = await task(commune.id, { intitule: 'Autre' });

    expect(await tasks().delete(first.id, dominique)).toBe(true);
    expect(await tasks().delete(first.id, dominique)).toBe(false);

    expect(await tasks().get(first.id)).toBeUndefined();
    expect(await tasks().findByNumber(commune.id, first.number)).toBeUndefined();
    expect(numbers(await tasks().list({ collectiviteIds: [commune.id] }))).toEqual([2, 3]);
    expect(await tasks().overdue([commune.id], '2027-01-01')).toEqual([]);
    expect(await tasks().history(first.id)).toHaveLength(1);
    await expect(commit(first, { etat: 'fait' })).rejects.toThrow(/introuvable ou supprimée/);
    const audit = await database.prisma.auditEntry.findMany({ where: { subjectId: first.id } });
    expect(audit).toMatchObject([
      {
        action: 'task.delete',
        subjectType: 'task',
        actorId: dominique.personId,
        details: { collectiviteId: commune.id, number: 1, title: 'Mise en place des instances' },
      },
    ]);

    const released = await tasks().get(waiting.id);
    expect(released).toMatchObject({ version: 2 });
    expect(released?.values).not.toHaveProperty('dependDe');
    expect((await columnsOf(waiting.id)).dependsOnId).toBeNull();
    expect((await tasks().history(waiting.id))[1]).toMatchObject({
      version: 2,
      author: dominique,
      changes: [{ fieldId: 'dependDe', before: first.id }],
      note: 'La tâche n° 1 dont elle dépendait a été supprimée.',
    });
    // A writer who started before the deletion is told what changed.
    const stale = await tasks().commit({
      taskId: waiting.id,
      expectedVersion: 1,
      values: { ...waiting.values, etat: 'en_cours' },
      changes: [],
      author: camille,
    });
    expect(stale).toMatchObject({ ok: false, currentVersion: 2, changedSince: [{ version: 2 }] });
    expect(await tasks().get(unrelated.id)).toEqual(unrelated);
  });

  it('keeps the versions when the task, its people and its collectivité are deleted', async () => {
    const commune = await collectivite();
    const person = await database.repositories.directory.createPerson(
      { displayName: 'Auteur éphémère' },
      admin,
    );
    const author = { personId: person.id, name: person.displayName };
    const created = await tasks().create({
      collectiviteId: commune.id,
      values: {
        intitule: 'Éphémère',
        phase: 'prefiguration',
        etat: 'a_faire',
        responsable: { nom: person.displayName, personId: person.id },
      },
      author,
    });
    await database.prisma.person.delete({ where: { id: person.id } });
    expect(await columnsOf(created.id)).toMatchObject({
      responsiblePersonId: null,
      responsibleName: 'Auteur éphémère',
    });
    await database.prisma.collectivite.delete({ where: { id: commune.id } });
    expect(await database.prisma.task.count({ where: { id: created.id } })).toBe(0);
    expect(await tasks().history(created.id)).toMatchObject([
      { version: 1, author, values: { intitule: 'Éphémère' } },
    ]);
  });

  it('rolls a task back with the rest of an atomic unit, its number included', async () => {
    const commune = await collectivite();
    let taskId = '';
    await expect(
      database.repositories.atomically(async (repositories) => {
        const created = await repositories.tasks.create({
          collectiviteId: commune.id,
          values: { intitule: 'Annulée', phase: 'diagnostic', etat: 'a_faire' },
          author: camille,
        });
        taskId = created.id;
        throw new Error('la suite a échoué');
      }),
    ).rejects.toThrow('la suite a échoué');
    expect(taskId).not.toBe('');
    expect(await tasks().history(taskId)).toEqual([]);
    expect((await task(commune.id)).number).toBe(1);
  });

  describe('late and due, on calendar days', () => {
    let commune: string;
    let other: string;
    beforeAll(async () => {
      [commune, other] = [(await collectivite()).id, (await collectivite()).id];
      // Numbers 1 to 10, in this order.
      for (const [fin, etat] of [
        ['2027-12-31', 'a_faire'],
        ['2028-01-31', 'en_cours'],
        ['2028-02-28', 'a_faire'],
        ['2028-02-29', 'en_cours'],
        ['2028-03-01', 'a_faire'],
        ['2028-01-15', 'fait'],
        ['2028-01-15', 'abandonne'],
        [undefined, 'a_faire'],
        ['2028-03-26', 'a_faire'],
        ['2028-10-29', 'en_cours'],
      ] as const) {
        await task(commune, { fin, etat, debut: '2027-11-01' });
      }
      await task(other, { fin: '2028-02-01' });
    });

    it('is late when open and its end date is before today: not on the day itself, nor when done or dropped', async () => {
      expect(numbers(await tasks().overdue([commune], '2028-02-29'))).toEqual([1, 2, 3]);
      expect(numbers(await tasks().overdue([commune], '2028-03-01'))).toEqual([1, 2, 3, 4]);
      expect(numbers(await tasks().overdue([commune], '2028-01-01'))).toEqual([1]);
      expect(numbers(await tasks().overdue([commune, other], '2028-02-02'))).toEqual([1, 2, 1]);
      expect(await tasks().overdue([], '2030-01-01')).toEqual([]);
    });

    it('takes today from the caller: the Paris day after a daylight-saving change', async () => {
      // 26 March 2028 is the spring change: 22:30 UTC that evening is already 00:30 on the 27th in Paris.
      const springToday = parisDay(new Date('2028-03-26T22:30:00Z'));
      expect(springToday).toBe('2028-03-27');
      expect(numbers(await tasks().overdue([commune], springToday))).toEqual([1, 2, 3, 4, 5, 9]);
      // 29 October 2028 is the autumn change: 23:30 UTC that evening is 00:30 on the 30th in Paris.
      const autumnToday = parisDay(new Date('2028-10-29T23:30:00Z'));
      expect(autumnToday).toBe('2028-10-30');
      expect(numbers(await tasks().overdue([commune], autumnToday))).toContain(10);
      expect(
        numbers(await tasks().overdue([commune], parisDay(new Date('2028-10-29T22:30:00Z')))),
      ).not.toContain(10);
    });

    it('is due between two days, both included: a leap February, a month end, a window across months', async () => {
      expect(numbers(await tasks().dueBetween([commune], '2028-02-01', '2028-02-29'))).toEqual([3, 4]);
      expect(numbers(await tasks().dueBetween([commune], '2028-01-01', '2028-01-31'))).toEqual([2]);
      expect(numbers(await tasks().dueBetween([commune], '2028-02-20', '2028-03-05'))).toEqual([3, 4, 5]);
      expect(numbers(await tasks().dueBetween([commune], '2027-12-31', '2027-12-31'))).toEqual([1]);
      expect(await tasks().dueBetween([other], '2028-03-01', '2028-03-31')).toEqual([]);
    });

    it('refuses a day that is not in the calendar', async () => {
      await expect(tasks().overdue([commune], '2027-02-29')).rejects.toThrow(/Date invalide.*2027-02-29/);
      await expect(tasks().dueBetween([commune], '2028-02-01', '2028-02-30')).rejects.toThrow(
        /Date invalide/,
      );
      await expect(task(commune, { fin: '31/01/2028' })).rejects.toThrow(/Date invalide \(fin\)/);
    });
  });

  describe('done between two instants, from the versions', () => {
    // February 2028 in Paris (UTC+1): from 1 February 00:00 to 1 March 00:00.
    const february = [new Date('2028-01-31T23:00:00Z'), new Date('2028-02-29T23:00:00Z')] as const;
    const march = [new Date('2028-02-29T23:00:00Z'), new Date('2028-03-31T22:00:00Z')] as const;
    let commune: string;
    let other: string;

    /** Dates the versions of a task, in order: the database clock stamps them with the time of the test. */
    async function dated(taskId: string, instants: string[]) {
      for (const [index, instant] of instants.entries()) {
        await database.prisma.recordVersion.update({
          where: {
            recordType_recordId_version: { recordType: 'task', recordId: taskId, version: index + 1 },
          },
          data: { createdAt: new Date(instant) },
        });
      }
    }

    async function done(
      title: string,
      path: TaskValues['etat'][],
      instants: string[],
      collectiviteId = commune,
    ) {
      let current = await task(collectiviteId, { intitule: title, etat: path[0] });
      for (const etat of path.slice(1)) current = await commit(current, { etat }, dominique);
      await dated(current.id, instants);
      return current;
    }

    beforeAll(async () => {
      [commune, other] = [(await collectivite()).id, (await collectivite()).id];
      await done(
        'Fait le 29 février',
        ['a_faire', 'en_cours', 'fait'],
        ['2028-02-01T09:00:00Z', '2028-02-10T09:00:00Z', '2028-02-29T22:59:59Z'],
      );
      await done(
        'Fait à minuit passé',
        ['a_faire', 'fait'],
        ['2028-02-01T09:00:00Z', '2028-02-29T23:00:00Z'],
      );
      await done(
        'Rouverte',
        ['a_faire', 'fait', 'en_cours'],
        ['2028-02-01T09:00:00Z', '2028-02-05T09:00:00Z', '2028-02-06T09:00:00Z'],
      );
      await done(
        'Refaite en mars',
        ['a_faire', 'fait', 'en_cours', 'fait'],
        ['2028-02-01T09:00:00Z', '2028-02-05T09:00:00Z', '2028-02-06T09:00:00Z', '2028-03-02T09:00:00Z'],
      );
      const edited = await done('Créée faite, puis retouchée', ['fait'], ['2028-02-03T09:00:00Z']);
      await commit(edited, { livrables: 'Compte rendu' });
      await dated(edited.id, ['2028-02-03T09:00:00Z', '2028-03-03T09:00:00Z']);
      const deleted = await done(
        'Supprimée',
        ['a_faire', 'fait'],
        ['2028-02-01T09:00:00Z', '2028-02-07T09:00:00Z'],
      );
      await tasks().delete(deleted.id, camille);
      await done('Ailleurs', ['a_faire', 'fait'], ['2028-02-01T09:00:00Z', '2028-02-08T09:00:00Z'], other);
    });

    const titles = (list: { task: Task }[]) => list.map((entry) => entry.task.values.intitule);

    it('reports each task still done once, at its latest change to « fait », with who did it', async () => {
      const inFebruary = await tasks().doneBetween([commune], ...february);
      expect(titles(inFebruary)).toEqual(['Créée faite, puis retouchée', 'Fait le 29 février']);
      expect(inFebruary[0]).toMatchObject({ doneAt: new Date('2028-02-03T09:00:00Z'), by: camille });
      expect(inFebruary[1]).toMatchObject({ doneAt: new Date('2028-02-29T22:59:59Z'), by: dominique });
      expect(titles(await tasks().doneBetween([commune], ...march))).toEqual([
        'Fait à minuit passé',
        'Refaite en mars',
      ]);
      expect(titles(await tasks().doneBetween([commune, other], ...february))).toContain('Ailleurs');
      expect(await tasks().doneBetween([], ...february)).toEqual([]);
    });
  });
});
