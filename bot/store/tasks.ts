import { z } from 'zod';
import { Prisma } from '../../generated/prisma/client.ts';
import type { AuthorRef } from '../core/people.ts';
import type { DoneTask, TaskStore } from '../core/ports.ts';
import type { RecordVersion, VersionConflict } from '../core/versions.ts';
import type { Task, TaskCommit, TaskState, TaskValues } from '../features/dashboard/model.ts';
import { writeAudit } from './audit.ts';
import type { Db, TransactionalDeps } from './transactions.ts';
import { creationChanges, json, versionsOf, writeVersion } from './versions.ts';

const OPEN_STATES: TaskState[] = ['a_faire', 'en_cours'];

const taskSelect = {
  id: true,
  number: true,
  values: true,
  version: true,
  state: true,
  createdById: true,
  createdByName: true,
  createdAt: true,
  updatedAt: true,
  collectivite: { select: { id: true, name: true } },
} satisfies Prisma.TaskSelect;

type TaskRow = Prisma.TaskGetPayload<{ select: typeof taskSelect }>;

function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    collectivite: row.collectivite,
    number: row.number,
    values: row.values as unknown as TaskValues,
    version: row.version,
    createdBy: { personId: row.createdById ?? undefined, name: row.createdByName },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The version row of a task: its état is the version's status. */
const versioned = (row: TaskRow) => ({ ...row, status: row.state });

const isoDay = z.iso.date();

/** A calendar day (YYYY-MM-DD) as the value of a `date` column. */
function day(value: string, what: string): Date {
  if (!isoDay.safeParse(value).success) {
    throw new Error(`Date invalide (${what}) : « ${value} », attendu AAAA-MM-JJ.`);
  }
  return new Date(`${value}T00:00:00Z`);
}

const optionalDay = (value: string | undefined, what: string) =>
  value === undefined ? null : day(value, what);

const orNull = (value: string | undefined) => (value?.trim() ? value.trim() : null);

/** The columns copied from the values on every write, for lists and queries. */
function columns(values: TaskValues) {
  return {
    programme: orNull(values.programme),
    phase: values.phase,
    title: values.intitule.trim(),
    responsibleName: orNull(values.responsable?.nom),
    responsiblePersonId: values.responsable?.personId ?? null,
    startDate: optionalDay(values.debut, 'début'),
    endDate: optionalDay(values.fin, 'fin'),
    deliverables: orNull(values.livrables),
    state: values.etat,
    ficheId: values.ficheId ?? null,
    dependsOnId: values.dependDe ?? null,
  };
}

/** Refuses a fiche or a task of another collectivité, and a dependency that would loop back to the task. */
async function checkLinks(
  tx: Db,
  collectiviteId: string,
  taskId: string | undefined,
  values: TaskValues,
): Promise<void> {
  if (values.ficheId) {
    const fiche = await tx.ficheAction.findFirst({
      where: { id: values.ficheId, collectiviteId, discardedAt: null },
      select: { id: true },
    });
    if (!fiche) throw new Error(`Fiche-action introuvable dans cette collectivité : ${values.ficheId}`);
  }
  const seen = new Set<string>();
  for (let cursor = values.dependDe; cursor !== undefined; ) {
    if (cursor === taskId) throw new Error('Une tâche ne peut pas dépendre d’elle-même, même indirectement.');
    if (seen.has(cursor)) return;
    seen.add(cursor);
    const task = await tx.task.findFirst({
      where: { id: cursor, collectiviteId, deletedAt: null },
      select: { dependsOnId: true },
    });
    if (!task) throw new Error(`Tâche introuvable dans cette collectivité : ${cursor}`);
    cursor = task.dependsOnId ?? undefined;
  }
}

const live = { deletedAt: null };

/** Soonest end first. */
const byEndDate = [
  { endDate: 'asc' },
  { number: 'asc' },
  { id: 'asc' },
] satisfies Prisma.TaskOrderByWithRelationInput[];

export class PrismaTaskRepository implements TaskStore {
  private readonly prisma: Db;
  private readonly transaction: TransactionalDeps['transaction'];

