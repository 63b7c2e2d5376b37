import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from '../bot/cli/support.ts';
import { readIndexFiles } from '../knowledge/index-store.ts';
import {
  FAKE_BOT_USER_ID,
  FAKE_TEAM_ID,
  type FakeSlackApi,
  type SlackApiCall,
  startFakeSlackApi,
} from '../tests/support/fake-slack-api.ts';
import {
  type ConnectorCall,
  type FakeTeamsConnector,
  startFakeTeamsConnector,
} from '../tests/support/fake-teams-connector.ts';
import { eventBody, postToSlackEndpoint } from '../tests/support/slack-requests.ts';
import { channelMetrics, isRepeated, ReplyTracker, runUsers } from './load.ts';
import { corpusQueries } from './queries.ts';
import type { BenchDatabase, BenchOptions, BenchWorkspace, Metric, ServerMemory } from './report.ts';

const REPLY_TIMEOUT_MS = 10_000;
/** Longest wait for the server process to start or to stop. */
const START_TIMEOUT_MS = 60_000;
const TSX = path.resolve('node_modules/.bin/tsx');
/** Time left after the last answer for a duplicate to show up. */
const GRACE_MS = 500;
const TENANT = 'bench-tenant';
/** Event and activity numbers of the warm-up round, far from the measured ones. */
const WARM_UP_FIRST_INDEX = 100_000;

interface BenchServer {
  baseUrl: string;
  signingSecret: string;
  slackApi: FakeSlackApi;
  connector: FakeTeamsConnector;
  /** Stops the server gracefully and returns its memory. */
  close(): Promise<ServerMemory>;
}

/** The environment of the server process: only what it needs, so no LLM or real channel is reached. */
function serverEnvironment(
  workspace: BenchWorkspace,
  database: BenchDatabase,
  slack: { apiUrl: string; signingSecret: string },
  quick: boolean,
) {
  const { PATH, HOME, TMPDIR } = process.env;
  return {
    ...(PATH ? { PATH } : {}),
    ...(HOME ? { HOME } : {}),
    ...(TMPDIR ? { TMPDIR } : {}),
    NODE_ENV: 'development',
    DATA_DIR: workspace.dataDir,
    SOURCES_DIR: workspace.sourcesDir,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: slack.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    ...(quick ? { BENCH_SETTLE_MS: '300' } : {}),
    ...(database.name === 'PostgreSQL' ? { DATABASE_URL: database.url } : {}),
  };
}

/** Reads the JSON lines the server process writes, one at a time, with a deadline. */
function messagesOf(child: ChildProcess) {
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr = `${stderr}${chunk}`.slice(-4_000);
  });
  return async <Message>(timeoutMs: number): Promise<Message> => {
    const timeout = sleep(timeoutMs).then(() => ({ done: true, value: undefined }) as const);
    const next = await Promise.race([lines.next(), timeout]);
    if (next.done) throw new Error(`Le serveur du banc s’est arrêté ou ne répond pas.\n${stderr.trim()}`);
    return JSON.parse(next.value);
  };
}

/**
 * The real server in its own process (bench/server.ts), as in service, so that the simulated users
 * and the fakes in this process do not share its event loop.
 */
