import { BlockList, isIP } from 'node:net';
import { type Activity, activityZodSchema, type ConversationReference } from '@microsoft/agents-activity';
import type { IncomingAction, IncomingMessage } from '../core/types.ts';

/** Reply chain id Teams appends to a channel conversation id. */
const THREAD_SUFFIX = /;messageid=([^;]+)$/;

const REQUIRED_FIELDS: { path: string; read: (body: Record<string, unknown>) => unknown }[] = [
  { path: 'type', read: (body) => body.type },
  { path: 'channelId', read: (body) => body.channelId },
  { path: 'serviceUrl', read: (body) => body.serviceUrl },
  { path: 'conversation.id', read: (body) => field(body.conversation, 'id') },
  { path: 'from.id', read: (body) => field(body.from, 'id') },
  { path: 'recipient.id', read: (body) => field(body.recipient, 'id') },
];

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/**
 * True when the URL names this machine by a loopback address (127.0.0.0/8, ::1, or IPv4-mapped) or
 * `localhost`. Other names are refused, whatever they resolve to.
 */
export function isLoopbackUrl(value: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(value).hostname;
  } catch {
    return false;
  }
  if (hostname === 'localhost') return true;
  const address = hostname.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(address);
  return family !== 0 && loopback.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A French explanation of why a posted body is not a usable activity, or undefined when it is. */
export function invalidActivityReason(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'Activité invalide : le corps doit être un objet JSON.';
  }
  const record = body as Record<string, unknown>;
  const missing = REQUIRED_FIELDS.find(({ read }) => {
    const value = read(record);
    return typeof value !== 'string' || value.trim() === '';
  });
  if (missing) return `Activité invalide : champ « ${missing.path} » manquant ou vide.`;
  if (!isHttpUrl(record.serviceUrl)) return 'Activité invalide : « serviceUrl » doit être une URL http(s).';
  const parsed = activityZodSchema.passthrough().safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return `Activité invalide : champ « ${first?.path.join('.') || '?'} » mal formé.`;
  }
  return undefined;
}

function mentionsRecipient(activity: Activity): boolean {
  const botId = activity.recipient?.id;
  return (activity.entities ?? []).some(
    (entity) =>
      entity.type?.toLowerCase() === 'mention' && (entity.mentioned as { id?: string })?.id === botId,
  );
}

/** Where a message sits: the channel and its reply chain, a group chat, or a personal chat. */
function location(activity: Activity) {
  const conversation = activity.conversation!;
  const type = conversation.conversationType ?? 'personal';
  if (type !== 'channel') return { type, conversationId: conversation.id, threadId: undefined };
  const thread = THREAD_SUFFIX.exec(conversation.id)?.[1];
  return {
    type,
    conversationId: conversation.id.replace(THREAD_SUFFIX, ''),
    threadId: thread ?? activity.replyToId ?? activity.id,
  };
}

function tenantOf(activity: Activity): string {
  const channelTenant = field(field(activity.channelData, 'tenant'), 'id');
  return activity.conversation?.tenantId ?? (typeof channelTenant === 'string' ? channelTenant : 'local');
}

/** An Adaptive Card Action.Submit arrives as a message whose `value` is the action's data. */
function cardAction(value: unknown): IncomingAction | undefined {
  if (value === undefined || value === null) return undefined;
  const actionId = field(value, 'actionId');
  const payload = field(value, 'value');
  return {
    id: typeof actionId === 'string' && actionId !== '' ? actionId : 'unknown',
    ...(payload === undefined
      ? {}
      : { value: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
  };
}

/** What we keep to message this person later: no activityId, so a proactive message starts a new message. */
export function conversationReferenceOf(activity: Activity): Omit<ConversationReference, 'activityId'> {
  const { activityId: _replyTo, ...reference } = activity.getConversationReference();
  return reference;
}

/** Who wrote, and where: every field of an IncomingMessage but the text and the action. */
export function senderOf(activity: Activity, requestId?: string): Omit<IncomingMessage, 'text' | 'action'> {
  const where = location(activity);
  return {
    channel: 'teams',
    workspaceId: tenantOf(activity),
    conversationId: where.conversationId,
    threadId: where.threadId,
    userId: activity.from?.aadObjectId ?? activity.from!.id!,
    userName: activity.from?.name,
    isDirect: where.type === 'personal',
    conversationReference: conversationReferenceOf(activity),
    requestId,
  };
}

/**
 * Translates a message activity. Undefined when the assistant should stay silent: a channel or group message
 * that neither mentions it nor submits one of its cards.
 */
export function toIncomingMessage(activity: Activity, requestId?: string): IncomingMessage | undefined {
  const sender = senderOf(activity, requestId);
  const action = cardAction(activity.value);
  if (!sender.isDirect && !action && !mentionsRecipient(activity)) return undefined;
  return { ...sender, text: stripAtTags(activity.removeRecipientMention()), ...(action ? { action } : {}) };
}

/** Leftover <at>…</at> tags (mentions of other people) keep their inner text. */
function stripAtTags(text: string): string {
  return text
    .replace(/<at>(.*?)<\/at>/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Names Teams' feedback loop uses on the wire (`value.actionName`, `value.actionValue.feedback`), not our action ids. */
const TEAMS_FEEDBACK_LOOP = { actionName: 'feedback', commentField: 'feedback' } as const;

export interface TeamsFeedback {
  /** Id of the assistant's message the feedback is about. */
  replyToId: string;
  rating: 'up' | 'down';
  comment?: string;
}

function feedbackComment(feedback: unknown): string | undefined {
  let parsed = feedback;
  if (typeof feedback === 'string') {
    try {
      parsed = JSON.parse(feedback);
    } catch {
      parsed = { feedbackText: feedback };
    }
  }
  const text = field(parsed, 'feedbackText');
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
}

/** The thumbs up/down invoke of Teams' feedback loop (`message/submitAction`, actionName "feedback"). */
export function toFeedback(activity: Activity): TeamsFeedback | undefined {
  if (activity.type !== 'invoke' || activity.name !== 'message/submitAction') return undefined;
  if (field(activity.value, 'actionName') !== TEAMS_FEEDBACK_LOOP.actionName || !activity.replyToId) {
    return undefined;
  }
  const actionValue = field(activity.value, 'actionValue');
  const reaction = field(actionValue, 'reaction');
  if (reaction !== 'like' && reaction !== 'dislike') return undefined;
  return {
    replyToId: activity.replyToId,
    rating: reaction === 'like' ? 'up' : 'down',
    comment: feedbackComment(field(actionValue, TEAMS_FEEDBACK_LOOP.commentField)),
  };
}
