import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call as the fake received it. */
export interface SlackApiCall {
  method: string;
  body: Record<string, unknown>;
}

/**
 * A local Slack Web API: POST /api/<method> with form or JSON bodies, answered in Slack's shapes,
 * every call recorded. POST /respond/<id> plays a slash command's or a button's response_url.
 */
export interface FakeSlackApi {
  /** Base URL to give as SLACK_API_URL: `${url}/api/`. */
  url: string;
  calls: SlackApiCall[];
  callsTo(method: string): SlackApiCall[];
  /** Resolves once `count` calls to `method` arrived (rejects after `timeoutMs`). */
  waitFor(method: string, count?: number, timeoutMs?: number): Promise<SlackApiCall[]>;
  close(): Promise<void>;
}

export const FAKE_TEAM_ID = 'T0BOUSSOLE';
export const FAKE_BOT_USER_ID = 'U0BOUSSOLE';

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  if (!raw) return {};
  if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(raw);
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    // The Web API client sends nested objects (blocks, chunks) as JSON strings in form fields.
    body[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return body;
}

function answer(method: string, body: Record<string, unknown>, ts: string): Record<string, unknown> {
  const channel = body.channel;
  switch (method) {
    case 'auth.test':
      return {
        ok: true,
        url: 'https://boussole-test.slack.com/',
        team: 'Test',
        user: 'boussole',
        team_id: FAKE_TEAM_ID,
        user_id: FAKE_BOT_USER_ID,
        bot_id: 'B0BOUSSOLE',
      };
    case 'chat.postMessage':
      return {
        ok: true,
        channel,
        ts,
        message: { type: 'message', text: body.text, ts, bot_id: 'B0BOUSSOLE' },
      };
    case 'chat.postEphemeral':
      return { ok: true, message_ts: ts };
    case 'chat.update':
    case 'chat.startStream':
    case 'chat.appendStream':
      return { ok: true, channel, ts: body.ts ?? ts };
    case 'chat.stopStream':
      return { ok: true, channel, ts: body.ts, message: { type: 'message', ts: body.ts } };
    case 'assistant.threads.setStatus':
    case 'assistant.threads.setSuggestedPrompts':
    case 'assistant.threads.setTitle':
      return { ok: true };
    case 'conversations.replies':
      return { ok: true, messages: [], has_more: false };
    case 'users.info':
      return {
        ok: true,
        user: {
          id: body.user,
          name: 'referente',
          real_name: 'Référente Test',
          profile: { display_name: 'Référente' },
        },
      };
    default:
      return { ok: false, error: 'unknown_method' };
  }
}

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const calls: SlackApiCall[] = [];
  let counter = 0;
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const path = req.url ?? '';
    const method = path.startsWith('/respond/')
      ? 'response_url'
      : path.replace(/^\/api\//, '').split('?')[0]!;
    calls.push({ method, body });
    counter += 1;
    const reply =
      method === 'response_url'
        ? { ok: true }
        : answer(method, body, `1800000000.${String(counter).padStart(6, '0')}`);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const callsTo = (method: string) => calls.filter((call) => call.method === method);
  return {
    url,
    calls,
    callsTo,
    async waitFor(method, count = 1, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (callsTo(method).length < count) {
        if (Date.now() > deadline)
          throw new Error(`expected ${count} ${method} call(s), got ${callsTo(method).length}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return callsTo(method);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
