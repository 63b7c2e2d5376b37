import { Prisma } from '../../generated/prisma/client.ts';
import type { AuthorRef } from '../core/people.ts';
import type { SuiviStore } from '../core/ports.ts';
import type { RecordVersion, VersionConflict } from '../core/versions.ts';
import type { Suivi, SuiviKind, SuiviRepository } from '../features/dashboard/model.ts';
import type { Fiche } from '../features/fiches/model.ts';
import { ficheSelect, toFiche } from './fiches.ts';
import type { Db, TransactionalDeps } from './transactions.ts';
import { json, versionsOf, writeVersion } from './versions.ts';

/** « 2027-T2 » (a quarter) or « 2027-A » (the annual bilan). */
const PERIOD = /^(\d{4})-(?:T([1-4])|A)$/;

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** A period's kind and its first and last calendar days; the annual bilan covers the calendar year. */
export function periodDays(period: string): { kind: SuiviKind; from: string; to: string } {
  const match = PERIOD.exec(period);
  if (!match) throw new Error(`Période invalide : « ${period} », attendu « 2027-T2 » ou « 2027-A ».`);
  const year = Number(match[1]);
  const quarter = match[2] === undefined ? undefined : Number(match[2]);
  const [firstMonth, lastMonth] = quarter === undefined ? [0, 11] : [(quarter - 1) * 3, quarter * 3 - 1];
  return {
    kind: quarter === undefined ? 'annuel' : 'trimestriel',
    from: isoDay(new Date(Date.UTC(year, firstMonth, 1))),
    // Day 0 of the next month: the last day of this one, 29 February included.
    to: isoDay(new Date(Date.UTC(year, lastMonth + 1, 0))),
  };
}

const suiviSelect = {
  id: true,
  ficheId: true,
  period: true,
  kind: true,
  values: true,
  status: true,
  version: true,
  createdById: true,
  createdByName: true,
  createdAt: true,
  updatedAt: true,
  fiche: { select: { collectivite: { select: { id: true, name: true } } } },
} satisfies Prisma.SuiviSelect;

/** A suivi with its whole fiche, for the report of a period. */
const reportSelect = { ...suiviSelect, fiche: { select: ficheSelect } } satisfies Prisma.SuiviSelect;

type SuiviRow = Prisma.SuiviGetPayload<{ select: typeof suiviSelect }>;

