import { describe, expect, it } from 'vitest';
import {
  isoWeekOf,
  isoWeekOfDay,
  nextWeek,
  parisMidnight,
  parseIsoWeek,
  previousQuarter,
  previousWeek,
  quarterOf,
  weekRange,
} from '../../../bot/features/digest/weeks.ts';

const HOUR = 3_600_000;

describe('ISO weeks in Europe/Paris', () => {
  it('numbers weeks as ISO 8601 does, across year ends', () => {
    expect(isoWeekOfDay('2026-11-23')).toBe('2026-W48');
    expect(isoWeekOfDay('2026-11-29')).toBe('2026-W48');
    expect(isoWeekOfDay('2026-11-30')).toBe('2026-W49');
    // 1 January 2027 is a Friday: it belongs to the last week of 2026, which has 53.
    expect(isoWeekOfDay('2027-01-01')).toBe('2026-W53');
    expect(isoWeekOfDay('2027-01-04')).toBe('2027-W01');
    // 29 December 2025 is a Monday whose Thursday is in 2026.
    expect(isoWeekOfDay('2025-12-29')).toBe('2026-W01');
  });

  it('reads the week of an instant on the Paris calendar, not UTC', () => {
    // Sunday 29 November 2026, 23:30 in Paris is still week 48; 23:30 UTC is Monday in Paris.
    expect(isoWeekOf(new Date('2026-11-29T22:30:00Z'))).toBe('2026-W48');
    expect(isoWeekOf(new Date('2026-11-29T23:30:00Z'))).toBe('2026-W49');
  });

  it('parses « 2026-W48 » and refuses weeks that do not exist', () => {
    expect(parseIsoWeek('2026-W48')).toBe('2026-W48');
    expect(parseIsoWeek(' 2026-W53 ')).toBe('2026-W53');
    expect(parseIsoWeek('2027-W53')).toBeUndefined();
    expect(parseIsoWeek('2026-W00')).toBeUndefined();
    expect(parseIsoWeek('2026-48')).toBeUndefined();
    expect(parseIsoWeek('semaine 48')).toBeUndefined();
  });

  it('runs from Monday 00:00 to the next Monday 00:00 in Paris, in winter and in summer', () => {
    expect(weekRange('2026-W48')).toEqual({
      start: new Date('2026-11-22T23:00:00Z'),
      end: new Date('2026-11-29T23:00:00Z'),
      monday: '2026-11-23',
      sunday: '2026-11-29',
    });
    expect(weekRange('2026-W27').start).toEqual(new Date('2026-06-28T22:00:00Z'));
  });

  it('has 167 hours in the week of the last Sunday of March and 169 in that of October', () => {
    // 29 March 2026 and 25 October 2026 are the last Sundays of their months.
    const spring = weekRange(isoWeekOfDay('2026-03-29'));
    expect(spring.start).toEqual(new Date('2026-03-22T23:00:00Z'));
    expect(spring.end).toEqual(new Date('2026-03-29T22:00:00Z'));
    expect(spring.end.getTime() - spring.start.getTime()).toBe(167 * HOUR);
    const autumn = weekRange(isoWeekOfDay('2026-10-25'));
    expect(autumn.start).toEqual(new Date('2026-10-18T22:00:00Z'));
    expect(autumn.end).toEqual(new Date('2026-10-25T23:00:00Z'));
    expect(autumn.end.getTime() - autumn.start.getTime()).toBe(169 * HOUR);
    // The instants on either side of each change belong to the right week.
    expect(isoWeekOf(new Date('2026-03-29T21:59:59Z'))).toBe('2026-W13');
    expect(isoWeekOf(new Date('2026-03-29T22:00:00Z'))).toBe('2026-W14');
    expect(isoWeekOf(new Date('2026-10-25T22:59:59Z'))).toBe('2026-W43');
    expect(isoWeekOf(new Date('2026-10-25T23:00:00Z'))).toBe('2026-W44');
  });

  it('finds midnight on the change days themselves', () => {
    expect(parisMidnight('2026-03-29')).toEqual(new Date('2026-03-28T23:00:00Z'));
    expect(parisMidnight('2026-03-30')).toEqual(new Date('2026-03-29T22:00:00Z'));
    expect(parisMidnight('2026-10-25')).toEqual(new Date('2026-10-24T22:00:00Z'));
    expect(parisMidnight('2026-10-26')).toEqual(new Date('2026-10-25T23:00:00Z'));
  });

  it('steps back a week and a quarter', () => {
    expect(previousWeek('2027-W01')).toBe('2026-W53');
    expect(previousWeek('2026-W49')).toBe('2026-W48');
    expect(nextWeek('2026-W53')).toBe('2027-W01');
    expect(nextWeek('2026-W48')).toBe('2026-W49');
    expect(quarterOf('2026-11-30')).toBe('2026-T4');
    expect(previousQuarter('2026-T4')).toBe('2026-T3');
    expect(previousQuarter('2027-T1')).toBe('2026-T4');
  });
});
