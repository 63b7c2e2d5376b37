import type { Actor } from '../people.ts';
import type { Reply } from '../types.ts';
import type { FormSessionKey } from './sessions.ts';

/**
 * A record's section edited in the channel's own form (a Slack modal, a Teams Adaptive Card, a web form)
 * beside the conversation. The feature describes the section and reads the submission with the same
 * parsers and validation as the conversation; channels only draw the fields and send back what was typed.
 */

/** How a field is drawn: every kind but `choice` and `period` is a text input. */
export type NativeFieldKind = 'text' | 'long_text' | 'amount' | 'count' | 'choice' | 'period';

export interface NativeField {
  id: string;
  /** The field's French label, and its help and example for under the input. */
  label: string;
  help: string;
  example: string;
  kind: NativeFieldKind;
  /** Must hold a value once it has one (a required field still empty stays « à compléter »). */
  required: boolean;
  /** The current value as the person would type it (empty when none): the input's initial text. */
  value: string;
  /** Longest text accepted. */
  maxLength?: number;
  /** `choice`: the options, the ones chosen, and how many may be chosen. */
  options?: { id: string; label: string }[];
  selected?: string[];
  multiple?: boolean;
  maxChoices?: number;
  /** `period`: the current first and last days, YYYY-MM-DD. */
  period?: { start?: string; end?: string };
  /** When the field applies only after a choice elsewhere in the section, in French (« si « Autre » est choisi »). */
  condition?: string;
}

export interface NativeForm {
  /** The opaque reference to send back with the submission (record, section, version opened). */
  ref: string;
  /** « Fiche-action n° 3 · Moyens ». */
  title: string;
  /** Short form of the title for tight places (a Slack modal title holds 24 characters). */
  shortTitle: string;
  /** The record's version the form was opened on: a submission on top of another is refused. */
  version: number;
  fields: NativeField[];
}

/**
 * What a channel sends back: by field id, the typed text, the chosen option ids (`choice`), or the first and
 * last days (`period`, YYYY-MM-DD). A field left out keeps its value; an empty one is emptied.
 */
export type NativeValues = Record<string, string | string[] | undefined>;

export type NativeOpenResult = { ok: true; form: NativeForm } | { ok: false; message: string };

export type NativeSubmitResult =
  /** Saved as a new version (or nothing changed): the record's new recap, to post in the conversation. */
  | { kind: 'saved'; reply: Reply }
  /** Some values were refused: the French message of each, by field id; nothing saved. */
  | { kind: 'invalid'; errors: Record<string, string>; form: NativeForm }
  /** The record changed since the form was opened: what changed, and the form again on the new version. */
  | { kind: 'conflict'; message: string; form: NativeForm }
  /** Not allowed, or the record is gone. */
  | { kind: 'refused'; message: string };

/**
 * Who acts in a native form: the person the core identified (undefined when unknown), and the conversation
 * the form was opened from, whose open form (if on the same record) follows the new version.
 */
export interface NativeFormActor {
  actor: Actor | undefined;
  session: FormSessionKey;
}

/** A feature's native forms. */
export interface NativeForms {
  open(who: NativeFormActor, ref: string): Promise<NativeOpenResult>;
  submit(who: NativeFormActor, ref: string, values: NativeValues): Promise<NativeSubmitResult>;
}

/** `<formId>|<recordId>|<sectionId>|<version>`: short enough for a button value and Slack's private_metadata. */
export interface NativeFormRef {
  formId: string;
  recordId: string;
  sectionId: string;
  version: number;
}

const SEPARATOR = '|';

export const encodeFormRef = (ref: NativeFormRef) =>
  [ref.formId, ref.recordId, ref.sectionId, String(ref.version)].join(SEPARATOR);

export function parseFormRef(value: string | undefined): NativeFormRef | undefined {
  const parts = (value ?? '').split(SEPARATOR);
  if (parts.length !== 4 || parts.some((part) => part === '' || part.length > 100)) return undefined;
  const [formId, recordId, sectionId, version] = parts as [string, string, string, string];
  if (!/^\d{1,9}$/.test(version)) return undefined;
  return { formId, recordId, sectionId, version: Number(version) };
}
