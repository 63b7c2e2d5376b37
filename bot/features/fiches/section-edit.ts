import { changesBetween, dropInapplicable, hasValue, isAsked, readValue } from '../../core/forms/engine.ts';
import {
  encodeFormRef,
  type NativeField,
  type NativeForm,
  type NativeFormActor,
  type NativeFormRef,
  type NativeForms,
  type NativeOpenResult,
  type NativeSubmitResult,
  type NativeValues,
  parseFormRef,
} from '../../core/forms/native.ts';
import { FORM_ACTION } from '../../core/forms/render.ts';
import type { FieldContext, FieldDef, FormValues } from '../../core/forms/types.ts';
import { OTHER_CHOICE_ID } from '../../core/french/index.ts';
import { type Actor, authorOf, canEdit, canRead } from '../../core/people.ts';
import type { Reply } from '../../core/types.ts';
import { noRightsText } from './actions.ts';
import { changedMeanwhile, type FicheDeps, fieldContextFor, valuesCommit } from './conversation.ts';
import { FICHE_FORM } from './form.ts';
import type { Fiche, FicheCommit } from './model.ts';
import { ficheName, ficheRecap, formatValue, readOnlyText, valueLines } from './view.ts';

/**
 * One section of a fiche-action edited in the channel's own form (Slack modal, Teams card, web form). Every
 * value goes through its field's parser and schema (readValue), exactly as in the conversation, and the
 * section lands as one new version on top of the version the form was opened on, or not at all.
 */

type Deps = Pick<FicheDeps, 'repositories' | 'clock'>;

const NOT_FOUND = 'Je ne trouve pas cette fiche parmi celles que vous pouvez consulter.';

/** Channels draw a text input for these; past 200 characters, a text area. */
const LONG_TEXT = 200;

const sectionOf = (sectionId: string) => FICHE_FORM.sections.find((section) => section.id === sectionId);

/** Every field of the section, those that apply only after a choice included (« précisez » after « autre »). */
const fieldsOf = (sectionId: string) => FICHE_FORM.fields.filter((field) => field.section === sectionId);

const fixedOptions = (field: FieldDef) => (Array.isArray(field.options) ? field.options : undefined);

function kindOf(field: FieldDef): NativeField['kind'] {
  if (fixedOptions(field)) return 'choice';
  if (field.input) return field.input;
  return (field.maxLength ?? 0) > LONG_TEXT ? 'long_text' : 'text';
}

/** « Seulement si « Autre (précisez) » est choisi dans « Public cible » »: the condition of a « précisez » field. */
function conditionOf(field: FieldDef, section: FieldDef[]): string | undefined {
  if (!field.askIf) return undefined;
  const before = section.slice(0, section.indexOf(field)).reverse();
  for (const candidate of before) {
    const other = fixedOptions(candidate)?.find((option) => option.id === OTHER_CHOICE_ID);
    if (other) return `Seulement si « ${other.label} » est choisi dans « ${candidate.label} ».`;
  }
  return 'Seulement si une réponse plus haut l’appelle.';
}

/** A stored value as the form's inputs hold it: the text as typed, the option ids, or the two days. */
function rawOf(field: FieldDef, value: unknown): string | string[] {
  if (!hasValue({ value }, 'value')) return kindOf(field) === 'choice' || field.input === 'period' ? [] : '';
  if (kindOf(field) === 'choice') return value as string[];
  if (field.input === 'period') {
    const period = value as { debut: string; fin: string };
    return [period.debut, period.fin];
  }
  return valueLines(field, value).join('\n');
}

function describeField(
  field: FieldDef,
  section: FieldDef[],
  raw: string | string[] | undefined,
  stored: unknown,
): NativeField {
  const kind = kindOf(field);
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const options = fixedOptions(field);
  return {
    id: field.id,
    label: field.label,
    help: field.help,
    example: field.example,
    kind,
    required: field.required,
    value: typeof raw === 'string' ? raw : hasValue({ stored }, 'stored') ? formatValue(field, stored) : '',
    ...(field.maxLength ? { maxLength: field.maxLength } : {}),
    ...(options
      ? {
          options: options.map((option) => ({ id: option.id, label: option.label })),
          selected: list,
          multiple: (field.maxChoices ?? 1) > 1,
          maxChoices: field.maxChoices ?? 1,
        }
      : {}),
    ...(kind === 'period' ? { period: { start: list[0] || undefined, end: list[1] || undefined } } : {}),
    ...(conditionOf(field, section) ? { condition: conditionOf(field, section) } : {}),
  };
}

/**
 * The section's form on a version of the fiche; `typed` keeps what the person entered (a refused or stale
 * submission) in place of the stored values.
 */