function toSuivi(row: SuiviRow): Suivi {
  return {
    id: row.id,
    ficheId: row.ficheId,
    collectivite: row.fiche.collectivite,
    period: row.period,
    kind: row.kind,
    values: row.values as Record<string, unknown>,
    status: row.status,
    version: row.version,
    createdBy: { personId: row.createdById ?? undefined, name: row.createdByName },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Suivis of live fiches of these collectivités. */
const ofCollectivites = (collectiviteIds: string[]) => ({
  fiche: { collectiviteId: { in: collectiviteIds }, discardedAt: null },
});

const byCollectiviteThenFiche = [
  { fiche: { collectivite: { name: 'asc' } } },
  { fiche: { number: 'asc' } },
] satisfies Prisma.SuiviOrderByWithRelationInput[];

type SuiviCommit = Parameters<SuiviRepository['commit']>[0];

export class PrismaSuiviRepository implements SuiviStore {
  private readonly prisma: Db;
  private readonly transaction: TransactionalDeps['transaction'];

  constructor({ prisma, transaction }: TransactionalDeps) {
    this.prisma = prisma;
    this.transaction = transaction;
  }

  async findOrCreate(input: {
    ficheId: string;
    period: string;
    kind: SuiviKind;
    author: AuthorRef;
  }): Promise<Suivi> {
    const { kind } = periodDays(input.period);
    if (kind !== input.kind) {
      throw new Error(`La période « ${input.period} » est celle d’un suivi ${kind}, pas ${input.kind}.`);
    }
    return this.transaction(async (tx) => {
      const fiche = await tx.ficheAction.findFirst({
        where: { id: input.ficheId, discardedAt: null },
        select: { id: true },
      });
      if (!fiche) throw new Error(`Fiche-action introuvable ou abandonnée : ${input.ficheId}`);
      // INSERT … ON CONFLICT DO NOTHING: of two at once, the second waits for the first, inserts nothing and
      // reads the first one's row.
      const { count } = await tx.suivi.createMany({
        data: [
          {
            ficheId: input.ficheId,
            period: input.period,
            kind: input.kind,
            values: {},
            createdById: input.author.personId,
            createdByName: input.author.name,
          },
        ],
        skipDuplicates: true,
      });
      const row = await tx.suivi.findUniqueOrThrow({
        where: { ficheId_period: { ficheId: input.ficheId, period: input.period } },
        select: suiviSelect,
      });
      if (count === 1) await writeVersion(tx, 'suivi', row, { changes: [], author: input.author });
      return toSuivi(row);
    });
  }

  async get(suiviId: string): Promise<Suivi | undefined> {
    const row = await this.prisma.suivi.findUnique({ where: { id: suiviId }, select: suiviSelect });
    return row ? toSuivi(row) : undefined;
  }

  async list(filter: { collectiviteIds: string[]; period?: string }): Promise<Suivi[]> {
    const rows = await this.prisma.suivi.findMany({
      where: {
        ...ofCollectivites(filter.collectiviteIds),
        ...(filter.period ? { period: filter.period } : {}),
      },
      orderBy: [{ period: 'desc' }, ...byCollectiviteThenFiche],
      select: suiviSelect,
    });
    return rows.map(toSuivi);
  }

  async listByPeriod(collectiviteIds: string[], period: string): Promise<{ suivi: Suivi; fiche: Fiche }[]> {
    const rows = await this.prisma.suivi.findMany({
      where: { ...ofCollectivites(collectiviteIds), period },
      orderBy: byCollectiviteThenFiche,
      select: reportSelect,
    });
    return rows.map((row) => ({ suivi: toSuivi(row), fiche: toFiche(row.fiche) }));
  }

  async missing(collectiviteIds: string[], period: string): Promise<Fiche[]> {
    const { from, to } = periodDays(period);
    if (collectiviteIds.length === 0) return [];
    // ISO days compare as text, byte by byte (COLLATE "C"): no cast to fail on a malformed value.
    const due = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT f.id FROM fiches_actions f
      WHERE f.collectivite_id IN (${Prisma.join(collectiviteIds)})
        AND f.status = 'validee' AND f.discarded_at IS NULL
        AND (f."values" #>> '{periode,debut}') COLLATE "C" <= ${to}
        AND (f."values" #>> '{periode,fin}') COLLATE "C" >= ${from}
        AND NOT EXISTS (
          SELECT 1 FROM suivis s WHERE s.fiche_id = f.id AND s.period = ${period} AND s.status = 'soumis'
        )`;
    const rows = await this.prisma.ficheAction.findMany({
      where: { id: { in: due.map((fiche) => fiche.id) } },
      orderBy: [{ collectivite: { name: 'asc' } }, { number: 'asc' }],
      select: ficheSelect,
    });
    return rows.map(toFiche);
  }

  async commit(commit: SuiviCommit): Promise<{ ok: true; suivi: Suivi } | VersionConflict> {
    const committed = await this.transaction(async (tx) => {
      const current = await tx.suivi.findUnique({
        where: { id: commit.suiviId },
        select: { status: true, submittedAt: true },
      });
      if (!current) return undefined;
      const status = commit.status ?? current.status;
      // The first submission's time stays through later edits; a suivi back to draft is no longer submitted.
      const submittedAt = status === 'brouillon' ? null : (current.submittedAt ?? new Date());
      // Compare-and-set: a concurrent commit from the same version waits for the row lock, then matches nothing.
      const { count } = await tx.suivi.updateMany({
        where: { id: commit.suiviId, version: commit.expectedVersion },
        data: { version: commit.expectedVersion + 1, values: json(commit.values), status, submittedAt },
      });
      if (count === 0) return undefined;
      const row = await tx.suivi.findUniqueOrThrow({ where: { id: commit.suiviId }, select: suiviSelect });
      await writeVersion(tx, 'suivi', row, commit);
      return toSuivi(row);
    });
    return committed ? { ok: true, suivi: committed } : this.conflict(commit);
  }

  private async conflict(commit: SuiviCommit): Promise<VersionConflict> {
    const current = await this.prisma.suivi.findUnique({
      where: { id: commit.suiviId },
      select: { version: true },
    });
    if (!current) throw new Error(`Suivi introuvable : ${commit.suiviId}`);
    const changedSince = await versionsOf(this.prisma, 'suivi', commit.suiviId, commit.expectedVersion);
    return { ok: false, currentVersion: current.version, changedSince };
  }

  async history(suiviId: string): Promise<RecordVersion[]> {
    return versionsOf(this.prisma, 'suivi', suiviId);
  }
}
