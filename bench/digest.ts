import { randomUUID } from 'node:crypto';
import { generatedTasks } from '../bot/documents/dashboard/example.ts';
import { buildDigests } from '../bot/features/digest/build.ts';
import { digestDeps } from '../bot/features/digest/deps.ts';
import { weekRange } from '../bot/features/digest/weeks.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../bot/store/database.ts';
import type { Metric } from './report.ts';

/**
 * The weekly digest's section of `npm run bench`: 100 collectivités with 30 fiches and 200 tasks each on
 * PGlite, a week of changes in their versions (a fiche in five edited, submitted or validated, tasks done,
 * suivis handed in), and the time to build every coordinator's digest (the target: under 2 s for
 * the 100 collectivités). Rows are written in bulk: the bench measures the reads, not the seeding.
 */

const COLLECTIVITES = 100;
const FICHES = 30;
const TASKS = 200;
const COORDINATORS = 10;
const WEEK = '2027-W24';
/** Monday 14 June 2027, 09:00 in Paris. */
const NOW = new Date('2027-06-21T07:00:00Z');
const author = { authorName: 'Banc d’essai' };

async function chunked<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>, size = 2_000) {
  for (let at = 0; at < rows.length; at += size) await write(rows.slice(at, at + size));
}

async function seed(database: Database, collectivites: number): Promise<string[]> {
  const { prisma } = database;
  const { start } = weekRange(WEEK);
  const inWeek = (hours: number) => new Date(start.getTime() + hours * 3_600_000);
  const before = new Date('2027-01-10T09:00:00Z');
  const places = Array.from({ length: collectivites }, (_, index) => ({
    id: randomUUID(),
    name: `Collectivité ${index + 1}`,
    nameKey: `collectivite ${index + 1}`,
    kind: 'commune' as const,
  }));
  await prisma.collectivite.createMany({ data: places });
  const coordinators = Array.from({ length: COORDINATORS }, (_, index) => ({
    id: randomUUID(),
    displayName: `Coordination ${index + 1}`,
  }));
  await prisma.person.createMany({ data: coordinators });
  await prisma.membership.createMany({
    data: places.map((place, index) => ({
      personId: coordinators[index % COORDINATORS]!.id,
      role: 'coordinateur' as const,
      collectiviteId: place.id,
      scope: place.id,
    })),
  });

  const fiches = [];
  const tasks = [];
  const versions = [];
  const suivis = [];
  for (const [p, place] of places.entries()) {
    for (let n = 1; n <= FICHES; n++) {
      const id = randomUUID();
      const status = n % 3 === 0 ? 'validee' : n % 3 === 1 ? 'soumise' : 'brouillon';
      const values = { intitule: `Action ${n}`, periode: { debut: '2027-01-01', fin: '2027-12-31' } };
      fiches.push({
        id,
        collectiviteId: place.id,
        number: n,
        title: values.intitule,
        status,
        values,
        createdByName: author.authorName,
      } as const);
      const base = { recordType: 'fiche_action' as const, recordId: id, values, ...author };
      versions.push({ ...base, version: 1, changes: [], status: 'brouillon', createdAt: before });
      // A fiche in five moved this week: submitted, validated or edited.
      if (n % 5 === 0) {
        versions.push({
          ...base,
          version: 2,
          changes: [{ fieldId: 'public', before: null, after: 'Seniors' }],
          status,
          createdAt: inWeek(10 + n),
        });
      }
      if (status === 'validee' && n % 2 === 0) {
        suivis.push({
          id: randomUUID(),
          ficheId: id,
          period: '2027-T2',
          kind: 'trimestriel' as const,
          values: { freins: 'Peu de bénévoles' },
          status: 'soumis' as const,
          createdByName: author.authorName,
          submittedAt: inWeek(30),
        });
      }
    }
    for (const task of generatedTasks(place, TASKS)) {
      const id = randomUUID();
      const v = task.values;
      tasks.push({
        id,
        collectiviteId: place.id,
        number: task.number,
        phase: v.phase,
        title: v.intitule,
        responsibleName: v.responsable?.nom ?? null,
        startDate: v.debut ? new Date(`${v.debut}T00:00:00Z`) : null,
        endDate: v.fin ? new Date(`${v.fin}T00:00:00Z`) : null,
        state: v.etat,
        values: v as object,
        createdByName: author.authorName,
      });
      const base = { recordType: 'task' as const, recordId: id, values: v as object, changes: [], ...author };
      if (v.etat === 'fait' && task.number % 4 === 0) {
        versions.push({ ...base, version: 1, status: 'en_cours', createdAt: before });
        versions.push({ ...base, version: 2, status: 'fait', createdAt: inWeek(p % 100) });
      } else {
        versions.push({ ...base, version: 1, status: v.etat, createdAt: before });
      }
    }
  }
  await chunked(fiches, (data) => prisma.ficheAction.createMany({ data }));
  await chunked(tasks, (data) => prisma.task.createMany({ data }));
  await chunked(suivis, (data) => prisma.suivi.createMany({ data }));
  for (const suivi of suivis) {
    versions.push({
      recordType: 'suivi' as const,
      recordId: suivi.id,
      version: 1,
      values: suivi.values,
      changes: [],
      status: 'soumis',
      createdAt: inWeek(30),
      ...author,
    });
  }
  await chunked(versions, (data) => prisma.recordVersion.createMany({ data }));
  return coordinators.map((coordinator) => coordinator.id);
}

export async function benchDigest(options: { quick?: boolean } = {}): Promise<Metric[]> {
  const collectivites = options.quick ? 10 : COLLECTIVITES;
  const database = await openDatabase({ dataDir: inMemoryDataDir });
  try {
    const seedStarted = performance.now();
    const people = await seed(database, collectivites);
    const seeded = performance.now() - seedStarted;
    const deps = digestDeps(database.repositories, 'https://boussole.example', () => NOW);
    const requests = people.map((personId) => ({ personId }));
    const build = async () => {
      const started = performance.now();
      const digests = await buildDigests(deps, { week: WEEK, now: NOW, requests });
      return { ms: performance.now() - started, digests };
    };
    const cold = await build();
    const runs = [];
    for (let i = 0; i < (options.quick ? 1 : 5); i++) runs.push((await build()).ms);
    runs.sort((a, b) => a - b);
    const items = cold.digests
      .flatMap((digest) => digest.collectivites)
      .reduce(
        (count, part) =>
          count +
          [...Object.values(part.fiches), ...Object.values(part.tasks), ...Object.values(part.suivis)].flat()
            .length,
        0,
      );
    const of = `${collectivites} collectivités × ${FICHES} fiches × ${TASKS} tâches, ${people.length} coordinateurs`;
    return [
      {
        label: `Digests de la semaine, ${of} (premier)`,
        value: cold.ms,
        unit: 'ms',
        target: { below: 2_000 },
      },
      {
        label: `Digests de la semaine, ${of} (médiane)`,
        value: runs[Math.floor(runs.length / 2)]!,
        unit: 'ms',
        target: { below: 2_000 },
      },
      { label: 'Lignes listées dans ces digests', value: items, unit: '' },
      {
        label: 'Écriture des données du banc (en bloc, non mesurée par la cible)',
        value: seeded,
        unit: 'ms',
      },
    ];
  } finally {
    await database.close();
  }
}
