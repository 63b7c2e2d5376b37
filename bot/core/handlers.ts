import { citationOf } from '../../knowledge/index.ts';
import type { Answer, KnowledgeBase, Passage } from '../../knowledge/types.ts';
import {
  documentOfPassage,
  parsePassageIds,
  showPassagesChoice,
  suggestedQuestionChoices,
} from './actions.ts';
import { KnowledgeUnavailableError, orFail, StorageError } from './errors.ts';
import { cleanText, shortTitle } from './input.ts';
import {
  EMPTY_TEXT,
  FEEDBACK_THANKS,
  HELP_TEXT,
  PASSAGES_GONE,
  PASSAGES_INTRO,
  STATUS_SEARCHING,
  TRUNCATED_NOTICE,
  UNKNOWN_ACTION,
  UNKNOWN_INTERACTION,
  WORDLESS_TEXT,
} from './messages.ts';
import type { Repositories, ThreadTurn } from './ports.ts';
import type { RouteHandlers, Turn, TurnOutcome } from './routes.ts';
import type { Reply } from './types.ts';

export interface HandlerDeps {
  knowledge: KnowledgeBase;
  repositories: Repositories;
  clock: () => Date;
}

const HISTORY_TURNS = 5;
const PASSAGE_EXCERPT_LENGTH = 600;

/** A plain reply: no citation, no feedback buttons. */
export function textReply(text: string, extra: Partial<Reply> = {}): Reply {
  return { text, citations: [], aiGenerated: false, feedback: false, ...extra };
}

const replyWith = (text: string, extra?: Partial<Reply>) => async (): Promise<TurnOutcome> => ({
  reply: textReply(text, extra),
});

export function createHandlers(deps: HandlerDeps): RouteHandlers {
  const question = (turn: Turn) => answerQuestion(turn, deps);
  return {
    feedback: (turn) => recordFeedback(turn, deps),
    showPassages: async (turn) => ({ reply: passagesReply(turn, deps.knowledge) }),
    askSuggested: (turn) => question({ ...turn, ...cleanText(turn.incoming.action?.value ?? '') }),
    unknownAction: replyWith(UNKNOWN_ACTION),
    emptyText: replyWith(EMPTY_TEXT),
    wordless: replyWith(WORDLESS_TEXT),
    help: replyWith(HELP_TEXT, { choices: suggestedQuestionChoices() }),
    question,
  };
}

async function recordFeedback(turn: Turn, deps: HandlerDeps): Promise<TurnOutcome> {
  const { action, channel, conversationId, userId } = turn.incoming;
  if (!action?.value || (action.rating !== 'up' && action.rating !== 'down')) {
    return { reply: textReply(UNKNOWN_ACTION) };
  }
  const { rating, value: interactionId, comment } = action;
  const stored = await orFail(
    () =>
      deps.repositories.feedback.record({ interactionId, channel, conversationId, userId, rating, comment }),
    (cause) => new StorageError(cause),
  );
  return { reply: textReply(stored ? FEEDBACK_THANKS[rating] : UNKNOWN_INTERACTION) };
}

function findPassage(knowledge: KnowledgeBase, passageId: string): Passage | undefined {
  return knowledge.documentContent(documentOfPassage(passageId))?.passages.find((p) => p.id === passageId);
}

function passagesReply(turn: Turn, knowledge: KnowledgeBase): Reply {
  const passages = parsePassageIds(turn.incoming.action?.value)
    .map((id) => findPassage(knowledge, id))
    .filter((passage): passage is Passage => passage !== undefined);
  if (passages.length === 0) return textReply(PASSAGES_GONE);
  const citations = passages.map((passage, index) => citationOf(passage, index + 1));
  const excerpts = passages.map((passage, index) => {
    const excerpt = citationOf(passage, index + 1, PASSAGE_EXCERPT_LENGTH).snippet.replace(/\s*\n\s*/g, ' ');
    return `[${index + 1}] **${passage.title} › ${passage.section}**\n> ${excerpt}`;
  });
  return textReply([PASSAGES_INTRO, ...excerpts].join('\n\n'), { citations });
}

async function threadHistory(turn: Turn, deps: HandlerDeps): Promise<ThreadTurn[]> {
  const { channel, conversationId, threadId } = turn.incoming;
  if (!threadId) return [];
  return orFail(
    () => deps.repositories.interactions.threadHistory({ channel, conversationId, threadId }, HISTORY_TURNS),
    (cause) => new StorageError(cause),
  );
}

/** The default route: a question for the knowledge base, answered with citations and stored. */
async function answerQuestion(turn: Turn, deps: HandlerDeps): Promise<TurnOutcome> {
  await turn.io.onStatus?.(STATUS_SEARCHING);
  const history = await threadHistory(turn, deps);
  const started = deps.clock().getTime();
  const answer = await orFail(
    () => deps.knowledge.answer(turn.text, { history, onPartial: turn.io.onPartial }),
    (cause) => new KnowledgeUnavailableError(cause),
  );
  // The answer's body already carries the knowledge base's notices (a long paste among them).
  const notices = turn.truncated && !answer.notice ? [TRUNCATED_NOTICE] : [];
  const reply: Reply = {
    text: [...notices.map((notice) => `_${notice}_`), answer.body].join('\n\n'),
    citations: answer.citations,
    passages: answer.sources,
    choices: answer.sources.length > 0 ? [showPassagesChoice(answer.sources)] : undefined,
    aiGenerated: answer.mode === 'llm',
    // Abstentions get buttons too: a 👎 on "not in the guide" tells us what the guide misses.
    feedback: true,
    title: history.length === 0 ? shortTitle(turn.text) : undefined,
  };
  return { reply, interaction: interactionOf(turn.text, answer, deps.clock().getTime() - started) };
}

function interactionOf(question: string, answer: Answer, latencyMs: number): TurnOutcome['interaction'] {
  return {
    question,
    answer: answer.text,
    abstained: answer.abstained,
    mode: answer.mode,
    latencyMs,
    sources: answer.sources.map((passage, index) => ({
      rank: index + 1,
      document: passage.document,
      section: passage.section,
      passageId: passage.id,
      text: passage.text,
      score: passage.score,
    })),
  };
}
