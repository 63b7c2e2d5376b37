import { toAppError } from '../core/errors.ts';
import type { ProcessedEventRepository } from '../core/ports.ts';
import type { ChannelName } from '../core/types.ts';
import type { Logger } from '../logger.ts';

/**
 * True the first time any process sharing the database sees this incoming event id; false for a retry or a
 * second delivery, which is logged and must be dropped. Every channel's duplicate handling is this function.
 *
 * When the database cannot tell (the claim fails), the event is handled: the person asked and should get an
 * answer, a duplicate after a retry is the lesser harm, and the core apologises on its own if it needs the
 * database for the turn.
 */
export async function isFirstDelivery(
  events: ProcessedEventRepository,
  source: ChannelName,
  eventId: string,
  log: Logger,
): Promise<boolean> {
  try {
    if (await events.claim(source, eventId)) return true;
  } catch (error) {
    log.error({ code: toAppError(error).code, source, eventId }, 'event claim failed, handled anyway');
    return true;
  }
  log.info({ source, eventId }, 'duplicate event ignored');
  return false;
}
