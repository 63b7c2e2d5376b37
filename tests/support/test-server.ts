import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { type Config, loadConfig } from '../../bot/config.ts';
import type { Repositories } from '../../bot/core/ports.ts';
import { type BoussoleServer, createServer, type ServerDeps } from '../../bot/server.ts';
import type { QueueTarget } from '../../bot/store/database.ts';
import type { KnowledgeBase } from '../../knowledge/types.ts';
import { createCapturingLogger } from './capture-logger.ts';
import { createMemoryRepositories, type MemoryRepositories } from './memory-repositories.ts';
import { createTestKnowledgeBase } from './test-knowledge-base.ts';

export const PUBLIC_URL = 'https://boussole.test';
export const SIGNING_SECRET = 'test-signing-secret';

export interface TestServer<R extends Repositories = MemoryRepositories> {
  baseUrl: string;
  server: BoussoleServer;
  config: Config;
  repositories: R;
  logLines: Record<string, unknown>[];
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The real server on 127.0.0.1 and a random port, over in-memory repositories (or the database given). */
export async function startTestServer<R extends Repositories = MemoryRepositories>(
  options: {
    knowledge?: KnowledgeBase;
    slackApiUrl?: string;
    /** Citation links point at this server itself (for browser tests that follow them). */
    selfLinks?: boolean;
    /** A real database's repositories (people, fiches and forms have no in-memory version). */
    repositories?: R;
    /** More environment (NODE_ENV, WEB_QUESTIONS…), over the test defaults. */
    env?: NodeJS.ProcessEnv;
    /** The database's job queue: with DIGEST_SCHEDULER=on in `env`, the weekly digests run on it. */
    queueTarget?: QueueTarget;
    clock?: () => Date;
  } & Pick<ServerDeps, 'digestOptions'> = {},
): Promise<TestServer<R>> {
  const port = options.selfLinks ? await freePort() : 0;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_URL: options.selfLinks ? `http://127.0.0.1:${port}` : PUBLIC_URL,
    DIGEST_SCHEDULER: 'off',
    ...(options.slackApiUrl
      ? {
          SLACK_BOT_TOKEN: 'xoxb-test',
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_API_URL: options.slackApiUrl,
        }
      : {}),
    ...options.env,
  });
  const repositories = options.repositories ?? (createMemoryRepositories() as unknown as R);
  const { logger, lines } = createCapturingLogger('info');
  const server = await createServer({
    config,
    knowledge: options.knowledge ?? createTestKnowledgeBase(),
    repositories,
    logger,
    queueTarget: options.queueTarget,
    clock: options.clock,
    digestOptions: options.digestOptions,
  });
  const listening = await server.listen(port, '127.0.0.1');
  return {
    baseUrl: `http://127.0.0.1:${listening.port}`,
    server,
    config,
    repositories,
    logLines: lines,
    close: () => server.close(),
  };
}
