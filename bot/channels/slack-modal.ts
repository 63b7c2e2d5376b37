import type { App, BlockAction, ButtonAction, ViewOutput } from '@slack/bolt';
import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/web-api';
import { ActionId } from '../core/actions.ts';
import type { Core, FormSender } from '../core/core.ts';
import { ChannelSendError, toAppError } from '../core/errors.ts';
import type { NativeField, NativeForm, NativeValues } from '../core/forms/native.ts';
import type { Logger } from '../logger.ts';
import { lookupEmail } from './slack-deliver.ts';
import { renderSlackReply, toSlackMrkdwn } from './slack-render.ts';

/**
 * A card section edited in a Slack modal. The edit button opens a modal at once (a trigger_id lives 3 s),
 * then fills it from the core; the submission is read by the core with the conversation's parsers, and
 * Slack shows refused values under their inputs (`response_action: "errors"`, keyed by block_id).
 */

export const SECTION_FORM_CALLBACK = 'section_form';
/** Every other button goes to the conversation; the section edit buttons open a modal instead. */
export const NOT_SECTION_EDIT = new RegExp(`^(?!${ActionId.EditSection}#).+`);
const SECTION_EDIT = new RegExp(`^${ActionId.EditSection}#`);

/** Block Kit limits (docs.slack.dev, reference/block-kit): a modal, its texts and inputs. */
const MAX_TITLE = 24;
const MAX_OPTION_TEXT = 75;
const MAX_PLACEHOLDER = 150;
const MAX_HINT = 2_000;
const MAX_INPUT = 3_000;
const MAX_METADATA = 3_000;
/** The second input of a period (the first day is in the field's own block). */
const PERIOD_END = '__fin';

/** Where the recap goes once the section is saved: the modal holds only this and the form reference. */
interface ModalMetadata {
  /** The form reference: fiche, section, version opened. */
  r: string;
  c: string;
  t?: string;
}

export interface SectionModalDeps {
  core: Core;
  publicUrl: string;
  log: Logger;
  inBackground: (work: () => Promise<void>) => void;
}

const plain = (text: string, max: number) => ({
  type: 'plain_text' as const,
  text: text.length > max ? `${text.slice(0, max - 1)}…` : text,
  emoji: true,
});

const optionOf = (option: { id: string; label: string }): PlainTextOption => ({
  text: plain(option.label, MAX_OPTION_TEXT),
  value: option.id,
});

const textBlock = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: toSlackMrkdwn(text).slice(0, MAX_INPUT) },
});

function inputOf(field: NativeField, version: number): KnownBlock[] {
  const hint = [field.help, field.condition].filter(Boolean).join(' ');
  const actionId = `v${version}`;
  const common = {
    type: 'input' as const,
    block_id: field.id,
    label: plain(field.label, MAX_OPTION_TEXT * 2),
    hint: plain(hint, MAX_HINT),
    // Inputs that are empty now may stay so (the fiche keeps « à compléter »); Boussole checks the rest.
    optional: !field.required || field.condition !== undefined || field.value === '',
  };
  if (field.kind === 'choice') {
    const options = (field.options ?? []).map(optionOf);
    const selected = options.filter((option) => field.selected?.includes(option.value!));
    return [
      {
        ...common,
        element: field.multiple
          ? {
              type: 'multi_static_select',
              action_id: actionId,
              options,
              max_selected_items: field.maxChoices,
              placeholder: plain('Choisissez', MAX_PLACEHOLDER),
              ...(selected.length > 0 ? { initial_options: selected } : {}),
            }
          : {
              type: 'static_select',
              action_id: actionId,
              options,
              placeholder: plain('Choisissez', MAX_PLACEHOLDER),
              ...(selected[0] ? { initial_option: selected[0] } : {}),
            },
      },
    ];
  }
  if (field.kind === 'period') {
    const day = (blockId: string, label: string, initial?: string): InputBlock => ({
      ...common,
      block_id: blockId,
      label: plain(label, MAX_OPTION_TEXT * 2),
      element: {
        type: 'datepicker',
        action_id: actionId,
        ...(initial ? { initial_date: initial } : {}),
        placeholder: plain('jj/mm/aaaa', MAX_PLACEHOLDER),
      },
    });
    return [
      day(field.id, `${field.label} : début`, field.period?.start),
      { ...day(`${field.id}${PERIOD_END}`, `${field.label} : fin`, field.period?.end), hint: undefined },
    ];
  }
  if (field.value.length > MAX_INPUT) {
    // Slack's inputs hold 3,000 characters: a longer text is shown, and kept as it is (changed in the conversation).
    return [
      textBlock(
        `*${field.label}* : ${field.value.length.toLocaleString('fr-FR')} caractères, trop long pour ce formulaire Slack ; il reste tel quel. Dites *modifier ${field.label.toLowerCase()}* dans la conversation pour le changer.`,
      ),
    ];
  }
  return [
    {
      ...common,
      element: {
        type: 'plain_text_input',
        action_id: actionId,
        multiline: field.kind === 'long_text',
        ...(field.value ? { initial_value: field.value } : {}),
        ...(field.maxLength && field.maxLength <= MAX_INPUT ? { max_length: field.maxLength } : {}),
        placeholder: plain(`Exemple : ${field.example}`, MAX_PLACEHOLDER),
      },
    },
  ];
}

