import OpenAI from 'openai';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { LlmAnswerWriter } from '../types.ts';
import { asLlmUnavailable, createOpenAiClient, LlmUnavailableError } from './openai-client.ts';
import { ABSTAIN_SENTINEL, type AnswerTemplates, buildAnswerMessages, type ChatMessage } from './prompts.ts';

export { LlmUnavailableError } from './openai-client.ts';

export interface LlmAnswerWriterConfig {
  apiKey: string;
  baseURL?: string;
  model: string;
  /** The whole answer, retries and streaming included, must arrive within this delay. */
  timeoutMs: number;
}

const TEMPERATURE = 0.1;
/** Room for the ~900 characters asked for, so a slightly long answer is not cut mid-sentence. */
const MAX_TOKENS = 700;
/**
 * Reasoning models (o-series, gpt-5) take only the default temperature and want max_completion_tokens, which
 * counts their reasoning too: room for a short reasoning and the answer.
 */
const REASONING_MODEL = /^(o\d|gpt-5)/i;
const REASONING_MAX_TOKENS = 4_000;
/** One retry at most: past that, the extractive answer is the better use of the user's time. */
const MAX_RETRIES = 1;
const CITATION_GROUP = /(\s*)\[(\d+(?:\s*,\s*\d+)*)\]/g;
const UNFINISHED_CITATION = /\s*\[[\d,\s]*$/;

/**
 * Writes the answer with a streamed chat completion. `text` keeps only [n] markers within the passages'
 * range; `abstained` is true when the model gave the sentinel or nothing. Any failure, timeout included,
 * throws `LlmUnavailableError` (so does an error thrown by `onPartial`).
 */
export function createLlmAnswerWriter(
  config: LlmAnswerWriterConfig,
  options: { client?: OpenAI; templates?: AnswerTemplates } = {},
): LlmAnswerWriter {
  const client =
    options.client ?? createOpenAiClient(config, { timeoutMs: config.timeoutMs, maxRetries: MAX_RETRIES });
  // Adjusted once when the server refuses a parameter (a deployment's name need not say what model it runs).
  let sampling = samplingFor(config.model);
  return {
    async write({ question, passages, history, onPartial }) {
      if (passages.length === 0) return { text: '', abstained: true };
      const messages = buildAnswerMessages({ question, passages, history }, options.templates);
      const emitPartial = partialEmitter(passages.length, onPartial);
      try {
        const raw = await withDeadline(config.timeoutMs, async (signal) => {
          for (;;) {
            const request = { model: config.model, messages, sampling, timeoutMs: config.timeoutMs };
            try {
              return await streamText(client, request, signal, emitPartial);
            } catch (error) {
              const accepted = withoutRefused(sampling, error);
              if (!accepted) throw error;
              sampling = accepted;
            }
          }
        });
        return finalAnswer(raw, passages.length);
      } catch (error) {
        throw asLlmUnavailable(error, `réponse du modèle ${config.model}`);
      }
    },
  };
}

type Sampling = Pick<
  ChatCompletionCreateParamsStreaming,
  'temperature' | 'max_tokens' | 'max_completion_tokens' | 'reasoning_effort'
>;

function samplingFor(model: string): Sampling {
  return REASONING_MODEL.test(model)
    ? { max_completion_tokens: REASONING_MAX_TOKENS, reasoning_effort: 'low' }
    : { temperature: TEMPERATURE, max_tokens: MAX_TOKENS };
}

/**
 * The sampling without the parameter the server refused (HTTP 400 `unsupported_value` or
 * `unsupported_parameter`), `max_tokens` becoming `max_completion_tokens`; undefined for any other failure.
 */
function withoutRefused(sampling: Sampling, error: unknown): Sampling | undefined {
  if (!(error instanceof OpenAI.APIError) || error.status !== 400) return undefined;
  if (error.code !== 'unsupported_value' && error.code !== 'unsupported_parameter') return undefined;
  const param = error.param;
  if (!param || param === 'max_completion_tokens' || !Object.hasOwn(sampling, param)) return undefined;
  const { [param as keyof Sampling]: _refused, ...rest } = sampling;
  return param === 'max_tokens' ? { ...rest, max_completion_tokens: REASONING_MAX_TOKENS } : rest;
}

/** Keeps only in-range markers, written one number per bracket; drops a group left empty with its space. */
export function keepValidCitations(text: string, passageCount: number): string {
  return text
    .replace(CITATION_GROUP, (_match, space: string, numbers: string) => {
      const kept = numbers
        .split(',')
        .map(Number)
        .filter((n) => n >= 1 && n <= passageCount);
      return kept.length > 0 ? space + kept.map((n) => `[${n}]`).join('') : '';
    })
    .trim();
}

function finalAnswer(raw: string, passageCount: number): { text: string; abstained: boolean } {
  const text = keepValidCitations(raw, passageCount);
  if (text === '' || text.includes(ABSTAIN_SENTINEL)) return { text: '', abstained: true };
  return { text, abstained: false };
}

async function streamText(
  client: OpenAI,
  request: { model: string; messages: ChatMessage[]; sampling: Sampling; timeoutMs: number },
  signal: AbortSignal,
  onText: (textSoFar: string) => void,
): Promise<string> {
  const stream = await client.chat.completions.create(
    { model: request.model, messages: request.messages, stream: true, ...request.sampling },
    { signal, timeout: request.timeoutMs, maxRetries: MAX_RETRIES },
  );
  let text = '';
  let finishReason: string | null = null;
  for await (const chunk of stream) {
    if (signal.aborted) break;
    const choice = chunk.choices?.[0];
    if (choice?.delta?.content) {
      text += choice.delta.content;
      onText(text);
    }
    finishReason = choice?.finish_reason ?? finishReason;
  }
  // The SDK ends an aborted or truncated stream quietly: only a finish reason proves the answer is whole.
  if (signal.aborted || finishReason === null)
    throw new LlmUnavailableError('réponse interrompue avant la fin');
  if (finishReason === 'content_filter')
    throw new LlmUnavailableError('réponse bloquée par le filtre du service');
  return text;
}

/** Streams what the user may see: nothing while the text could still be the sentinel, no half-typed marker. */
function partialEmitter(passageCount: number, onPartial?: (textSoFar: string) => void) {
  let lastSent = '';
  return (raw: string) => {
    const start = raw.trimStart();
    if (!onPartial || ABSTAIN_SENTINEL.startsWith(start) || start.startsWith(ABSTAIN_SENTINEL)) return;
    const visible = keepValidCitations(raw.replace(UNFINISHED_CITATION, ''), passageCount);
    if (visible === '' || visible === lastSent) return;
    lastSent = visible;
    onPartial(visible);
  };
}

/** The SDK's own timeout is per attempt and its retry pause ignores the signal: this bounds the whole. */
async function withDeadline<T>(ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new LlmUnavailableError(`pas de réponse complète en ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([run(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
