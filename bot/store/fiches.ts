import type { Prisma } from '../../generated/prisma/client.ts';
import type { AuthorRef } from '../core/people.ts';
import type { FieldChange, RecordVersion, VersionConflict } from '../core/versions.ts';
import type {
  Fiche,
  FicheComment,
  FicheCommit,
  FicheRepository,
  FicheStatus,
} from '../features/fiches/model.ts';
import { writeAudit } from './audit.ts';
import type { Db, TransactionalDeps } from './transactions.ts';
import { json, versionsOf, writeVersion } from './versions.ts';

const UNTITLED = 'Fiche sans intitulé';

export const ficheSelect = {
  id: true,
  number: true,
  programme: true,
  title: true,
  status: true,
  values: true,
  version: true,
  createdById: true,
  createdByName: true,
  createdAt: true,
  updatedAt: true,
  collectivite: { select: { id: true, name: true } },
} satisfies Prisma.FicheActionSelect;

type FicheRow = Prisma.FicheActionGetPayload<{ select: typeof ficheSelect }>;

export function toFiche(row: FicheRow): Fiche {
  return {
    id: row.id,
    collectivite: row.collectivite,
    number: row.number,
    programme: row.programme ?? undefined,
    title: row.title,
    status: row.status,
    values: row.values as Record<string, unknown>,
    version: row.version,
    createdBy: { personId: row.createdById ?? undefined, name: row.createdByName },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() ? value.trim() : undefined;

/** The columns copied from the values, for lists. */
function listed(values: Record<string, unknown>) {
  return { title: nonEmpty(values.intitule) ?? UNTITLED, programme: nonEmpty(values.programme) ?? null };
}

export class PrismaFicheRepository implements FicheRepository {
  private readonly prisma: Db;
  private readonly transaction: TransactionalDeps['transaction'];

  constructor({ prisma, transaction }: TransactionalDeps) {
    this.prisma = prisma;
    this.transaction = transaction;
  }

  async create(input: {
    collectiviteId: string;
    values: Record<string, unknown>;
    changes: FieldChange[];
    author: AuthorRef;
    note?: string;
  }): Promise<Fiche> {
    return this.transaction(async (tx) => {
      // The increment holds the collectivité's row lock until commit: concurrent creates get n, n+1…
      const { lastFicheNumber } = await tx.collectivite.update({
        where: { id: input.collectiviteId },
        data: { lastFicheNumber: { increment: 1 } },
        select: { lastFicheNumber: true },
      });
      const fiche = await tx.ficheAction.create({
        data: {
          collectiviteId: input.collectiviteId,
          number: lastFicheNumber,
          ...listed(input.values),
          values: json(input.values),
          createdById: input.author.personId,
          createdByName: input.author.name,
        },
        select: ficheSelect,
      });
      await writeVersion(tx, 'fiche_action', fiche, input);
      return toFiche(fiche);
    });
  }

  async get(ficheId: string): Promise<Fiche | undefined> {
    const row = await this.prisma.ficheAction.findFirst({
      where: { id: ficheId, discardedAt: null },
      select: ficheSelect,
    });
    return row ? toFiche(row) : undefined;
  }

  async findByNumber(collectiviteId: string, number: number): Promise<Fiche | undefined> {
    const row = await this.prisma.ficheAction.findFirst({
      where: { collectiviteId, number, discardedAt: null },
      select: ficheSelect,
    });
    return row ? toFiche(row) : undefined;
  }

  async list(filter: { collectiviteIds: string[]; statuses?: FicheStatus[] }): Promise<Fiche[]> {
    const rows = await this.prisma.ficheAction.findMany({
      where: {
        collectiviteId: { in: filter.collectiviteIds },
        discardedAt: null,
        ...(filter.statuses ? { status: { in: filter.statuses } } : {}),
      },
      orderBy: [{ updatedAt: 'desc' }, { number: 'desc' }],
      select: ficheSelect,
    });
    return rows.map(toFiche);
  }

  async commit(commit: FicheCommit): Promise<{ ok: true; fiche: Fiche } | VersionConflict> {
    const committed = await this.transaction(async (tx) => {
      // Compare-and-set: a concurrent commit from the same version waits for the row lock, then matches nothing.
      const { count } = await tx.ficheAction.updateMany({
        where: { id: commit.ficheId, version: commit.expectedVersion, discardedAt: null },
        data: {
          version: commit.expectedVersion + 1,
          values: json(commit.values),
          ...listed(commit.values),
          ...(commit.status ? { status: commit.status } : {}),
        },
      });
      if (count === 0) return undefined;
      const fiche = await tx.ficheAction.findUniqueOrThrow({
        where: { id: commit.ficheId },
        select: ficheSelect,
      });
      await writeVersion(tx, 'fiche_action', fiche, commit);
      return toFiche(fiche);
    });
    return committed ? { ok: true, fiche: committed } : this.conflict(commit);
  }

  private async conflict(commit: FicheCommit): Promise<VersionConflict> {
    const current = await this.prisma.ficheAction.findFirst({
      where: { id: commit.ficheId, discardedAt: null },
      select: { version: true },
    });
    if (!current) throw new Error(`Fiche-action introuvable ou abandonnée : ${commit.ficheId}`);
    const changedSince = await versionsOf(
      this.prisma,
      'fiche_action',
      commit.ficheId,
      commit.expectedVersion,
    );
    return { ok: false, currentVersion: current.version, changedSince };
  }

  async history(ficheId: string): Promise<RecordVersion[]> {
    return versionsOf(this.prisma, 'fiche_action', ficheId);
  }

  async comment(ficheId: string, author: AuthorRef, text: string): Promise<void> {
    await this.prisma.ficheComment.create({
      data: { ficheId, authorId: author.personId, authorName: author.name, text },
    });
  }

  async comments(ficheId: string): Promise<FicheComment[]> {
    const rows = await this.prisma.ficheComment.findMany({
      where: { ficheId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map((row) => ({
      author: { personId: row.authorId ?? undefined, name: row.authorName },
      text: row.text,
      createdAt: row.createdAt,
    }));
  }

  async discard(ficheId: string, author: AuthorRef): Promise<void> {
    await this.transaction(async (tx) => {
      const { count } = await tx.ficheAction.updateMany({
        where: { id: ficheId, discardedAt: null },
        data: { discardedAt: new Date() },
      });
      if (count === 0) return;
      await writeAudit(tx, {
        actor: author,
        action: 'fiche.discard',
        subjectType: 'fiche_action',
        subjectId: ficheId,
      });
    });
  }
}
