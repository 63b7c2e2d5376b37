import type { Citation } from '../../../knowledge/types.ts';
import type { TurnOutcome } from '../routes.ts';
import type { Choice, FormMarker, RecordCard, Reply } from '../types.ts';
import { COMMAND_VALUE, fieldOf, hasValue, isAsked } from './engine.ts';
import type { FieldContext, FieldDef, FormDef, FormMessage, FormValues } from './types.ts';

/** Action id of every button a form shows: an option of the field asked, or a `cmd:` command. */
export const FORM_ACTION = 'form';

/** What the feature running a form adds to the engine's messages: its recap, the guide's help, its wording. */
export interface FormView {
  recordId?: string;
  recap(values: FormValues): { text: string; card: RecordCard; choices?: Choice[] };
  /** The guide's passage explaining a field, fetched by the caller when the step asked for help. */
  help?: { fieldId: string; text: string; citations: Citation[] };
  /** The question asked before cancelling: a new draft is dropped, an existing record is kept. */
  cancelQuestion: string;
}

const MAX_OPTION_BUTTONS = 12;

export function optionsOf(field: FieldDef, context: FieldContext) {
  return typeof field.options === 'function' ? field.options(context) : (field.options ?? []);
}

/** « question 5 sur 23 · Calendrier »: position among the fields that apply to this record. */
function progress(form: FormDef, field: FieldDef, values: FormValues): string {
  const asked = form.fields.filter((candidate) => isAsked(candidate, values));
  const position = asked.findIndex((candidate) => candidate.id === field.id) + 1;
  const section = form.sections.find((candidate) => candidate.id === field.section)?.title;
  return `question ${position} sur ${asked.length}${section ? ` · ${section}` : ''}`;
}

function questionText(form: FormDef, field: FieldDef, current: unknown, values: FormValues): string {
  const lines = [
    `*${field.label}* (${progress(form, field, values)})`,
    field.question,
    `_Exemple : ${field.example}_`,
  ];
  if (hasValue(values, field.id)) {
    lines.push(
      `Réponse actuelle : ${field.format(current)}. Répondez pour la remplacer, ou dites *passer* pour la garder.`,
    );
  } else if (!field.required) {
    lines.push('_Facultatif : dites *passer* si vous n’avez pas l’information._');
  }
  return lines.join('\n');
}

function questionChoices(field: FieldDef, context: FieldContext): Choice[] {
  const options = optionsOf(field, context)
    .slice(0, MAX_OPTION_BUTTONS)
    .map((option) => ({ label: option.label, actionId: FORM_ACTION, value: option.id }));
  const canPass = !field.required || hasValue(context.values, field.id);
  return canPass
    ? [...options, { label: 'Passer', actionId: FORM_ACTION, value: `${COMMAND_VALUE}skip` }]
    : options;
}

const CONFIRM_CHOICES: Choice[] = [
  { label: 'Oui, annuler', actionId: FORM_ACTION, value: `${COMMAND_VALUE}cancel`, style: 'danger' },
  { label: 'Non, continuer', actionId: FORM_ACTION, value: `${COMMAND_VALUE}no` },
];

/**
 * The engine's messages as one reply: acknowledgements, warnings and notices first, then what is asked
 * now (a question with its buttons, the recap card, or the confirmation), with the form marker.
 */
export function renderFormMessages(
  form: FormDef,
  messages: FormMessage[],
  values: FormValues,
  context: Omit<FieldContext, 'values'>,
  view: FormView,
): Reply {
  const fieldContext = { ...context, values };
  const paragraphs: string[] = [];
  let choices: Choice[] | undefined;
  let card: RecordCard | undefined;
  let citations: Citation[] = [];
  let marker: FormMarker = { formId: form.id, step: 'question', recordId: view.recordId };
  for (const message of messages) {
    switch (message.kind) {
      case 'saved': {
        const field = fieldOf(form, message.fieldId);
        paragraphs.push(`✓ *${field.label}*${message.correction ? ' corrigé' : ''} : ${message.echo}`);
        break;
      }
      case 'warning':
        paragraphs.push(`⚠️ ${message.text}`);
        break;
      case 'notice':
        paragraphs.push(message.text);
        break;
      case 'invalid': {
        // A re-prompt asks the same field again: same marker, same buttons.
        paragraphs.push(`✗ ${message.message}`);
        choices = questionChoices(fieldOf(form, message.fieldId), fieldContext);
        marker = { ...marker, fieldId: message.fieldId, step: 'question' };
        break;
      }
      case 'help':
        if (view.help?.fieldId === message.fieldId) {
          paragraphs.push(view.help.text);
          citations = view.help.citations;
        } else {
          paragraphs.push(fieldOf(form, message.fieldId).help);
        }
        break;
      case 'question': {
        const field = fieldOf(form, message.fieldId);
        paragraphs.push(questionText(form, field, message.current, values));
        choices = questionChoices(field, fieldContext);
        marker = { ...marker, fieldId: field.id, step: 'question' };
        break;
      }
      case 'recap': {
        const recap = view.recap(values);
        paragraphs.push(recap.text);
        card = recap.card;
        choices = recap.choices;
        marker = { ...marker, fieldId: undefined, step: 'recap' };
        break;
      }
      case 'confirm_cancel':
        paragraphs.push(view.cancelQuestion);
        choices = CONFIRM_CHOICES;
        marker = { ...marker, fieldId: undefined, step: 'confirm' };
        break;
    }
  }
  return {
    text: paragraphs.join('\n\n'),
    citations,
    choices: choices?.length ? choices : undefined,
    card,
    form: marker,
    aiGenerated: false,
    feedback: false,
  };
}

/**
 * A methodology question asked in the middle of a form: the knowledge base's answer with its citations, then,
 * under `resume` (« On reprend la fiche-action »), the question still waiting, with its controls and marker.
 */
export function answerThenResume(answer: TurnOutcome, resume: string, pending: Reply): TurnOutcome {
  return {
    ...answer,
    reply: {
      ...answer.reply,
      text: `${answer.reply.text}\n\n— *${resume}* —\n\n${pending.text}`,
      choices: pending.choices,
      card: pending.card,
      form: pending.form,
    },
  };
}