async function startBenchServer(
  workspace: BenchWorkspace,
  database: BenchDatabase,
  quick: boolean,
): Promise<BenchServer> {
  const slackApi = await startFakeSlackApi();
  const connector = await startFakeTeamsConnector();
  const signingSecret = randomBytes(16).toString('hex');
  const child = spawn(TSX, ['bench/server.ts'], {
    env: serverEnvironment(workspace, database, { apiUrl: `${slackApi.url}/api/`, signingSecret }, quick),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const nextMessage = messagesOf(child);
  const closeFakes = () => Promise.all([slackApi.close(), connector.close()]);
  try {
    const { port } = await nextMessage<{ port: number }>(START_TIMEOUT_MS);
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      signingSecret,
      slackApi,
      connector,
      async close() {
        child.kill('SIGTERM');
        const { memory } = await nextMessage<{ memory: ServerMemory }>(START_TIMEOUT_MS).finally(closeFakes);
        return memory;
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    await closeFakes();
    throw error;
  }
}

/** Even questions mention the app in a channel, odd ones are direct messages in the assistant panel. */
function slackEvent(question: string, user: number, index: number) {
  const ts = `${1_800_000_000 + index}.${String(user).padStart(6, '0')}`;
  const common = { user: `U0BENCH${user}`, ts, event_ts: ts, team: FAKE_TEAM_ID };
  const event =
    index % 2 === 0
      ? {
          ...common,
          type: 'app_mention',
          channel: `C0BENCH${user}`,
          text: `<@${FAKE_BOT_USER_ID}> ${question}`,
        }
      : {
          ...common,
          type: 'message',
          channel_type: 'im',
          channel: `D0BENCH${user}`,
          thread_ts: `${1_700_000_000 + index}.000001`,
          text: question,
        };
  const threadTs = 'thread_ts' in event ? event.thread_ts : ts;
  return { key: `${event.channel}|${threadTs}`, body: eventBody(`Ev0BENCH${index}`, event, FAKE_TEAM_ID) };
}

async function benchSlack(
  server: BenchServer,
  questions: string[],
  users: number,
  firstIndex = 0,
): Promise<Metric[]> {
  const tracker = new ReplyTracker<SlackApiCall>(server.slackApi.calls, (call) =>
    call.method === 'chat.postMessage' ? `${call.body.channel}|${call.body.thread_ts}` : undefined,
  );
  const acks: number[] = [];
  let refused = 0;
  const post = async (body: string, retryNum?: number) => {
    const started = performance.now();
    const response = await postToSlackEndpoint(
      `${server.baseUrl}/slack/events`,
      server.signingSecret,
      body,
      'application/json',
      { retryNum },
    );
    await response.arrayBuffer();
    acks.push(performance.now() - started);
    if (!response.ok) refused++;
  };
  await runUsers(questions, users, async (question, user, index) => {
    const { key, body } = slackEvent(question, user, firstIndex + index);
    tracker.sent(key);
    await post(body);
    // Slack's retry of an event it believes unacknowledged, while the answer is being prepared.
    if (isRepeated(index)) await post(body, 1);
    await tracker.waitForReply(key, REPLY_TIMEOUT_MS);
  });
  const [lost, duplicated, reply] = channelMetrics('Slack', await tracker.finish(GRACE_MS), questions.length);
  return [
    lost!,
    duplicated!,
    {
      label: 'Slack : accusé de réception p95',
      value: percentile(acks, 95),
      unit: 'ms',
      target: { below: 300 },
    },
    reply!,
    { label: 'Slack : requêtes refusées (HTTP ≠ 200)', value: refused, unit: '', target: { equals: 0 } },
  ];
}

function teamsMessage(serviceUrl: string, question: string, user: number, index: number) {
  return {
    type: 'message',
    id: `bench-activity-${index}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    locale: 'fr-FR',
    from: { id: `29:bench-user-${user}`, name: `Référent ${user + 1}`, aadObjectId: `aad-bench-${user}` },
    recipient: { id: '28:boussole-bench', name: 'Boussole' },
    conversation: { id: `a:bench-personal-${user}`, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    text: question,
  };
}

async function benchTeams(
  server: BenchServer,
  questions: string[],
  users: number,
  firstIndex = 0,
): Promise<Metric[]> {
  const tracker = new ReplyTracker<ConnectorCall>(server.connector.calls, (call) =>
    call.body?.type === 'message' ? (call.activityId ?? call.body.replyToId) : undefined,
  );
  let refused = 0;
  const post = async (activity: ReturnType<typeof teamsMessage>) => {
    const response = await fetch(`${server.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    await response.arrayBuffer();
    if (!response.ok) refused++;
  };
  await runUsers(questions, users, async (question, user, index) => {
    const activity = teamsMessage(server.connector.url, question, user, firstIndex + index);
    tracker.sent(activity.id);
    // A redelivered activity, in flight at the same time as the first copy.
    await Promise.all(isRepeated(index) ? [post(activity), post(activity)] : [post(activity)]);
    await tracker.waitForReply(activity.id, REPLY_TIMEOUT_MS);
  });
  return [
    ...channelMetrics('Teams', await tracker.finish(GRACE_MS), questions.length),
    { label: 'Teams : requêtes refusées (HTTP ≥ 400)', value: refused, unit: '', target: { equals: 0 } },
  ];
}

/**
 * The memory of the server, by the targets: idle on PGlite about 1 GB before this work; the
 * figures below were measured on the bench's 2-core machine (see the README).
 */
function memoryMetrics(memory: ServerMemory, database: BenchDatabase): Metric[] {
  const targets =
    database.name === 'PGlite' ? { idle: 500, load: 700, max: 1000 } : { idle: 350, load: 450, max: 500 };
  return [
    {
      label: 'Mémoire du serveur au repos après démarrage (RSS)',
      value: memory.rssMb,
      unit: 'Mo',
      target: { below: targets.idle },
    },
    { label: '  dont objets JavaScript (tas V8)', value: memory.heapMb, unit: 'Mo' },
    {
      label: `  dont hors tas (${database.name === 'PGlite' ? 'WebAssembly de PGlite, ' : ''}tampons)`,
      value: memory.externalMb,
      unit: 'Mo',
    },
    {
      label: 'Mémoire maximale du serveur pendant la charge',
      value: memory.loadPeakRssMb,
      unit: 'Mo',
      target: { below: targets.load },
    },
    {
      label: 'Mémoire maximale du serveur, démarrage compris',
      value: memory.maxRssMb,
      unit: 'Mo',
      target: { below: targets.max },
    },
  ];
}

/** 200 questions from 20 simulated users through Slack, then through Teams, on one running server. */
export async function benchChannels(
  workspace: BenchWorkspace,
  options: BenchOptions,
  database: BenchDatabase,
): Promise<Metric[]> {
  const { passages } = await readIndexFiles(workspace.indexDir);
  const questions = corpusQueries(passages, options.quick ? 20 : 200, 8);
  const users = options.quick ? 5 : 20;
  // A first start creates and migrates the database, as the very first `npm start` does once; the
  // measured server is the second, as every later start of a server in service.
  const creation = await (await startBenchServer(workspace, database, options.quick)).close();
  const server = await startBenchServer(workspace, database, options.quick);
  let measured: Metric[];
  try {
    // A first round, not counted, as a server in service has had: JIT, database and client connections warm.
    const warmUp = corpusQueries(passages, users, 9);
    await benchSlack(server, warmUp, users, WARM_UP_FIRST_INDEX);
    await benchTeams(server, warmUp, users, WARM_UP_FIRST_INDEX);
    measured = [
      ...(await benchSlack(server, questions, users)),
      ...(await benchTeams(server, questions, users)),
    ];
  } catch (error) {
    await server.close().catch(() => {});
    throw error;
  }
  return [
    ...measured,
    ...memoryMetrics(await server.close(), database),
    {
      label: 'Mémoire maximale au tout premier démarrage (création de la base)',
      value: creation.maxRssMb,
      unit: 'Mo',
    },
  ];
}
