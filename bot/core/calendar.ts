/** Dates as people in France read them: the calendar day in Europe/Paris, whatever the server's zone. */

export const PARIS = 'Europe/Paris';

const isoDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: PARIS,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Europe/Paris calendar day of an instant, as YYYY-MM-DD. */
export function parisDay(instant: Date): string {
  return isoDay.format(instant);
}

const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: PARIS, timeZoneName: 'longOffset' });

/** Paris's offset from UTC at an instant, in minutes (60 in winter, 120 in summer). */
function parisOffsetMinutes(instant: number): number {
  const name = offsetFormat.formatToParts(new Date(instant)).find((part) => part.type === 'timeZoneName');
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name?.value ?? '');
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/**
 * The instant of a whole hour of Paris wall-clock time on a calendar day (YYYY-MM-DD). An hour that does not
 * exist (02:00 on the last Sunday of March) gives the instant an hour later on the clock, 03:00.
 */
export function parisTime(day: string, hour: number): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const wallClock = Date.UTC(year, month - 1, date, hour);
  let instant = wallClock - parisOffsetMinutes(wallClock) * 60_000;
  // The offset at the guess is the one that applies there: correct once if the guess crossed a change.
  instant = wallClock - parisOffsetMinutes(instant) * 60_000;
  return new Date(instant);
}
