import { ActionId } from '../../core/actions.ts';
import { COMMAND_VALUE, hasValue, isAsked, missingRequired } from '../../core/forms/engine.ts';
import { encodeFormRef } from '../../core/forms/native.ts';
import { FORM_ACTION } from '../../core/forms/render.ts';
import type { FieldDef, FormValues } from '../../core/forms/types.ts';
import type { CardSection, Choice, RecordCard } from '../../core/types.ts';
import type { RecordVersion } from '../../core/versions.ts';
import { FICHE_FORM, ficheWarnings } from './form.ts';
import { type Fiche, type FicheStatus, STATUS_LABELS } from './model.ts';

/** How a fiche reads: recap card, Markdown page, list line, history. */

/** Action id of the fiche buttons outside the form: `submit:<id>`, `resume:<id>`, `view:<id>`… */
export const FICHE_ACTION = 'fiche';

export const ficheChoice = (
  label: string,
  verb: string,
  ficheId: string,
  style?: Choice['style'],
): Choice => ({
  label,
  actionId: FICHE_ACTION,
  value: `${verb}:${ficheId}`,
  ...(style ? { style } : {}),
});

const dateTime = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  dateStyle: 'long',
  timeStyle: 'short',
});
const dateOnly = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long' });

export const formatWhen = (date: Date) => dateTime.format(date);
export const formatDay = (date: Date) => dateOnly.format(date);

export function formatValue(field: FieldDef | undefined, value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (!field) return typeof value === 'string' ? value : JSON.stringify(value);
  try {
    return field.format(value);
  } catch {
    return JSON.stringify(value);
  }
}

/**
 * A field's value as lines, through the field's own `format`: a list (places, indicators, steps…) gives one
 * line per item, formatted as a list of one; a list of choices stays on one line, as the recap shows it. The
 * Word export writes these lines, and they read back through the field's parser (Word import, native forms).
 */
export function valueLines(field: FieldDef, value: unknown): string[] {
  if (Array.isArray(value) && value.length > 1 && !Array.isArray(field.options)) {
    return value.map((item) => formatValue(field, [item]));
  }
  return formatValue(field, value)
    .split(/\n+/)
    .filter((line) => line.trim() !== '');
}

const fieldById = (fieldId: string) => FICHE_FORM.fields.find((field) => field.id === fieldId);

/** « fiche n° 7 « Ateliers cuisine » »: how a fiche is named in sentences. */
export const ficheName = (fiche: Pick<Fiche, 'number' | 'title'>) =>
  `fiche n° ${fiche.number} « ${fiche.title} »`;

/** To a person who may read a fiche but not change it. */
export const readOnlyText = (fiche: Pick<Fiche, 'number' | 'title' | 'collectivite'>) =>
  `Vous pouvez consulter la ${ficheName(fiche)}, mais seuls les référents de ${fiche.collectivite.name} la modifient.`;

export function progressOf(values: FormValues): { filled: number; total: number } {
  const asked = FICHE_FORM.fields.filter((field) => isAsked(field, values));
  return { filled: asked.filter((field) => hasValue(values, field.id)).length, total: asked.length };
}

/**
 * The edit control of a section: on a saved fiche, the native form of the section (a channel without one
 * gets the conversation's « modifier » of its first field); before that, that « modifier » itself.
 */
function editChoice(sectionId: string, firstFieldId: string, fiche?: Pick<Fiche, 'id' | 'version'>): Choice {
  if (!fiche)
    return { label: 'Modifier', actionId: FORM_ACTION, value: `${COMMAND_VALUE}edit:${firstFieldId}` };
  const ref = { formId: FICHE_FORM.id, recordId: fiche.id, sectionId, version: fiche.version };
  return { label: 'Modifier', actionId: ActionId.EditSection, value: encodeFormRef(ref) };
}

/** The fields of a section that apply to these values, in form order. */
export const sectionFields = (sectionId: string, values: FormValues) =>
  FICHE_FORM.fields.filter((field) => field.section === sectionId && isAsked(field, values));

function sectionsOf(
  values: FormValues,
  edit: { fiche?: Pick<Fiche, 'id' | 'version'> } | false,
): CardSection[] {
  return FICHE_FORM.sections.map((section) => {
    const fields = sectionFields(section.id, values);
    return {
      id: section.id,
      title: section.title,
      fields: fields.map((field) => ({
        label: field.label,
        value: hasValue(values, field.id) ? formatValue(field, values[field.id]) : '',
        missing: field.required && !hasValue(values, field.id),
      })),
      edit: edit ? editChoice(section.id, fields[0]!.id, edit.fiche) : undefined,
    };
  });
}

export interface RecapContext {
  collectiviteName: string;
  fiche?: Pick<Fiche, 'id' | 'number' | 'title' | 'status' | 'version'>;
}

