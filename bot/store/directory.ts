import type { Prisma } from '../../generated/prisma/client.ts';
import {
  DirectoryConflictError,
  type DirectoryRepository,
  type NewPerson,
  type PersonRecord,
} from '../core/directory.ts';
import type { Actor, AuditEntry, AuthorRef, Collectivite, IdentityKey, Role } from '../core/people.ts';
import { writeAudit } from './audit.ts';
import {
  actorSelect,
  byName,
  collectiviteSelect,
  identityKeyOf,
  identityLabel,
  identityWhere,
  membershipSelect,
  nameKey,
  normalizeCode,
  normalizeEmail,
  personSelect,
  toActor,
  toCollectivite,
  toPersonRecord,
} from './directory-rows.ts';
import { isPrismaError } from './prisma-errors.ts';
import type { Db, TransactionalDeps } from './transactions.ts';

type Tx = Prisma.TransactionClient;

/** The membership scope of an administrator of the whole deployment. */
const DEPLOYMENT_SCOPE = '*';

/** Who links an account by the e-mail its platform gave, in the audit log. */
const EMAIL_MATCH: AuthorRef = { name: 'Boussole (adresse e-mail donnée par la plateforme)' };

type MembershipInput = { personId: string; role: Role; collectiviteId?: string };

export class PrismaDirectoryRepository implements DirectoryRepository {
  private readonly prisma: Db;
  private readonly transaction: TransactionalDeps['transaction'];

  constructor({ prisma, transaction }: TransactionalDeps) {
    this.prisma = prisma;
    this.transaction = transaction;
  }

  async actorByIdentity(identity: IdentityKey): Promise<Actor | undefined> {
    const row = await this.prisma.channelIdentity.findUnique({
      where: identityWhere(identity),
      select: { person: { select: actorSelect } },
    });
    return toActor(row?.person);
  }

  async actorByPerson(personId: string): Promise<Actor | undefined> {
    return toActor(await this.prisma.person.findUnique({ where: { id: personId }, select: actorSelect }));
  }

  async linkIdentityByEmail(identity: IdentityKey, email: string): Promise<Actor | undefined> {
    const address = normalizeEmail(email);
    return this.transaction(async (tx) => {
      const person = await tx.person.findFirst({
        where: { email: address, deactivatedAt: null },
        select: actorSelect,
      });
      const before = await tx.channelIdentity.findUnique({
        where: identityWhere(identity),
        select: { personId: true },
      });
      const checked = { email: address, emailCheckedAt: new Date() };
      // Nobody has this address: the account keeps whatever link an administrator gave it.
      const link = person ? { personId: person.id } : {};
      await tx.channelIdentity.upsert({
        where: identityWhere(identity),
        create: { ...identityKeyOf(identity), ...checked, ...link },
        update: { ...checked, ...link },
        select: { id: true },
      });
      if (person && before?.personId !== person.id) {
        await writeAudit(tx, {
          actor: EMAIL_MATCH,
          action: 'identity.link',
          subjectType: 'person',
          subjectId: person.id,
          details: { identity: identityLabel(identity), email: address },
        });
      }
      return toActor(person);
    });
  }

  async emailCheckedSince(identity: IdentityKey, since: Date): Promise<boolean> {
    const row = await this.prisma.channelIdentity.findUnique({
      where: identityWhere(identity),
      select: { emailCheckedAt: true },
    });
    return row?.emailCheckedAt != null && row.emailCheckedAt >= since;
  }

  async markEmailChecked(identity: IdentityKey): Promise<void> {
    const checked = { emailCheckedAt: new Date() };
    await this.prisma.channelIdentity.upsert({
      where: identityWhere(identity),
      create: { ...identityKeyOf(identity), ...checked },
      update: checked,
      select: { id: true },
    });
  }

  async administrators(): Promise<Pick<PersonRecord, 'displayName' | 'email'>[]> {
    const rows = await this.prisma.person.findMany({
      where: { deactivatedAt: null, memberships: { some: { role: 'admin', scope: DEPLOYMENT_SCOPE } } },
      select: { displayName: true, email: true },
    });
    return rows
      .map((row) => ({ displayName: row.displayName, email: row.email ?? undefined }))
      .sort(byName((row) => row.displayName));
  }

  async createCollectivite(input: Omit<Collectivite, 'id'>, by: AuthorRef): Promise<Collectivite> {
    const name = input.name.trim();
    const code = input.code === undefined ? undefined : normalizeCode(input.code);
    try {
      return await this.transaction(async (tx) => {
        const row = await tx.collectivite.create({
          data: { name, nameKey: nameKey(name), kind: input.kind, code },
          select: collectiviteSelect,
        });
        await writeAudit(tx, {
          actor: by,
          action: 'collectivite.create',
          subjectType: 'collectivite',
          subjectId: row.id,
          details: { name, kind: input.kind, code },
        });
        return toCollectivite(row);
      });
    } catch (error) {
      if (!isPrismaError(error, 'P2002')) throw error;
      const sameName = await this.prisma.collectivite.findUnique({ where: { nameKey: nameKey(name) } });
      throw sameName || code === undefined
        ? new DirectoryConflictError('name', name)
        : new DirectoryConflictError('code', code);
    }
  }

  async listCollectivites(): Promise<Collectivite[]> {
    const rows = await this.prisma.collectivite.findMany({ select: collectiviteSelect });
    return rows.map(toCollectivite).sort(byName((collectivite) => collectivite.name));
  }

