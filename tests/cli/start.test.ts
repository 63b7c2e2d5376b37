import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addBadSources } from '../support/bad-sources.ts';

const TSX = path.resolve('node_modules/.bin/tsx');
const roots: string[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

async function folder(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'boussole-start-'));
  roots.push(root);
  return root;
}

interface Started {
  child: ChildProcess;
  /** JSON log lines so far. */
  logs: Record<string, unknown>[];
  stderr: () => string;
  /** Resolves with the port once the server says it is ready, or with the exit code if it stops first. */
  outcome: Promise<{ port: number } | { code: number | null }>;
}

/** `npm start` as a user runs it: the composition root, its embedded database, its own data folder. */
function start(env: Record<string, string>): Started {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(OPENAI_|DATABASE_URL|SOURCES_DIR|DATA_DIR|PORT|SLACK_|NODE_ENV)/.test(key),
    ),
  );
  const child = spawn(TSX, ['bot/main.ts'], {
    env: { ...inherited, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const outcome = new Promise<{ port: number } | { code: number | null }>((resolve) => {
    let pending = '';
    child.stdout!.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines.filter(Boolean)) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'Boussole est prête') resolve({ port: Number(entry.port) });
      }
    });
    child.on('exit', (code) => resolve({ code }));
  });
  return { child, logs, stderr: () => stderr, outcome };
}

describe('npm start with sources that cannot all be read', () => {
  it('starts, warns of each file left out, answers, and reports them in /healthz', async () => {
    const root = await folder();
    const sourcesDir = path.join(root, 'sources');
    await cp(path.resolve('tests/fixtures/sources'), sourcesDir, { recursive: true });
    await addBadSources(sourcesDir);
    const server = start({ SOURCES_DIR: sourcesDir, DATA_DIR: path.join(root, 'data') });
    const outcome = await server.outcome;
    expect(outcome, server.stderr()).toHaveProperty('port');
    const base = `http://127.0.0.1:${(outcome as { port: number }).port}`;

    const warnings = server.logs.filter((entry) => entry.level === 40).map((entry) => entry.msg);
    expect(warnings).toContain('Source ignorée : vide.md — fichier vide');
    expect(
      warnings.some((msg) => String(msg).startsWith('Source ignorée : rapport-corrompu.pdf — PDF illisible')),
    ).toBe(true);

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as {
      status: string;
      sources: {
        documents: number;
        passages: number;
        builtAt: string;
        skipped: { file: string; reason: string }[];
      };
    };
    expect(body.status).toBe('ok');
    expect(body.sources).toMatchObject({ documents: 2, builtAt: expect.any(String) });
    expect(body.sources.passages).toBeGreaterThan(2);
    expect(body.sources.skipped.map(({ file, reason }) => [file, reason])).toEqual([
      ['abime.docx', 'unreadable'],
      ['rapport-corrompu.pdf', 'unreadable'],
      ['scan.pdf', 'no-text'],
      ['vide.md', 'empty'],
      [path.join('zz-archives', 'copie.md'), 'duplicate-id'],
    ]);

    const chat = await fetch(`${base}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        conversationId: 'c1',
        userId: 'u1',
        text: 'Comment rédiger une convention de partenariat ?',
      }),
    });
    expect(chat.status).toBe(200);
    expect(JSON.stringify(await chat.json())).toContain('convention');

    server.child.kill('SIGTERM');
    expect(await new Promise((resolve) => server.child.on('exit', resolve))).toBe(0);
  }, 120_000);
});

describe('npm start without a sources folder', () => {
  it('stops with a French message naming the folder and the variable, and no stack trace', async () => {
    const root = await folder();
    const missing = path.join(root, 'absent');
    const server = start({ SOURCES_DIR: missing, DATA_DIR: path.join(root, 'data') });
    expect(await server.outcome).toEqual({ code: 1 });
    expect(server.stderr().trim()).toBe(
      `Dossier des sources introuvable : ${missing} (SOURCES_DIR). Créez-le et déposez-y vos documents (.md, .txt, .pdf, .docx), ou corrigez SOURCES_DIR.`,
    );
  }, 120_000);
});
