/**
 * A local OpenAI-compatible server for tests. It speaks the real REST protocol, so the `openai` SDK, the
 * CLI or a bot can be pointed at it (OPENAI_BASE_URL=fake.url, any OPENAI_API_KEY).
 *
 *   const fake = await startFakeOpenAi();         // 127.0.0.1, random port
 *   fake.url                                      // "http://127.0.0.1:<port>/v1"
 *   fake.setBehaviour({ reply: (request) => 'Texte [1].' })  // the assistant's text, from the parsed request
 *   fake.setBehaviour({ failure: 'http-500' })    // or 'http-429', 'cut-stream', 'stream-ends-early', 'malformed-json';
 *                                                 //   failureCount: N fails only the next N requests
 *   fake.setBehaviour({ delayMs: 2000 })          // wait before answering, to go past a client timeout
 *   fake.setBehaviour({ refusal: 'Je ne peux pas.' })  // the model declines: content null, message.refusal set
 *   fake.requests / fake.chatRequests() / fake.embeddingRequests()  // what was received, oldest first
 *   fake.reset()                                  // default behaviour, no recorded request
 *   await fake.close()
 *
 * Reasoning models (by default a model name starting with o1, o3, o4… or gpt-5; `reasoningModel` changes it, as
 * an Azure deployment of any name can be one) are refused, as OpenAI refuses them, a `temperature` other than 1
 * and `max_tokens` (HTTP 400, `unsupported_value` / `unsupported_parameter`); other models are refused
 * `reasoning_effort`.
 *
 * Endpoints: POST /v1/chat/completions (JSON, or SSE chunks ending with `data: [DONE]` when "stream": true),
 * POST /v1/embeddings (deterministic bag-of-words hashing: texts sharing words get close vectors; NOT
 * normalized, as some local servers; "float" or "base64"; `dimensions` honoured), GET /v1/models.
 * Failures and delays apply to both POST endpoints.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { stableHash } from '../../knowledge/embeddings/local-embedder.ts';

/**
 * 'cut-stream' drops the connection halfway through the body; 'stream-ends-early' ends the response cleanly
 * halfway (no final chunk, no [DONE]); 'malformed-json' sends invalid JSON halfway.
 */
export type FakeFailure = 'http-500' | 'http-429' | 'cut-stream' | 'stream-ends-early' | 'malformed-json';

export interface FakeChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
  [field: string]: unknown;
}

