import { type FormCommand, isSideQuestion, parseConfirmation, parseFormCommand } from './commands.ts';
import type {
  Cursor,
  FieldContext,
  FieldDef,
  FormDef,
  FormInput,
  FormMessage,
  FormState,
  FormValues,
  StepResult,
} from './types.ts';

/**
 * The form engine: pure, state + message → new state + changes + messages. It never reads or writes
 * anything; the caller saves the changes and the state after every step (and answers side questions),
 * so each step is a unit test and a whole conversation can be replayed.
 */

/** Prefix of a button value that carries a command rather than an answer: `cmd:skip`, `cmd:edit:budget`. */
export const COMMAND_VALUE = 'cmd:';

/** After this many failed attempts at one field, the re-prompt also offers help and « plus tard ». */
const ATTEMPTS_BEFORE_HINT = 2;

export function fieldOf(form: FormDef, fieldId: string): FieldDef {
  const field = form.fields.find((candidate) => candidate.id === fieldId);
  if (!field) throw new Error(`form ${form.id} has no field ${fieldId}`);
  return field;
}

export function isAsked(field: FieldDef, values: FormValues): boolean {
  return !field.askIf || field.askIf(values);
}

export function hasValue(values: FormValues, fieldId: string): boolean {
  const value = values[fieldId];
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

/** Required fields (that apply) still without a value. */
export function missingRequired(form: FormDef, values: FormValues): FieldDef[] {
  return form.fields.filter(
    (field) => field.required && isAsked(field, values) && !hasValue(values, field.id),
  );
}

/**
 * The first field to ask: a proposed value to confirm (an unsure LLM reading), then in form order the
 * first applicable, empty field not passed; the recap when none.
 */
export function nextCursor(
  form: FormDef,
  values: FormValues,
  skipped: string[],
  review: string[] = [],
): Cursor {
  const field =
    form.fields.find((candidate) => review.includes(candidate.id) && isAsked(candidate, values)) ??
    form.fields.find(
      (candidate) =>
        isAsked(candidate, values) && !hasValue(values, candidate.id) && !skipped.includes(candidate.id),
    );
  return field ? { kind: 'field', fieldId: field.id } : { kind: 'recap' };
}

/** Values of fields whose condition no longer holds are dropped (« autre, précisez » after « autre » is removed). */
export function dropInapplicable(form: FormDef, values: FormValues): FormValues {
  const kept: FormValues = {};
  for (const [fieldId, value] of Object.entries(values)) {
    const field = form.fields.find((candidate) => candidate.id === fieldId);
    if (!field || isAsked(field, values)) kept[fieldId] = value;
  }
  return kept;
}

/** The current question (or recap) again, nothing changed: after a digression the form handled itself. */
export function askAgain(state: FormState): StepResult {
  return result(state, [promptFor(state.cursor, state.values)]);
}

/**
 * A new session on a record (empty for a new one): asks the first missing field, or shows the recap.
 * `skipped` fields count as passed, as if the person had said « passer » to them.
 */
export function startForm(form: FormDef, values: FormValues = {}, skipped: string[] = []): StepResult {
  const cursor = nextCursor(form, values, skipped);
  const state: FormState = {
    formId: form.id,
    values,
    cursor,
    path: [],
    skipped,
    attempts: 0,
    backToRecap: false,
  };
  return { state, changes: [], messages: [promptFor(cursor, values)], effect: { kind: 'none' } };
}

function promptFor(cursor: Cursor, values: FormValues): FormMessage {
  if (cursor.kind === 'recap') return { kind: 'recap' };
  if (cursor.kind === 'confirm_cancel') return { kind: 'confirm_cancel' };
  return { kind: 'question', fieldId: cursor.fieldId, current: values[cursor.fieldId] };
}

function result(state: FormState, messages: FormMessage[], extra: Partial<StepResult> = {}): StepResult {
  return { state, changes: [], messages, effect: { kind: 'none' }, ...extra };
}

/** Runs one message of the person through the form. */
export function stepForm(
  form: FormDef,
  state: FormState,
  input: FormInput,
  context: Omit<FieldContext, 'values'>,
): StepResult {
  const fieldContext = { ...context, values: state.values };
  if (state.cursor.kind === 'confirm_cancel') return confirmCancel(state, input);
  if (input.kind === 'choice') {
    if (input.value.startsWith(COMMAND_VALUE))
      return runCommand(form, state, commandOfValue(input.value), fieldContext);
    return answer(form, state, optionLabel(form, state, input.value, fieldContext), fieldContext);
  }
  const command = parseFormCommand(form, input.text);
  if (command) return runCommand(form, state, command, fieldContext);
  if (state.cursor.kind === 'recap') {
    if (isSideQuestion(input.text)) return sideQuestion(state, input.text);
    return result(state, [{ kind: 'notice', text: RECAP_HINT }, { kind: 'recap' }]);
  }
  if (isSideQuestion(input.text)) return sideQuestion(state, input.text);
  return answer(form, state, input.text, fieldContext);
}

const RECAP_HINT =
  'La fiche est complète. Pour changer une réponse, dites *modifier* suivi du champ (par exemple « modifier le budget »), ou utilisez les boutons.';

function sideQuestion(state: FormState, question: string): StepResult {
  return result(state, [promptFor(state.cursor, state.values)], {
    effect: { kind: 'side_question', question },
  });
}

function commandOfValue(value: string): FormCommand {
  const [kind, fieldId] = value.slice(COMMAND_VALUE.length).split(':');
  if (kind === 'edit' && fieldId) return { kind: 'edit', fieldId };
  return { kind: (kind ?? 'recap') as Exclude<FormCommand['kind'], 'edit' | 'correction'> } as FormCommand;
}

/** A button of the current field carries its option id; the field's parser reads the option's label. */
function optionLabel(form: FormDef, state: FormState, optionId: string, context: FieldContext): string {
  if (state.cursor.kind !== 'field') return optionId;
  const field = fieldOf(form, state.cursor.fieldId);
  const options = typeof field.options === 'function' ? field.options(context) : (field.options ?? []);
  return options.find((option) => option.id === optionId)?.label ?? optionId;
}

function confirmCancel(state: FormState, input: FormInput): StepResult {
  const cursor = state.cursor as Extract<Cursor, { kind: 'confirm_cancel' }>;
  const text = input.kind === 'choice' ? input.value.replace(COMMAND_VALUE, '') : input.text;
  const confirmed =
    text === 'cancel' || text === 'yes' ? true : text === 'no' ? false : parseConfirmation(text);
  if (confirmed === true) return result(state, [], { effect: { kind: 'cancel' } });
  if (confirmed === false) {
    const resumed = { ...state, cursor: cursor.resume };
    return result(resumed, [
      { kind: 'notice', text: 'Très bien, on continue.' },
      promptFor(cursor.resume, state.values),
    ]);
  }
  return result(state, [{ kind: 'confirm_cancel' }]);
}

function runCommand(
  form: FormDef,
  state: FormState,
  command: FormCommand,
  context: FieldContext,
): StepResult {
  const current = state.cursor;
  switch (command.kind) {
    case 'pause':
      return result(state, [], { effect: { kind: 'pause' } });
    case 'cancel':
      return result({ ...state, cursor: { kind: 'confirm_cancel', resume: current } }, [
        { kind: 'confirm_cancel' },
      ]);
    case 'recap':
      return result(
        state,
        current.kind === 'recap'
          ? [{ kind: 'recap' }]
          : [{ kind: 'recap' }, promptFor(current, state.values)],
      );
    case 'help':
      if (current.kind !== 'field')
        return result(state, [{ kind: 'notice', text: RECAP_HINT }, { kind: 'recap' }]);
      return result(state, [{ kind: 'help', fieldId: current.fieldId }, promptFor(current, state.values)]);
    case 'back':
      return goBack(form, state);
    case 'skip':
      return skip(form, state);
    case 'edit': {
      const field = fieldOf(form, command.fieldId);
      if (!isAsked(field, state.values)) {
        return result(state, [
          { kind: 'notice', text: `« ${field.label} » ne s’applique pas à cette fiche pour l’instant.` },
          promptFor(current, state.values),
        ]);
      }
      const cursor: Cursor = { kind: 'field', fieldId: field.id };
      const next = {
        ...state,
        cursor,
        attempts: 0,
        backToRecap: current.kind === 'recap',
        skipped: state.skipped.filter((id) => id !== field.id),
      };
      return result(next, [promptFor(cursor, state.values)]);
    }
    case 'correction':
      return correct(form, state, command.fieldId, command.valueText, context);
  }
}

function goBack(form: FormDef, state: FormState): StepResult {
  const current = state.cursor.kind === 'field' ? state.cursor.fieldId : undefined;
  const path = [...state.path];
  while (path.length > 0 && path[path.length - 1] === current) path.pop();
  const previous = path.pop();
  if (!previous) {
    return result(state, [
      {
        kind: 'notice',
        text: 'Nous sommes à la première question de cette session : pas de retour possible.',
      },
      promptFor(state.cursor, state.values),
    ]);
  }
  const cursor: Cursor = { kind: 'field', fieldId: fieldOf(form, previous).id };
  return result({ ...state, cursor, path, attempts: 0, backToRecap: false }, [
    promptFor(cursor, state.values),
  ]);
}

function skip(form: FormDef, state: FormState): StepResult {
  if (state.cursor.kind !== 'field')
    return result(state, [{ kind: 'notice', text: RECAP_HINT }, { kind: 'recap' }]);
  const field = fieldOf(form, state.cursor.fieldId);
  if (field.required && !hasValue(state.values, field.id)) {
    return result(state, [
      {
        kind: 'notice',
        text: `« ${field.label} » est indispensable à la fiche : impossible de le passer. Si vous ne savez pas encore, dites *plus tard* : votre brouillon est gardé.`,
      },
      promptFor(state.cursor, state.values),
    ]);
  }
  const skipped = hasValue(state.values, field.id) ? state.skipped : [...state.skipped, field.id];
  const review = withoutField(state.review, field.id);
  const cursor = state.backToRecap
    ? ({ kind: 'recap' } as const)
    : nextCursor(form, state.values, skipped, review);
  return result({ ...state, skipped, review, cursor, attempts: 0, backToRecap: false }, [
    promptFor(cursor, state.values),
  ]);
}

/**
 * Parses and validates a value for one field, as every path does (conversation, native form, Word import):
 * the French echo, or the re-prompt message.
 */
export function readValue(
  field: FieldDef,
  rawText: string,
  context: FieldContext,
):
  | { ok: true; value: unknown; echo: string; warnings: string[]; notices: string[]; also: FormValues }
  | { ok: false; message: string } {
  const notices: string[] = [];
  let text = rawText.trim();
  if (field.maxLength && text.length > field.maxLength) {
    notices.push(
      `Votre réponse fait ${text.length.toLocaleString('fr-FR')} caractères ; « ${field.label} » en garde ${field.maxLength.toLocaleString('fr-FR')} au plus : j’ai conservé le début. Dites *modifier ${field.aliases[0] ?? field.label.toLowerCase()}* pour la reprendre.`,
    );
    text = text.slice(0, field.maxLength);
  }
  const parsed = field.parse(text, context);
  if (!parsed.ok) return parsed;
  const checked = field.schema.safeParse(parsed.value);
  if (!checked.success)
    return { ok: false, message: checked.error.issues[0]?.message ?? 'Réponse non valide.' };
  const warnings = [...(parsed.warnings ?? []), ...(field.warn?.(checked.data, context) ?? [])];
  return {
    ok: true,
    value: checked.data,
    echo: parsed.echo,
    warnings,
    notices,
    also: field.alsoFills?.(text, context) ?? {},
  };
}

function answer(form: FormDef, state: FormState, text: string, context: FieldContext): StepResult {
  if (state.cursor.kind !== 'field') return result(state, [{ kind: 'recap' }]);
  const field = fieldOf(form, state.cursor.fieldId);
  const read = readValue(field, text, context);
  if (!read.ok) {
    if (text.trim().endsWith('?')) return sideQuestion(state, text);
    const attempts = state.attempts + 1;
    return result({ ...state, attempts }, [
      { kind: 'invalid', fieldId: field.id, message: read.message, attempts },
      ...(attempts >= ATTEMPTS_BEFORE_HINT ? [{ kind: 'notice' as const, text: STUCK_HINT }] : []),
    ]);
  }
  const values = dropInapplicable(form, { ...state.values, ...read.also, [field.id]: read.value });
  const review = withoutField(state.review, field.id);
  const cursor = state.backToRecap
    ? ({ kind: 'recap' } as const)
    : nextCursor(form, values, state.skipped, review);
  const next: FormState = {
    ...state,
    values,
    cursor,
    review,
    path: [...state.path, field.id],
    attempts: 0,
    backToRecap: false,
  };
  const messages: FormMessage[] = [
    ...read.notices.map((text) => ({ kind: 'notice' as const, text })),
    { kind: 'saved', fieldId: field.id, echo: read.echo, correction: false },
    ...read.warnings.map((text) => ({ kind: 'warning' as const, text })),
    promptFor(cursor, values),
  ];
  return result(next, messages, { changes: changesBetween(state.values, values) });
}

const STUCK_HINT =
  'Besoin d’un coup de main ? Dites *aide* pour l’explication du guide, *passer* si la question est facultative, ou *plus tard* pour reprendre ce brouillon une autre fois.';

function correct(
  form: FormDef,
  state: FormState,
  fieldId: string,
  valueText: string,
  context: FieldContext,
): StepResult {
  const field = fieldOf(form, fieldId);
  // The current field named in its own answer (« le budget est de 15 000 € » while asked the budget) is just the answer.
  if (state.cursor.kind === 'field' && state.cursor.fieldId === fieldId)
    return answer(form, state, valueText, context);
  const read = readValue(field, valueText, context);
  if (!read.ok) {
    return result(state, [
      { kind: 'notice', text: `Je n’ai pas pu modifier « ${field.label} » : ${read.message}` },
      promptFor(state.cursor, state.values),
    ]);
  }
  const values = dropInapplicable(form, { ...state.values, ...read.also, [fieldId]: read.value });
  const skipped = state.skipped.filter((id) => id !== fieldId);
  const review = withoutField(state.review, fieldId);
  // The cursor stays where it was, unless it pointed at a field that no longer applies.
  const stays = state.cursor.kind !== 'field' || isAsked(fieldOf(form, state.cursor.fieldId), values);
  const cursor = stays ? state.cursor : nextCursor(form, values, skipped, review);
  const next: FormState = { ...state, values, skipped, review, cursor };
  return result(
    next,
    [
      ...read.notices.map((text) => ({ kind: 'notice' as const, text })),
      { kind: 'saved', fieldId, echo: read.echo, correction: true },
      ...read.warnings.map((text) => ({ kind: 'warning' as const, text })),
      promptFor(cursor, values),
    ],
    { changes: changesBetween(state.values, values) },
  );
}

const withoutField = (review: string[] | undefined, fieldId: string) =>
  (review ?? []).filter((id) => id !== fieldId);

/**
 * Takes values proposed from elsewhere (an LLM reading a paragraph, a Word fiche), once the person
 * accepted them: those marked unsure are asked again, with the proposal as the current answer, before
 * any empty field.
 */
export function acceptValues(
  form: FormDef,
  state: FormState,
  proposed: FormValues,
  unsure: string[],
): StepResult {
  const values = dropInapplicable(form, { ...state.values, ...proposed });
  const review = [...new Set([...(state.review ?? []), ...unsure.filter((id) => hasValue(values, id))])];
  const cursor = nextCursor(form, values, state.skipped, review);
  return result(
    { ...state, values, review, cursor, attempts: 0, backToRecap: false },
    [promptFor(cursor, values)],
    {
      changes: changesBetween(state.values, values),
    },
  );
}

/** Every field whose value differs between two value sets (an answer may also drop a dependent field). */
export function changesBetween(before: FormValues, after: FormValues) {
  const ids = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...ids]
    .filter((id) => JSON.stringify(before[id]) !== JSON.stringify(after[id]))
    .map((fieldId) => ({ fieldId, before: before[fieldId], after: after[fieldId] }));
}
