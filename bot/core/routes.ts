import { ActionId } from './actions.ts';
import type { TurnIO } from './core.ts';
import type { Feature } from './feature.ts';
import type { FormSession } from './forms/sessions.ts';
import { isGreetingOrHelp, isWordless } from './input.ts';
import type { Actor } from './people.ts';
import type { NewInteraction } from './ports.ts';
import type { IncomingMessage, Reply } from './types.ts';

/** One turn as the routes see it: the message and its cleaned text. */
export interface Turn {
  incoming: IncomingMessage;
  /** Control characters stripped, cut to the maximum length. */
  text: string;
  truncated: boolean;
  /** The text before that cut: a form field keeps up to its own limit and says so. */
  fullText: string;
  io: TurnIO;
  /** Who is speaking, resolved before routing; undefined for someone with no person record (questions only). */
  actor?: Actor;
  /** The form this person has open in this conversation, if any: it gets the message first. */
  session?: FormSession;
}

/** What the question/answer log keeps of a turn; the pipeline adds who and where. */
export type InteractionRecord = Omit<
  NewInteraction,
  'channel' | 'workspaceId' | 'conversationId' | 'threadId' | 'userId'
>;

export interface TurnOutcome {
  reply: Reply;
  /** Set when the turn is a question to store; the pipeline records it and fills reply.interactionId. */
  interaction?: InteractionRecord;
}

export type Matcher = (turn: Turn) => boolean;

export interface Route {
  name: string;
  match: Matcher;
  handle: (turn: Turn) => Promise<TurnOutcome>;
}

export const isAction =
  (id: string): Matcher =>
  (turn) =>
    turn.incoming.action?.id === id;

export const hasAnyAction: Matcher = (turn) => turn.incoming.action !== undefined;

export const hasNoText: Matcher = (turn) => turn.text === '';

export const hasOnlySymbols: Matcher = (turn) => isWordless(turn.text);

export const isGreeting: Matcher = (turn) => isGreetingOrHelp(turn.text);

export const always: Matcher = () => true;

export interface RouteHandlers {
  feedback: Route['handle'];
  showPassages: Route['handle'];
  askSuggested: Route['handle'];
  unknownAction: Route['handle'];
  emptyText: Route['handle'];
  wordless: Route['handle'];
  help: Route['handle'];
  question: Route['handle'];
}

/**
 * The ordered route list; the first match wins. Feedback and « voir les passages » work at any time;
 * then an open form gets the person's message; then the features' commands; then the knowledge base.
 */
export function createRoutes(handlers: RouteHandlers, features: Feature[] = []): Route[] {
  const forms = Object.assign({}, ...features.map((feature) => feature.forms)) as Feature['forms'];
  const openForm: Route = {
    name: 'form',
    match: (turn) => turn.session !== undefined && Object.hasOwn(forms, turn.session.formId),
    handle: (turn) => forms[turn.session!.formId]!(turn, turn.session!),
  };
  return [
    { name: 'feedback', match: isAction(ActionId.Feedback), handle: handlers.feedback },
    { name: 'show_passages', match: isAction(ActionId.ShowPassages), handle: handlers.showPassages },
    openForm,
    ...features.flatMap((feature) => feature.routes),
    { name: 'ask_suggested', match: isAction(ActionId.Ask), handle: handlers.askSuggested },
    { name: 'unknown_action', match: hasAnyAction, handle: handlers.unknownAction },
    { name: 'empty_text', match: hasNoText, handle: handlers.emptyText },
    { name: 'wordless', match: hasOnlySymbols, handle: handlers.wordless },
    { name: 'help', match: isGreeting, handle: handlers.help },
    { name: 'question', match: always, handle: handlers.question },
  ];
}

/** First matching route; the list ends with a catch-all, so there is always one. */
export function selectRoute(routes: Route[], turn: Turn): Route {
  const route = routes.find((candidate) => candidate.match(turn));
  if (!route) throw new Error('route list must end with a catch-all route');
  return route;
}
