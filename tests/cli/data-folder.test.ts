import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebReply } from '../../bot/channels/web-render.ts';
import type { FolderHolder } from '../../bot/data-folder.ts';

/**
 * One data folder, several processes, through the real entry points: `tsx bot/main.ts` and
 * `tsx bot/cli/run.ts <command>`, on a temporary DATA_DIR over the fixture sources. The cases share
 * one server and run in order: what one adds, the next ones find.
 */

const TSX = path.resolve('node_modules/.bin/tsx');
const FIXTURES = path.resolve('tests/fixtures/sources');
const QUESTION = 'Qui réunit le comité de suivi ?';
const SLOW = 180_000;

let dataDir: string;
let sourcesDir: string;

/** The environment of a user with the defaults: no LLM, no channel, no PostgreSQL. */
function environment(): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !/^(OPENAI_|LLM_|SLACK_|DATABASE_URL|DATA_DIR|SOURCES_DIR|PORT|PUBLIC_URL|NODE_ENV|LOG_LEVEL)/.test(
          key,
        ),
    ),
  );
  return { ...inherited, DATA_DIR: dataDir, SOURCES_DIR: sourcesDir, PORT: '0', LOG_LEVEL: 'info' };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      ['bot/cli/run.ts', ...args],
      { env: environment(), timeout: SLOW },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

interface Server {
  child: ChildProcess;
  /** JSON log lines so far. */
  logs: Record<string, unknown>[];
  output(): string;
  exited: Promise<number | null>;
}

function startServer(): Server {
  const child = spawn(TSX, ['bot/main.ts'], { env: environment(), stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Record<string, unknown>[] = [];
  let output = '';
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) if (line.startsWith('{')) logs.push(JSON.parse(line));
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, logs, output: () => output, exited };
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 120_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Délai dépassé : ${what}`);
    await sleep(200);
  }
}

async function holder(): Promise<FolderHolder | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dataDir, 'boussole.holder.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Waits until the server listens and its control endpoint is up; returns its pid and port. */
async function ready(server: Server): Promise<{ pid: number; port: number }> {
  const line = await until('serveur prêt', () => {
    if (server.child.exitCode !== null) throw new Error(`Le serveur s’est arrêté :\n${server.output()}`);
    return server.logs.find((log) => log.msg === 'Boussole est prête');
  });
  const current = await until('fichier du détenteur', async () => {
    const found = await holder();
    return found?.control && found.port === line.port ? found : undefined;
  });
  return { pid: current.pid, port: current.port! };
}

async function chat(port: number, body: Record<string, unknown>): Promise<WebReply> {
  const response = await fetch(`http://127.0.0.1:${port}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ conversationId: 'c-data', userId: 'u-data', ...body }),
  });
  return (await response.json()) as WebReply;
}

const commandsRun = (server: Server, name: string) =>
  server.logs.filter((log) => log.msg === 'commande exécutée pour le terminal' && log.command === name);

let first: Server;
let firstProcess: { pid: number; port: number };
/** Outputs of commands run through the first server, to compare with the same commands run alone. */
const throughServer = new Map<string, Run>();
const COMPARED: string[][] = [
  ['ask', '--json', QUESTION],
  ['ask', QUESTION],
  ['feedback'],
  ['feedback', '--json'],
];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'boussole-data-folder-'));
  sourcesDir = await mkdtemp(path.join(os.tmpdir(), 'boussole-data-sources-'));
  await cp(FIXTURES, sourcesDir, { recursive: true });
  first = startServer();
  firstProcess = await ready(first);
}, SLOW);

afterAll(async () => {
  first?.child.kill('SIGKILL');
  const current = await holder();
  if (current) {
    try {
      process.kill(current.pid, 'SIGKILL');
    } catch {}
  }
  await rm(dataDir, { recursive: true, force: true });
  await rm(sourcesDir, { recursive: true, force: true });
});

