import type { Prisma } from '../../generated/prisma/client.ts';
import type { PersonRecord } from '../core/directory.ts';
import type { Actor, Collectivite, IdentityKey } from '../core/people.ts';

/** How the directory's rows are read and turned into the core's types. */

/** How names are compared: lower-cased, without accents or repeated spaces. */
export function nameKey(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export const normalizeCode = (code: string): string => code.trim().toUpperCase();

export const collectiviteSelect = {
  id: true,
  name: true,
  kind: true,
  code: true,
} satisfies Prisma.CollectiviteSelect;

export const membershipSelect = {
  id: true,
  role: true,
  collectivite: { select: { id: true, name: true } },
} satisfies Prisma.MembershipSelect;

export const actorSelect = {
  id: true,
  displayName: true,
  email: true,
  deactivatedAt: true,
  memberships: { select: membershipSelect, orderBy: { createdAt: 'asc' } },
} satisfies Prisma.PersonSelect;

export const personSelect = {
  ...actorSelect,
  organisation: true,
  createdAt: true,
  identities: {
    select: { channel: true, workspaceId: true, externalUserId: true, displayName: true },
    orderBy: { createdAt: 'asc' },
  },
} satisfies Prisma.PersonSelect;

type CollectiviteRow = Prisma.CollectiviteGetPayload<{ select: typeof collectiviteSelect }>;
type ActorRow = Prisma.PersonGetPayload<{ select: typeof actorSelect }>;
type PersonRow = Prisma.PersonGetPayload<{ select: typeof personSelect }>;

export function toCollectivite(row: CollectiviteRow): Collectivite {
  return { id: row.id, name: row.name, kind: row.kind, code: row.code ?? undefined };
}

function toMemberships(row: ActorRow): PersonRecord['memberships'] {
  return row.memberships.map((membership) => ({
    id: membership.id,
    role: membership.role,
    collectivite: membership.collectivite ?? undefined,
  }));
}

/** A deactivated person is nobody: they keep no rights. */
export function toActor(row: ActorRow | null | undefined): Actor | undefined {
  if (!row || row.deactivatedAt) return undefined;
  return {
    personId: row.id,
    displayName: row.displayName,
    email: row.email ?? undefined,
    memberships: toMemberships(row).map(({ role, collectivite }) => ({ role, collectivite })),
  };
}

export function toPersonRecord(row: PersonRow): PersonRecord {
  return {
    id: row.id,
    displayName: row.displayName,
    email: row.email ?? undefined,
    organisation: row.organisation ?? undefined,
    createdAt: row.createdAt,
    deactivatedAt: row.deactivatedAt ?? undefined,
    memberships: toMemberships(row),
    identities: row.identities.map((identity) => ({
      channel: identity.channel as IdentityKey['channel'],
      workspaceId: identity.workspaceId,
      externalUserId: identity.externalUserId,
      displayName: identity.displayName ?? undefined,
    })),
  };
}

export const byName =
  <T>(name: (item: T) => string) =>
  (a: T, b: T) =>
    name(a).localeCompare(name(b), 'fr');

export function identityWhere(identity: IdentityKey) {
  const { channel, workspaceId, externalUserId } = identity;
  return { channel_workspaceId_externalUserId: { channel, workspaceId, externalUserId } };
}

export const identityLabel = (identity: IdentityKey) =>
  `${identity.channel}:${identity.workspaceId}:${identity.externalUserId}`;

/** The identity's three key fields, whatever else the caller's object carries. */
export const identityKeyOf = ({ channel, workspaceId, externalUserId }: IdentityKey): IdentityKey => ({
  channel,
  workspaceId,
  externalUserId,
});
