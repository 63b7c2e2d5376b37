import type { AuthorRef } from './people.ts';

/**
 * Every change to a record (fiche-action, tâche, suivi) is a version: who, when, what changed. Versions
 * are kept apart from the records, so the history outlives the deletion of anything else.
 */

export type RecordType = 'fiche_action' | 'task' | 'suivi';

export interface FieldChange {
  fieldId: string;
  before: unknown;
  after: unknown;
}

export interface RecordVersion {
  recordType: RecordType;
  recordId: string;
  version: number;
  author: AuthorRef;
  createdAt: Date;
  /** The record's values after this version. */
  values: Record<string, unknown>;
  changes: FieldChange[];
  /** Status after this version, when the record has one. */
  status?: string;
  /** Why: a coordinator's « à revoir » comment, « importé de Word »… */
  note?: string;
}

/** A commit that lost a race: the record moved on since `expectedVersion`. */
export interface VersionConflict {
  ok: false;
  currentVersion: number;
  /** What others changed since the version the writer started from. */
  changedSince: RecordVersion[];
}
