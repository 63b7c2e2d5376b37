import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewInteraction, Rating } from '../../bot/core/ports.ts';
import type { ChannelName } from '../../bot/core/types.ts';
import { openDatabase } from '../../bot/store/database.ts';

const run = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');

/** Runs `npm run feedback` as a user would, with only the given database settings. */
async function feedbackCli(env: Record<string, string>, ...args: string[]) {
  const { DATABASE_URL: _ignored, DATA_DIR: _alsoIgnored, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await run(TSX, ['bot/cli/run.ts', 'feedback', ...args], {
      env: { ...inherited, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function interaction(
  channel: ChannelName,
  question: string,
  answer: string,
  document: string,
): NewInteraction {
  return {
    channel,
    workspaceId: 'T1',
    conversationId: `C-${question.length}`,
    userId: 'U1',
    question,
    answer,
    abstained: false,
    mode: 'extractive',
    latencyMs: 12,
    sources: [
      { rank: 1, document, section: 'Partie A', passageId: `${document}:1`, text: 'Passage', score: 0.9 },
    ],
  };
}

const RATED: {
  channel: ChannelName;
  rating: Rating;
  question: string;
  answer: string;
  document: string;
  comment?: string;
}[] = [
  {
    channel: 'slack',
    rating: 'down',
    question: 'Comment financer un CLS ?',
    answer: 'Le financement passe par le FIR [1].',
    document: 'guide-ars',
    comment: 'Réponse trop vague',
  },
  {
    channel: 'teams',
    rating: 'up',
    question: 'Qui anime le COPIL ?',
    answer: 'Le coordinateur anime le COPIL [1].',
    document: 'prs3-axe6',
  },
  {
    channel: 'web',
    rating: 'up',
    question: 'Qu’est-ce qu’une coalition d’acteurs ?',
    answer: 'Une coalition réunit des acteurs autour d’un objectif commun [1].',
    document: 'actes-77',
  },
];

describe('npm run feedback', () => {
  let dataDir: string;
  let emptyDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'boussole-feedback-'));
    emptyDir = await mkdtemp(path.join(tmpdir(), 'boussole-feedback-empty-'));
    // Migrated here, in parallel with the other one, so that no test pays for a first migration.
    const [database, empty] = await Promise.all([
      openDatabase({ dataDir }),
      openDatabase({ dataDir: emptyDir }),
    ]);
    await empty.close();
    try {
      // Recorded oldest first: the negative one is the oldest, so only the rating can put it on top.
      for (const item of RATED) {
        const asked = interaction(item.channel, item.question, item.answer, item.document);
        const { id } = await database.repositories.interactions.record(asked);
        await database.repositories.feedback.record({
          interactionId: id,
          channel: item.channel,
          conversationId: asked.conversationId,
          userId: 'U1',
          rating: item.rating,
          comment: item.comment,
        });
        // Distinct timestamps, so "newest first" has one right answer.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    } finally {
      await database.close();
    }
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(emptyDir, { recursive: true, force: true });
  });

  it('lists negative feedback first, then the newest, as a French table', async () => {
    const { code, stdout } = await feedbackCli({ DATA_DIR: dataDir });
    expect(code).toBe(0);
    const rows = stdout.split('\n').filter((line) => /[👍👎]/u.test(line));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(
      /slack.*👎.*Comment financer un CLS.*Le financement passe.*guide-ars.*Réponse trop vague/,
    );
    expect(rows[1]).toMatch(/web.*👍.*Qu’est-ce qu’une coalition.*Une coalition réunit.*actes-77/);
    expect(rows[2]).toMatch(/teams.*👍.*Qui anime le COPIL.*prs3-axe6/);
    expect(stdout).toMatch(/Date.*Canal.*Avis.*Question.*réponse.*Sources.*Commentaire/);
  });

  it('prints one JSON array with --json, cut to --limit', async () => {
    const { code, stdout } = await feedbackCli({ DATA_DIR: dataDir }, '--json', '--limit', '2');
    expect(code).toBe(0);
    const views = JSON.parse(stdout);
    expect(views).toHaveLength(2);
    expect(views[0]).toEqual({
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      channel: 'slack',
      rating: 'down',
      comment: 'Réponse trop vague',
      question: RATED[0]!.question,
      answer: RATED[0]!.answer,
      sources: [{ document: 'guide-ars', section: 'Partie A' }],
    });
    expect(views[1]).toMatchObject({ channel: 'web', rating: 'up', comment: null });
  });

  it.concurrent('says so when there is no feedback yet', async () => {
    const { code, stdout } = await feedbackCli({ DATA_DIR: emptyDir });
    expect(code).toBe(0);
    expect(stdout.trim()).toBe("Aucun retour pour l'instant.");
  });

  it.concurrent('explains in French, with exit code 1, when the database cannot be reached', async () => {
    const { code, stdout, stderr } = await feedbackCli({
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/boussole',
      // The index folder stays in DATA_DIR with PostgreSQL too: the command holds it while it runs.
      DATA_DIR: emptyDir,
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/Impossible de lire les retours : Base de données injoignable.*connexion refusée/);
  });
});
