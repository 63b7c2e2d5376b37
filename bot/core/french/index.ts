/**
 * French values typed in a conversation, parsed into normalized data with a French echo for
 * confirmation, or refused with a precise French re-prompt. Pure: no I/O, no clock (callers pass
 * `today`), no environment.
 */
export { parseAmount } from './amounts.ts';
export { type IsoDate, isIsoDate } from './calendar.ts';
export {
  type Funding,
  type Milestone,
  parseFunding,
  parseMilestones,
  parseStaffing,
  type Staffing,
} from './composite.ts';
export { parseCount } from './counts.ts';
export { extractValueAfterCue } from './cues.ts';
export type { DateContext } from './date-expressions.ts';
export {
  type DateOptions,
  type Period,
  parseDate,
  parsePeriod,
  parseQuarter,
  type Quarter,
  quarterById,
  quarterOf,
  quartersBetween,
} from './dates.ts';
export { MAX_ETP, parseEtp } from './etp.ts';
export { type Count, formatCount, formatDate, formatEtp, formatEuros, formatPeriod } from './format.ts';
export {
  type ChoiceOption,
  type ChoiceOptions,
  type MultipleChoice,
  OTHER_CHOICE_ID,
  parseChoice,
  parseList,
  parseYesNo,
  parseYesNoPartial,
  type SingleChoice,
  type YesNoPartial,
} from './lists.ts';
export { nameFromSentence } from './names.ts';
export type { Parsed } from './parsed.ts';