export interface FakeEmbeddingRequest {
  model: string;
  input: string | string[];
  encoding_format?: 'float' | 'base64';
  dimensions?: number;
  [field: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; the raw text when it is not JSON; '' for a bodiless request. */
  body: unknown;
}

export interface FakeOpenAiBehaviour {
  reply: (request: FakeChatRequest) => string;
  failure?: FakeFailure;
  /** How many requests fail before the server answers normally again; all of them when absent. */
  failureCount?: number;
  delayMs: number;
  /** Characters per streamed chunk. */
  chunkSize: number;
  /** Pause between streamed chunks. */
  chunkDelayMs: number;
  /** Embedding size when the request does not ask for `dimensions`. */
  dimensions: number;
  /** Model names served by a reasoning model. */
  reasoningModel: RegExp;
  /**
   * The model refuses (structured outputs): `message.refusal` carries this text and `content` is null,
   * as OpenAI answers a request it declines.
   */
  refusal?: string;
}

export interface FakeOpenAi {
  url: string;
  requests: RecordedRequest[];
  chatRequests(): FakeChatRequest[];
  embeddingRequests(): FakeEmbeddingRequest[];
  setBehaviour(patch: Partial<FakeOpenAiBehaviour>): void;
  reset(): void;
  close(): Promise<void>;
}

const CHAT_PATH = '/v1/chat/completions';
const EMBEDDINGS_PATH = '/v1/embeddings';
const MODELS = ['fake-chat', 'fake-embedding'];

const defaultBehaviour = (): FakeOpenAiBehaviour => ({
  reply: () => 'Réponse de test tirée du premier passage [1].',
  delayMs: 0,
  chunkSize: 12,
  chunkDelayMs: 0,
  dimensions: 64,
  reasoningModel: /^(o\d|gpt-5)/,
});

interface ServerState {
  requests: RecordedRequest[];
  behaviour: FakeOpenAiBehaviour;
  failuresLeft: number;
  /** Aborted on close, so a pending delay does not outlive the server. */
  closing: AbortController;
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const state: ServerState = {
    requests: [],
    behaviour: defaultBehaviour(),
    failuresLeft: Number.POSITIVE_INFINITY,
    closing: new AbortController(),
  };
  const server = createServer((req, res) => {
    handleRequest(state, req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendError(res, 500, `Fake server error: ${String(error)}`, 'server_error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const bodiesAt = (path: string) => state.requests.filter((r) => r.path === path).map((r) => r.body);

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests: state.requests,
    chatRequests: () => bodiesAt(CHAT_PATH) as FakeChatRequest[],
    embeddingRequests: () => bodiesAt(EMBEDDINGS_PATH) as FakeEmbeddingRequest[],
    setBehaviour(patch) {
      state.behaviour = { ...state.behaviour, ...patch };
      if ('failure' in patch || 'failureCount' in patch) {
        state.failuresLeft = state.behaviour.failureCount ?? Number.POSITIVE_INFINITY;
      }
    },
    reset() {
      state.behaviour = defaultBehaviour();
      state.failuresLeft = Number.POSITIVE_INFINITY;
      state.requests.length = 0;
    },
    async close() {
      state.closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handleRequest(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const raw = await readBody(req);
  const body = parseJson(raw);
  state.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body: body ?? raw });
  if (raw !== '' && body === undefined) {
    return sendError(res, 400, 'We could not parse the JSON body.', 'invalid_request_error');
  }
  if (req.method === 'GET' && path === '/v1/models') return sendJson(res, 200, modelList());
  if (req.method !== 'POST' || (path !== CHAT_PATH && path !== EMBEDDINGS_PATH)) {
    return sendError(res, 404, `Unknown request URL: ${req.method} ${path}.`, 'invalid_request_error');
  }
  let clientGone = false;
  res.on('close', () => {
    clientGone = true;
  });
  await pause(state.behaviour.delayMs, state.closing.signal);
  if (!clientGone) await answerPost(state, path, body, res);
}

async function answerPost(
  state: ServerState,
  path: string,
  body: unknown,
  res: ServerResponse,
): Promise<void> {
  const { behaviour } = state;
  const failure = behaviour.failure && state.failuresLeft > 0 ? behaviour.failure : undefined;
  if (failure) state.failuresLeft -= 1;
  if (failure === 'http-500') return sendError(res, 500, 'The server had an error.', 'server_error');
  if (failure === 'http-429')
    return sendError(res, 429, 'Rate limit reached.', 'requests', 'rate_limit_exceeded');
  if (path === EMBEDDINGS_PATH)
    return answerEmbeddings(res, body as FakeEmbeddingRequest, behaviour, failure);
  const request = body as FakeChatRequest;
  const refused = unsupportedParameter(request, behaviour.reasoningModel);
  if (refused)
    return sendError(res, 400, refused.message, 'invalid_request_error', refused.code, refused.param);
  const text = behaviour.reply(request);
  if (request.stream)
    return streamChat(res, request, text, { behaviour, failure, signal: state.closing.signal });
  sendJson(res, 200, chatCompletion(request, text, behaviour.refusal), failure);
}

async function streamChat(
  res: ServerResponse,
  request: FakeChatRequest,
  text: string,
  context: { behaviour: FakeOpenAiBehaviour; failure?: FakeFailure; signal: AbortSignal },
): Promise<void> {
  const { behaviour, failure, signal } = context;
  const id = `chatcmpl-fake-${Date.now()}`;
  const chunk = (delta: object, finishReason: string | null) =>
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    })}\n\n`;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(chunk({ role: 'assistant', content: '' }, null));
  const pieces = splitText(text, behaviour.chunkSize);
  for (const [i, piece] of pieces.entries()) {
    const halfway = i >= Math.floor(pieces.length / 2);
    if (failure === 'cut-stream' && halfway) {
      // Destroying only once the data is flushed, so the client does receive the first half.
      res.write(chunk({ content: piece }, null), () => res.destroy());
      return;
    }
    if (failure === 'stream-ends-early' && halfway) {
      res.end();
      return;
    }
    if (failure === 'malformed-json' && halfway) {
      res.end('data: {"id": "chatcmpl-fake", "choices": [{"delta": {"content": \n\n');
      return;
    }
    res.write(chunk({ content: piece }, null));
    await pause(behaviour.chunkDelayMs, signal);
    if (res.closed) return;
  }
  res.write(chunk({}, 'stop'));
  res.end('data: [DONE]\n\n');
}

function answerEmbeddings(
  res: ServerResponse,
  request: FakeEmbeddingRequest,
  behaviour: FakeOpenAiBehaviour,
  failure?: FakeFailure,
): void {
  const inputs = typeof request.input === 'string' ? [request.input] : request.input;
  if (!Array.isArray(inputs) || !inputs.every((input) => typeof input === 'string')) {
    sendError(res, 400, "'input' must be a string or an array of strings.", 'invalid_request_error');
    return;
  }
  const dimensions = request.dimensions ?? behaviour.dimensions;
  const data = inputs.map((input, index) => {
    const vector = hashedBagOfWords(input, dimensions);
    const embedding =
      request.encoding_format === 'base64'
        ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
        : vector;
    return { object: 'embedding', index, embedding };
  });
  const tokens = inputs.reduce((sum, input) => sum + Math.ceil(input.length / 4), 0);
  sendJson(
    res,
    200,
    { object: 'list', data, model: request.model, usage: { prompt_tokens: tokens, total_tokens: tokens } },
    failure,
  );
}

/** What OpenAI's API refuses for this model, with its own words. */
function unsupportedParameter(
  request: FakeChatRequest,
  reasoningModel: RegExp,
): { message: string; code: string; param: string } | undefined {
  const reasoning = reasoningModel.test(String(request.model));
  if (reasoning && request.temperature !== undefined && request.temperature !== 1) {
    return {
      message: `Unsupported value: 'temperature' does not support ${request.temperature} with this model. Only the default (1) value is supported.`,
      code: 'unsupported_value',
      param: 'temperature',
    };
  }
  if (reasoning && request.max_tokens !== undefined) {
    return {
      message:
        "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      code: 'unsupported_parameter',
      param: 'max_tokens',
    };
  }
  if (!reasoning && request.reasoning_effort !== undefined) {
    return {
      message: "Unsupported parameter: 'reasoning_effort' is not supported with this model.",
      code: 'unsupported_parameter',
      param: 'reasoning_effort',
    };
  }
  return undefined;
}

function chatCompletion(request: FakeChatRequest, text: string, refusal?: string): object {
  const promptTokens = Math.ceil(JSON.stringify(request.messages ?? []).length / 4);
  const completionTokens = Math.ceil(text.length / 4);
  return {
    id: `chatcmpl-fake-${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices: [
      {
        index: 0,
        message: refusal
          ? { role: 'assistant', content: null, refusal }
          : { role: 'assistant', content: text, refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}

function modelList(): object {
  const created = Math.floor(Date.now() / 1000);
  return { object: 'list', data: MODELS.map((id) => ({ id, object: 'model', created, owned_by: 'fake' })) };
}

/** Same text, same vector; each word (lowercased, accents folded) adds 1 to the dimension its hash picks. */
function hashedBagOfWords(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .split(/[^\p{L}\p{N}]+/u);
  for (const word of words) {
    if (word !== '') vector[stableHash(word) % dimensions]! += 1;
  }
  return vector;
}

function splitText(text: string, size: number): string[] {
  const characters = Array.from(text);
  const pieces: string[] = [];
  for (let start = 0; start < characters.length; start += size) {
    pieces.push(characters.slice(start, start + size).join(''));
  }
  return pieces;
}

/** A whole JSON body, or on a failure its first half (connection cut, or cleanly ended). */
function sendJson(res: ServerResponse, status: number, payload: object, failure?: FakeFailure): void {
  const body = JSON.stringify(payload);
  if (failure === 'cut-stream') {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.write(body.slice(0, body.length / 2), () => res.destroy());
    return;
  }
  const sent = failure ? body.slice(0, body.length / 2) : body;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(sent);
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  code?: string,
  param?: string,
): void {
  sendJson(res, status, { error: { message, type, param: param ?? null, code: code ?? null } });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms > 0) await sleep(ms, undefined, { signal }).catch(() => undefined);
}
