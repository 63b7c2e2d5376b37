import type { AnswerMode } from '../../knowledge/types.ts';
import type { Suivi, SuiviRepository, Task, TaskRepository } from '../features/dashboard/model.ts';
import type {
  DigestDestination,
  DigestLedger,
  DigestSubscriptionRepository,
} from '../features/digest/delivery.ts';
import type { Digest } from '../features/digest/model.ts';
import type { Fiche, FicheRepository } from '../features/fiches/model.ts';
import type { DirectoryRepository } from './directory.ts';
import type { FormSessionRepository } from './forms/sessions.ts';
import type { AuthorRef } from './people.ts';
import type { ChannelName } from './types.ts';
import type { RecordVersion } from './versions.ts';

/** Ports the core and the channels use; implemented over Prisma in bot/store/. */

export interface RecordedSource {
  rank: number;
  document: string;
  section: string;
  passageId: string;
  text: string;
  score: number;
}

export interface NewInteraction {
  channel: ChannelName | 'cli';
  workspaceId: string;
  conversationId: string;
  threadId?: string;
  /** External user id in that channel. */
  userId?: string;
  question: string;
  answer: string;
  abstained: boolean;
  mode: AnswerMode;
  latencyMs: number;
  sources: RecordedSource[];
}

export interface ThreadTurn {
  question: string;
  answer: string;
}

export interface InteractionRepository {
  record(interaction: NewInteraction): Promise<{ id: string }>;
  /** Earlier question/answer pairs of a thread, oldest first. */
  threadHistory(
    key: { channel: ChannelName; conversationId: string; threadId: string },
    limit: number,
  ): Promise<ThreadTurn[]>;
  /**
   * Remembers which interaction a message we posted shows, by the id its channel gave it, for events that name
   * only that message (Teams' feedback invoke). Idempotent: the first link of a (channel, messageId) pair stays.
   */
  linkChannelMessage(input: {
    interactionId: string;
    channel: ChannelName;
    messageId: string;
  }): Promise<void>;
  /** The interaction shown by a message we posted, or undefined when that message is unknown. */
  findByChannelMessage(channel: ChannelName, messageId: string): Promise<string | undefined>;
}

export type Rating = 'up' | 'down';

export interface FeedbackView {
  createdAt: Date;
  channel: string;
  rating: Rating;
  comment?: string;
  question: string;
  answer: string;
  sources: { document: string; section: string }[];
}

export interface FeedbackRepository {
  /**
   * Stores (or replaces) one user's rating of one answer. An answer is rated only from where it was given:
   * returns false, storing nothing, when the interaction is unknown or was not answered in this channel and
   * conversation (a client cannot rate another conversation's answer by guessing or copying its id).
   */
  record(feedback: {
    interactionId: string;
    channel: ChannelName;
    conversationId: string;
    userId?: string;
    rating: Rating;
    comment?: string;
  }): Promise<boolean>;
  /** Latest feedback, negative first, then newest first. */
  latest(limit: number): Promise<FeedbackView[]>;
}

export interface ProcessedEventRepository {
  /** Atomically claims an incoming event id. True the first time, false for a retry (across processes). */
  claim(source: string, eventId: string): Promise<boolean>;
}

export interface ChannelIdentity {
  channel: ChannelName;
  workspaceId: string;
  externalUserId: string;
  displayName?: string;
  /** What the channel needs to message this person later (stored as JSON). */
  conversationReference?: unknown;
}

export interface IdentityRepository {
  /**
   * Creates or updates a channel account and its conversation reference (an absent reference keeps the
   * stored one). It creates no person: the account is linked by e-mail or by an administrator.
   */
  upsert(identity: ChannelIdentity): Promise<{ personId?: string }>;
  findByChannelUser(
    channel: ChannelName,
    workspaceId: string,
    externalUserId: string,
  ): Promise<(ChannelIdentity & { personId?: string }) | undefined>;
}

export interface SettingsRepository {
  /** A random secret generated on first use and shared by every process on this database. */
  getOrCreateSecret(name: string): Promise<string>;
}

export interface Repositories {
  interactions: InteractionRepository;
  feedback: FeedbackRepository;
  processedEvents: ProcessedEventRepository;
  identities: IdentityRepository;
  directory: DirectoryRepository;
  fiches: FicheRepository;
  formSessions: FormSessionRepository;
  tasks: TaskStore;
  suivis: SuiviStore;
  settings: SettingsRepository;
  activity: ActivityRepository;
  /** Who gets the weekly digest, where and when. */
  digestSubscriptions: DigestSubscriptionRepository;
  /** Every digest claimed, sent or failed: at most one a week per person. */
  digestLedger: DigestLedger;
  /**
   * Runs `work` in one database transaction: its writes land together, or none if it throws. `work` must
   * use only the repositories it is given (on PGlite, the others wait for the transaction to end).
   */
  atomically<T>(work: (repositories: TransactionalRepositories) => Promise<T>): Promise<T>;
}

