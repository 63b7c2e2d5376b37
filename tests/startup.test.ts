import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalAddress } from './support/network.ts';

const TSX = path.resolve('node_modules/.bin/tsx');
const STACK_LINE = /^\s+at /m;

interface Run {
  code: number | null;
  output: string;
  endedAt: number;
}

let dataRoot: string;

beforeAll(async () => {
  dataRoot = await mkdtemp(path.join(os.tmpdir(), 'boussole-startup-'));
});
afterAll(() => rm(dataRoot, { recursive: true, force: true }));

/** `npm start` as a person runs it, on the fixture sources and a private data folder. */
async function startBot(env: Record<string, string>): Promise<ChildProcess> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !/^(OPENAI_|LLM_|SLACK_|DATABASE_URL|SOURCES_DIR|DATA_DIR|PORT|HOST|PUBLIC_URL|clientId|clientSecret|tenantId|MicrosoftApp)/.test(
          key,
        ),
    ),
  );
  const dataDir = await mkdtemp(path.join(dataRoot, 'data-'));
  return spawn(TSX, ['bot/main.ts'], {
    cwd: path.resolve('.'),
    env: { ...inherited, DATA_DIR: dataDir, SOURCES_DIR: 'tests/fixtures/sources', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the server until it exits by itself (killed after `timeoutMs`). */
async function runToExit(env: Record<string, string>, timeoutMs = 60_000): Promise<Run> {
  const child = await startBot(env);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) =>
    child.on('exit', (exitCode) => resolve(exitCode)),
  );
  clearTimeout(timer);
  return { code, output, endedAt: Date.now() };
}

async function listen(onConnection: (socket: Socket) => void = () => {}): Promise<Server & { port: number }> {
  const server = createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(server, { port: (server.address() as { port: number }).port });
}

const close = (server: Server) => {
  server.close();
};

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe('npm start: where it listens, and the start-up errors a person can make', () => {
  it('listens on loopback only without Teams credentials, and logs where and why', async () => {
    const child = await startBot({});
    let output = '';
    try {
      const listening = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ready:\n${output}`)), 60_000);
        child.stdout!.on('data', (chunk) => {
          output += chunk;
          const line = output.split('\n').find((text) => text.includes('"msg":"écoute sur'));
          if (line) {
            clearTimeout(timer);
            resolve(JSON.parse(line));
          }
        });
        child.on('exit', () => reject(new Error(`exited:\n${output}`)));
      });
      expect(listening).toMatchObject({
        host: '127.0.0.1',
        why: expect.stringMatching(/Teams.*boucle locale/),
      });
      const port = Number(listening.port);
      expect(await canConnect('127.0.0.1', port)).toBe(true);
      const external = externalAddress();
      if (external) expect(await canConnect(external, port)).toBe(false);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.on('exit', resolve));
    }
  });

  it('refuses an empty PORT with a French message naming it, instead of a random port', async () => {
    const run = await runToExit({ PORT: '' });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/Configuration invalide :\n {2}- PORT : vide/);
    expect(run.output).not.toMatch(STACK_LINE);
  });

  it('says in French that the port is in use, names PORT, and exits 1 without a stack trace', async () => {
    const taken = await listen();
    try {
      const run = await runToExit({ PORT: String(taken.port) });
      expect(run.code).toBe(1);
      expect(run.output).toMatch(new RegExp(`le port ${taken.port} est déjà utilisé.*PORT`));
      expect(run.output).not.toMatch(STACK_LINE);
      expect(run.output).not.toMatch(/EADDRINUSE/);
    } finally {
      close(taken);
    }
  });

  it.each([
    ['accepts and never speaks', (_socket: Socket) => {}],
    ['accepts and closes at once', (socket: Socket) => socket.end()],
    ['accepts and resets', (socket: Socket) => socket.resetAndDestroy()],
  ])('gives up in French, naming DATABASE_URL, on a server that %s', async (_name, behaviour) => {
    const sockets: Socket[] = [];
    let firstContact = 0;
    const silent = await listen((socket) => {
      firstContact ||= Date.now();
      sockets.push(socket);
      behaviour(socket);
    });
    try {
      const run = await runToExit({
        DATABASE_URL: `postgresql://u:motdepasse@127.0.0.1:${silent.port}/boussole`,
      });
      expect(run.code).toBe(1);
      // Bounded by the connection timeout, however slow the start-up before it.
      expect(firstContact).toBeGreaterThan(0);
      expect(run.endedAt - firstContact).toBeLessThan(15_000);
      expect(run.output).toMatch(/Base de données injoignable .*Vérifiez DATABASE_URL/);
      expect(run.output).not.toMatch(/Connection terminated|ECONNRESET|timeout expired|motdepasse/);
      expect(run.output).not.toMatch(STACK_LINE);
    } finally {
      for (const socket of sockets) socket.destroy();
      close(silent);
    }
  });
});
