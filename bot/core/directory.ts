import type { Actor, AuditEntry, AuthorRef, Collectivite, IdentityKey, Role } from './people.ts';

/** People, collectivités, memberships and channel identities, as the core and the admin command see them. */

export interface PersonRecord {
  id: string;
  displayName: string;
  email?: string;
  /** « Promotion Santé IDF », « DD ARS 77 »: coordinators follow their organisation's collectivités. */
  organisation?: string;
  createdAt: Date;
  /** Set once their access was removed. */
  deactivatedAt?: Date;
  memberships: { id: string; role: Role; collectivite?: Pick<Collectivite, 'id' | 'name'> }[];
  identities: (IdentityKey & { displayName?: string })[];
}

export interface NewPerson {
  displayName: string;
  email?: string;
  organisation?: string;
}

export interface DirectoryRepository {
  /** The person linked to a channel account, with their memberships; undefined when none is linked. */
  actorByIdentity(identity: IdentityKey): Promise<Actor | undefined>;
  actorByPerson(personId: string): Promise<Actor | undefined>;
  /**
   * Links a channel account to the person with this e-mail (case-insensitive) and records the address
   * the platform gave; returns that person, or undefined when nobody has it.
   */
  linkIdentityByEmail(identity: IdentityKey, email: string): Promise<Actor | undefined>;
  /** Whether the account's e-mail was looked up recently: platforms are not asked at every message. */
  emailCheckedSince(identity: IdentityKey, since: Date): Promise<boolean>;
  markEmailChecked(identity: IdentityKey): Promise<void>;
  /** Administrators of the deployment, for « ask … to add you ». */
  administrators(): Promise<Pick<PersonRecord, 'displayName' | 'email'>[]>;

  createCollectivite(input: Omit<Collectivite, 'id'>, by: AuthorRef): Promise<Collectivite>;
  listCollectivites(): Promise<Collectivite[]>;
  /** By id, exact name (case- and accent-insensitive) or code. */
  findCollectivite(reference: string): Promise<Collectivite | undefined>;
  createPerson(input: NewPerson, by: AuthorRef): Promise<PersonRecord>;
  listPeople(): Promise<PersonRecord[]>;
  /** By id or e-mail. */
  findPerson(reference: string): Promise<PersonRecord | undefined>;
  /**
   * Idempotent: granting a membership the person already has changes nothing (and returns false).
   * A new role given to a deactivated person gives them access again.
   */
  grant(input: { personId: string; role: Role; collectiviteId?: string }, by: AuthorRef): Promise<boolean>;
  /** Returns false when there was no such membership. */
  revoke(input: { personId: string; role: Role; collectiviteId?: string }, by: AuthorRef): Promise<boolean>;
  /** An administrator links a channel account to a person by hand. */
  linkIdentity(identity: IdentityKey, personId: string, by: AuthorRef): Promise<void>;
  /** Removes a person's access: memberships revoked, identities unlinked; their history stays. */
  deactivatePerson(personId: string, by: AuthorRef): Promise<boolean>;
  auditLog(limit: number): Promise<(AuditEntry & { at: Date })[]>;
}

/** A collectivité name or code, or a person's e-mail, that is already taken. */
export class DirectoryConflictError extends Error {
  constructor(
    readonly field: 'name' | 'code' | 'email',
    readonly value: string,
  ) {
    const what = {
      name: 'Une collectivité porte déjà ce nom',
      code: 'Une collectivité a déjà ce code',
      email: 'Une personne a déjà cette adresse e-mail',
    }[field];
    super(`${what} : « ${value} ».`);
    this.name = 'DirectoryConflictError';
  }
}
