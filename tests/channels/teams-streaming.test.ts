import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../../knowledge/types.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';
import type { ConnectorCall } from '../support/fake-teams-connector.ts';
import { openFixtureKnowledgeBase } from '../support/fixture-knowledge-base.ts';
import type { TestKnowledgeBase } from '../support/test-knowledge-base.ts';
import {
  channelMessage,
  feedbackInvoke,
  personalMessage,
  startTeamsHarness,
  type TeamsHarness,
} from './teams-harness.ts';

/** Gives one partial text, then writes on at an LLM's pace, so Teams receives text chunks before the end. */
function atWritingPace(knowledge: TestKnowledgeBase): KnowledgeBase {
  return {
    ...knowledge,
    async answer(question, options) {
      const partials: string[] = [];
      const answer = await knowledge.answer(question, {
        ...options,
        onPartial: (text) => partials.push(text),
      });
      // Teams gets about one update a second: pause past the SDK's delay after its informative update.
      options?.onPartial?.(partials[1] ?? answer.text);
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      return answer;
    },
  };
}

const streamInfo = (call: ConnectorCall) =>
  (call.body.entities ?? []).find((entity: { type: string }) => entity.type === 'streaminfo');

describe('Teams answers written by an LLM', () => {
  let harness: TeamsHarness;
  afterEach(() => harness.close());

  it('streams in a personal chat: informative update, text chunks, then a final message with the AI label', async () => {
    harness = await startTeamsHarness({ knowledge: { mode: 'llm' }, wrapKnowledge: atWritingPace });
    expect((await harness.post(personalMessage(harness.connector.url))).status).toBe(200);

    const streamed = harness.connector.calls.filter((call) => streamInfo(call));
    const types = streamed.map((call) => streamInfo(call).streamType);
    expect(types[0]).toBe('informative');
    expect(streamed[0]?.body.text).toBe('Recherche dans le guide…');
    expect(types).toContain('streaming');
    const firstChunk = streamed.find((call) => streamInfo(call).streamType === 'streaming')!;
    expect(firstChunk.body.type).toBe('typing');
    expect(harness.repositories.state.interactions[0]?.answer.startsWith(firstChunk.body.text)).toBe(true);
    expect(types.at(-1)).toBe('final');
    const streamId = streamed[0]?.assignedId;
    expect(streamed.slice(1).every((call) => streamInfo(call).streamId === streamId)).toBe(true);

    const final = streamed.at(-1)!;
    const stored = harness.repositories.state.interactions[0]!;
    expect(final.body.type).toBe('message');
    expect(final.body.text).toBe(stored.answer);
    expect(final.body.channelData.feedbackLoopEnabled).toBe(true);
    const messageEntities = final.body.entities.filter(
      (entity: { type: string }) => entity.type === 'https://schema.org/Message',
    );
    expect(messageEntities).toHaveLength(1);
    expect(messageEntities[0].additionalType).toEqual(['AIGeneratedContent']);
    expect(messageEntities[0].citation[0].position).toBe(1);
  });

  it('maps feedback on a streamed answer (its stream id) to the stored interaction', async () => {
    harness = await startTeamsHarness({ knowledge: { mode: 'llm' } });
    await harness.post(personalMessage(harness.connector.url));
    const streamId = harness.connector.calls.find((call) => streamInfo(call))!.assignedId;
    const response = await harness.post(feedbackInvoke(harness.connector.url, streamId, 'like', 'Clair'));
    expect(response.status).toBe(200);
    expect(harness.repositories.state.feedback).toEqual([
      expect.objectContaining({
        interactionId: harness.repositories.state.interactions[0]?.id,
        rating: 'up',
      }),
    ]);
  });

  it('posts one final message in a channel, without streaming', async () => {
    harness = await startTeamsHarness({ knowledge: { mode: 'llm' } });
    await harness.post(
      channelMessage(harness.connector.url, 'comment rédiger une convention de partenariat ?'),
    );
    expect(harness.connector.calls).toHaveLength(1);
    const [reply] = harness.connector.calls;
    expect(reply?.body.type).toBe('message');
    expect(streamInfo(reply!)).toBeUndefined();
    expect(reply?.body.entities[0].additionalType).toEqual(['AIGeneratedContent']);
  });
});

describe('Teams when the LLM does not answer', () => {
  let harness: TeamsHarness;
  let llm: FakeOpenAi;
  let llmKnowledge: Awaited<ReturnType<typeof openFixtureKnowledgeBase>>;
  beforeAll(async () => {
    llm = await startFakeOpenAi();
    llmKnowledge = await openFixtureKnowledgeBase({ llmUrl: llm.url });
  });
  afterAll(async () => {
    await llm.close();
    await llmKnowledge.dispose();
  });
  beforeEach(async () => {
    llm.reset();
    harness = await startTeamsHarness({ wrapKnowledge: () => llmKnowledge });
  });
  afterEach(() => harness.close());

  it('says in French, first, that the answer is extractive because the model did not answer', async () => {
    llm.setBehaviour({ failure: 'http-500' });
    expect((await harness.post(personalMessage(harness.connector.url))).status).toBe(200);
    const [reply] = harness.connector.messages();
    expect(reply?.body.text).toMatch(/^Réponse extractive : le modèle de langue n’a pas répondu/);
    expect(reply?.body.text).toMatch(/\[1\]/);
  });

  it('ends a stream the model cut midway with the extractive answer and its notice', async () => {
    llm.setBehaviour({
      failure: 'cut-stream',
      chunkSize: 8,
      reply: () => 'La convention de partenariat précise les engagements de chacun des signataires [1].',
    });
    expect((await harness.post(personalMessage(harness.connector.url))).status).toBe(200);
    const final = harness.connector.messages().at(-1);
    expect(final?.body.text).toMatch(/^Réponse extractive : le modèle de langue n’a pas répondu/);
  });
});
