import type { z } from 'zod';
import type { ChoiceOption, Parsed } from '../french/index.ts';
import type { FieldChange } from '../versions.ts';

/**
 * Forms are data: a list of fields, each knowing how to ask, parse, validate, display and explain
 * itself. One engine (engine.ts) runs every form: the fiche-action now, the tâche and the suivi next.
 */

/** What a French value parser returns (bot/core/french): the normalized value and its echo, or a re-prompt. */
export type { Parsed };

/** Normalized values of a record being filled, by field id; JSON-safe (dates as ISO strings). */
export type FormValues = Record<string, unknown>;

export interface FieldContext {
  /** Today in Europe/Paris, YYYY-MM-DD: relative dates (« mars », « dans 3 semaines ») resolve against it. */
  today: string;
  values: FormValues;
  /** Choices known only at run time (the collectivité's programmes…), by list name. */
  lookups?: Record<string, FieldOption[]>;
}

export type FieldOption = ChoiceOption;

export interface FieldDef<T = unknown> {
  id: string;
  /** Short French label, as the guide says it: « Calendrier prévisionnel ». */
  label: string;
  section: string;
  /** The question asked: « Sur quelle période l’action se déroule-t-elle ? » */
  question: string;
  /** One or two sentences of help, in the guide's words. */
  help: string;
  example: string;
  required: boolean;
  /** Asked only when this holds (e.g. « précisez » after « autre »). */
  askIf?: (values: FormValues) => boolean;
  parse: (text: string, context: FieldContext) => Parsed<T>;
  /** Validates a normalized value from any path: conversation, native form, LLM pre-fill, Word import. */
  schema: z.ZodType<T>;
  /** The value in French, for echoes, recap and documents. */
  format: (value: T) => string;
  /** Choices shown as buttons; typed text is matched against them too. */
  options?: FieldOption[] | ((context: FieldContext) => FieldOption[]);
  /** Choices: how many options one answer may pick (1 for a single choice). */
  maxChoices?: number;
  /**
   * How a native form draws it (forms/native.ts) when the text input it gets by default (one line, or several
   * beyond 200 characters) does not fit.
   */
  input?: 'amount' | 'count' | 'period';
  /** Longest accepted text answer; longer ones are kept up to here, with a notice. */
  maxLength?: number;
  /** Other names people use for this field, for « modifier <champ> » and corrections. */
  aliases: string[];
  /**
   * The guide's passage that explains this field, found by a phrase it contains (not by ranking, so it
   * stays put when retrieval is retuned): « aide » shows it, cited.
   */
  guide?: { document: string; phrase: string };
  /** Values of other fields given in the same answer (« jeunes et autre : aidants » also fills « précisez »). */
  alsoFills?: (text: string, context: FieldContext) => FormValues;
  /** The guide's rules that deserve a warning without blocking (« ≥ 23 000 € : convention classique »). */
  warn?: (value: T, context: FieldContext) => string[];
}

export interface SectionDef {
  id: string;
  title: string;
}

export interface FormDef {
  id: string;
  /** « fiche-action », as it appears in sentences. */
  title: string;
  sections: SectionDef[];
  // biome-ignore lint/suspicious/noExplicitAny: a form mixes fields of every value type.
  fields: FieldDef<any>[];
}

/** Where the conversation stands in a form. */
export type Cursor =
  | { kind: 'field'; fieldId: string }
  | { kind: 'recap' }
  | { kind: 'confirm_cancel'; resume: Cursor };

export interface FormState {
  formId: string;
  values: FormValues;
  cursor: Cursor;
  /** Fields answered in this session, in order: « retour » walks back along it. */
  path: string[];
  /** Optional fields the person chose to pass; not asked again until « modifier ». */
  skipped: string[];
  /** Failed attempts at the current field; reset when it changes. */
  attempts: number;
  /** Set by « modifier <champ> » from the recap: after that answer, show the recap again. */
  backToRecap: boolean;
  /** Fields holding a proposed value to confirm (an unsure LLM reading); asked first. */
  review?: string[];
}

export type { FieldChange } from '../versions.ts';

/** What the engine says, as data: the caller renders it for each channel (render.ts). */
export type FormMessage =
  | { kind: 'saved'; fieldId: string; echo: string; correction: boolean }
  | { kind: 'warning'; text: string }
  | { kind: 'invalid'; fieldId: string; message: string; attempts: number }
  | { kind: 'notice'; text: string }
  | { kind: 'question'; fieldId: string; current?: unknown }
  | { kind: 'help'; fieldId: string }
  | { kind: 'recap' }
  | { kind: 'confirm_cancel' };

/** What the caller must do beyond saving the changes and the state. */
export type FormEffect =
  | { kind: 'none' }
  /** A methodology question asked mid-form: answer it from the knowledge base, then the messages. */
  | { kind: 'side_question'; question: string }
  | { kind: 'pause' }
  | { kind: 'cancel' };

export interface StepResult {
  state: FormState;
  changes: FieldChange[];
  messages: FormMessage[];
  effect: FormEffect;
}

/** One input to the engine: typed text, or a button carrying a choice. */
export type FormInput = { kind: 'text'; text: string } | { kind: 'choice'; value: string };
