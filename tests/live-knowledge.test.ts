import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../bot/config.ts';
import { prepareKnowledge } from '../bot/knowledge-setup.ts';
import { createReindexer, LiveKnowledgeBase } from '../bot/live-knowledge.ts';
import type { KnowledgeMetadataRepository } from '../ingest/ports.ts';
import type { Answer, KnowledgeBase } from '../knowledge/types.ts';
import { createCapturingLogger } from './support/capture-logger.ts';
import { createTestKnowledgeBase } from './support/test-knowledge-base.ts';

let root: string;
let config: Config;

/** Metadata that counts ingest runs and how many ran at the same time. */
function countingMetadata() {
  const counts = { runs: 0, running: 0, mostAtOnce: 0 };
  const metadata: KnowledgeMetadataRepository = {
    async startRun() {
      counts.runs++;
      counts.running++;
      counts.mostAtOnce = Math.max(counts.mostAtOnce, counts.running);
      return { id: String(counts.runs) };
    },
    async finishRun() {
      counts.running--;
    },
    async syncDocuments() {},
  };
  return { metadata, counts };
}

const note = (name: string, text: string) => writeFile(path.join(config.sourcesDir, name), text);

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'boussole-live-'));
  await cp(path.resolve('tests/fixtures/sources'), path.join(root, 'sources'), { recursive: true });
  config = loadConfig({ DATA_DIR: path.join(root, 'data'), SOURCES_DIR: path.join(root, 'sources') });
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function setUp() {
  const { metadata, counts } = countingMetadata();
  const { logger, lines } = createCapturingLogger('info');
  const live = new LiveKnowledgeBase(await prepareKnowledge(config));
  return { live, counts, lines, reindexer: createReindexer({ config, live, metadata, logger }) };
}

describe('re-indexing while the server runs', () => {
  it('runs one re-index at a time, and requests made during a run share the next one', async () => {
    const { live, counts, reindexer } = await setUp();
    const first = reindexer.reindex();
    const asked = [reindexer.refresh()];
    while (counts.running === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    // The first run has started: these wait for one more run, which sees the note they were asked for.
    await note('note-a.txt', 'Note\n\nLe code de la salle Colibri est CLB5512.\n');
    asked.push(reindexer.refresh(), reindexer.reindex(), reindexer.refresh());
    await Promise.all([first, ...asked]);
    expect(counts.mostAtOnce).toBe(1);
    expect(counts.runs).toBe(2);
    expect((await live.answer('Quel est le code de la salle Colibri ?')).text).toContain('CLB5512');
  });

  it('does nothing on a change that leaves the sources as indexed', async () => {
    const { counts, reindexer } = await setUp();
    expect(await reindexer.refresh()).toBeUndefined();
    expect(counts.runs).toBe(0);
  });

  it('keeps the previous index in service when a re-index fails, and says so in French', async () => {
    const { live, lines, reindexer } = await setUp();
    const before = await live.answer('Qui réunit le comité de suivi ?');
    // Every source removed: there is nothing to index, and an empty index would answer nothing.
    await rm(config.sourcesDir, { recursive: true });
    await mkdir(config.sourcesDir);
    await expect(reindexer.refresh()).rejects.toThrow(/^Aucun document dans /);
    expect(lines.at(-1)).toMatchObject({
      level: 40,
      msg: expect.stringMatching(/^Aucun document dans .+\nL’index précédent reste en service\.$/),
    });
    expect((await live.answer('Qui réunit le comité de suivi ?')).text).toBe(before.text);
    await note('note-b.txt', 'Note\n\nLe code de la salle Pinson est PNS3030.\n');
    await reindexer.refresh();
    expect((await live.answer('Quel est le code de la salle Pinson ?')).text).toContain('PNS3030');
  });

  it('lets a question in flight finish on the knowledge base it started with', async () => {
    let finish!: () => void;
    const old: KnowledgeBase = {
      ...createTestKnowledgeBase(),
      answer: async (question) => {
        await new Promise<void>((resolve) => {
          finish = resolve;
        });
        return { question, text: 'ancienne' } as Answer;
      },
    };
    const live = new LiveKnowledgeBase(old);
    const inFlight = live.answer('question');
    live.replace({ ...old, answer: async (question) => ({ question, text: 'nouvelle' }) as Answer });
    const after = live.answer('question');
    finish();
    expect((await inFlight).text).toBe('ancienne');
    expect((await after).text).toBe('nouvelle');
  });
});
