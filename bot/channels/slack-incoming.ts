import { ActionId } from '../core/actions.ts';
import type { IncomingAction, IncomingMessage } from '../core/types.ts';
import type { SlackTarget } from './slack-deliver.ts';
import { parseActionId, parseFeedbackValue } from './slack-render.ts';

/** The Slack message fields the adapter reads (app_mention and message events share them). */
export interface SlackMessageEvent {
  /** Always set by Slack; a forged or broken event may lack it. */
  channel?: string;
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  team?: string;
}

/** A Slack message text as the user typed it: mentions removed, entities decoded. */
export function plainSlackText(text: string | undefined): string {
  return (text ?? '')
    .replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, ' ')
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}

/**
 * The incoming message and the reply target of a mention, a DM or a side-panel message; undefined when the
 * event names no channel, since there would be nowhere to answer.
 */
export function fromMessageEvent(
  event: SlackMessageEvent,
  teamId: string,
  options: { threadTs?: string; isDirect: boolean; requestId?: string },
): { incoming: IncomingMessage; target: SlackTarget } | undefined {
  if (typeof event.channel !== 'string' || event.channel === '') return undefined;
  const userId = event.user ?? 'unknown';
  return {
    incoming: {
      channel: 'slack',
      workspaceId: teamId,
      conversationId: event.channel,
      threadId: options.threadTs,
      userId,
      text: plainSlackText(event.text),
      isDirect: options.isDirect,
      conversationReference: { channel: event.channel, team: teamId },
      requestId: options.requestId,
    },
    target: { channel: event.channel, threadTs: options.threadTs, teamId, userId },
  };
}

/** The fields of a /boussole slash command body the adapter reads. */
export interface SlashCommandBody {
  team_id: string;
  channel_id: string;
  user_id: string;
  user_name?: string;
  text?: string;
}

export function fromSlashCommand(command: SlashCommandBody, requestId?: string): IncomingMessage {
  return {
    channel: 'slack',
    workspaceId: command.team_id,
    conversationId: command.channel_id,
    userId: command.user_id,
    userName: command.user_name,
    text: plainSlackText(command.text),
    isDirect: command.channel_id.startsWith('D'),
    conversationReference: { channel: command.channel_id, team: command.team_id },
    requestId,
  };
}

/** The fields of a block_actions body the adapter reads. */
export interface BlockActionBody {
  team: { id: string } | null;
  user: { id: string; team_id?: string };
  channel?: { id: string };
  container?: { channel_id?: string; thread_ts?: string; message_ts?: string };
  message?: { ts: string; thread_ts?: string };
  actions: { action_id: string; value?: string }[];
}

function actionOf(clicked: { action_id: string; value?: string }): IncomingAction {
  const id = parseActionId(clicked.action_id);
  if (id !== ActionId.Feedback) return { id, value: clicked.value };
  const { interactionId, rating } = parseFeedbackValue(clicked.value ?? '');
  return { id, value: interactionId, rating };
}

/** A button click; undefined when the body lacks what a reply needs (no channel, no action). */
export function fromBlockAction(
  body: BlockActionBody,
  requestId?: string,
): { incoming: IncomingMessage; target: SlackTarget } | undefined {
  const clicked = body.actions[0];
  const channel = body.channel?.id ?? body.container?.channel_id;
  const teamId = body.team?.id ?? body.user.team_id;
  if (!clicked || !channel || !teamId) return undefined;
  const isDirect = channel.startsWith('D');
  // A click on a message of a direct conversation's main view stays there (a form opened there is keyed
  // without a thread); elsewhere a message outside any thread starts one.
  const threadTs =
    body.message?.thread_ts ??
    body.container?.thread_ts ??
    (isDirect ? undefined : (body.message?.ts ?? body.container?.message_ts));
  return {
    incoming: {
      channel: 'slack',
      workspaceId: teamId,
      conversationId: channel,
      threadId: threadTs,
      userId: body.user.id,
      text: '',
      action: actionOf(clicked),
      isDirect,
      requestId,
    },
    target: { channel, threadTs, teamId, userId: body.user.id },
  };
}
