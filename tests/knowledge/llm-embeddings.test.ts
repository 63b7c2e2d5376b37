import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LlmUnavailableError } from '../../knowledge/llm/answer-writer.ts';
import { createOpenAiEmbedder } from '../../knowledge/llm/embeddings.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

const texts = [
  'Le contrat local de santé est signé pour cinq ans.',
  'Le conseil local de santé mentale réunit les élus.',
  'L’atelier santé ville agit dans les quartiers prioritaires.',
  'La communauté professionnelle territoriale de santé.',
  'Diagnostic local de santé et observatoire régional.',
];

function embedder(batchSize?: number) {
  return createOpenAiEmbedder(
    { apiKey: 'sk-test', baseURL: fake.url, model: 'fake-embedding' },
    { batchSize },
  );
}

const norm = (vector: number[]) => Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));

describe('OpenAI-compatible embedder', () => {
  it('is named after the model and the provider host', () => {
    const host = new URL(fake.url).host;
    expect(embedder().id).toBe(`openai:fake-embedding@${host}`);
    const openAi = createOpenAiEmbedder({ apiKey: 'k', model: 'text-embedding-3-small' });
    expect(openAi.id).toBe('openai:text-embedding-3-small@api.openai.com');
    const mistral = createOpenAiEmbedder({
      apiKey: 'k',
      baseURL: 'https://api.mistral.ai/v1',
      model: 'mistral-embed',
    });
    expect(mistral.id).toBe('openai:mistral-embed@api.mistral.ai');
  });

  it('embeds in batches and returns unit vectors in input order', async () => {
    const vectors = await embedder(2).embed(texts);

    expect(fake.embeddingRequests().map((request) => request.input)).toEqual([
      texts.slice(0, 2),
      texts.slice(2, 4),
      texts.slice(4),
    ]);
    expect(fake.embeddingRequests()[0]).toMatchObject({ model: 'fake-embedding', encoding_format: 'float' });
    expect(vectors).toHaveLength(texts.length);
    for (const vector of vectors) expect(norm(vector)).toBeCloseTo(1, 10);
    for (const [i, text] of texts.entries()) {
      expect(vectors[i]).toEqual((await embedder().embed([text]))[0]);
    }
    expect(new Set(vectors.map((vector) => vector.join(','))).size).toBe(texts.length);
  });

  it('sends 64 inputs per request by default and nothing for no input', async () => {
    const many = Array.from({ length: 130 }, (_, i) => `Passage numéro ${i}`);

    expect(await embedder().embed([])).toEqual([]);
    expect(await embedder().embed(many)).toHaveLength(130);
    expect(fake.embeddingRequests().map((request) => request.input.length)).toEqual([64, 64, 2]);
  });

  it('throws LlmUnavailableError when the service fails or answers nonsense', async () => {
    for (const failure of ['http-500', 'malformed-json', 'cut-stream'] as const) {
      fake.setBehaviour({ failure });
      await expect(embedder().embed(texts)).rejects.toBeInstanceOf(LlmUnavailableError);
    }
  });

  it('refuses a batch size below 1', () => {
    expect(() => embedder(0)).toThrow(RangeError);
  });
});
