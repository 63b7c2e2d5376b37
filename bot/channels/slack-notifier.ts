import { WebClient } from '@slack/web-api';
import type { DigestDestination } from '../features/digest/delivery.ts';
import type { Digest } from '../features/digest/model.ts';
import { digestBlocks } from './slack-digest.ts';

/**
 * Posts a digest with the Slack Web API: a DM is opened with conversations.open, a channel is written to as
 * is (the bot must be a member). The client does not retry by itself: the job queue does, after the ledger
 * recorded the failure.
 */
export function createSlackNotifier(options: { botToken: string; apiUrl?: string }) {
  const client = new WebClient(options.botToken, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  return async (destination: DigestDestination, digest: Digest): Promise<void> => {
    let channel = destination.conversationId;
    if (destination.place === 'slack_dm') {
      const opened = await client.conversations.open({ users: destination.conversationId });
      channel = opened.channel?.id ?? channel;
    }
    for (const message of digestBlocks(digest)) {
      await client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
      });
    }
  };
}
