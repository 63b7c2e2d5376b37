import type { DigestNotifier, Repositories } from '../../core/ports.ts';
import type { Logger } from '../../logger.ts';
import { buildDigest, type DigestDeps } from './build.ts';
import {
  DEFAULT_SCHEDULE,
  type DigestDeliveryRecord,
  type DigestDestination,
  type DigestSubscription,
} from './delivery.ts';
import type { Digest, IsoWeek } from './model.ts';
import { type DueDigest, dueDigest, nextOccurrence, reportedWeek } from './schedule.ts';

/**
 * Sends the weekly digests, at most once per person and week: the ledger row is claimed (inserted, unique)
 * before anything is sent and marked sent after. A process that dies in between leaves the claim, and the
 * digest is never sent a second time; the history shows it as interrupted.
 */

/** Makes a person's digest: the port to the digest builder. Undefined when there is nothing to send them. */
export type ComposeDigest = (request: {
  personId: string;
  week: IsoWeek;
  now: Date;
  late: boolean;
  collectiviteIds?: string[];
}) => Promise<Digest | undefined>;

export interface DeliveryDeps {
  repositories: Pick<Repositories, 'digestSubscriptions' | 'digestLedger' | 'directory'>;
  compose: ComposeDigest;
  notifier: DigestNotifier;
  clock: () => Date;
  logger: Logger;
}

export type DeliveryOutcome =
  | { status: 'sent'; record: DigestDeliveryRecord; destination: DigestDestination }
  /** Claimed or sent before: nothing was sent. */
  | { status: 'already'; personId: string; week: IsoWeek }
  /** Not sent, for a reason trying again would not change (recorded in the ledger). */
  | { status: 'skipped'; record?: DigestDeliveryRecord; reason: string };

/** A failed send, recorded in the ledger; the queue tries again later. */
export class DeliveryFailedError extends Error {
  override name = 'DeliveryFailedError';
}

export interface DeliveryRequest {
  personId: string;
  week: IsoWeek;
  late?: boolean;
  scheduledAt?: Date;
  /** A re-send asked with --force: a new copy, whatever the ledger holds. */
  force?: boolean;
}

export function createDigestDelivery(deps: DeliveryDeps) {
  const { repositories, logger } = deps;
  const { digestSubscriptions: subscriptions, digestLedger: ledger } = repositories;

  async function destinationOf(
    personId: string,
    subscription: DigestSubscription | undefined,
  ): Promise<DigestDestination | undefined> {
    return subscription?.destination ?? (await subscriptions.privateDestinations(personId))[0];
  }

  return {
    /**
     * The digests owed at `now`, not claimed yet: every coordinator gets the default subscription first.
     * After downtime, the missed one of each person comes once, marked late.
     */
    async due(now: Date): Promise<DueDigest[]> {
      await subscriptions.ensureCoordinatorDefaults();
      const owed = (await subscriptions.active()).flatMap((subscription) => {
        const due = dueDigest(subscription, now);
        return due ? [due] : [];
      });
      const claimed = await ledger.claimedOf(owed);
      return owed.filter((due) => !claimed.has(`${due.personId}|${due.week}`));
    },

    /** Claims, makes, sends and records one digest. Throws DeliveryFailedError when the send failed. */
    async deliver(request: DeliveryRequest): Promise<DeliveryOutcome> {
      const { personId, week } = request;
      const actor = await repositories.directory.actorByPerson(personId);
      if (!actor) return { status: 'skipped', reason: 'personne inconnue' };
      const claim = {
        personId,
        personName: actor.displayName,
        week,
        late: request.late ?? false,
        scheduledAt: request.scheduledAt,
      };
      const record = request.force ? await ledger.claimForced(claim) : await ledger.claim(claim);
      if (!record) return { status: 'already', personId, week };
      const log = logger.child({ personId, week, delivery: record.id, attempt: record.attempts });
      if (request.force) log.warn('digest renvoyé (--force)');
      const skip = async (reason: string): Promise<DeliveryOutcome> => {
        await ledger.markFailed(record.id, reason);
        log.warn({ reason }, 'digest non envoyé');
        return { status: 'skipped', record: { ...record, state: 'failed', error: reason }, reason };
      };
      const subscription = await subscriptions.get(personId);
      const destination = await destinationOf(personId, subscription);
      if (!destination) {
        return skip('aucune conversation connue : la personne n’a jamais écrit à Boussole en privé');
      }
      const digest = await deps.compose({
        personId,
        week,
        now: deps.clock(),
        late: claim.late,
        collectiviteIds: followed(subscription),
      });
      if (!digest) return skip('rien à envoyer : aucune collectivité suivie');
      try {
        await deps.notifier.send(destination, digest);
      } catch (error) {
        const message = (error as Error).message || String(error);
        await ledger.markFailed(record.id, message);
        log.warn({ err: { message } }, 'envoi du digest échoué');
        throw new DeliveryFailedError(message, { cause: error });
      }
      await ledger.markSent(record.id, destination.place);
      log.info({ place: destination.place, late: claim.late }, 'digest envoyé');
      return { status: 'sent', record: { ...record, state: 'sent', place: destination.place }, destination };
    },
  };
}

export type DigestDelivery = ReturnType<typeof createDigestDelivery>;

/** The digest builder over the repositories, as the delivery's port. */
export function composeWith(deps: DigestDeps): ComposeDigest {
  return (request) => buildDigest(deps, request);
}

/** The collectivités a subscription follows, or undefined for all of the person's memberships. */
const followed = (subscription: DigestSubscription | undefined) =>
  subscription?.collectiviteIds.length ? subscription.collectiviteIds : undefined;

/** The next digest of a person as it would be made now, and when it is due; undefined when there is none. */
export async function nextDigest(
  deps: Pick<DeliveryDeps, 'repositories' | 'compose' | 'clock'>,
  personId: string,
): Promise<{ digest: Digest; scheduledAt: Date } | undefined> {
  const now = deps.clock();
  const subscription = await deps.repositories.digestSubscriptions.get(personId);
  const scheduledAt = nextOccurrence(subscription ?? DEFAULT_SCHEDULE, now);
  const digest = await deps.compose({
    personId,
    week: reportedWeek(scheduledAt),
    now,
    late: false,
    collectiviteIds: followed(subscription),
  });
  return digest && { digest, scheduledAt };
}

/**
 * The next digest of a person, sent to `destination` or else their private chat, recorded nowhere
 * (« digest »). Undefined when there is nothing to send or nowhere private to send it.
 */
export async function previewDigest(
  deps: Omit<DeliveryDeps, 'logger'>,
  personId: string,
  destination?: DigestDestination,
): Promise<{ digest: Digest; destination: DigestDestination; scheduledAt: Date } | undefined> {
  const target =
    destination ?? (await deps.repositories.digestSubscriptions.privateDestinations(personId))[0];
  if (!target) return undefined;
  const next = await nextDigest(deps, personId);
  if (!next) return undefined;
  await deps.notifier.send(target, next.digest);
  return { ...next, destination: target };
}