describe('one data folder, one process', () => {
  it(
    'refuses a second server at once, in French, naming the one that holds the folder',
    async () => {
      const second = startServer();
      const code = await second.exited;
      expect(code).toBe(1);
      const output = second.output();
      expect(output).toContain(`Le dossier de données ${dataDir} est déjà utilisé par le serveur Boussole`);
      expect(output).toContain(`(pid ${firstProcess.pid}, port ${firstProcess.port}, depuis le `);
      expect(output).not.toMatch(/\n\s+at /);
      expect((await holder())?.pid).toBe(firstProcess.pid);
    },
    SLOW,
  );

  it(
    'adds a document with npm run ingest while the server runs: the server re-indexes and answers from it',
    async () => {
      await writeFile(
        path.join(sourcesDir, 'note-hirondelle.txt'),
        'Note de service\n\nLe code d’accès de la salle Hirondelle est HRD4471.\n',
      );
      const run = await cli('ingest');
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^Index à jour : 3 documents/);
      expect(commandsRun(first, 'ingest')).toHaveLength(1);
      const reply = await chat(firstProcess.port, {
        text: 'Quel est le code d’accès de la salle Hirondelle ?',
      });
      expect(reply.html).toContain('HRD4471');
    },
    SLOW,
  );

  it(
    'notices a file added to the sources folder by itself, and answers from it',
    async () => {
      await writeFile(
        path.join(sourcesDir, 'note-mesange.md'),
        '# Salle Mésange\n\nLe code d’accès de la salle Mésange est MSG2208.\n',
      );
      const reply = await until('document vu par la surveillance', async () => {
        const answer = await chat(firstProcess.port, {
          text: 'Quel est le code d’accès de la salle Mésange ?',
        });
        return answer.html.includes('MSG2208') ? answer : undefined;
      });
      expect(reply.html).toContain('MSG2208');
      expect(
        first.logs.some(
          (log) => log.msg === 'réindexation des sources' && log.reason === 'sources modifiées',
        ),
      ).toBe(true);
    },
    SLOW,
  );

  it(
    'runs ask and feedback inside the running server',
    async () => {
      const answered = await chat(firstProcess.port, { text: QUESTION });
      await chat(firstProcess.port, {
        action: { id: 'feedback', value: answered.feedback!.interactionId, rating: 'down' },
      });
      const runs = await Promise.all(COMPARED.map((args) => cli(...args)));
      COMPARED.forEach((args, i) => {
        expect(runs[i]!.code, runs[i]!.stderr).toBe(0);
        throughServer.set(args.join(' '), runs[i]!);
      });
      expect(commandsRun(first, 'ask')).toHaveLength(2);
      expect(commandsRun(first, 'feedback')).toHaveLength(2);
      expect(JSON.parse(throughServer.get(`ask --json ${QUESTION}`)!.stdout).abstained).toBe(false);
      expect(JSON.parse(throughServer.get('feedback --json')!.stdout)[0]).toMatchObject({
        question: QUESTION,
        rating: 'down',
      });
    },
    SLOW,
  );

  it(
    'starts again once the server holding the folder was killed (SIGKILL): its lock goes stale',
    async () => {
      process.kill(firstProcess.pid, 'SIGKILL');
      await first.exited;
      const again = startServer();
      try {
        const restarted = await ready(again);
        expect(restarted.pid).not.toBe(firstProcess.pid);
        expect(again.logs.some((log) => String(log.msg).includes('qui s’est arrêté sans le rendre'))).toBe(
          true,
        );
        // Nothing added while the first server ran was lost.
        for (const [question, fact] of [
          ['Quel est le code d’accès de la salle Hirondelle ?', 'HRD4471'],
          ['Quel est le code d’accès de la salle Mésange ?', 'MSG2208'],
        ] as const) {
          expect((await chat(restarted.port, { text: question })).html).toContain(fact);
        }
      } finally {
        again.child.kill('SIGTERM');
      }
      expect(await again.exited).toBe(0);
      expect(await holder()).toBeUndefined();
    },
    SLOW,
  );

  it(
    'gives byte-identical output when the same commands run on their own, the server stopped',
    async () => {
      // Run together, they take the folder in turn.
      const runs = await Promise.all(COMPARED.map((args) => cli(...args)));
      COMPARED.forEach((args, i) => {
        expect(runs[i]!.code, runs[i]!.stderr).toBe(0);
        expect(runs[i]!.stdout).toBe(throughServer.get(args.join(' '))!.stdout);
      });
      const added = await cli('ask', '--json', 'Quel est le code d’accès de la salle Hirondelle ?');
      expect(JSON.parse(added.stdout).answer).toContain('HRD4471');
    },
    SLOW,
  );
});