  constructor({ prisma, transaction }: TransactionalDeps) {
    this.prisma = prisma;
    this.transaction = transaction;
  }

  async create(input: { collectiviteId: string; values: TaskValues; author: AuthorRef }): Promise<Task> {
    const data = columns(input.values);
    return this.transaction(async (tx) => {
      await checkLinks(tx, input.collectiviteId, undefined, input.values);
      // The increment holds the collectivité's row lock until commit: concurrent creates get n, n+1…
      const { lastTaskNumber } = await tx.collectivite.update({
        where: { id: input.collectiviteId },
        data: { lastTaskNumber: { increment: 1 } },
        select: { lastTaskNumber: true },
      });
      const row = await tx.task.create({
        data: {
          collectiviteId: input.collectiviteId,
          number: lastTaskNumber,
          ...data,
          values: json(input.values),
          createdById: input.author.personId,
          createdByName: input.author.name,
        },
        select: taskSelect,
      });
      await writeVersion(tx, 'task', versioned(row), {
        changes: creationChanges(input.values),
        author: input.author,
      });
      return toTask(row);
    });
  }

  async get(taskId: string): Promise<Task | undefined> {
    const row = await this.prisma.task.findFirst({ where: { id: taskId, ...live }, select: taskSelect });
    return row ? toTask(row) : undefined;
  }

  async findByNumber(collectiviteId: string, number: number): Promise<Task | undefined> {
    const row = await this.prisma.task.findFirst({
      where: { collectiviteId, number, ...live },
      select: taskSelect,
    });
    return row ? toTask(row) : undefined;
  }

  async list(filter: { collectiviteIds: string[] }): Promise<Task[]> {
    const rows = await this.prisma.task.findMany({
      where: { collectiviteId: { in: filter.collectiviteIds }, ...live },
      // The phase enum is declared in the guide's order, which is PostgreSQL's order for it.
      orderBy: [
        { phase: 'asc' },
        { startDate: { sort: 'asc', nulls: 'last' } },
        { number: 'asc' },
        { id: 'asc' },
      ],
      select: taskSelect,
    });
    return rows.map(toTask);
  }

  async commit(commit: TaskCommit): Promise<{ ok: true; task: Task } | VersionConflict> {
    const data = columns(commit.values);
    const committed = await this.transaction(async (tx) => {
      const current = await tx.task.findFirst({
        where: { id: commit.taskId, ...live },
        select: { collectiviteId: true, version: true },
      });
      // A writer who started from an older version learns what changed before anything else.
      if (current?.version !== commit.expectedVersion) return undefined;
      await checkLinks(tx, current.collectiviteId, commit.taskId, commit.values);
      // Compare-and-set: a concurrent commit from the same version waits for the row lock, then matches nothing.
      const { count } = await tx.task.updateMany({
        where: { id: commit.taskId, version: commit.expectedVersion, ...live },
        data: { version: commit.expectedVersion + 1, values: json(commit.values), ...data },
      });
      if (count === 0) return undefined;
      const row = await tx.task.findUniqueOrThrow({ where: { id: commit.taskId }, select: taskSelect });
      await writeVersion(tx, 'task', versioned(row), commit);
      return toTask(row);
    });
    return committed ? { ok: true, task: committed } : this.conflict(commit);
  }

  private async conflict(commit: TaskCommit): Promise<VersionConflict> {
    const current = await this.prisma.task.findFirst({
      where: { id: commit.taskId, ...live },
      select: { version: true },
    });
    if (!current) throw new Error(`Tâche introuvable ou supprimée : ${commit.taskId}`);
    const changedSince = await versionsOf(this.prisma, 'task', commit.taskId, commit.expectedVersion);
    return { ok: false, currentVersion: current.version, changedSince };
  }

  async history(taskId: string): Promise<RecordVersion[]> {
    return versionsOf(this.prisma, 'task', taskId);
  }

