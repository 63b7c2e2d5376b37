import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call as the fake received it. */
export interface SlackApiCall {
  method: string;
  body: Record<string, unknown>;
  /** When it arrived (Date.now()): a views.open must come within 3 s of its trigger. */
  at: number;
}

/** A file received at an upload URL given by files.getUploadURLExternal. */
export interface SlackUpload {
  fileId: string;
  filename: string;
  bytes: Buffer;
}

/** A workspace member as users.info describes them; `email` is only returned with the users:read.email scope. */
export interface FakeSlackUser {
  email?: string;
  realName?: string;
}

/**
 * A local Slack Web API: POST /api/<method> with form or JSON bodies, answered in Slack's shapes,
 * every call recorded. POST /respond/<id> plays a slash command's or a button's response_url; POST
 * /upload/<fileId> the upload URL files.getUploadURLExternal hands out (files.completeUploadExternal then
 * shares the file).
 */
export interface FakeSlackApi {
  /** Base URL to give as SLACK_API_URL: `${url}/api/`. */
  url: string;
  calls: SlackApiCall[];
  /** Files uploaded, in arrival order. */
  uploads: SlackUpload[];
  /** Sets who users.info describes under this id (and their e-mail address, if the app may read it). */
  setUser(userId: string, user: FakeSlackUser): void;
  callsTo(method: string): SlackApiCall[];
  /** Resolves once `count` calls to `method` arrived (rejects after `timeoutMs`). */
  waitFor(method: string, count?: number, timeoutMs?: number): Promise<SlackApiCall[]>;
  close(): Promise<void>;
}

export const FAKE_TEAM_ID = 'T0BOUSSOLE';
export const FAKE_BOT_USER_ID = 'U0BOUSSOLE';

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseBody(req: IncomingMessage, bytes: Buffer): Record<string, unknown> {
  const raw = bytes.toString('utf8');
  if (!raw) return {};
  if ((req.headers['content-type'] ?? '').includes('application/json')) return JSON.parse(raw);
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    // The Web API client sends nested objects (blocks, chunks) as JSON strings in form fields.
    body[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return body;
}

/** Slack's modal limits (docs.slack.dev/reference/views): refused as the real API does. */
function viewProblem(view: unknown): string | undefined {
  if (typeof view !== 'object' || view === null) return 'view is required';
  const { type, title, blocks, private_metadata: metadata } = view as Record<string, unknown>;
  if (type !== 'modal') return 'view.type must be modal';
  const titleText = (title as { text?: unknown } | undefined)?.text;
  if (typeof titleText !== 'string' || titleText.length > 24)
    return 'view.title must be at most 24 characters';
  if (!Array.isArray(blocks) || blocks.length > 100) return 'view.blocks must be at most 100 blocks';
  if (typeof metadata === 'string' && metadata.length > 3_000)
    return 'view.private_metadata must be at most 3000 characters';
  return undefined;
}

function viewAnswer(body: Record<string, unknown>, id: string): Record<string, unknown> {
  const problem = viewProblem(body.view);
  if (problem) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: [problem] } };
  return {
    ok: true,
    view: { ...(body.view as object), id, team_id: FAKE_TEAM_ID, state: { values: {} }, hash: `${id}-hash` },
  };
}

/** An upload URL's body: the web client sends the file as multipart form data, other clients the bytes alone. */
async function uploadedBytes(req: IncomingMessage, bytes: Buffer): Promise<Buffer> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) return bytes;
  const form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': type } }).formData();
  let file: Blob | undefined;
  form.forEach((value) => {
    if (typeof value !== 'string') file ??= value;
  });
  return file ? Buffer.from(await file.arrayBuffer()) : Buffer.alloc(0);
}

