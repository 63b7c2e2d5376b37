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