  async findCollectivite(reference: string): Promise<Collectivite | undefined> {
    const text = reference.trim();
    if (!text) return undefined;
    const row = await this.prisma.collectivite.findFirst({
      where: { OR: [{ id: text }, { code: normalizeCode(text) }, { nameKey: nameKey(text) }] },
      select: collectiviteSelect,
    });
    return row ? toCollectivite(row) : undefined;
  }

  async createPerson(input: NewPerson, by: AuthorRef): Promise<PersonRecord> {
    const email = input.email === undefined ? undefined : normalizeEmail(input.email);
    const data = { displayName: input.displayName.trim(), email, organisation: input.organisation?.trim() };
    try {
      return await this.transaction(async (tx) => {
        const row = await tx.person.create({ data, select: personSelect });
        await writeAudit(tx, {
          actor: by,
          action: 'person.create',
          subjectType: 'person',
          subjectId: row.id,
          details: data,
        });
        return toPersonRecord(row);
      });
    } catch (error) {
      if (isPrismaError(error, 'P2002') && email) throw new DirectoryConflictError('email', email);
      throw error;
    }
  }

  async listPeople(): Promise<PersonRecord[]> {
    const rows = await this.prisma.person.findMany({ select: personSelect });
    return rows.map(toPersonRecord).sort(byName((person) => person.displayName));
  }

  async findPerson(reference: string): Promise<PersonRecord | undefined> {
    const text = reference.trim();
    if (!text) return undefined;
    const row = await this.prisma.person.findFirst({
      where: { OR: [{ id: text }, { email: normalizeEmail(text) }] },
      select: personSelect,
    });
    return row ? toPersonRecord(row) : undefined;
  }

  async grant(input: MembershipInput, by: AuthorRef): Promise<boolean> {
    return this.transaction(async (tx) => {
      // ON CONFLICT DO NOTHING on (person, scope, role): a second grant, even a concurrent one, is a no-op.
      const { count } = await tx.membership.createMany({
        data: [{ ...input, scope: input.collectiviteId ?? DEPLOYMENT_SCOPE }],
        skipDuplicates: true,
      });
      if (count === 0) return false;
      // A role given back to a deactivated person gives them access again.
      const reactivated = await tx.person.updateMany({
        where: { id: input.personId, deactivatedAt: { not: null } },
        data: { deactivatedAt: null },
      });
      await writeAudit(tx, {
        actor: by,
        action: 'membership.grant',
        subjectType: 'person',
        subjectId: input.personId,
        details: {
          ...(await membershipDetails(tx, input)),
          ...(reactivated.count ? { reactivated: true } : {}),
        },
      });
      return true;
    });
  }

  async revoke(input: MembershipInput, by: AuthorRef): Promise<boolean> {
    return this.transaction(async (tx) => {
      const { count } = await tx.membership.deleteMany({
        where: {
          personId: input.personId,
          role: input.role,
          scope: input.collectiviteId ?? DEPLOYMENT_SCOPE,
        },
      });
      if (count === 0) return false;
      await writeAudit(tx, {
        actor: by,
        action: 'membership.revoke',
        subjectType: 'person',
        subjectId: input.personId,
        details: await membershipDetails(tx, input),
      });
      return true;
    });
  }

  async linkIdentity(identity: IdentityKey, personId: string, by: AuthorRef): Promise<void> {
    await this.transaction(async (tx) => {
      await tx.channelIdentity.upsert({
        where: identityWhere(identity),
        create: { ...identityKeyOf(identity), personId },
        update: { personId },
        select: { id: true },
      });
      await writeAudit(tx, {
        actor: by,
        action: 'identity.link',
        subjectType: 'person',
        subjectId: personId,
        details: { identity: identityLabel(identity) },
      });
    });
  }

  async deactivatePerson(personId: string, by: AuthorRef): Promise<boolean> {
    return this.transaction(async (tx) => {
      const { count } = await tx.person.updateMany({
        where: { id: personId, deactivatedAt: null },
        data: { deactivatedAt: new Date() },
      });
      if (count === 0) return false;
      const memberships = await tx.membership.findMany({ where: { personId }, select: membershipSelect });
      await tx.membership.deleteMany({ where: { personId } });
      const unlinked = await tx.channelIdentity.updateMany({ where: { personId }, data: { personId: null } });
      // Their open forms go too: nobody may continue them.
      await tx.formSession.deleteMany({ where: { personId } });
      await writeAudit(tx, {
        actor: by,
        action: 'person.deactivate',
        subjectType: 'person',
        subjectId: personId,
        details: {
          revoked: memberships.map((membership) => ({
            role: membership.role,
            collectivite: membership.collectivite?.name,
          })),
          unlinkedIdentities: unlinked.count,
        },
      });
      return true;
    });
  }

  async auditLog(limit: number): Promise<(AuditEntry & { at: Date })[]> {
    const rows = await this.prisma.auditEntry.findMany({
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map((row) => ({
      at: row.at,
      actor: { personId: row.actorId ?? undefined, name: row.actorName },
      action: row.action,
      subjectType: row.subjectType,
      subjectId: row.subjectId,
      details: (row.details as Record<string, unknown> | null) ?? undefined,
    }));
  }
}

/** The membership as the audit log keeps it, with the collectivité's name at the time. */
async function membershipDetails(tx: Tx, input: MembershipInput): Promise<Record<string, unknown>> {
  if (!input.collectiviteId) return { role: input.role };
  const collectivite = await tx.collectivite.findUnique({
    where: { id: input.collectiviteId },
    select: { name: true },
  });
  return { role: input.role, collectiviteId: input.collectiviteId, collectivite: collectivite?.name };
}
