import { loadConfig } from '../../bot/config.ts';
import { createServer } from '../../bot/server.ts';
import type { KnowledgeBase } from '../../knowledge/types.ts';
import { createCapturingLogger } from '../support/capture-logger.ts';
import { type FakeTeamsConnector, startFakeTeamsConnector } from '../support/fake-teams-connector.ts';
import { createMemoryRepositories, type MemoryRepositories } from '../support/memory-repositories.ts';
import {
  createTestKnowledgeBase,
  type TestKnowledgeBase,
  type TestKnowledgeOptions,
} from '../support/test-knowledge-base.ts';

export const PUBLIC_URL = 'https://boussole.example.org';
export const TENANT = '7d3f1c2a-0b5e-4c1d-9a8f-2e6b4d0c1a77';
export const BOT = { id: '28:boussole-bot', name: 'Boussole' };
export const USER = { id: '29:user-camille', name: 'Camille Martin', aadObjectId: 'aad-camille' };
export const CHANNEL_CONVERSATION = '19:general@thread.tacv2';

/** The real server (Teams included), its core over the test knowledge base, and a fake Bot Connector. */
export interface TeamsHarness {
  connector: FakeTeamsConnector;
  repositories: MemoryRepositories;
  logLines: Record<string, unknown>[];
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export async function startTeamsHarness(
  options: {
    env?: NodeJS.ProcessEnv;
    knowledge?: TestKnowledgeOptions;
    /** Changes the test knowledge base's behaviour, e.g. the pace of a streamed answer. */
    wrapKnowledge?: (knowledge: TestKnowledgeBase) => KnowledgeBase;
    /** Another server's repositories: this one then plays a restarted process sharing its database. */
    repositories?: MemoryRepositories;
  } = {},
): Promise<TeamsHarness> {
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL, ...options.env });
  const { logger, lines } = createCapturingLogger('debug');
  const repositories = options.repositories ?? createMemoryRepositories();
  const testKnowledge = createTestKnowledgeBase(options.knowledge);
  const knowledge = options.wrapKnowledge?.(testKnowledge) ?? testKnowledge;
  const connector = await startFakeTeamsConnector();
  const server = await createServer({ config, knowledge, repositories, logger });
  const { port } = await server.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}/api/messages`;
  return {
    connector,
    repositories,
    logLines: lines,
    post: (body, headers = {}) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async close() {
      await server.close();
      await connector.close();
    },
  };
}

let nextId = 1;

/** A 1:1 chat message as Teams posts it. */
export function personalMessage(serviceUrl: string, fields: Record<string, unknown> = {}) {
  return {
    type: 'message',
    id: `1700000${nextId++}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    locale: 'fr-FR',
    from: USER,
    recipient: BOT,
    conversation: { id: 'a:1personal-camille', conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    text: 'Comment rédiger une convention de partenariat ?',
    ...fields,
  };
}

/** A channel message in the reply chain `threadRoot`, mentioning the bot unless `mention` is false. */
export function channelMessage(
  serviceUrl: string,
  question: string,
  { mention = true, threadRoot = '1700000000001' }: { mention?: boolean; threadRoot?: string } = {},
) {
  const atBot = `<at>${BOT.name}</at>`;
  return personalMessage(serviceUrl, {
    conversation: {
      id: `${CHANNEL_CONVERSATION};messageid=${threadRoot}`,
      conversationType: 'channel',
      isGroup: true,
      tenantId: TENANT,
    },
    channelData: { tenant: { id: TENANT }, team: { id: '19:team' }, channel: { id: CHANNEL_CONVERSATION } },
    text: mention ? `${atBot} ${question}` : question,
    entities: mention ? [{ type: 'mention', mentioned: BOT, text: atBot }] : [],
  });
}

/** Teams' feedback-loop invoke on the bot message `replyToId`. */
export function feedbackInvoke(
  serviceUrl: string,
  replyToId: string,
  reaction: 'like' | 'dislike',
  text: string,
) {
  return personalMessage(serviceUrl, {
    type: 'invoke',
    name: 'message/submitAction',
    text: undefined,
    replyToId,
    value: {
      actionName: 'feedback',
      actionValue: { reaction, feedback: JSON.stringify({ feedbackText: text }) },
    },
  });
}
