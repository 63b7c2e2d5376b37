import { Activity, ActivityTypes, type ConversationReference } from '@microsoft/agents-activity';
import { CloudAdapter } from '@microsoft/agents-hosting';
import type { Config } from '../config.ts';
import type { DigestDestination } from '../features/digest/delivery.ts';
import type { Digest } from '../features/digest/model.ts';
import { resolveTeamsAuth } from './teams-auth.ts';
import { digestCard } from './teams-digest.ts';

/** The bot's id in continueConversation when no credentials are set (local tests against a loopback connector). */
const ANONYMOUS_BOT = 'boussole';

/**
 * Posts a digest to Teams proactively: the Agents SDK's continueConversation with the conversation reference
 * stored when the person (or the channel) last wrote to Boussole, and the digest as one Adaptive Card.
 */
export function createTeamsNotifier(config: Config) {
  const auth = resolveTeamsAuth(config);
  if (auth.mode === 'disabled') return undefined;
  const adapter = new CloudAdapter(auth.authConfig);
  const botId = config.teams?.clientId ?? ANONYMOUS_BOT;
  return async (destination: DigestDestination, digest: Digest): Promise<void> => {
    const reference = destination.conversationReference as ConversationReference | undefined;
    if (!reference?.serviceUrl || !reference.conversation?.id) {
      throw new Error('référence de conversation Teams absente : écrivez d’abord à Boussole depuis Teams');
    }
    // The adapter hands a failure inside the turn to its onTurnError, which would post an apology and swallow
    // it: the failure is kept here and thrown after, so the ledger records it and the queue retries.
    let failure: unknown;
    await adapter.continueConversation(botId, reference, async (context) => {
      try {
        await context.sendActivity(
          Activity.fromObject({ type: ActivityTypes.Message, attachments: [digestCard(digest)] }),
        );
      } catch (error) {
        failure = error;
      }
    });
    if (failure) throw failure;
  };
}