/** The repositories whose writes can share a transaction. */
export type TransactionalRepositories = Pick<
  Repositories,
  'directory' | 'fiches' | 'formSessions' | 'tasks' | 'suivis'
>;

/** A task whose état became « fait », when and by whom. */
export interface DoneTask {
  task: Task;
  doneAt: Date;
  by: AuthorRef;
}

/**
 * The tableau de bord's tasks, with deletion and the queries of the digest and the dashboard view. Days are
 * YYYY-MM-DD in the Europe/Paris calendar, given by the caller (the store never reads a clock for them).
 */
export interface TaskStore extends TaskRepository {
  /**
   * Takes a task out of the dashboard (audited; its versions stay). Tasks that waited for it lose that
   * dependency in a new version of their own. False when it was already gone.
   */
  delete(taskId: string, author: AuthorRef): Promise<boolean>;
  /** Open tasks (à faire, en cours) whose end date is before `today`: late, oldest end first. */
  overdue(collectiviteIds: string[], today: string): Promise<Task[]>;
  /** Open tasks whose end date is between `from` and `to`, both included, soonest first. */
  dueBetween(collectiviteIds: string[], from: string, to: string): Promise<Task[]>;
  /**
   * Tasks still « fait » whose latest change to « fait » happened in [fromInstant, toInstant), read from their
   * versions, earliest first.
   */
  doneBetween(collectiviteIds: string[], fromInstant: Date, toInstant: Date): Promise<DoneTask[]>;
}

/** Suivis with the queries of the quarterly report and the digest. Periods: « 2027-T2 », « 2027-A ». */
export interface SuiviStore extends SuiviRepository {
  /** The suivis of a period, each with its fiche (labels and valeurs prévisionnelles), by collectivité then fiche number. */
  listByPeriod(collectiviteIds: string[], period: string): Promise<{ suivi: Suivi; fiche: Fiche }[]>;
  /**
   * Validated fiches whose period of action (values.periode) overlaps the period (a quarter, or the calendar
   * year for « 2027-A ») and that have no submitted suivi for it, by collectivité then fiche number.
   */
  missing(collectiviteIds: string[], period: string): Promise<Fiche[]>;
}

/** A version of a live fiche, task or suivi, with what a summary names it by. */
export interface ActivityVersion extends RecordVersion {
  collectivite: { id: string; name: string };
  /** The status of the version before (absent for the first): tells a submission or a validation from an edit. */
  previousStatus?: string;
  /** Fiche: its number and title; task: its number and intitulé; suivi: its fiche's, with the period. */
  subject: { number: number; title: string; period?: string };
}

/** What happened over a period, across records and conversations: the weekly digest's reads. */
export interface ActivityRepository {
  /**
   * Versions written in [from, to) of the fiches (not discarded), tasks (not deleted) and suivis of these
   * collectivités, oldest first.
   */
  versionsBetween(collectiviteIds: string[], from: Date, to: Date): Promise<ActivityVersion[]>;
  /**
   * The live tasks of each collectivité by état as of `today` (YYYY-MM-DD, Paris): late ones (open, ending
   * before today) apart, abandoned ones left out. Collectivités without tasks are absent.
   */
  taskProgress(
    collectiviteIds: string[],
    today: string,
  ): Promise<Map<string, { done: number; inProgress: number; late: number; todo: number }>>;
  /** When a fiche, task or suivi of each collectivité last changed; collectivités with none are absent. */
  lastActivity(collectiviteIds: string[]): Promise<Map<string, Date>>;
  /**
   * Questions asked in [from, to) that the documents could not answer (abstentions), and answers rated 👎
   * then: texts only, never who asked. At most `limit` of each, newest first.
   */
  knowledgeGaps(
    from: Date,
    to: Date,
    limit: number,
  ): Promise<{ unanswered: string[]; downvoted: { question: string; answer: string }[] }>;
}

/** Posts a weekly digest where a person chose to get it: Slack (Web API) or Teams (proactive message). */
export interface DigestNotifier {
  /** Resolves once every message of the digest is posted; rejects when one could not be. */
  send(destination: DigestDestination, digest: Digest): Promise<void>;
}
