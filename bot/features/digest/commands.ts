import { WEEKDAYS } from '../../core/french/format.ts';

/** What a person asks of their weekly digest, in French. */
export type DigestCommand =
  | { kind: 'preview' }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'here' }
  | { kind: 'private' }
  | { kind: 'schedule'; weekday?: number; hour?: number }
  | { kind: 'help' };

const folded = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[«»"“”.!?]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const WORDS: [RegExp, DigestCommand['kind']][] = [
  [/^(pause|suspendre|arreter|stop)$/, 'pause'],
  [/^(reprendre|reprise|activer|m'abonner|abonnement)$/, 'resume'],
  [/^ici$/, 'here'],
  [/^(prive|en prive|message prive|en message prive)$/, 'private'],
  [/^(aide|\?)$/, 'help'],
];

const SCHEDULE = new RegExp(
  `^(?:le )?(${WEEKDAYS.map((day) => day.normalize('NFD').replace(/\p{M}/gu, '')).join('|')})?s?` +
    '(?:\\s*(?:a\\s*)?(\\d{1,2})\\s*(?:h|heures?)\\s*(?:00)?)?$',
);

/** « digest », « digest pause », « digest lundi 8h »…; undefined when the text is not about the digest. */
export function parseDigestCommand(text: string): DigestCommand | undefined {
  const match = /^(?:mon |le )?digest(?: hebdomadaire)?(?:\s+(.*))?$/.exec(folded(text));
  if (!match) return undefined;
  const rest = match[1]?.trim() ?? '';
  if (rest === '') return { kind: 'preview' };
  for (const [pattern, kind] of WORDS) if (pattern.test(rest)) return { kind } as DigestCommand;
  const schedule = SCHEDULE.exec(rest);
  if (schedule && (schedule[1] || schedule[2])) {
    const weekday = schedule[1] ? WEEKDAYS.findIndex((day) => day.startsWith(schedule[1]!)) + 1 : undefined;
    const hour = schedule[2] !== undefined ? Number(schedule[2]) : undefined;
    if (hour !== undefined && hour > 23) return { kind: 'help' };
    return { kind: 'schedule', weekday, hour };
  }
  return { kind: 'help' };
}
