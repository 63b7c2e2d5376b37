import { describe, expect, it } from 'vitest';
import { ActionId } from '../../bot/core/actions.ts';
import { createCore } from '../../bot/core/handle-turn.ts';
import type { Repositories } from '../../bot/core/ports.ts';
import type { IncomingMessage } from '../../bot/core/types.ts';
import { makeIncoming } from '../fixtures/incoming.ts';
import { createCapturingLogger } from '../support/capture-logger.ts';
import { createMemoryRepositories } from '../support/memory-repositories.ts';
import { createTestKnowledgeBase, type TestKnowledgeOptions } from '../support/test-knowledge-base.ts';

const QUESTION = 'Comment rédiger une convention de partenariat ?';

function setup(options: TestKnowledgeOptions = {}, repositories = createMemoryRepositories()) {
  const knowledge = createTestKnowledgeBase(options);
  const { logger, lines } = createCapturingLogger();
  const core = createCore({ knowledge, repositories, publicUrl: 'https://boussole.test', logger });
  return { core, knowledge, repositories, lines };
}

describe('handleTurn: questions', () => {
  it('answers from the knowledge base with citations, stores the interaction, and reports status', async () => {
    const { core, repositories } = setup();
    const statuses: string[] = [];
    const reply = await core.handleTurn(makeIncoming({ text: QUESTION }), {
      onStatus: (s) => void statuses.push(s),
    });

    expect(statuses).toEqual(['Recherche dans le guide…']);
    expect(reply.text).toContain('[1]');
    expect(reply.citations[0]?.section).toContain('Convention de partenariat');
    expect(reply.aiGenerated).toBe(false);
    expect(reply.feedback).toBe(true);
    expect(reply.title).toBe(QUESTION);
    const stored = repositories.state.interactions;
    expect(stored).toHaveLength(1);
    expect(reply.interactionId).toBe(stored[0]?.id);
    expect(stored[0]).toMatchObject({
      question: QUESTION,
      channel: 'web',
      abstained: false,
      mode: 'extractive',
    });
    expect(stored[0]?.sources[0]).toMatchObject({ rank: 1, passageId: reply.citations[0]?.passageId });
    expect(reply.choices?.[0]).toMatchObject({ actionId: ActionId.ShowPassages, label: 'Voir les passages' });
  });

  it('marks LLM answers as AI-generated and passes the partial text through', async () => {
    const { core } = setup({ mode: 'llm' });
    const partials: string[] = [];
    const reply = await core.handleTurn(makeIncoming({ text: QUESTION }), {
      onPartial: (t) => partials.push(t),
    });
    expect(reply.aiGenerated).toBe(true);
    expect(partials.length).toBeGreaterThan(1);
    expect(partials.at(-1)).toBe(reply.text);
  });

  it('passes the thread history to the knowledge base for a follow-up, and titles only the first turn', async () => {
    const { core, knowledge } = setup();
    const inThread = (text: string) => makeIncoming({ text, channel: 'slack', threadId: '1700.1' });
    await core.handleTurn(inThread(QUESTION));
    const followUp = await core.handleTurn(inThread('Et qui signe la convention ?'));
    expect(knowledge.answerCalls[1]?.options?.history).toEqual([
      { question: QUESTION, answer: expect.stringContaining('convention') },
    ]);
    expect(followUp.title).toBeUndefined();
  });

  it('keeps feedback buttons on abstentions, without a passages button when nothing was found', async () => {
    const { core, repositories } = setup();
    const reply = await core.handleTurn(makeIncoming({ text: 'Quelle est la recette de la tarte tatin ?' }));
    expect(reply.citations).toEqual([]);
    expect(reply.feedback).toBe(true);
    expect(reply.choices).toBeUndefined();
    expect(repositories.state.interactions[0]?.abstained).toBe(true);
  });

  it('reads only the first 4,000 characters of a very long message and says so', async () => {
    const { core, knowledge } = setup();
    const reply = await core.handleTurn(makeIncoming({ text: `${QUESTION} ${'convention '.repeat(2_000)}` }));
    expect(knowledge.answerCalls[0]?.question.length).toBeLessThanOrEqual(4_000);
    expect(reply.text).toMatch(/dépassait 4\s000 caractères/);
  });

  it('stores the identity and conversation reference when the channel gives one', async () => {
    const { core, repositories } = setup();
    const reference = { channel: 'D1', team: 'T1' };
    await core.handleTurn(
      makeIncoming({ channel: 'slack', workspaceId: 'T1', userId: 'U1', conversationReference: reference }),
    );
    expect(await repositories.identities.findByChannelUser('slack', 'T1', 'U1')).toMatchObject({
      conversationReference: reference,
    });
  });
});

