import { parisDay, parisTime } from '../../core/calendar.ts';
import { addDays, isoWeekday } from '../../core/french/calendar.ts';
import type { DigestSubscription } from './delivery.ts';
import type { IsoWeek } from './model.ts';
import { isoWeekOf } from './weeks.ts';

/**
 * When a subscription's digest is due, in Europe/Paris wall-clock time whatever the server's zone: Monday
 * 09:00 is 08:00 UTC in winter and 07:00 UTC in summer, the weeks of the last Sundays of March and October
 * included.
 */

type Schedule = Pick<DigestSubscription, 'weekday' | 'hour'>;

/** The scheduled instants of the last seven days and the next seven, in order. */
function occurrencesAround(schedule: Schedule, now: Date): Date[] {
  const today = parisDay(now);
  const instants: Date[] = [];
  for (let offset = -7; offset <= 7; offset++) {
    const day = addDays(today, offset);
    if (isoWeekday(day) === schedule.weekday) instants.push(parisTime(day, schedule.hour));
  }
  return instants;
}

/** The latest scheduled instant at or before `now`. */
export function lastOccurrence(schedule: Schedule, now: Date): Date {
  return occurrencesAround(schedule, now).findLast((instant) => instant <= now)!;
}

/** The first scheduled instant after `now`. */
export function nextOccurrence(schedule: Schedule, now: Date): Date {
  return occurrencesAround(schedule, now).find((instant) => instant > now)!;
}

/**
 * The week a digest reports on: sent from Monday to Thursday, the week before (complete); from Friday to
 * Sunday, the week ending. It is the ledger's key: one digest per person and reported week.
 */
export function reportedWeek(scheduledAt: Date): IsoWeek {
  return isoWeekOf(new Date(scheduledAt.getTime() - 4 * 24 * 3_600_000));
}

/** Beyond this after its scheduled time, a digest is late: its own hourly run was missed (downtime). */
export const LATE_AFTER_MS = 15 * 60_000;

export interface DueDigest {
  personId: string;
  /** The week reported on: the ledger's key. */
  week: IsoWeek;
  scheduledAt: Date;
  late: boolean;
}

/**
 * The digest a subscription owes at `now`: the one of its latest scheduled time, when that time came after the
 * schedule was chosen. Only the latest: after a long downtime, one late digest, not one per week missed.
 */
export function dueDigest(subscription: DigestSubscription, now: Date): DueDigest | undefined {
  if (subscription.paused) return undefined;
  const scheduledAt = lastOccurrence(subscription, now);
  if (scheduledAt < subscription.scheduleFrom) return undefined;
  return {
    personId: subscription.personId,
    week: reportedWeek(scheduledAt),
    scheduledAt,
    late: now.getTime() - scheduledAt.getTime() > LATE_AFTER_MS,
  };
}