/** The recap shown at the end of the form and on « récap »: a short text and the card with its edit controls. */
export function ficheRecap(values: FormValues, context: RecapContext) {
  const { filled, total } = progressOf(values);
  const missing = missingRequired(FICHE_FORM, values);
  const status: FicheStatus = context.fiche?.status ?? 'brouillon';
  const title = (values.intitule as string | undefined) ?? 'Nouvelle fiche-action';
  const lines = [
    `*Récapitulatif* : ${filled} champs remplis sur ${total}.`,
    missing.length > 0
      ? `À compléter avant de soumettre : ${missing.map((field) => field.label.toLowerCase()).join(', ')}.`
      : 'La fiche est complète : vous pouvez la soumettre à la coordination, ou modifier une section.',
    ...ficheWarnings(values).map((warning) => `⚠️ ${warning}`),
  ];
  const card: RecordCard = {
    title: context.fiche ? `Fiche-action n° ${context.fiche.number} · ${title}` : title,
    subtitle: `${context.collectiviteName} · ${STATUS_LABELS[status]}${context.fiche ? ` · version ${context.fiche.version}` : ''}`,
    sections: sectionsOf(values, { fiche: context.fiche }),
  };
  const choices: Choice[] = [
    ...(missing.length === 0 && context.fiche && (status === 'brouillon' || status === 'a_revoir')
      ? [ficheChoice('Soumettre à la coordination', 'submit', context.fiche.id, 'primary')]
      : []),
    { label: 'Plus tard', actionId: FORM_ACTION, value: `${COMMAND_VALUE}pause` },
  ];
  return { text: lines.join('\n'), card, choices };
}

/** The whole fiche as Markdown (« voir la fiche », the Markdown export). */
export function ficheMarkdown(
  fiche: Fiche,
  comments: { author: { name: string }; text: string; createdAt: Date }[] = [],
): string {
  const lines = [
    `# Fiche-action n° ${fiche.number} · ${fiche.title}`,
    '',
    `${fiche.collectivite.name} · ${STATUS_LABELS[fiche.status]} · version ${fiche.version}, modifiée le ${formatWhen(fiche.updatedAt)}`,
  ];
  for (const section of sectionsOf(fiche.values, false)) {
    lines.push('', `## ${section.title}`, '');
    for (const field of section.fields) {
      lines.push(`- **${field.label}** : ${field.value || (field.missing ? '_à compléter_' : '—')}`);
    }
  }
  const warnings = ficheWarnings(fiche.values);
  if (warnings.length > 0) lines.push('', ...warnings.map((warning) => `> ⚠️ ${warning}`));
  if (comments.length > 0) {
    lines.push('', '## Commentaires', '');
    for (const comment of comments)
      lines.push(`- ${formatWhen(comment.createdAt)}, ${comment.author.name} : ${comment.text}`);
  }
  return lines.join('\n');
}

/** One line of « mes fiches ». */
export function ficheLine(fiche: Fiche, showCollectivite: boolean): string {
  const { filled, total } = progressOf(fiche.values);
  return `• *n° ${fiche.number}* ${fiche.title} · ${STATUS_LABELS[fiche.status]} (${filled}/${total} champs)${showCollectivite ? ` · ${fiche.collectivite.name}` : ''} · modifiée le ${formatDay(fiche.updatedAt)}`;
}

const GROUP_WINDOW_MS = 30 * 60_000;

/**
 * The history as people read it: consecutive versions by the same author within half an hour, with no
 * status change, form one entry listing what changed from its first to its last version.
 */
export function historyText(versions: RecordVersion[], limit = 12): string {
  const groups: RecordVersion[][] = [];
  for (const version of versions) {
    const group = groups[groups.length - 1];
    const previous = group?.[group.length - 1];
    const sameRun =
      previous &&
      previous.author.name === version.author.name &&
      version.createdAt.getTime() - previous.createdAt.getTime() < GROUP_WINDOW_MS &&
      (version.status ?? previous.status) === previous.status &&
      !version.note;
    if (group && sameRun) group.push(version);
    else groups.push([version]);
  }
  const entries = groups.slice(-limit).map((group) => {
    const first = group[0]!;
    const last = group[group.length - 1]!;
    const range = group.length > 1 ? `v${first.version}–v${last.version}` : `v${first.version}`;
    const fields = new Map<string, { before: unknown; after: unknown }>();
    for (const version of group) {
      for (const change of version.changes) {
        const known = fields.get(change.fieldId);
        fields.set(change.fieldId, { before: known ? known.before : change.before, after: change.after });
      }
    }
    const changes = [...fields.entries()]
      .filter(([, change]) => JSON.stringify(change.before) !== JSON.stringify(change.after))
      .map(([fieldId, change]) => {
        const field = fieldById(fieldId);
        return `    ${field?.label ?? fieldId} : ${shorten(formatValue(field, change.before))} → ${shorten(formatValue(field, change.after))}`;
      });
    const status =
      last.status && first.status !== undefined
        ? ` · ${STATUS_LABELS[last.status as FicheStatus] ?? last.status}`
        : '';
    const note = last.note ? `\n    « ${last.note} »` : '';
    return [
      `• ${range} · ${formatWhen(last.createdAt)} · ${last.author.name}${status}${note}`,
      ...changes,
    ].join('\n');
  });
  const hidden = groups.length - entries.length;
  return [...(hidden > 0 ? [`(${hidden} modifications plus anciennes non affichées)`] : []), ...entries].join(
    '\n',
  );
}

const shorten = (text: string, max = 80) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
