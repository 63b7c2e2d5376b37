import type { KnowledgeBase } from '../../knowledge/types.ts';
import type { Logger } from '../logger.ts';
import type { Core, FormSender, TurnIO } from './core.ts';
import { type AppError, InvalidInputError, orFail, StorageError, toAppError } from './errors.ts';
import type { Feature } from './feature.ts';
import type { FieldExtractor } from './forms/extraction.ts';
import { type NativeFormActor, type NativeForms, parseFormRef } from './forms/native.ts';
import type { FormSessionKey } from './forms/sessions.ts';
import { createHandlers, textReply } from './handlers.ts';
import { identify } from './identify.ts';
import { cleanText } from './input.ts';
import { apologyFor } from './messages.ts';
import type { DigestNotifier, Repositories } from './ports.ts';
import { createRoutes, type Route, selectRoute, type Turn, type TurnOutcome } from './routes.ts';
import type { IncomingMessage, Reply } from './types.ts';

export interface CoreDeps {
  knowledge: KnowledgeBase;
  repositories: Repositories;
  /** Base of source viewer links; renderers use it through sourceUrl(). */
  publicUrl: string;
  logger: Logger;
  clock?: () => Date;
  /** The features the composition root adds (fiches, tableau de bord…), built on the core's services. */
  features?: ((services: CoreServices) => Feature)[];
  /** Reads a pasted description into a form; only with an LLM configured. */
  extractor?: FieldExtractor;
  /** Posts a weekly digest in Slack or Teams; absent when no channel can (the web chat alone). */
  digestNotifier?: DigestNotifier;
}

/** What the core lends its features. */
export interface CoreServices {
  knowledge: KnowledgeBase;
  repositories: Repositories;
  clock: () => Date;
  /** Base of the links the features send (documents, source viewer). */
  publicUrl: string;
  extractor?: FieldExtractor;
  digestNotifier?: DigestNotifier;
  /** Answers a methodology question as the question route does: cited, recorded, with feedback buttons. */
  askKnowledge(turn: Turn, question: string): Promise<TurnOutcome>;
}

/**
 * The channel-agnostic core. `handleTurn` runs these steps, in order:
 *  1. validate: the message names its channel, workspace, conversation and user; its text is
 *     cleaned (control characters stripped, cut at 4,000 characters with a notice);
 *  2. identify: the channel account is kept (with what is needed to message the person later), and
 *     the person behind it is resolved with their memberships (identify.ts);
 *  3. load the form this person has open in this conversation, if any;
 *  4. route: the first route of the ordered list (bot/core/routes.ts) whose matcher accepts the turn;
 *     an open form comes right after feedback and « voir les passages »;
 *  5. handle: that route's handler builds the reply (a form step saves itself before returning);
 *  6. record: a question is stored with its answer and sources, and the reply gets the interaction
 *     id its feedback buttons carry;
 *  7. return the reply.
 * It never throws: any failure becomes an AppError, its code is logged (never the message text)
 * and the reply is a French apology.
 */
export function createCore(deps: CoreDeps): Core {
  const clock = deps.clock ?? (() => new Date());
  const handlers = createHandlers({ knowledge: deps.knowledge, repositories: deps.repositories, clock });
  const services: CoreServices = {
    knowledge: deps.knowledge,
    repositories: deps.repositories,
    clock,
    publicUrl: deps.publicUrl,
    extractor: deps.extractor,
    digestNotifier: deps.digestNotifier,
    askKnowledge: (turn, question) => handlers.question({ ...turn, ...cleanText(question) }),
  };
  const features = (deps.features ?? []).map((feature) => feature(services));
  const routes = createRoutes(handlers, features);
  const nativeForms: Record<string, NativeForms> = Object.assign(
    {},
    ...features.map((feature) => feature.nativeForms ?? {}),
  );

  /** A native form's feature and the person acting in it; failures become the same French apology as a turn. */
  async function inForm<T>(
    sender: FormSender,
    ref: string,
    io: TurnIO,
    apology: (message: string) => T,
    work: (forms: NativeForms, who: NativeFormActor) => Promise<T>,
  ): Promise<T> {
    const log = deps.logger.child({ requestId: sender.requestId, channel: sender.channel });
    try {
      const formId = parseFormRef(ref)?.formId ?? '';
      if (!Object.hasOwn(nativeForms, formId)) return apology(FORM_UNKNOWN);
      const forms = nativeForms[formId]!;
      const incoming = validate({ ...sender, text: '' }, io).incoming;
      await rememberIdentity(incoming, deps.repositories, log);
      const actor = await identify(incoming, io, deps.repositories, clock, log);
      return await work(forms, { actor, session: sessionKeyOf(incoming) });
    } catch (error) {
      const appError = toAppError(error);
      logFailure(log, appError, 'native_form');
      return apology(apologyFor(appError.code));
    }
  }

  return {
    openForm: (sender, ref, io = {}) =>
      inForm(
        sender,
        ref,
        io,
        (message) => ({ ok: false, message }),
        (forms, who) => forms.open(who, ref),
      ),
    submitForm: (sender, ref, values, io = {}) =>
      inForm(
        sender,
        ref,
        io,
        (message) => ({ kind: 'refused', message }),
        (forms, who) => forms.submit(who, ref, values),
      ),
    async handleTurn(incoming: IncomingMessage, io: TurnIO = {}): Promise<Reply> {
      const started = clock().getTime();
      const log = deps.logger.child({ requestId: incoming.requestId, channel: incoming.channel });
      let route: Route | undefined;
      try {
        const turn = await prepare(validate(incoming, io), deps.repositories, clock, log);
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

/** The open form of this person in this conversation (and thread) is found by this key. */
const sessionKeyOf = (incoming: IncomingMessage): FormSessionKey => ({
  channel: incoming.channel,
  workspaceId: incoming.workspaceId,
  conversationId: incoming.conversationId,
  threadKey: incoming.threadId ?? '',
  userKey: incoming.userId,
});

const FORM_UNKNOWN =
  'Ce formulaire n’existe pas ou plus. Affichez de nouveau le récapitulatif (« récap ») et réessayez.';

function validate(incoming: IncomingMessage, io: TurnIO): Turn {
  const required = [incoming.channel, incoming.workspaceId, incoming.conversationId, incoming.userId];
  if (required.some((value) => typeof value !== 'string' || value.trim() === '')) {
    throw new InvalidInputError('incoming message lacks channel, workspace, conversation or user');
  }
  return { incoming, ...cleanText(typeof incoming.text === 'string' ? incoming.text : ''), io };
}

/** Steps 2 and 3: who is speaking, and the form they have open here. */
async function prepare(
  turn: Turn,
  repositories: Repositories,
  clock: () => Date,
  log: Logger,
): Promise<Turn> {
  const { incoming } = turn;
  await rememberIdentity(incoming, repositories, log);
  const actor = await identify(incoming, turn.io, repositories, clock, log);
  const session = await orFail(
    () => repositories.formSessions.find(sessionKeyOf(incoming)),
    (cause) => new StorageError(cause),
  );
  return { ...turn, actor, session };
}

async function record(
  turn: Turn,
  outcome: TurnOutcome,
  repositories: Repositories,
  log: Logger,
): Promise<Reply> {
  const { incoming } = turn;
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
      // Only a private conversation messages the person later (the weekly digest): a channel's is not kept.
      conversationReference: incoming.isDirect ? incoming.conversationReference : undefined,
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
