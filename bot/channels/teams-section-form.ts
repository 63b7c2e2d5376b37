import { ActionId } from '../core/actions.ts';
import type { Core, FormSender, TurnIO } from '../core/core.ts';
import type { NativeField, NativeForm, NativeValues } from '../core/forms/native.ts';
import type { IncomingMessage } from '../core/types.ts';
import { ADAPTIVE_CARD, renderTeamsReply, type TeamsMessage } from './teams-render.ts';

/**
 * A card section edited in a Teams Adaptive Card (schema 1.5). The section's edit button (an Action.Submit)
 * comes back as a message whose `value` is its data; Boussole answers with the section's form as a card. Its
 * « Enregistrer » Action.Submit sends the inputs merged into its data, read back here: Teams posts them as an
 * ordinary message, so no invoke (and none of the SDK's `actionSubmit` shape checks) is involved.
 */

/** The action id of the form's own submit button. */
export const SECTION_FORM_ACTION = 'section_form';

/** Input ids say how to read them back: `t:` text, `c:` option ids (comma-separated), `d:…:debut|fin` days. */
const TEXT = 't:';
const CHOICE = 'c:';
const DAY = 'd:';

const textBlock = (text: string, extra: Record<string, unknown> = {}) => ({
  type: 'TextBlock',
  text,
  wrap: true,
  ...extra,
});

function inputsOf(field: NativeField): Record<string, unknown>[] {
  if (field.kind === 'choice') {
    return [
      {
        type: 'Input.ChoiceSet',
        id: `${CHOICE}${field.id}`,
        label: field.label,
        isMultiSelect: field.multiple ?? false,
        style: 'compact',
        value: (field.selected ?? []).join(','),
        choices: (field.options ?? []).map((option) => ({ title: option.label, value: option.id })),
      },
    ];
  }
  if (field.kind === 'period') {
    return [
      {
        type: 'Input.Date',
        id: `${DAY}${field.id}:debut`,
        label: `${field.label} : début`,
        value: field.period?.start ?? '',
      },
      {
        type: 'Input.Date',
        id: `${DAY}${field.id}:fin`,
        label: `${field.label} : fin`,
        value: field.period?.end ?? '',
      },
    ];
  }
  return [
    {
      type: 'Input.Text',
      id: `${TEXT}${field.id}`,
      label: field.label,
      value: field.value,
      isMultiline: field.kind === 'long_text',
      placeholder: `Exemple : ${field.example}`,
      ...(field.maxLength ? { maxLength: field.maxLength } : {}),
    },
  ];
}

/** The section's form, each refused value's message under its input. */
export function sectionFormCard(
  form: NativeForm,
  errors: Record<string, string> = {},
  notice?: string,
): TeamsMessage {
  const body = [
    textBlock(form.title, { weight: 'Bolder', size: 'Medium' }),
    ...(notice ? [textBlock(notice, { color: 'Warning' })] : []),
    ...(Object.keys(errors).length > 0
      ? [textBlock('Certaines réponses sont à revoir : rien n’est enregistré.', { color: 'Attention' })]
      : []),
    ...form.fields.flatMap((field) => [
      ...inputsOf(field),
      textBlock([field.help, field.condition].filter(Boolean).join(' '), {
        isSubtle: true,
        size: 'Small',
        spacing: 'None',
      }),
      ...(errors[field.id]
        ? [textBlock(`⚠️ ${errors[field.id]}`, { color: 'Attention', spacing: 'None' })]
        : []),
    ]),
  ];
  return {
    type: 'message',
    text: form.title,
    textFormat: 'markdown',
    entities: [],
    channelData: { feedbackLoopEnabled: false },
    attachments: [
      {
        contentType: ADAPTIVE_CARD,
        content: {
          type: 'AdaptiveCard',
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          version: '1.5',
          body,
          actions: [
            {
              type: 'Action.Submit',
              title: 'Enregistrer',
              style: 'positive',
              data: { actionId: SECTION_FORM_ACTION, value: form.ref },
            },
          ],
        },
      },
    ],
  };
}

/** The inputs of a submitted form card, by field id, from the activity's `value`. */
export function valuesOfCard(value: unknown): NativeValues {
  const values: NativeValues = {};
  if (typeof value !== 'object' || value === null) return values;
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    const text = typeof raw === 'string' ? raw : '';
    if (key.startsWith(TEXT)) values[key.slice(TEXT.length)] = text;
    else if (key.startsWith(CHOICE))
      values[key.slice(CHOICE.length)] = text.split(',').filter((id) => id.trim() !== '');
    else if (key.startsWith(DAY)) {
      const [fieldId = '', end] = key.slice(DAY.length).split(':');
      const days = (values[fieldId] as string[] | undefined) ?? ['', ''];
      days[end === 'fin' ? 1 : 0] = text;
      values[fieldId] = days;
    }
  }
  return values;
}

const textMessage = (text: string, publicUrl: string) =>
  renderTeamsReply({ text, citations: [], aiGenerated: false, feedback: false }, publicUrl);

/**
 * The message answering a section edit button or a form submission; undefined when the message is neither
 * (the conversation answers it).
 */
export async function sectionFormAnswer(
  core: Core,
  incoming: IncomingMessage,
  activityValue: unknown,
  publicUrl: string,
  io: TurnIO = {},
): Promise<TeamsMessage | undefined> {
  const action = incoming.action;
  if (action?.id !== ActionId.EditSection && action?.id !== SECTION_FORM_ACTION) return undefined;
  const { text: _text, action: _action, attachments: _files, ...sender } = incoming;
  const who: FormSender = sender;
  const ref = action.value ?? '';
  if (action.id === ActionId.EditSection) {
    const opened = await core.openForm(who, ref, io);
    return opened.ok ? sectionFormCard(opened.form) : textMessage(opened.message, publicUrl);
  }
  const result = await core.submitForm(who, ref, valuesOfCard(activityValue), io);
  switch (result.kind) {
    case 'invalid':
      return sectionFormCard(result.form, result.errors);
    case 'conflict':
      return sectionFormCard(result.form, {}, result.message);
    case 'refused':
      return textMessage(result.message, publicUrl);
    case 'saved':
      return renderTeamsReply(result.reply, publicUrl);
  }
}
