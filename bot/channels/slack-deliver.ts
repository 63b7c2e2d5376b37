import type { ChatStreamer, WebClient } from '@slack/web-api';
import type { Core, TurnIO } from '../core/core.ts';
import { ChannelSendError, toAppError } from '../core/errors.ts';
import type { IncomingMessage, Reply } from '../core/types.ts';
import type { Logger } from '../logger.ts';
import { renderSlackReply, trailerBlocks } from './slack-render.ts';

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
      await streamer.stop({
        ...(rest ? { markdown_text: rest } : {}),
        blocks: trailerBlocks(reply, publicUrl),
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

/** Answers in the thread: status, streamed or posted reply, thread title. Never throws. */
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
  };
  const reply = await deps.core.handleTurn(incoming, io);
  try {
    const streamed = await stream?.finish(reply, deps.publicUrl);
    if (!streamed) {
      const message = renderSlackReply(reply, deps.publicUrl);
      await deps.client.chat.postMessage({ channel: target.channel, thread_ts: target.threadTs, ...message });
    }
  } catch (error) {
    deps.log.error({ code: new ChannelSendError(error).code }, 'slack reply failed');
  }
  if (reply.title)
    await bestEffort(panel.setTitle && (() => panel.setTitle!(reply.title!)), deps.log, 'title');
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