function answer(
  method: string,
  body: Record<string, unknown>,
  ts: string,
  state: {
    users: Map<string, FakeSlackUser>;
    baseUrl: string;
    uploads: SlackUpload[];
    pending: Map<string, string>;
  },
): Record<string, unknown> {
  const channel = body.channel;
  switch (method) {
    case 'views.open':
      // A trigger_id is required (and valid 3 s in the real API).
      if (typeof body.trigger_id !== 'string' || body.trigger_id === '')
        return { ok: false, error: 'invalid_trigger_id' };
      return viewAnswer(body, `V${ts.replace('.', '')}`);
    case 'views.update':
      if (typeof body.view_id !== 'string' && typeof body.external_id !== 'string')
        return { ok: false, error: 'invalid_arguments' };
      return viewAnswer(body, String(body.view_id ?? body.external_id));
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
    case 'conversations.open':
      // A DM with a user: Slack gives its D… channel id.
      return { ok: true, channel: { id: `D${String(body.users).replace(/^U/, '')}` } };
    case 'conversations.replies':
      return { ok: true, messages: [], has_more: false };
    case 'users.info': {
      const known = state.users.get(String(body.user));
      return {
        ok: true,
        user: {
          id: body.user,
          name: 'referente',
          real_name: known?.realName ?? 'Référente Test',
          profile: {
            display_name: 'Référente',
            ...(known?.email ? { email: known.email } : {}),
          },
        },
      };
    }
    case 'files.getUploadURLExternal': {
      if (!body.filename || !Number(body.length)) return { ok: false, error: 'invalid_arguments' };
      const fileId = `F0${String(state.pending.size + state.uploads.length + 1).padStart(8, '0')}`;
      state.pending.set(fileId, String(body.filename));
      return { ok: true, upload_url: `${state.baseUrl}/upload/${fileId}`, file_id: fileId };
    }
    case 'files.completeUploadExternal': {
      const files = body.files as { id: string; title?: string }[] | undefined;
      const uploaded = (files ?? []).map((file) => state.uploads.find((upload) => upload.fileId === file.id));
      if (!files?.length || uploaded.some((upload) => !upload)) return { ok: false, error: 'file_not_found' };
      return {
        ok: true,
        files: files.map((file, index) => ({
          id: file.id,
          name: uploaded[index]!.filename,
          title: file.title ?? uploaded[index]!.filename,
          size: uploaded[index]!.bytes.length,
          shares: { public: { [String(body.channel_id)]: [{ ts, thread_ts: body.thread_ts }] } },
        })),
      };
    }
    default:
      return { ok: false, error: 'unknown_method' };
  }
}

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const calls: SlackApiCall[] = [];
  const state = {
    users: new Map<string, FakeSlackUser>(),
    baseUrl: '',
    uploads: [] as SlackUpload[],
    pending: new Map<string, string>(),
  };
  let counter = 0;
  const server: Server = createServer(async (req, res) => {
    const raw = await readRaw(req);
    const path = req.url ?? '';
    const upload = /^\/upload\/([^/?]+)/.exec(path)?.[1];
    if (upload) {
      const filename = state.pending.get(upload);
      if (!filename) {
        res.writeHead(404).end();
        return;
      }
      const bytes = await uploadedBytes(req, raw);
      state.pending.delete(upload);
      state.uploads.push({ fileId: upload, filename, bytes });
      calls.push({ method: 'upload', body: { fileId: upload, length: bytes.length }, at: Date.now() });
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${bytes.length}`);
      return;
    }
    const body = parseBody(req, raw);
    const method = path.startsWith('/respond/')
      ? 'response_url'
      : path.replace(/^\/api\//, '').split('?')[0]!;
    calls.push({ method, body, at: Date.now() });
    counter += 1;
    const reply =
      method === 'response_url'
        ? { ok: true }
        : answer(method, body, `1800000000.${String(counter).padStart(6, '0')}`, state);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.baseUrl = url;
  const callsTo = (method: string) => calls.filter((call) => call.method === method);
  return {
    url,
    calls,
    uploads: state.uploads,
    setUser: (userId, user) => state.users.set(userId, user),
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
