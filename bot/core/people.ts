import type { ChannelName } from './types.ts';

/**
 * People, collectivités and rights. A person is one human across channels; memberships give rights
 * per collectivité. These are plain data and pure rules: the store loads them, the routes ask them.
 */

export type Role = 'referent' | 'coordinateur' | 'admin';

export const ROLE_LABELS: Record<Role, string> = {
  referent: 'référent',
  coordinateur: 'coordinateur',
  admin: 'administrateur',
};

export type CollectiviteKind = 'commune' | 'epci' | 'departement';

export interface Collectivite {
  id: string;
  name: string;
  kind: CollectiviteKind;
  /** INSEE code of a commune or département, SIREN of an EPCI. */
  code?: string;
}

export interface Membership {
  role: Role;
  /** Undefined for an administrator of the whole deployment. */
  collectivite?: Pick<Collectivite, 'id' | 'name'>;
}

/** Who is speaking, with their rights. */
export interface Actor {
  personId: string;
  displayName: string;
  email?: string;
  memberships: Membership[];
}

/** What a version, a comment or an audit entry keeps of its author: it outlives the person. */
export interface AuthorRef {
  personId?: string;
  /** « Camille Martin », or « admin (ligne de commande) » for the CLI. */
  name: string;
}

export const authorOf = (actor: Actor): AuthorRef => ({ personId: actor.personId, name: actor.displayName });

export const isDeploymentAdmin = (actor: Actor): boolean =>
  actor.memberships.some((membership) => membership.role === 'admin' && !membership.collectivite);

function hasRole(actor: Actor, collectiviteId: string, roles: Role[]): boolean {
  return (
    isDeploymentAdmin(actor) ||
    actor.memberships.some(
      (membership) => membership.collectivite?.id === collectiviteId && roles.includes(membership.role),
    )
  );
}

/** Référents create and edit the fiches of their collectivité. */
export const canEdit = (actor: Actor, collectiviteId: string) => hasRole(actor, collectiviteId, ['referent']);

/** Coordinators read every fiche of the collectivités they follow, comment, ask for changes and validate. */
export const canReview = (actor: Actor, collectiviteId: string) =>
  hasRole(actor, collectiviteId, ['coordinateur']);

export const canRead = (actor: Actor, collectiviteId: string) =>
  hasRole(actor, collectiviteId, ['referent', 'coordinateur', 'admin']);

/** Collectivités where the actor holds one of the roles, by name. */
export function collectivitesWith(actor: Actor, roles: Role[]): Pick<Collectivite, 'id' | 'name'>[] {
  const found = new Map<string, Pick<Collectivite, 'id' | 'name'>>();
  for (const membership of actor.memberships) {
    if (membership.collectivite && roles.includes(membership.role)) {
      found.set(membership.collectivite.id, membership.collectivite);
    }
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

/** A channel account, the key a person is found by. */
export interface IdentityKey {
  channel: ChannelName;
  workspaceId: string;
  externalUserId: string;
}

/** An entry of the audit log: who changed what, when (the store adds when). */
export interface AuditEntry {
  actor: AuthorRef;
  /** « collectivite.create », « membership.revoke », « fiche.validate »… */
  action: string;
  subjectType: string;
  subjectId: string;
  details?: Record<string, unknown>;
}
