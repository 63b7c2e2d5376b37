import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';

const TSX = path.resolve('node_modules/.bin/tsx');
const QUESTION = 'Comment rédiger une convention de partenariat ?';
const FAKE_REPLY = 'Selon le guide, la convention est signée par l’ARS et les partenaires [1].';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dataDir: string;
const folders: string[] = [];
let fake: FakeOpenAi;

/**
 * Runs the ask command as a user would, with no LLM unless `env` configures one. The tests run at once:
 * each runs in its own copy of the data folder built once, since one folder serves one process at a time.
 */
async function ask(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(OPENAI_|LLM_|DATABASE_URL|SOURCES_DIR)/.test(key)),
  );
  const folder = await mkdtemp(path.join(os.tmpdir(), 'boussole-ask-run-'));
  await cp(path.join(dataDir, 'index'), path.join(folder, 'index'), { recursive: true }).catch(() => {});
  folders.push(folder);
  return new Promise((resolve) => {
    execFile(
      TSX,
      ['bot/cli/run.ts', 'ask', ...args],
      { cwd: path.resolve('.'), env: { ...inherited, DATA_DIR: folder, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function parseOne(run: Run) {
  expect(run.code, run.stderr).toBe(0);
  const lines = run.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'boussole-ask-'));
  fake = await startFakeOpenAi();
  fake.setBehaviour({ reply: () => FAKE_REPLY });
  // The first run builds the index; every test then runs on a copy of it.
  const first = await ask(['--json', QUESTION]);
  expect(first.code, first.stderr).toBe(0);
  // The index the first run built is the one every test copies.
  await cp(path.join(folders[0]!, 'index'), path.join(dataDir, 'index'), { recursive: true });
});
afterAll(async () => {
  await fake.close();
  await Promise.all([dataDir, ...folders].map((folder) => rm(folder, { recursive: true, force: true })));
});

describe.concurrent('npm run ask', () => {
  it('prints exactly one JSON object with the answer and five sources, best first', async () => {
    const result = parseOne(await ask(['--json', QUESTION]));
    expect(Object.keys(result).sort()).toEqual(['abstained', 'answer', 'question', 'sources']);
    expect(result.question).toBe(QUESTION);
    expect(result.abstained).toBe(false);
    expect(result.answer).toContain('Sources :');
    expect(result.sources).toHaveLength(5);
    for (const source of result.sources) {
      expect(Object.keys(source).sort()).toEqual(['document', 'score', 'section', 'text', 'title']);
      expect(source.text.startsWith(source.section)).toBe(true);
    }
    const scores = result.sources.map((s: { score: number }) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(result.sources[0].document).toBe('003');
  });

  it('returns k sources with --k', async () => {
    expect(parseOne(await ask(['--json', '--k', '3', QUESTION])).sources).toHaveLength(3);
  });

  it('answers a batch file line by line, each answer with its id', async () => {
    const batch = path.join(dataDir, 'questions.jsonl');
    const questions = [
      { id: 'q1', question: QUESTION },
      { id: 'q2', question: "c'est quoi un indicateur de processus ?" },
      { id: 'q3', question: 'Quelle est la recette de la blanquette de veau ?' },
    ];
    await writeFile(batch, `${questions.map((q) => JSON.stringify(q)).join('\n')}\n`);
    const run = await ask(['--json', '--batch', batch]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.id, line.question])).toEqual(questions.map((q) => [q.id, q.question]));
    expect(lines.map((line) => line.abstained)).toEqual([false, false, true]);
  });

  it('prints a readable answer with its sources without --json', async () => {
    const run = await ask([QUESTION]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Sources :');
    expect(run.stdout).toMatch(/\[1\] .+ › .*convention de partenariat/i);
    expect(() => JSON.parse(run.stdout)).toThrow();
  });

  it('refuses an empty question with exit code 2 and a French message', async () => {
    const run = await ask(['--json', '  ']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/Posez une question/);
  });

  it('names the malformed line of a batch file and exits with code 2', async () => {
    const batch = path.join(dataDir, 'abime.jsonl');
    await writeFile(batch, `{"id":"q1","question":"${QUESTION}"}\n{"id":"q2", "question": \n`);
    const run = await ask(['--json', '--batch', batch]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/ligne 2 : JSON invalide/);
  });

  it('answers with the LLM of OPENAI_BASE_URL', async () => {
    const result = parseOne(await ask(['--json', QUESTION], { OPENAI_BASE_URL: fake.url }));
    expect(result.abstained).toBe(false);
    expect(result.answer.startsWith(FAKE_REPLY)).toBe(true);
    expect(fake.chatRequests().length).toBeGreaterThan(0);
  });

  it('falls back to the extractive answer when the LLM is unreachable', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const run = await ask(['--json', QUESTION], { OPENAI_BASE_URL: url, LLM_TIMEOUT_MS: '3000' });
    const result = parseOne(run);
    expect(result.abstained).toBe(false);
    expect(result.answer).not.toContain(FAKE_REPLY);
    expect(result.answer).toMatch(/\[1\]/);
    expect(result.answer).toMatch(/^Réponse extractive : le modèle de langue n’a pas répondu/);
    expect(run.stderr).toMatch(/^Le modèle de langue n’a pas répondu \(.+\) : réponse extractive\.$/m);
    expect(run.stderr).not.toMatch(/failed|error|Connection|within|stream/i);
  });

  it('says so in French on a readable answer too, when the model answers with an error', async () => {
    const failing = await startFakeOpenAi();
    failing.setBehaviour({ failure: 'http-500' });
    try {
      const run = await ask([QUESTION], { OPENAI_BASE_URL: failing.url });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^Réponse extractive : le modèle de langue n’a pas répondu/);
      expect(run.stderr).toMatch(
        /Le modèle de langue n’a pas répondu \(.*HTTP 500.*\) : réponse extractive\./,
      );
      expect(run.stderr).not.toMatch(/failed|Chat completion/);
    } finally {
      await failing.close();
    }
  });

  it('answers with a reasoning model, sending it no temperature', async () => {
    const run = await ask(['--json', QUESTION], { OPENAI_BASE_URL: fake.url, OPENAI_MODEL: 'o4-mini' });
    const result = parseOne(run);
    expect(result.answer.startsWith(FAKE_REPLY)).toBe(true);
    expect(run.stderr).toBe('');
    const sent = fake.chatRequests().filter((request) => request.model === 'o4-mini');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((request) => request.temperature === undefined)).toBe(true);
  });
});