function describe(
  fiche: Fiche,
  sectionId: string,
  version: number,
  values: FormValues,
  typed: NativeValues = {},
): NativeForm {
  const section = fieldsOf(sectionId);
  const title = sectionOf(sectionId)!.title;
  return {
    ref: encodeFormRef({ formId: FICHE_FORM.id, recordId: fiche.id, sectionId, version }),
    title: `Fiche-action n° ${fiche.number} · ${title}`,
    shortTitle: `Fiche n° ${fiche.number} · ${title}`,
    version,
    fields: section.map((field) =>
      describeField(
        field,
        section,
        field.id in typed ? typed[field.id] : rawOf(field, values[field.id]),
        values[field.id],
      ),
    ),
  };
}

/** The fiche and the section a reference names, when the person may edit it; else the French refusal. */
async function load(
  deps: Deps,
  actor: Actor | undefined,
  refText: string,
): Promise<{ ok: true; fiche: Fiche; ref: NativeFormRef } | { ok: false; message: string }> {
  if (!actor)
    return {
      ok: false,
      message: await noRightsText(deps.repositories.directory, 'modifier une fiche-action'),
    };
  const ref = parseFormRef(refText);
  const fiche =
    ref && ref.formId === FICHE_FORM.id ? await deps.repositories.fiches.get(ref.recordId) : undefined;
  if (!ref || !fiche || !canRead(actor, fiche.collectivite.id)) return { ok: false, message: NOT_FOUND };
  if (!canEdit(actor, fiche.collectivite.id)) return { ok: false, message: readOnlyText(fiche) };
  if (!sectionOf(ref.sectionId)) return { ok: false, message: NOT_FOUND };
  return { ok: true, fiche, ref };
}

