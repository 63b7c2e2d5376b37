import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The layers are enforced by Biome (biome.json), not by good will: a probe file in each layer imports
 * what that layer must not, and `biome check` must report every such line, and nothing on the lines
 * that are allowed.
 */

const BIOME = path.resolve('node_modules/.bin/biome');
const run = promisify(execFile);

type Verdict = 'forbidden' | 'allowed';
interface Probe {
  folder: string;
  lines: [statement: string, verdict: Verdict][];
}

const probes: Probe[] = [
  {
    folder: 'bot/core',
    lines: [
      ["import type { PrismaClient } from '../../generated/prisma/client.ts';", 'forbidden'],
      ["import type { Prisma } from '../../generated/prisma/internal/prismaNamespace.ts';", 'forbidden'],
      ["import { createRepositories } from '../store/repositories.ts';", 'forbidden'],
      ["import { mountSlack } from '../channels/slack.ts';", 'forbidden'],
      ["import { WebClient } from '@slack/web-api';", 'forbidden'],
      ["import { App } from '@slack/bolt';", 'forbidden'],
      ["import { Activity } from '@microsoft/agents-activity';", 'forbidden'],
      ["import { CloudAdapter } from '@microsoft/agents-hosting';", 'forbidden'],
      ["import { TeamsInfo } from '@microsoft/agents-hosting-extensions-teams';", 'forbidden'],
      ["import OpenAI from 'openai';", 'forbidden'],
      ["import pg from 'pg';", 'forbidden'],
      ["import { PGlite } from '@electric-sql/pglite';", 'forbidden'],
      ["import { PrismaPGlite } from 'pglite-prisma-adapter';", 'forbidden'],
      ["import { PrismaClient as Client } from '@prisma/client';", 'forbidden'],
      ["import { env } from 'node:process';", 'forbidden'],
      ["import { startFakeSlackApi } from '../../tests/support/fake-slack-api.ts';", 'forbidden'],
      ['export const model = process.env.OPENAI_MODEL;', 'forbidden'],
      ["import type { AnswerMode } from '../../knowledge/types.ts';", 'allowed'],
      ["import type { Logger } from '../logger.ts';", 'allowed'],
      ["import { routes } from './routes.ts';", 'allowed'],
    ],
  },
  {
    folder: 'bot/features/fiches',
    lines: [
      ["import type { PrismaClient } from '../../../generated/prisma/client.ts';", 'forbidden'],
      ["import { openDatabase } from '../../store/database.ts';", 'forbidden'],
      ["import { renderSlackReply } from '../../channels/slack-render.ts';", 'forbidden'],
      ["import { WebClient } from '@slack/web-api';", 'forbidden'],
      ["import OpenAI from 'openai';", 'forbidden'],
      ['export const model = process.env.OPENAI_MODEL;', 'forbidden'],
      ["import { stepForm } from '../../core/forms/engine.ts';", 'allowed'],
      ["import { ficheDocx } from '../../documents/fiche-docx.ts';", 'allowed'],
    ],
  },
  {
    folder: 'knowledge',
    lines: [
      ["import OpenAI from 'openai';", 'forbidden'],
      ["import { loadConfig } from '../bot/config.ts';", 'forbidden'],
      ["import type { PrismaClient } from '../generated/prisma/client.ts';", 'forbidden'],
      ["import { App } from '@slack/bolt';", 'forbidden'],
      ["import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';", 'allowed'],
    ],
  },
  {
    folder: 'knowledge/llm',
    lines: [
      ["import OpenAI from 'openai';", 'allowed'],
      ["import pg from 'pg';", 'forbidden'],
      ["import { loadConfig } from '../../bot/config.ts';", 'forbidden'],
    ],
  },
  {
    folder: 'ingest',
    lines: [
      ["import { openDatabase } from '../bot/store/database.ts';", 'forbidden'],
      ["import type { Config } from '../bot/config.ts';", 'forbidden'],
      ["import type { Repositories } from '../bot/core/ports.ts';", 'forbidden'],
      ["import type { Embedder } from '../knowledge/types.ts';", 'allowed'],
      ["import type { IngestedDocument } from './ports.ts';", 'allowed'],
    ],
  },
  {
    folder: 'bot/cli',
    lines: [
      ["import { startFakeSlackApi } from '../../tests/support/fake-slack-api.ts';", 'forbidden'],
      ["import { ingest } from '../../ingest/ingest.ts';", 'allowed'],
      ["import { openDatabase } from '../store/database.ts';", 'allowed'],
    ],
  },
];

interface Diagnostic {
  category: string;
  location: { path: string; start: { line: number } };
}

const LAYER_RULES = new Set(['lint/style/noRestrictedImports', 'lint/style/noProcessEnv']);
const probeName = `zz-boundary-probe-${randomBytes(4).toString('hex')}.ts`;
const files = probes.map((probe) => path.join(probe.folder, probeName));
/** Lines that break a layer rule, by probe file. */
const flagged = new Map<string, Set<number>>();

beforeAll(async () => {
  await Promise.all(
    probes.map((probe, index) =>
      writeFile(files[index]!, `${probe.lines.map(([statement]) => statement).join('\n')}\n`),
    ),
  );
  // Biome exits non-zero when it finds errors: the report is on stdout either way.
  const stdout = await run(BIOME, ['check', '--reporter=json', '--max-diagnostics=none', ...files]).then(
    (result) => result.stdout,
    (error: { stdout: string }) => error.stdout,
  );
  const { diagnostics } = JSON.parse(stdout) as { diagnostics: Diagnostic[] };
  for (const diagnostic of diagnostics) {
    if (!LAYER_RULES.has(diagnostic.category)) continue;
    const lines = flagged.get(diagnostic.location.path) ?? new Set();
    lines.add(diagnostic.location.start.line);
    flagged.set(diagnostic.location.path, lines);
  }
});

afterAll(() => Promise.all(files.map((file) => rm(file, { force: true }))));

describe.each(probes)('biome check on a probe file in $folder/', (probe) => {
  it('reports every forbidden import (and process.env), and nothing on the allowed lines', () => {
    const lines = flagged.get(path.join(probe.folder, probeName)) ?? new Set();
    const verdicts = probe.lines.map(([statement], index) => [
      statement,
      lines.has(index + 1) ? 'forbidden' : 'allowed',
    ]);
    expect(verdicts).toEqual(probe.lines);
  });
});
