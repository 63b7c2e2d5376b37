import type { AuthorRef } from '../../core/people.ts';
import type { FieldChange, RecordVersion, VersionConflict } from '../../core/versions.ts';

/** A fiche-action as stored: its values are the form's normalized values (see form.ts for each field). */

export type FicheStatus = 'brouillon' | 'soumise' | 'a_revoir' | 'validee';

export const STATUS_LABELS: Record<FicheStatus, string> = {
  brouillon: 'brouillon',
  soumise: 'soumise',
  a_revoir: 'à revoir',
  validee: 'validée',
};

export interface Fiche {
  id: string;
  collectivite: { id: string; name: string };
  /** Number within its collectivité, shown as « fiche n° 7 ». */
  number: number;
  programme?: string;
  title: string;
  status: FicheStatus;
  values: Record<string, unknown>;
  version: number;
  createdBy: AuthorRef;
  createdAt: Date;
  updatedAt: Date;
}

export interface FicheComment {
  author: AuthorRef;
  text: string;
  createdAt: Date;
}

export interface FicheCommit {
  ficheId: string;
  /** The version the writer started from: a commit on top of another is refused with what changed. */
  expectedVersion: number;
  values: Record<string, unknown>;
  changes: FieldChange[];
  author: AuthorRef;
  status?: FicheStatus;
  note?: string;
}

export interface FicheRepository {
  /** Creates a fiche at version 1 with the next number of its collectivité. */
  create(input: {
    collectiviteId: string;
    values: Record<string, unknown>;
    changes: FieldChange[];
    author: AuthorRef;
    /** Why, when the first version has a story: « importée d’un fichier Word, acceptée »… */
    note?: string;
  }): Promise<Fiche>;
  get(ficheId: string): Promise<Fiche | undefined>;
  /** By number within a collectivité. */
  findByNumber(collectiviteId: string, number: number): Promise<Fiche | undefined>;
  /** Fiches of these collectivités, most recently changed first; deleted drafts excluded. */
  list(filter: { collectiviteIds: string[]; statuses?: FicheStatus[] }): Promise<Fiche[]>;
  /** Writes a new version if the fiche is still at `expectedVersion`. */
  commit(commit: FicheCommit): Promise<{ ok: true; fiche: Fiche } | VersionConflict>;
  /** Versions, oldest first. */
  history(ficheId: string): Promise<RecordVersion[]>;
  comment(ficheId: string, author: AuthorRef, text: string): Promise<void>;
  comments(ficheId: string): Promise<FicheComment[]>;
  /** Drops a draft from the lists (a draft cancelled by the session that created it); its versions stay. */
  discard(ficheId: string, author: AuthorRef): Promise<void>;
}
