import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';

// The fake is shared with channel and CLI tests: check it with the official SDK, as they will use it.
let fake: FakeOpenAi;
let client: OpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAi();
  client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.url, maxRetries: 0, logLevel: 'off' });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

describe('fake OpenAI server', () => {
  it('answers a non-streamed chat completion from the reply function', async () => {
    fake.setBehaviour({ reply: (request) => `Reçu : ${request.messages.at(-1)?.content}` });

    const completion = await client.chat.completions.create({
      model: 'fake-chat',
      messages: [{ role: 'user', content: 'Bonjour' }],
    });

    expect(completion.choices[0]?.message.content).toBe('Reçu : Bonjour');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(fake.requests).toMatchObject([{ method: 'POST', path: '/v1/chat/completions' }]);
  });

  it('lists its models', async () => {
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(['fake-chat', 'fake-embedding']);
  });

  it('gives the same embeddings as floats and as base64, closer for texts sharing words', async () => {
    const input = ['santé mentale des jeunes', 'Santé mentale des adultes', 'budget du transport scolaire'];
    const asBase64 = await client.embeddings.create({ model: 'fake-embedding', input });
    const asFloat = await client.embeddings.create({
      model: 'fake-embedding',
      input,
      encoding_format: 'float',
    });
    const smaller = await client.embeddings.create({ model: 'fake-embedding', input, dimensions: 32 });

    const [a, b, c] = asFloat.data.map((item) => item.embedding);
    expect(fake.embeddingRequests()[0]?.encoding_format).toBe('base64');
    expect(asBase64.data).toEqual(asFloat.data);
    expect(asFloat.data.map((item) => item.index)).toEqual([0, 1, 2]);
    expect(smaller.data.map((item) => item.embedding.length)).toEqual([32, 32, 32]);
    const dot = (x: number[] = [], y: number[] = []) =>
      x.reduce((sum, value, i) => sum + value * (y[i] ?? 0), 0);
    expect(dot(a, b)).toBeGreaterThan(dot(a, c));
  });

  it('fails only the requested number of times', async () => {
    fake.setBehaviour({ failure: 'http-500', failureCount: 1 });
    const ask = () =>
      client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });

    await expect(ask()).rejects.toMatchObject({ status: 500 });
    await expect(ask()).resolves.toMatchObject({ object: 'chat.completion' });
  });

  it('refuses a low temperature and max_tokens for a reasoning model, in OpenAI’s own words', async () => {
    const chat = (body: Record<string, unknown>) =>
      fetch(`${fake.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'x' }], ...body }),
      });
    const refused = await chat({ model: 'o4-mini', temperature: 0.2 });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: {
        message:
          "Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.",
        type: 'invalid_request_error',
        param: 'temperature',
        code: 'unsupported_value',
      },
    });
    const maxTokens = await chat({ model: 'gpt-5-mini', max_tokens: 100 });
    expect(await maxTokens.json()).toMatchObject({
      error: { param: 'max_tokens', code: 'unsupported_parameter' },
    });
    expect((await chat({ model: 'gpt-5', max_completion_tokens: 100 })).status).toBe(200);
    expect((await chat({ model: 'gpt-4o-mini', temperature: 0.2, max_tokens: 100 })).status).toBe(200);
    expect((await chat({ model: 'gpt-4o-mini', reasoning_effort: 'low' })).status).toBe(400);
  });
});
