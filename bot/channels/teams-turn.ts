import { Activity } from '@microsoft/agents-activity';
import { StreamingResponse, StreamingResponseResult, type TurnContext } from '@microsoft/agents-hosting';
import { ActionId } from '../core/actions.ts';
import { toAppError } from '../core/errors.ts';
import { apologyFor, STATUS_SEARCHING } from '../core/messages.ts';
import type { IncomingMessage } from '../core/types.ts';
import type { ChannelDeps } from './channel.ts';
import { isFirstDelivery } from './first-delivery.ts';
import { teamsFiles } from './teams-files.ts';
import { senderOf, type TeamsFeedback, toFeedback, toIncomingMessage } from './teams-incoming.ts';
import { renderTeamsReply, type TeamsMessage } from './teams-render.ts';
import { sectionFormAnswer } from './teams-section-form.ts';

/** Streams an LLM answer in a personal chat; started by the first partial text, so extractive answers never stream. */
class AnswerStream {
  private stream?: StreamingResponse;
  private sentText = '';

  constructor(private readonly context: TurnContext) {}

  get started(): boolean {
    return this.stream !== undefined;
  }

  partial(textSoFar: string): void {
    if (!this.stream) {
      this.stream = new StreamingResponse(this.context);
      this.stream.queueInformativeUpdate(STATUS_SEARCHING);
    }
    // The SDK only appends; if the writer rewrote earlier text, the final message carries the whole answer.
    if (!textSoFar.startsWith(this.sentText)) return;
    this.stream.queueTextChunk(textSoFar.slice(this.sentText.length));
    this.sentText = textSoFar;
  }

  /**
   * Ends the stream with our rendered message as the final one. Its entity already carries the citations and the
   * AI label, so setCitations/setGeneratedByAILabel are not used: they would add a second root Message entity.
   */
  async finish(message: TeamsMessage): Promise<string | undefined> {
    const stream = this.stream!;
    stream.setFeedbackLoop(message.channelData.feedbackLoopEnabled);
    stream.setFinalMessage(Activity.fromObject(message));
    const result = await stream.endStream();
    if (result === StreamingResponseResult.Error) return sendMessage(this.context, message);
    return stream.streamId;
  }
}

/**
 * The sender's e-mail address from their Teams member record (GET /v3/conversations/{id}/members/{userId},
 * or the team's roster in a channel): `email`, else the user principal name, which is their sign-in address.
 */
async function memberEmail(context: TurnContext): Promise<string | undefined> {
  // Loaded at first use: asked at most once a day per unknown account, it need not slow the start.
  const { TeamsInfo } = await import('@microsoft/agents-hosting-extensions-teams');
  const member = await TeamsInfo.getMember(context, context.activity.from!.id!);
  return member.email || member.userPrincipalName || undefined;
}

async function sendMessage(context: TurnContext, message: TeamsMessage): Promise<string | undefined> {
  const response = await context.sendActivity(Activity.fromObject(message));
  return response?.id || undefined;
}

/** The Teams side of one turn: activity in, native messages out. State lives in our database, not in TurnState. */
export function createTeamsTurnHandler(deps: ChannelDeps) {
  const { core, repositories, logger, config } = deps;

  /**
   * Teams' feedback invoke names only the message it rates (replyToId), so the id the connector gave our answer
   * (or its stream id) is linked to the interaction in the database: any process, even after a restart, finds it.
   */
  async function linkSentAnswer(messageId: string, interactionId: string, requestId?: string): Promise<void> {
    try {
      await repositories.interactions.linkChannelMessage({ interactionId, channel: 'teams', messageId });
    } catch (error) {
      // The answer is already posted: an apology now would be wrong; only its feedback will be lost.
      logger.error({ err: error, requestId }, 'Teams : réponse envoyée mais non reliée à son interaction');
    }
  }

  async function answer(context: TurnContext, incoming: IncomingMessage): Promise<void> {
    const stream = incoming.isDirect ? new AnswerStream(context) : undefined;
    const reply = await core.handleTurn(incoming, {
      onStatus: stream ? () => typing(context, stream, incoming.requestId) : undefined,
      onPartial: stream ? (textSoFar) => stream.partial(textSoFar) : undefined,
      lookupEmail: () => memberEmail(context),
    });
    const message = renderTeamsReply(reply, config.publicUrl);
    const sentId = stream?.started ? await stream.finish(message) : await sendMessage(context, message);
    if (sentId && reply.interactionId) await linkSentAnswer(sentId, reply.interactionId, incoming.requestId);
  }

  /** Best effort, as every progress signal: a lost typing indicator must not cost the answer. */
  async function typing(context: TurnContext, stream: AnswerStream, requestId?: string): Promise<void> {
    if (stream.started) return;
    try {
      await context.sendActivity(Activity.fromObject({ type: 'typing' }));
    } catch (error) {
      logger.warn({ code: toAppError(error).code, requestId }, 'Teams : indicateur de saisie non envoyé');
    }
  }

  async function onMessage(context: TurnContext, requestId: string): Promise<void> {
    const { activity } = context;
    const incoming = toIncomingMessage(activity, requestId);
    if (!incoming) return;
    const log = logger.child({ requestId });
    if (activity.id && !(await isFirstDelivery(repositories.processedEvents, 'teams', activity.id, log)))
      return;
    const form = await sectionFormAnswer(core, incoming, activity.value, config.publicUrl, {
      lookupEmail: () => memberEmail(context),
    });
    if (form) await sendMessage(context, form);
    else await answer(context, { ...incoming, attachments: teamsFiles(activity) });
  }

  async function onFeedback(context: TurnContext, feedback: TeamsFeedback, requestId: string): Promise<void> {
    const interactionId = await repositories.interactions.findByChannelMessage('teams', feedback.replyToId);
    if (!interactionId) {
      logger.warn(
        { requestId, replyToId: feedback.replyToId },
        'Teams : avis sur une réponse inconnue, ignoré',
      );
      return;
    }
    const action = {
      id: ActionId.Feedback,
      value: interactionId,
      rating: feedback.rating,
      comment: feedback.comment,
    };
    // Teams thanks the user itself; the core's reply to a rating is not posted.
    await core.handleTurn({ ...senderOf(context.activity, requestId), text: '', action });
  }

  /** Every invoke is answered 200 with an empty body: without an invokeResponse the SDK answers 501. */
  async function onInvoke(context: TurnContext, requestId: string): Promise<void> {
    try {
      const feedback = toFeedback(context.activity);
      if (feedback) await onFeedback(context, feedback, requestId);
    } catch (error) {
      logger.error({ err: error, requestId }, 'Teams : enregistrement de l’avis impossible');
    } finally {
      await context.sendActivity(Activity.fromObject({ type: 'invokeResponse', value: { status: 200 } }));
    }
  }

  return async function handleTurn(context: TurnContext, requestId: string): Promise<void> {
    if (context.activity.type === 'invoke') return onInvoke(context, requestId);
    if (context.activity.type === 'message') return onMessage(context, requestId);
  };
}

/** Replaces the SDK's English error message with a French apology; logs the error with its request id. */
export function frenchTurnError(deps: ChannelDeps) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    deps.logger.error({ err: error, activityType: context.activity.type }, 'Teams : erreur pendant le tour');
    if (context.activity.type === 'message') {
      await context.sendActivity(apologyFor(toAppError(error).code));
    }
  };
}
