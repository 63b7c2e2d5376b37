import type { ChatStreamer, WebClient } from '@slack/web-api';
import type { Core, TurnIO } from '../core/core.ts';
import { ChannelSendError, toAppError } from '../core/errors.ts';
import type { IncomingMessage, Reply } from '../core/types.ts';
import type { Logger } from '../logger.ts';
import type { DocumentReader } from './channel.ts';
import { cardBlocks, markBlocks, renderSlackReply, trailerBlocks } from './slack-render.ts';

/** Where a Slack reply goes and who it is for (chat streams need the recipient outside DMs). */
export interface SlackTarget {
  channel: string;
  threadTs?: string;
  teamId: string;
  userId: string;
}

/** The assistant side panel's extras, when the message came from there. */
export interface PanelUtilities {
  setStatus?: (status: string) => Promise<unknown>;
  setTitle?: (title: string) => Promise<unknown>;
}

export interface DeliveryDeps {
  core: Core;
  client: WebClient;
  publicUrl: string;
  log: Logger;
  /** The document behind a reply's signed link, uploaded into the thread as a file. */
  documents?: DocumentReader;
}

/**
 * The sender's e-mail address from users.info (profile.email, given only with the users:read.email scope),
 * for the core to match the Slack account to a person the first time.
 */
export function lookupEmail(client: WebClient, userId: string): () => Promise<string | undefined> {
  return async () => {
    const { user } = await client.users.info({ user: userId });
    return user?.profile?.email || undefined;
  };
}

/**
 * Streams the LLM's text with chat.startStream/appendStream as it comes. onPartial is synchronous,
 * so Web API calls are chained; a failed stream falls back to one ordinary message.
 */
function createStream(client: WebClient, target: SlackTarget) {
  let streamer: ChatStreamer | undefined;
  let sent = '';
  let chain: Promise<void> = Promise.resolve();
  let failed = false;
  return {
    onPartial(textSoFar: string) {
      chain = chain.then(async () => {
        if (failed || !textSoFar.startsWith(sent)) return;
        streamer ??= client.chatStream({
          channel: target.channel,
          thread_ts: target.threadTs!,
          recipient_team_id: target.teamId,
          recipient_user_id: target.userId,
          buffer_size: 1,
        });
        const delta = textSoFar.slice(sent.length);
        sent = textSoFar;
        if (delta) await streamer.append({ markdown_text: delta });
      });
      chain = chain.catch(() => {
        failed = true;
      });
    },
    /**
     * Ends the stream with the citations and buttons. False when the reply must be posted as a message of its
     * own: nothing was streamed, or the reply does not continue the streamed text (the LLM stopped midway and
     * the extractive answer replaced it).
     */
    async finish(reply: Reply, publicUrl: string): Promise<boolean> {
      await chain;
      if (!streamer || failed) return false;
      if (!reply.text.startsWith(sent)) {
        // Best effort: the reply itself still goes out as a message.
        await streamer.stop().catch(() => undefined);
        return false;
      }
      const rest = reply.text.slice(sent.length);
      const card = reply.card ? cardBlocks(reply.card) : [];
      await streamer.stop({
        ...(rest ? { markdown_text: rest } : {}),
        blocks: markBlocks([...card, ...trailerBlocks(reply, publicUrl)], reply.form),
      });
      return true;
    },
  };
}

async function bestEffort(
  call: (() => Promise<unknown>) | undefined,
  log: Logger,
  what: string,
): Promise<void> {
  try {
    await call?.();
  } catch (error) {
    log.warn({ code: toAppError(error).code, what }, 'slack extra failed');
  }
}

/**
 * Each document of the reply uploaded into the thread (files.getUploadURLExternal, the upload, then
 * files.completeUploadExternal), so it can be opened in Slack; the signed link stays in the text, and is
 * all that is left when the upload fails.
 */
async function uploadFiles(deps: DeliveryDeps, reply: Reply, target: SlackTarget): Promise<void> {
  for (const file of reply.files ?? []) {
    try {
      const document = await deps.documents?.(file.url);
      if (!document) {
        deps.log.warn('slack upload skipped: document unavailable');
        continue;
      }
      const upload = {
        file: Buffer.from(document.bytes),
        filename: document.fileName,
        title: document.fileName,
      };
      await deps.client.filesUploadV2(
        target.threadTs
          ? { ...upload, channel_id: target.channel, thread_ts: target.threadTs }
          : { ...upload, channel_id: target.channel },
      );
    } catch (error) {
      deps.log.warn({ code: new ChannelSendError(error).code }, 'slack upload failed');
    }
  }
}

async function postInThread(deps: DeliveryDeps, reply: Reply, target: SlackTarget): Promise<void> {
  const message = renderSlackReply(reply, deps.publicUrl);
  await deps.client.chat.postMessage({ channel: target.channel, thread_ts: target.threadTs, ...message });
}

/** Answers in the thread: status, streamed or posted reply, its documents, thread title. Never throws. */
export async function answerInThread(
  deps: DeliveryDeps,
  incoming: IncomingMessage,
  target: SlackTarget,
  panel: PanelUtilities = {},
): Promise<void> {
  const stream = target.threadTs ? createStream(deps.client, target) : undefined;
  const io: TurnIO = {
    onStatus: (status) => bestEffort(panel.setStatus && (() => panel.setStatus!(status)), deps.log, 'status'),
    onPartial: stream?.onPartial,
    lookupEmail: lookupEmail(deps.client, target.userId),
  };
  const reply = await deps.core.handleTurn(incoming, io);
  try {
    const streamed = await stream?.finish(reply, deps.publicUrl);
    if (!streamed) await postInThread(deps, reply, target);
    await uploadFiles(deps, reply, target);
  } catch (error) {
    deps.log.error({ code: new ChannelSendError(error).code }, 'slack reply failed');
  }
  if (reply.title)
    await bestEffort(panel.setTitle && (() => panel.setTitle!(reply.title!)), deps.log, 'title');
}

/**
 * A button click. What continues the conversation (a form's next step, a card, a document) goes in the
 * thread for everyone in it; the rest (thanks for a rating, passages, a fiche's page) only to the clicker.
 */
export async function answerClick(deps: DeliveryDeps, incoming: IncomingMessage, target: SlackTarget) {
  const reply = await deps.core.handleTurn(incoming, {
    lookupEmail: lookupEmail(deps.client, target.userId),
  });
  if (!(reply.form || reply.card || reply.files?.length)) return replyPrivately(deps, reply, target);
  try {
    await postInThread(deps, reply, target);
    await uploadFiles(deps, reply, target);
  } catch (error) {
    deps.log.error({ code: new ChannelSendError(error).code }, 'slack reply failed');
  }
}

/** A reply only the clicking user sees (thanks for feedback, passages…), in the same thread. */
export async function replyPrivately(deps: DeliveryDeps, reply: Reply, target: SlackTarget): Promise<void> {
  try {
    await deps.client.chat.postEphemeral({
      channel: target.channel,
      user: target.userId,
      thread_ts: target.threadTs,
      ...renderSlackReply(reply, deps.publicUrl),
    });
  } catch (error) {
    deps.log.error({ code: new ChannelSendError(error).code }, 'slack ephemeral reply failed');
  }
}
