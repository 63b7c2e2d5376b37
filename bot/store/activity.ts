import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import type { ActivityRepository, ActivityVersion } from '../core/ports.ts';
import type { FieldChange, RecordType } from '../core/versions.ts';

interface ActivityRow {
  record_type: RecordType;
  record_id: string;
  version: number;
  values: unknown;
  changes: unknown;
  status: string | null;
  previous_status: string | null;
  note: string | null;
  author_id: string | null;
  author_name: string;
  created_at: Date;
  collectivite_id: string;
  collectivite_name: string;
  number: number;
  title: string;
  period: string | null;
}

/**
 * The live records of some collectivités, with what names them: one relation for the three record types, so
 * the digest reads a week of a hundred collectivités in one statement.
 */
const liveRecords = (ids: string[]) => Prisma.sql`
  SELECT 'fiche_action'::record_type AS record_type, f.id, f.collectivite_id, f.number, f.title, NULL AS period
    FROM fiches_actions f WHERE f.collectivite_id IN (${Prisma.join(ids)}) AND f.discarded_at IS NULL
  UNION ALL
  SELECT 'task'::record_type, t.id, t.collectivite_id, t.number, t.title, NULL
    FROM tasks t WHERE t.collectivite_id IN (${Prisma.join(ids)}) AND t.deleted_at IS NULL
  UNION ALL
  SELECT 'suivi'::record_type, s.id, f.collectivite_id, f.number, f.title, s.period
    FROM suivis s JOIN fiches_actions f ON f.id = s.fiche_id
    WHERE f.collectivite_id IN (${Prisma.join(ids)}) AND f.discarded_at IS NULL`;

export class PrismaActivityRepository implements ActivityRepository {
  private readonly prisma: PrismaClient;

  constructor({ prisma }: { prisma: PrismaClient }) {
    this.prisma = prisma;
  }

  async versionsBetween(collectiviteIds: string[], from: Date, to: Date): Promise<ActivityVersion[]> {
    if (collectiviteIds.length === 0) return [];
    // The previous status comes from the version just before, which may be older than `from`.
    const rows = await this.prisma.$queryRaw<ActivityRow[]>`
      WITH r AS (${liveRecords(collectiviteIds)}),
      touched AS (
        SELECT DISTINCT v.record_type, v.record_id FROM record_versions v
          JOIN r ON r.record_type = v.record_type AND r.id = v.record_id
          WHERE v.created_at >= ${from} AND v.created_at < ${to}
      )
      SELECT w.*, r.collectivite_id, c.name AS collectivite_name, r.number, r.title, r.period FROM (
        SELECT v.*, LAG(v.status) OVER (PARTITION BY v.record_type, v.record_id ORDER BY v.version) AS previous_status
          FROM record_versions v JOIN touched t ON t.record_type = v.record_type AND t.record_id = v.record_id
      ) w
      JOIN r ON r.record_type = w.record_type AND r.id = w.record_id
      JOIN collectivites c ON c.id = r.collectivite_id
      WHERE w.created_at >= ${from} AND w.created_at < ${to}
      ORDER BY w.created_at, w.record_id, w.version`;
    return rows.map((row) => ({
      recordType: row.record_type,
      recordId: row.record_id,
      version: row.version,
      author: { personId: row.author_id ?? undefined, name: row.author_name },
      createdAt: row.created_at,
      values: row.values as Record<string, unknown>,
      changes: row.changes as FieldChange[],
      status: row.status ?? undefined,
      note: row.note ?? undefined,
      collectivite: { id: row.collectivite_id, name: row.collectivite_name },
      previousStatus: row.previous_status ?? undefined,
      subject: { number: row.number, title: row.title, period: row.period ?? undefined },
    }));
  }

  async taskProgress(collectiviteIds: string[], today: string) {
    if (collectiviteIds.length === 0) return new Map();
    const rows = await this.prisma.$queryRaw<
      { collectivite_id: string; done: number; in_progress: number; late: number; todo: number }[]
    >`
      SELECT collectivite_id,
        count(*) FILTER (WHERE state = 'fait')::int AS done,
        count(*) FILTER (WHERE state = 'en_cours' AND NOT late)::int AS in_progress,
        count(*) FILTER (WHERE late)::int AS late,
        count(*) FILTER (WHERE state = 'a_faire' AND NOT late)::int AS todo
      FROM (
        SELECT collectivite_id, state,
          (state IN ('a_faire', 'en_cours') AND end_date IS NOT NULL AND end_date < ${today}::date) AS late
        FROM tasks WHERE collectivite_id IN (${Prisma.join(collectiviteIds)}) AND deleted_at IS NULL
      ) t
      GROUP BY collectivite_id`;
    return new Map(
      rows.map((row) => [
        row.collectivite_id,
        { done: row.done, inProgress: row.in_progress, late: row.late, todo: row.todo },
      ]),
    );
  }

  async lastActivity(collectiviteIds: string[]): Promise<Map<string, Date>> {
    if (collectiviteIds.length === 0) return new Map();
    const rows = await this.prisma.$queryRaw<{ collectivite_id: string; last: Date }[]>`
      WITH r AS (${liveRecords(collectiviteIds)})
      SELECT r.collectivite_id, max(v.created_at) AS last FROM record_versions v
        JOIN r ON r.record_type = v.record_type AND r.id = v.record_id
        GROUP BY r.collectivite_id`;
    return new Map(rows.map((row) => [row.collectivite_id, row.last]));
  }

  async knowledgeGaps(from: Date, to: Date, limit: number) {
    const [unanswered, downvoted] = await Promise.all([
      this.prisma.interaction.findMany({
        where: { abstained: true, createdAt: { gte: from, lt: to } },
        orderBy: { createdAt: 'desc' },
        take: limit,
        select: { question: true },
      }),
      this.prisma.feedback.findMany({
        where: { rating: 'down', updatedAt: { gte: from, lt: to } },
        orderBy: { updatedAt: 'desc' },
        take: limit,
        select: { interaction: { select: { question: true, answer: true } } },
      }),
    ]);
    return {
      unanswered: unanswered.map((row) => row.question),
      downvoted: downvoted.map((row) => row.interaction),
    };
  }
}
