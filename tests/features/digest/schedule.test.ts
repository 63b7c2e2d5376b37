import { PgBoss } from 'pg-boss';
import { describe, expect, it } from 'vitest';
import { TICK_CRON } from '../../../bot/digest-scheduler.ts';
import { parseDigestCommand } from '../../../bot/features/digest/commands.ts';
import type { DigestSubscription } from '../../../bot/features/digest/delivery.ts';
import {
  dueDigest,
  lastOccurrence,
  nextOccurrence,
  reportedWeek,
} from '../../../bot/features/digest/schedule.ts';

const monday9 = { weekday: 1, hour: 9 };
const subscription = (changes: Partial<DigestSubscription> = {}): DigestSubscription => ({
  personId: 'p1',
  weekday: 1,
  hour: 9,
  paused: false,
  collectiviteIds: [],
  scheduleFrom: new Date('2026-01-01T00:00:00Z'),
  ...changes,
});

describe('the digest schedule, in Paris time', () => {
  it('fires Monday 09:00 Paris on both sides of the last Sundays of March and October', () => {
    // 2027: summer time starts Sunday 28 March, ends Sunday 31 October.
    expect(nextOccurrence(monday9, new Date('2027-03-27T12:00:00Z'))).toEqual(
      new Date('2027-03-29T07:00:00Z'),
    );
    expect(nextOccurrence(monday9, new Date('2027-03-22T06:00:00Z'))).toEqual(
      new Date('2027-03-22T08:00:00Z'),
    );
    expect(nextOccurrence(monday9, new Date('2027-10-30T12:00:00Z'))).toEqual(
      new Date('2027-11-01T08:00:00Z'),
    );
    expect(nextOccurrence(monday9, new Date('2027-10-25T06:00:00Z'))).toEqual(
      new Date('2027-10-25T07:00:00Z'),
    );
    // 2026: 29 March and 25 October.
    expect(lastOccurrence(monday9, new Date('2026-03-30T12:00:00Z'))).toEqual(
      new Date('2026-03-30T07:00:00Z'),
    );
    expect(lastOccurrence(monday9, new Date('2026-10-26T12:00:00Z'))).toEqual(
      new Date('2026-10-26T08:00:00Z'),
    );
  });

  it('fires on the changing Sunday itself at the hour Paris reads', () => {
    const sunday9 = { weekday: 7, hour: 9 };
    expect(nextOccurrence(sunday9, new Date('2027-03-27T12:00:00Z'))).toEqual(
      new Date('2027-03-28T07:00:00Z'),
    );
    expect(nextOccurrence(sunday9, new Date('2027-10-30T12:00:00Z'))).toEqual(
      new Date('2027-10-31T08:00:00Z'),
    );
    // 02:00 does not exist on 28 March 2027: the clock reads 03:00 then.
    expect(nextOccurrence({ weekday: 7, hour: 2 }, new Date('2027-03-27T12:00:00Z'))).toEqual(
      new Date('2027-03-28T01:00:00Z'),
    );
  });

  it('ticks hourly in Paris: the 09:00 Paris tick exists in the DST weeks (pg-boss previews the cron)', () => {
    const boss = new PgBoss({ connectionString: 'postgresql://unused@127.0.0.1:1/none' });
    for (const [from, nine] of [
      ['2027-03-29T05:30:00Z', '2027-03-29T07:00:00Z'],
      ['2027-11-01T06:30:00Z', '2027-11-01T08:00:00Z'],
    ] as const) {
      const ticks = boss.previewSchedule(TICK_CRON, { tz: 'Europe/Paris', from: new Date(from), count: 3 });
      expect(ticks.map((tick) => tick.toISOString())).toContain(new Date(nine).toISOString());
    }
  });

  it('reports the week before from Monday to Thursday, the week ending from Friday', () => {
    expect(reportedWeek(new Date('2026-11-30T08:00:00Z'))).toBe('2026-W48');
    expect(reportedWeek(new Date('2026-12-03T08:00:00Z'))).toBe('2026-W48');
    expect(reportedWeek(new Date('2026-12-04T16:00:00Z'))).toBe('2026-W49');
  });

  it('owes the latest scheduled digest, late past a quarter of an hour, none when paused or chosen after', () => {
    expect(dueDigest(subscription(), new Date('2026-11-30T08:00:30Z'))).toEqual({
      personId: 'p1',
      week: '2026-W48',
      scheduledAt: new Date('2026-11-30T08:00:00Z'),
      late: false,
    });
    // The service was down over Monday 09:00; it comes back at 14:00.
    expect(dueDigest(subscription(), new Date('2026-11-30T13:00:00Z'))).toMatchObject({
      week: '2026-W48',
      late: true,
    });
    // Back only on Wednesday of the next week: one late digest, the latest one.
    expect(dueDigest(subscription(), new Date('2026-12-09T10:00:00Z'))).toMatchObject({
      week: '2026-W49',
      late: true,
    });
    expect(dueDigest(subscription({ paused: true }), new Date('2026-11-30T08:00:30Z'))).toBeUndefined();
    const chosenAfter = subscription({ scheduleFrom: new Date('2026-11-30T09:30:00Z') });
    expect(dueDigest(chosenAfter, new Date('2026-11-30T10:00:00Z'))).toBeUndefined();
  });
});

describe('« digest » commands', () => {
  it('reads what a person asks, in French', () => {
    expect(parseDigestCommand('digest')).toEqual({ kind: 'preview' });
    expect(parseDigestCommand('Digest pause')).toEqual({ kind: 'pause' });
    expect(parseDigestCommand('digest reprendre')).toEqual({ kind: 'resume' });
    expect(parseDigestCommand('digest ici')).toEqual({ kind: 'here' });
    expect(parseDigestCommand('digest en privé')).toEqual({ kind: 'private' });
    expect(parseDigestCommand('digest lundi 8h')).toEqual({ kind: 'schedule', weekday: 1, hour: 8 });
    expect(parseDigestCommand('digest vendredi à 17 h')).toEqual({ kind: 'schedule', weekday: 5, hour: 17 });
    expect(parseDigestCommand('digest 7h')).toEqual({ kind: 'schedule', hour: 7 });
    expect(parseDigestCommand('digest lundi 25h')).toEqual({ kind: 'help' });
    expect(parseDigestCommand('digestion lente')).toBeUndefined();
    expect(parseDigestCommand('comment rédiger un digest ?')).toBeUndefined();
  });
});