describe('handleTurn: buttons', () => {
  async function answered() {
    const context = setup();
    const reply = await context.core.handleTurn(makeIncoming({ text: QUESTION }));
    return { ...context, reply };
  }

  it('stores a 👎 on an answer and thanks in French', async () => {
    const { core, repositories, reply } = await answered();
    const thanks = await core.handleTurn(
      makeIncoming({ text: '', action: { id: 'feedback', value: reply.interactionId, rating: 'down' } }),
    );
    expect(repositories.state.feedback).toEqual([
      expect.objectContaining({
        interactionId: reply.interactionId,
        rating: 'down',
        channel: 'web',
        userId: 'user-1',
      }),
    ]);
    expect(thanks.text).toMatch(/Merci/);
    expect(thanks.feedback).toBe(false);
  });

  it('says clearly when the rated answer is unknown', async () => {
    const { core, repositories } = setup();
    const reply = await core.handleTurn(
      makeIncoming({ text: '', action: { id: 'feedback', value: 'nope', rating: 'up' } }),
    );
    expect(reply.text).toMatch(/ne retrouve pas la réponse/);
    expect(repositories.state.feedback).toEqual([]);
  });

  it('shows the passages behind an answer, each cited', async () => {
    const { core, reply } = await answered();
    const passages = await core.handleTurn(
      makeIncoming({ text: '', action: { id: 'show_passages', value: reply.choices?.[0]?.value } }),
    );
    expect(passages.text).toMatch(/^Passages du guide/);
    expect(passages.citations.map((c) => c.passageId)).toEqual(reply.passages?.map((p) => p.id).slice(0, 5));
    expect(passages.text).toContain('Convention de partenariat');
  });

  it('answers a suggested question clicked from the help message', async () => {
    const { core } = setup();
    const help = await core.handleTurn(makeIncoming({ text: 'bonjour' }));
    const suggestion = help.choices?.find((choice) => choice.value?.includes('convention'));
    expect(help.text).toMatch(/Boussole/);
    const reply = await core.handleTurn(
      makeIncoming({ text: '', action: { id: suggestion!.actionId, value: suggestion!.value } }),
    );
    expect(reply.citations.length).toBeGreaterThan(0);
  });

  it('answers unknown buttons and stale passage ids with a French message', async () => {
    const { core } = setup();
    expect((await core.handleTurn(makeIncoming({ action: { id: 'mystery' } }))).text).toMatch(
      /bouton n’est plus disponible/,
    );
    const stale = await core.handleTurn(
      makeIncoming({ text: '', action: { id: 'show_passages', value: 'gone:9' } }),
    );
    expect(stale.text).toMatch(/plus disponibles/);
  });
});

describe('handleTurn: bad input and failures', () => {
  it.each([
    ['', /pas reçu de question/],
    ['   ', /pas reçu de question/],
    ['👍🙂🎉', /Je ne lis que le texte/],
  ])('answers %j with a French message and stores nothing', async (text, expected) => {
    const { core, repositories } = setup();
    const reply = await core.handleTurn(makeIncoming({ text }));
    expect(reply.text).toMatch(expected);
    expect(repositories.state.interactions).toEqual([]);
  });

  it('apologises instead of throwing for a message without a user, and logs the code', async () => {
    const { core, lines } = setup();
    const reply = await core.handleTurn({ ...makeIncoming(), userId: '' } as IncomingMessage);
    expect(reply.text).toMatch(/pas pu lire ce message/);
    expect(lines.some((line) => line.code === 'invalid_input')).toBe(true);
  });

  it('apologises when the knowledge base fails, without logging the question', async () => {
    const { core, lines } = setup({ failWith: new Error('index missing') });
    const reply = await core.handleTurn(makeIncoming({ text: QUESTION }));
    expect(reply.text).toMatch(/guide est momentanément indisponible/);
    expect(lines.find((line) => line.msg === 'turn failed')).toMatchObject({ code: 'knowledge_unavailable' });
    expect(JSON.stringify(lines)).not.toContain('rédiger');
  });

  it('still answers, without feedback buttons, when storing the interaction fails', async () => {
    const repositories = createMemoryRepositories();
    const broken: Repositories = {
      ...repositories,
      interactions: { ...repositories.interactions, record: () => Promise.reject(new Error('db down')) },
    };
    const { core, lines } = setup({}, Object.assign(repositories, broken));
    const reply = await core.handleTurn(makeIncoming({ text: QUESTION }));
    expect(reply.citations.length).toBeGreaterThan(0);
    expect(reply.feedback).toBe(false);
    expect(lines.some((line) => line.code === 'storage_unavailable')).toBe(true);
  });

  it('logs each turn at info with its route and no message text', async () => {
    const { core, lines } = setup();
    await core.handleTurn(makeIncoming({ text: QUESTION, requestId: 'req-42' }));
    expect(lines.find((line) => line.msg === 'turn handled')).toMatchObject({
      route: 'question',
      requestId: 'req-42',
    });
    expect(JSON.stringify(lines)).not.toContain('convention');
  });
});