function modal(title: string, blocks: KnownBlock[], metadata?: ModalMetadata, submit = false): ModalView {
  const privateMetadata = metadata ? JSON.stringify(metadata) : '';
  if (privateMetadata.length > MAX_METADATA) throw new Error('private_metadata too long');
  return {
    type: 'modal',
    callback_id: SECTION_FORM_CALLBACK,
    title: plain(title, MAX_TITLE),
    close: plain(submit ? 'Annuler' : 'Fermer', MAX_TITLE),
    ...(submit ? { submit: plain('Enregistrer', MAX_TITLE) } : {}),
    private_metadata: privateMetadata,
    blocks,
  };
}

/** The section's modal: its title, an optional notice (a stale version), then one input per field. */
export function sectionModal(form: NativeForm, target: Omit<ModalMetadata, 'r'>, notice?: string): ModalView {
  const blocks: KnownBlock[] = [
    textBlock(`*${form.title}*${notice ? `\n${notice}` : ''}`),
    ...form.fields.flatMap((field) => inputOf(field, form.version)),
  ];
  return modal(form.shortTitle, blocks, { r: form.ref, ...target }, true);
}

export const messageModal = (text: string) => modal('Boussole', [textBlock(text)]);

/** What the person entered, by field id, from the view's state (a period's two days together). */
export function valuesOf(view: Pick<ViewOutput, 'state'>): NativeValues {
  const values: NativeValues = {};
  const states = view.state.values;
  for (const [blockId, actions] of Object.entries(states)) {
    const state = Object.values(actions)[0];
    if (!state || blockId.endsWith(PERIOD_END)) continue;
    if (state.type === 'datepicker') {
      const end = Object.values(states[`${blockId}${PERIOD_END}`] ?? {})[0];
      values[blockId] = [state.selected_date ?? '', end?.selected_date ?? ''];
    } else if (state.type === 'multi_static_select') {
      values[blockId] = (state.selected_options ?? []).map((option) => option.value);
    } else if (state.type === 'static_select') {
      values[blockId] = state.selected_option ? [state.selected_option.value] : [];
    } else {
      values[blockId] = state.value ?? '';
    }
  }
  return values;
}

/** Refused values under their inputs (a period's under its first day), within Slack's length. */
const errorsOf = (errors: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(errors).map(([fieldId, message]) => [fieldId, message.slice(0, MAX_HINT)]),
  );

function readMetadata(text: string): ModalMetadata | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<ModalMetadata>;
    return typeof parsed.r === 'string' && typeof parsed.c === 'string'
      ? (parsed as ModalMetadata)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The section edit buttons and the modal's submission, on the Bolt app. */
export function registerSectionModals(app: App, deps: SectionModalDeps): void {
  const { core, log } = deps;

  app.action<BlockAction<ButtonAction>>(SECTION_EDIT, async ({ ack, body, client, action }) => {
    await ack();
    const channel = body.channel?.id ?? body.container?.channel_id;
    const teamId = body.team?.id ?? body.user.team_id;
    if (!channel || !teamId) return;
    const threadTs = body.message?.thread_ts ?? body.container?.thread_ts ?? body.message?.ts;
    try {
      // Opened before any other work: the trigger_id expires after 3 s.
      const opened = await client.views.open({
        trigger_id: body.trigger_id,
        view: messageModal('Chargement de la section…'),
      });
      const viewId = opened.view?.id;
      if (!viewId) return;
      const sender: FormSender = {
        channel: 'slack',
        workspaceId: teamId,
        conversationId: channel,
        threadId: threadTs,
        userId: body.user.id,
        isDirect: channel.startsWith('D'),
      };
      const result = await core.openForm(sender, action.value ?? '', {
        lookupEmail: lookupEmail(client, body.user.id),
      });
      await client.views.update({
        view_id: viewId,
        view: result.ok
          ? sectionModal(result.form, { c: channel, t: threadTs })
          : messageModal(result.message),
      });
    } catch (error) {
      log.error({ code: toAppError(error).code }, 'slack section modal failed');
    }
  });

  app.view(SECTION_FORM_CALLBACK, async ({ ack, body, view, client }) => {
    const metadata = readMetadata(view.private_metadata);
    if (!metadata) {
      await ack();
      return;
    }
    const teamId = body.team?.id ?? body.user.team_id ?? view.team_id;
    const sender: FormSender = {
      channel: 'slack',
      workspaceId: teamId,
      conversationId: metadata.c,
      threadId: metadata.t,
      userId: body.user.id,
      isDirect: metadata.c.startsWith('D'),
    };
    const result = await core.submitForm(sender, metadata.r, valuesOf(view), {
      lookupEmail: lookupEmail(client, body.user.id),
    });
    const target = { c: metadata.c, t: metadata.t };
    switch (result.kind) {
      case 'invalid':
        await ack({ response_action: 'errors', errors: errorsOf(result.errors) });
        return;
      case 'conflict':
        await ack({ response_action: 'update', view: sectionModal(result.form, target, result.message) });
        return;
      case 'refused':
        await ack({ response_action: 'update', view: messageModal(result.message) });
        return;
      case 'saved':
        await ack();
        deps.inBackground(async () => {
          try {
            await client.chat.postMessage({
              channel: metadata.c,
              thread_ts: metadata.t,
              ...renderSlackReply(result.reply, deps.publicUrl),
            });
          } catch (error) {
            log.error({ code: new ChannelSendError(error).code }, 'slack recap after a modal failed');
          }
        });
    }
  });
}
