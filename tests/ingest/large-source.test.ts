import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PLANTED, writeLargeSource } from '../support/large-source.ts';

let root: string | undefined;
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('a large plain-text file among the sources', () => {
  it('is indexed, and `ask --json` finds the fact planted in its middle, first', async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'boussole-large-'));
    const sourcesDir = path.join(root, 'sources');
    // With the real corpus: its passages are what a fact in a large file has to win against.
    await cp(path.resolve('knowledge/sources'), sourcesDir, { recursive: true });
    await writeLargeSource(sourcesDir, 1.5 * 1024 * 1024);
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !/^(OPENAI_|DATABASE_URL|SOURCES_DIR|DATA_DIR)/.test(key),
      ),
    );
    const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: unknown }>(
      (resolve) => {
        execFile(
          path.resolve('node_modules/.bin/tsx'),
          ['bot/cli/run.ts', 'ask', '--json', PLANTED.question],
          {
            env: { ...inherited, SOURCES_DIR: sourcesDir, DATA_DIR: path.join(root!, 'data') },
            timeout: 60_000,
            maxBuffer: 1024 * 1024,
          },
          (error, out, err) => resolve({ stdout: out, stderr: err, code: error?.code ?? 0 }),
        );
      },
    );
    expect(code, stderr).toBe(0);
    const answer = JSON.parse(stdout) as { answer: string; sources: { document: string; text: string }[] };
    expect(answer.sources[0]?.document).toBe('rapport-volumineux');
    expect(answer.sources[0]?.text).toContain(PLANTED.sentence);
    expect(answer.answer).toContain(PLANTED.mark);
    for (const source of answer.sources) expect(source.text.length).toBeLessThanOrEqual(1_200);
  }, 90_000);
});
