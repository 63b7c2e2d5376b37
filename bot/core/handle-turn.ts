import type { KnowledgeBase } from '../../knowledge/types.ts';
import type { Logger } from '../logger.ts';
import type { Core, TurnIO } from './core.ts';
import { type AppError, InvalidInputError, StorageError, toAppError } from './errors.ts';
import { createHandlers, textReply } from './handlers.ts';
import { cleanText } from './input.ts';
import { apologyFor } from './messages.ts';
import type { Repositories } from './ports.ts';
import { createRoutes, type Route, selectRoute, type Turn, type TurnOutcome } from './routes.ts';
import type { IncomingMessage, Reply } from './types.ts';

export interface CoreDeps {
  knowledge: KnowledgeBase;
  repositories: Repositories;
  /** Base of source viewer links; renderers use it through sourceUrl(). */
  publicUrl: string;
  logger: Logger;
  clock?: () => Date;
}

/**
 * The channel-agnostic core. `handleTurn` runs these steps, in order:
 *  1. validate: the message names its channel, workspace, conversation and user; its text is
 *     cleaned (control characters stripped, cut at 4,000 characters with a notice);
 *  2. route: the first route of the ordered list (bot/core/routes.ts) whose matcher accepts the turn;
 *  3. handle: that route's handler builds the reply (and, for a question, what to store);
 *  4. record: a question is stored with its answer and sources, and the reply gets the interaction
 *     id its feedback buttons carry; the person's channel identity is kept to message them later;
 *  5. return the reply.
 * It never throws: any failure becomes an AppError, its code is logged (never the message text)
 * and the reply is a French apology.
 */
export function createCore(deps: CoreDeps): Core {
  const clock = deps.clock ?? (() => new Date());
  const routes = createRoutes(
    createHandlers({ knowledge: deps.knowledge, repositories: deps.repositories, clock }),
  );
  return {
    async handleTurn(incoming: IncomingMessage, io: TurnIO = {}): Promise<Reply> {
      const started = clock().getTime();
      const log = deps.logger.child({ requestId: incoming.requestId, channel: incoming.channel });
      let route: Route | undefined;
      try {
        const turn = validate(incoming, io);
        route = selectRoute(routes, turn);
        const outcome = await route.handle(turn);
        const reply = await record(turn, outcome, deps.repositories, log);
        log.info({ route: route.name, latencyMs: clock().getTime() - started }, 'turn handled');
        return reply;
      } catch (error) {
        const appError = toAppError(error);
        logFailure(log, appError, route?.name);
        return textReply(apologyFor(appError.code));
      }
    },
  };
}

function validate(incoming: IncomingMessage, io: TurnIO): Turn {
  const required = [incoming.channel, incoming.workspaceId, incoming.conversationId, incoming.userId];
  if (required.some((value) => typeof value !== 'string' || value.trim() === '')) {
    throw new InvalidInputError('incoming message lacks channel, workspace, conversation or user');
  }
  return { incoming, ...cleanText(typeof incoming.text === 'string' ? incoming.text : ''), io };
}

async function record(
  turn: Turn,
  outcome: TurnOutcome,
  repositories: Repositories,
  log: Logger,
): Promise<Reply> {
  const { incoming } = turn;
  await rememberIdentity(incoming, repositories, log);
  if (!outcome.interaction) return outcome.reply;
  try {
    const { id } = await repositories.interactions.record({
      ...outcome.interaction,
      channel: incoming.channel,
      workspaceId: incoming.workspaceId,
      conversationId: incoming.conversationId,
      threadId: incoming.threadId,
      userId: incoming.userId,
    });
    return { ...outcome.reply, interactionId: id };
  } catch (error) {
    // The answer is still worth giving; only its feedback buttons need the stored interaction.
    logFailure(log, new StorageError(error), 'record');
    return { ...outcome.reply, feedback: false };
  }
}

/** Best effort: a failure here must not cost the user their answer. */
async function rememberIdentity(
  incoming: IncomingMessage,
  repositories: Repositories,
  log: Logger,
): Promise<void> {
  if (incoming.conversationReference === undefined) return;
  try {
    await repositories.identities.upsert({
      channel: incoming.channel,
      workspaceId: incoming.workspaceId,
      externalUserId: incoming.userId,
      displayName: incoming.userName,
      conversationReference: incoming.conversationReference,
    });
  } catch (error) {
    logFailure(log, new StorageError(error), 'identity');
  }
}

function logFailure(log: Logger, error: AppError, route: string | undefined): void {
  const cause =
    error.cause instanceof Error ? { name: error.cause.name, message: error.cause.message } : undefined;
  log.error({ code: error.code, route, cause }, 'turn failed');
}
