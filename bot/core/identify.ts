import type { Logger } from '../logger.ts';
import type { TurnIO } from './core.ts';
import { StorageError, toAppError } from './errors.ts';
import type { Actor } from './people.ts';
import type { Repositories } from './ports.ts';
import type { IncomingMessage } from './types.ts';

/** A person unknown under an account is looked up by e-mail again after this long (they may have been added). */
const EMAIL_RECHECK_MS = 24 * 3_600_000;

/**
 * Who is speaking. The web chat's person comes only from its signed session (its user id is the
 * browser's, never trusted); a Slack or Teams account is linked to a person once, by the e-mail address
 * the platform gives (asked at most once a day while nobody has it), or by an administrator. Best effort:
 * a failure leaves the person unknown, and they can still ask questions.
 */
export async function identify(
  incoming: IncomingMessage,
  io: TurnIO,
  repositories: Repositories,
  clock: () => Date,
  log: Logger,
): Promise<Actor | undefined> {
  const { directory } = repositories;
  try {
    if (incoming.verifiedPersonId) return await directory.actorByPerson(incoming.verifiedPersonId);
    if (incoming.channel === 'web') return undefined;
    const key = {
      channel: incoming.channel,
      workspaceId: incoming.workspaceId,
      externalUserId: incoming.userId,
    };
    const actor = await directory.actorByIdentity(key);
    if (actor || !io.lookupEmail) return actor;
    if (await directory.emailCheckedSince(key, new Date(clock().getTime() - EMAIL_RECHECK_MS)))
      return undefined;
    const email = await io.lookupEmail().catch((error: unknown) => {
      log.warn({ code: toAppError(error).code }, 'e-mail lookup failed');
      return undefined;
    });
    await directory.markEmailChecked(key);
    return email ? await directory.linkIdentityByEmail(key, email) : undefined;
  } catch (error) {
    log.error({ code: new StorageError(error).code }, 'identification failed');
    return undefined;
  }
}
