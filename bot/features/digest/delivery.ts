import type { IsoWeek } from './model.ts';

/**
 * Who gets the weekly digest, where and when, and the ledger that makes each week's digest go out at most
 * once per person, across processes and restarts. Implemented over Prisma in bot/store/.
 */

/** A Slack DM, a Slack channel, a Teams personal chat or a Teams channel. */
export type DigestPlace = 'slack_dm' | 'slack_channel' | 'teams_personal' | 'teams_channel';

export interface DigestDestination {
  place: DigestPlace;
  /** Slack team id, Teams tenant id. */
  workspaceId: string;
  /** Slack: the user id (DM) or channel id; Teams: the conversation id. */
  conversationId: string;
  /** Teams: the stored conversation reference that continueConversation needs. */
  conversationReference?: unknown;
}

export interface DigestSubscription {
  personId: string;
  /** Undefined: the person's private chat in the channel they used last. */
  destination?: DigestDestination;
  /** ISO day of the week in Europe/Paris, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Hour in Europe/Paris, 0–23. */
  hour: number;
  paused: boolean;
  /** The collectivités followed; empty means all of the person's memberships. */
  collectiviteIds: string[];
  /** The schedule counts from this instant: a time already past when it was chosen sends nothing late. */
  scheduleFrom: Date;
}

export const DEFAULT_SCHEDULE = { weekday: 1, hour: 9 } as const;

export type SubscriptionChanges = Partial<
  Pick<DigestSubscription, 'weekday' | 'hour' | 'paused' | 'collectiviteIds'> & {
    destination: DigestDestination | null;
  }
>;

export interface DigestSubscriptionRepository {
  get(personId: string): Promise<DigestSubscription | undefined>;
  /**
   * Creates the subscription with the defaults (Monday 09:00, private chat, all memberships) plus these
   * changes, or applies them to the stored one. A new day or hour restarts the schedule from now.
   */
  save(personId: string, changes: SubscriptionChanges): Promise<DigestSubscription>;
  /** Gives every active coordinator who has none the default subscription; returns how many were created. */
  ensureCoordinatorDefaults(): Promise<number>;
  /** Subscriptions not paused, of people whose access was not removed. */
  active(): Promise<DigestSubscription[]>;
  /**
   * The person's private chats with Boussole, the most recently used first: a Slack DM with each Slack
   * account, the Teams personal chat whose reference was stored when they wrote there.
   */
  privateDestinations(personId: string): Promise<DigestDestination[]>;
}

export type DeliveryState = 'claimed' | 'sent' | 'failed';

export interface DigestDeliveryRecord {
  id: string;
  personId: string;
  personName: string;
  week: IsoWeek;
  /** 0 for the week's digest; 1, 2… for re-sends forced from the command line. */
  copy: number;
  state: DeliveryState;
  attempts: number;
  error?: string;
  late: boolean;
  forced: boolean;
  place?: string;
  scheduledAt?: Date;
  claimedAt: Date;
  sentAt?: Date;
  failedAt?: Date;
}

export interface ClaimRequest {
  personId: string;
  personName: string;
  week: IsoWeek;
  late?: boolean;
  scheduledAt?: Date;
}

export interface DigestLedger {
  /**
   * Claims the week's digest before sending it: true the first time (or again after a recorded failure,
   * one more attempt), undefined when it is claimed or sent already: never a second copy, even when the
   * process that claimed it died before saying how the send went.
   */
  claim(request: ClaimRequest): Promise<DigestDeliveryRecord | undefined>;
  /** A re-send forced from the command line: a new copy, always claimed, recorded as forced. */
  claimForced(request: ClaimRequest): Promise<DigestDeliveryRecord>;
  markSent(id: string, place: string): Promise<void>;
  markFailed(id: string, error: string): Promise<void>;
  /** Which of these (person, week) digests were claimed already, whatever became of them: `${personId}|${week}`. */
  claimedOf(keys: { personId: string; week: IsoWeek }[]): Promise<Set<string>>;
  /** Every delivery and failure, newest first. */
  history(options?: { personId?: string; limit?: number }): Promise<DigestDeliveryRecord[]>;
}