  async delete(taskId: string, author: AuthorRef): Promise<boolean> {
    return this.transaction(async (tx) => {
      const task = await tx.task.findFirst({
        where: { id: taskId, ...live },
        select: { number: true, title: true, collectiviteId: true },
      });
      const { count } = await tx.task.updateMany({
        where: { id: taskId, ...live },
        data: { deletedAt: new Date() },
      });
      if (!task || count === 0) return false;
      await writeAudit(tx, {
        actor: author,
        action: 'task.delete',
        subjectType: 'task',
        subjectId: taskId,
        details: { collectiviteId: task.collectiviteId, number: task.number, title: task.title },
      });
      // One statement per waiting task, under its row lock: a concurrent commit of one of them then loses
      // its compare-and-set and learns of this version.
      const released = await tx.$queryRaw<{ id: string }[]>`
        UPDATE tasks SET "values" = "values" - 'dependDe', depends_on_id = NULL, version = version + 1,
                         updated_at = clock_timestamp()
        WHERE depends_on_id = ${taskId} AND deleted_at IS NULL
        RETURNING id`;
      for (const { id } of released) {
        const row = await tx.task.findUniqueOrThrow({ where: { id }, select: taskSelect });
        await writeVersion(tx, 'task', versioned(row), {
          changes: [{ fieldId: 'dependDe', before: taskId, after: undefined }],
          author,
          note: `La tâche n° ${task.number} dont elle dépendait a été supprimée.`,
        });
      }
      return true;
    });
  }

  async overdue(collectiviteIds: string[], today: string): Promise<Task[]> {
    const rows = await this.prisma.task.findMany({
      where: {
        collectiviteId: { in: collectiviteIds },
        ...live,
        state: { in: OPEN_STATES },
        endDate: { lt: day(today, 'aujourd’hui') },
      },
      orderBy: byEndDate,
      select: taskSelect,
    });
    return rows.map(toTask);
  }

  async dueBetween(collectiviteIds: string[], from: string, to: string): Promise<Task[]> {
    const rows = await this.prisma.task.findMany({
      where: {
        collectiviteId: { in: collectiviteIds },
        ...live,
        state: { in: OPEN_STATES },
        endDate: { gte: day(from, 'du'), lte: day(to, 'au') },
      },
      orderBy: byEndDate,
      select: taskSelect,
    });
    return rows.map(toTask);
  }

  async doneBetween(collectiviteIds: string[], fromInstant: Date, toInstant: Date): Promise<DoneTask[]> {
    if (collectiviteIds.length === 0) return [];
    // Each done task's latest version that turned it « fait » (the version's status is the état), kept when
    // it falls in the window.
    const transitions = await this.prisma.$queryRaw<
      { task_id: string; done_at: Date; author_id: string | null; author_name: string }[]
    >`
      SELECT task_id, done_at, author_id, author_name FROM (
        SELECT DISTINCT ON (task_id) task_id, done_at, author_id, author_name FROM (
          SELECT v.record_id AS task_id, v.created_at AS done_at, v.author_id, v.author_name, v.status,
                 lag(v.status) OVER (PARTITION BY v.record_id ORDER BY v.version) AS previous
          FROM tasks t JOIN record_versions v ON v.record_type = 'task' AND v.record_id = t.id
          WHERE t.collectivite_id IN (${Prisma.join(collectiviteIds)})
            AND t.state = 'fait' AND t.deleted_at IS NULL
        ) versions
        WHERE status = 'fait' AND previous IS DISTINCT FROM 'fait'
        ORDER BY task_id, done_at DESC
      ) latest
      WHERE done_at >= ${fromInstant} AND done_at < ${toInstant}
      ORDER BY done_at, task_id`;
    const rows = await this.prisma.task.findMany({
      where: { id: { in: transitions.map((transition) => transition.task_id) } },
      select: taskSelect,
    });
    const tasks = new Map(rows.map((row) => [row.id, toTask(row)]));
    // A task whose collectivité was deleted in between has gone with it.
    return transitions.flatMap((transition) => {
      const task = tasks.get(transition.task_id);
      if (!task) return [];
      return [
        {
          task,
          doneAt: transition.done_at,
          by: { personId: transition.author_id ?? undefined, name: transition.author_name },
        },
      ];
    });
  }
}