/** « 2027-03-01 » as people type it: « 01/03/2027 ». */
const typedDay = (iso: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso.split('-').reverse().join('/') : iso;

/**
 * What the person entered in an input, as they would have typed it in the conversation: options by their
 * number in the list (the parser reads « 1 ; 3 »), a period as « du 01/03/2027 au 30/11/2027 ».
 */
function typedText(field: FieldDef, raw: string | string[]): string | { error: string } {
  const list = Array.isArray(raw) ? raw.filter((item) => item.trim() !== '') : undefined;
  const options = fixedOptions(field);
  if (options && list) {
    return list
      .map((id) => {
        const index = options.findIndex((option) => option.id === id);
        return index >= 0 ? String(index + 1) : id;
      })
      .join(' ; ');
  }
  if (field.input === 'period' && Array.isArray(raw)) {
    const [start = '', end = ''] = raw.map((day) => day.trim());
    if (start === '' && end === '') return '';
    if (start === '' || end === '') return { error: 'Indiquez la date de début et la date de fin.' };
    return `du ${typedDay(start)} au ${typedDay(end)}`;
  }
  return Array.isArray(raw) ? raw.join('\n') : raw;
}

const isEmpty = (raw: string | string[] | undefined) =>
  raw === undefined || (Array.isArray(raw) ? raw.every((item) => item.trim() === '') : raw.trim() === '');

const sameRaw = (a: string | string[], b: string | string[] | undefined) =>
  JSON.stringify(Array.isArray(a) ? [...a].sort() : a.trim()) ===
  JSON.stringify(Array.isArray(b) ? [...b].sort() : (b ?? '').trim());

interface Reading {
  values: FormValues;
  errors: Record<string, string>;
  warnings: string[];
}

/**
 * The section's inputs read on top of the fiche's values, in form order so each field sees the ones before
 * it. An input left as shown keeps its stored value untouched; an emptied optional field loses its value; a
 * required one may not be emptied, nor left empty once it applies.
 */
function read(
  sectionId: string,
  before: FormValues,
  submitted: NativeValues,
  context: Omit<FieldContext, 'values'>,
): Reading {
  let values: FormValues = { ...before };
  const errors: Record<string, string> = {};
  const warnings: string[] = [];
  for (const field of fieldsOf(sectionId)) {
    const raw = submitted[field.id];
    if (!isAsked(field, values)) continue;
    // A field that applies only now (« précisez » after « autre ») needs its answer, even left out.
    const newlyAsked = !isAsked(field, before);
    if (!newlyAsked && (raw === undefined || sameRaw(rawOf(field, before[field.id]), raw))) continue;
    if (isEmpty(raw)) {
      if (field.required && (hasValue(before, field.id) || newlyAsked))
        errors[field.id] = `« ${field.label} » est indispensable à la fiche : il ne peut pas rester vide.`;
      else delete values[field.id];
      continue;
    }
    const text = typedText(field, raw!);
    if (typeof text !== 'string') {
      errors[field.id] = text.error;
      continue;
    }
    const result = readValue(field, text, { ...context, values });
    if (!result.ok) {
      errors[field.id] = result.message;
      continue;
    }
    // What the answer also gives (« autre : aidants ») fills a field the form left empty, as in the conversation.
    const also = Object.fromEntries(
      Object.entries(result.also).filter(([otherId]) => isEmpty(submitted[otherId])),
    );
    values = { ...values, ...also, [field.id]: result.value };
    warnings.push(...result.notices, ...result.warnings);
  }
  return { values: dropInapplicable(FICHE_FORM, values), errors, warnings };
}

function savedReply(fiche: Fiche, sectionTitle: string, changed: string[], notices: string[]): Reply {
  const recap = ficheRecap(fiche.values, { collectiviteName: fiche.collectivite.name, fiche });
  const head =
    changed.length > 0
      ? `✓ Section « ${sectionTitle} » enregistrée (version ${fiche.version}) :\n${changed.map((line) => `• ${line}`).join('\n')}`
      : `Rien n’a changé dans la section « ${sectionTitle} » : la ${ficheName(fiche)} reste en version ${fiche.version}.`;
  return {
    text: [head, ...notices.map((notice) => `⚠️ ${notice}`), recap.text].join('\n\n'),
    citations: [],
    aiGenerated: false,
    feedback: false,
    card: recap.card,
    choices: recap.choices.filter((choice) => choice.actionId !== FORM_ACTION),
    form: { formId: FICHE_FORM.id, step: 'recap', recordId: fiche.id },
  };
}

/**
 * The new version, and in the same transaction the form this person has open on the fiche in the conversation
 * the form came from: it goes on from the new version instead of reporting it as a change made elsewhere.
 */
async function commitWithSession(
  deps: Deps,
  commit: FicheCommit,
  actor: Actor,
  key: NativeFormActor['session'],
) {
  const session = await deps.repositories.formSessions.find(key);
  return deps.repositories.atomically(async (repositories) => {
    const result = await repositories.fiches.commit(commit);
    if (result.ok && session?.recordId === commit.ficheId && session.personId === actor.personId) {
      // A session changed meanwhile keeps its own revision: it then reports the new version itself.
      await repositories.formSessions.save({
        ...session,
        state: { ...session.state, values: result.fiche.values },
        baseVersion: result.fiche.version,
      });
    }
    return result;
  });
}

/** Open a section's form, and read and save its submission. */
export function ficheSectionForms(deps: Deps): NativeForms {
  return {
    async open({ actor }, refText): Promise<NativeOpenResult> {
      const loaded = await load(deps, actor, refText);
      if (!loaded.ok) return loaded;
      const { fiche, ref } = loaded;
      return { ok: true, form: describe(fiche, ref.sectionId, fiche.version, fiche.values) };
    },

    async submit({ actor, session: sessionKey }, refText, submitted): Promise<NativeSubmitResult> {
      const loaded = await load(deps, actor, refText);
      if (!loaded.ok) return { kind: 'refused', message: loaded.message };
      const { ref } = loaded;
      let fiche = loaded.fiche;
      const section = sectionOf(ref.sectionId)!;
      // The values the form showed, and what the person changed in it.
      const shown =
        fiche.version === ref.version
          ? fiche.values
          : ((await deps.repositories.fiches.history(fiche.id)).find(
              (version) => version.version === ref.version,
            )?.values ?? {});
      const edited = Object.fromEntries(
        fieldsOf(ref.sectionId)
          .filter(
            (field) => field.id in submitted && !sameRaw(rawOf(field, shown[field.id]), submitted[field.id]),
          )
          .map((field) => [field.id, submitted[field.id]]),
      );
      const stale = async (current: Fiche): Promise<NativeSubmitResult> => {
        const since = (await deps.repositories.fiches.history(current.id)).filter(
          (version) => version.version > ref.version,
        );
        const meanwhile = changedMeanwhile(since, actor!) ?? 'ℹ️ Entre-temps, la fiche a été modifiée.';
        return {
          kind: 'conflict',
          message: `${meanwhile} Rien n’est enregistré : le formulaire montre la version à jour, avec vos saisies ; vérifiez-les puis enregistrez de nouveau.`,
          form: describe(current, ref.sectionId, current.version, current.values, edited),
        };
      };
      if (fiche.version !== ref.version) return stale(fiche);

      const context = await fieldContextFor(deps, fiche.collectivite.id);
      const reading = read(ref.sectionId, fiche.values, submitted, context);
      if (Object.keys(reading.errors).length > 0) {
        return {
          kind: 'invalid',
          errors: reading.errors,
          form: describe(fiche, ref.sectionId, fiche.version, fiche.values, submitted),
        };
      }
      const changes = changesBetween(fiche.values, reading.values);
      if (changes.length === 0) return { kind: 'saved', reply: savedReply(fiche, section.title, [], []) };
      const change = valuesCommit(fiche, ref.version, reading.values, changes, authorOf(actor!));
      const result = await commitWithSession(deps, change.commit, actor!, sessionKey);
      if (!result.ok) {
        const current = await deps.repositories.fiches.get(fiche.id);
        return current ? stale(current) : { kind: 'refused', message: NOT_FOUND };
      }
      fiche = result.fiche;
      const lines = changes.map((item) => {
        const field = FICHE_FORM.fields.find((candidate) => candidate.id === item.fieldId);
        return `${field?.label ?? item.fieldId} : ${formatValue(field, item.before)} → ${formatValue(field, item.after)}`;
      });
      return {
        kind: 'saved',
        reply: savedReply(fiche, section.title, lines, [
          ...(change.notice ? [change.notice] : []),
          ...reading.warnings,
        ]),
      };
    },
  };
}
