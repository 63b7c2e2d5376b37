import type { ChannelName } from '../types.ts';
import type { FormState } from './types.ts';

/** The form a person is filling in one conversation, saved after every step. */

export interface FormSessionKey {
  channel: ChannelName;
  workspaceId: string;
  conversationId: string;
  /** Thread id, or '' at the top level of a conversation. */
  threadKey: string;
  /** The person's id in that channel. */
  userKey: string;
}

export interface FormSession {
  key: FormSessionKey;
  personId: string;
  formId: string;
  /** The record being edited, once it exists (a new draft has none until its first save). */
  recordId?: string;
  /** The record version this session last wrote or read: a commit from an older one is a conflict. */
  baseVersion?: number;
  /** Whether this session created the record: « annuler » then drops the draft. */
  createdRecord: boolean;
  /** Form-specific context fixed at the start, e.g. the collectivité of a new draft. */
  context: Record<string, unknown>;
  state: FormState;
  /** Compare-and-set counter: a save names the revision it read; 0 for a session never saved. */
  revision: number;
  expiresAt: Date;
}

export interface FormSessionRepository {
  /** The open (unexpired) session of this person in this conversation. */
  find(key: FormSessionKey): Promise<FormSession | undefined>;
  /**
   * Saves the session if its stored revision is still `session.revision` (or, for a new session, if none
   * is open); returns the new revision, or undefined when another message won the race.
   */
  save(session: FormSession): Promise<number | undefined>;
  /** Closes the session; false when its revision moved on. */
  close(key: FormSessionKey, revision: number): Promise<boolean>;
  /** Open sessions of a person, newest first (to resume a draft from another conversation). */
  openFor(personId: string): Promise<FormSession[]>;
}
