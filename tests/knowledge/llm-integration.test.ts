import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '../../ingest/ingest.ts';
import { LocalEmbedder, openKnowledgeBase } from '../../knowledge/index.ts';
import { createLlmAnswerWriter } from '../../knowledge/llm/answer-writer.ts';
import { ABSTAIN_SENTINEL } from '../../knowledge/llm/prompts.ts';
import { MESSAGES } from '../../knowledge/messages.ts';
import type { KnowledgeBase } from '../../knowledge/types.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';

const QUESTION = 'Comment rédiger une convention de partenariat ?';

let indexDir: string;
let fake: FakeOpenAi;
let llmErrors: unknown[];

async function knowledgeWithLlm(timeoutMs: number, model = 'fake-chat'): Promise<KnowledgeBase> {
  return openKnowledgeBase({
    indexDir,
    embedder: new LocalEmbedder(),
    answerWriter: createLlmAnswerWriter({ apiKey: 'sk-test', baseURL: fake.url, model, timeoutMs }),
    onLlmError: (error) => llmErrors.push(error),
  });
}

let knowledge: KnowledgeBase;
let impatient: KnowledgeBase;
beforeAll(async () => {
  indexDir = await mkdtemp(path.join(os.tmpdir(), 'boussole-llm-'));
  await ingest({ sourcesDir: path.resolve('knowledge/sources'), indexDir, embedder: new LocalEmbedder() });
  fake = await startFakeOpenAi();
  knowledge = await knowledgeWithLlm(5_000);
  impatient = await knowledgeWithLlm(300);
});
afterAll(async () => {
  await fake.close();
  await rm(indexDir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.reset();
  llmErrors = [];
});

describe('knowledge base with an LLM', () => {
  it('returns the model’s answer with its [n] markers mapped to the passages it was given', async () => {
    const reply =
      'La convention est signée par l’ARS et les partenaires [1]. Elle est conclue pour un an [3].';
    fake.setBehaviour({ reply: () => reply });
    const partials: string[] = [];

    const answer = await knowledge.answer(QUESTION, { onPartial: (text) => partials.push(text) });

    expect(answer.mode).toBe('llm');
    expect(answer.abstained).toBe(false);
    expect(answer.text.startsWith(reply)).toBe(true);
    expect(answer.text).toContain('Sources :');
    expect(answer.citations.map((c) => [c.n, c.passageId])).toEqual([
      [1, answer.sources[0]!.id],
      [3, answer.sources[2]!.id],
    ]);
    expect(partials.at(-1)).toBe(reply);
    const [request] = fake.chatRequests();
    const prompt = request!.messages.map((m) => m.content).join('\n');
    expect(prompt).toContain('convention de partenariat');
    expect(prompt).toContain(answer.sources[0]!.text.split('\n')[1]!.slice(0, 60));
    expect(llmErrors).toEqual([]);
  });

  it('drops markers that point to no passage', async () => {
    fake.setBehaviour({ reply: () => 'Elle est signée par les partenaires [1][9].' });
    const answer = await knowledge.answer(QUESTION);
    expect(answer.text).not.toContain('[9]');
    expect(answer.citations.map((c) => c.n)).toEqual([1]);
  });

  it('abstains when the model answers with the out-of-corpus sentinel', async () => {
    fake.setBehaviour({ reply: () => ABSTAIN_SENTINEL });
    const answer = await knowledge.answer(QUESTION);
    expect(answer.abstained).toBe(true);
    expect(answer.citations).toEqual([]);
    expect(answer.text).not.toContain(ABSTAIN_SENTINEL);
    expect(answer.text).toMatch(/ne couvrent pas cette question/);
  });

  it('falls back to the extractive answer when the model fails', async () => {
    fake.setBehaviour({ failure: 'http-500' });
    const answer = await knowledge.answer(QUESTION);
    expect(answer.mode).toBe('extractive');
    expect(answer.abstained).toBe(false);
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(llmErrors).toHaveLength(1);
    // Said first, in French, on every surface: the channels show `body`, the CLI `text`.
    expect(answer.body.startsWith(MESSAGES.llmUnavailable)).toBe(true);
    expect(answer.text.startsWith(MESSAGES.llmUnavailable)).toBe(true);
    expect(MESSAGES.llmUnavailable).toMatch(/extractive.*le modèle de langue n’a pas répondu/);
    expect(fake.chatRequests().length).toBeGreaterThan(0);
  });

  it('answers with a reasoning model, which refuses a low temperature, instead of falling back', async () => {
    const reasoning = await knowledgeWithLlm(5_000, 'o4-mini');
    fake.setBehaviour({ reply: () => 'La convention précise les engagements des partenaires [1].' });
    const answer = await reasoning.answer(QUESTION);
    expect(llmErrors).toEqual([]);
    expect(answer.mode).toBe('llm');
    expect(answer.body).toBe('La convention précise les engagements des partenaires [1].');
  });

  it('says nothing about the model when it answered', async () => {
    fake.setBehaviour({ reply: () => 'La convention précise les engagements des partenaires [1].' });
    expect((await knowledge.answer(QUESTION)).text).not.toContain(MESSAGES.llmUnavailable);
  });

  it('falls back to the extractive answer when the model is too slow', async () => {
    fake.setBehaviour({ delayMs: 3_000 });
    const started = performance.now();
    const answer = await impatient.answer(QUESTION);
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(answer.mode).toBe('extractive');
    expect(answer.abstained).toBe(false);
    expect(llmErrors).toHaveLength(1);
    expect(answer.body.startsWith(MESSAGES.llmUnavailable)).toBe(true);
  });

  it('abstains on an out-of-corpus question without asking the model', async () => {
    const answer = await knowledge.answer('Quelle est la recette de la blanquette de veau ?');
    expect(answer.abstained).toBe(true);
    expect(answer.text).toMatch(/Promotion Santé Île-de-France/);
    expect(fake.chatRequests()).toEqual([]);
  });
});
