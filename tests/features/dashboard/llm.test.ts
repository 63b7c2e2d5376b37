import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../bot/core/handle-turn.ts';
import type { Reply } from '../../../bot/core/types.ts';
import { FEATURES } from '../../../bot/features/index.ts';
import { createFieldExtractor } from '../../../bot/llm/field-extractor.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../../bot/store/database.ts';
import { makeIncoming } from '../../fixtures/incoming.ts';
import { createCapturingLogger } from '../../support/capture-logger.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../../support/fake-openai.ts';
import { createTestKnowledgeBase } from '../../support/test-knowledge-base.ts';

/** With an LLM configured, a free sentence becomes a task proposal (structured output), saved only once accepted. */

const ADMIN = { name: 'test' };
let database: Database;
let fake: FakeOpenAi;
let collectiviteId: string;
let conversation = 0;

/** What the model copies from the sentence, per field of the task form; null where the sentence says nothing. */
const READING = {
  intitule: { valeur: 'Diagnostic qualitatif', certain: true },
  phase: { valeur: 'diagnostic', certain: true },
  responsable: { valeur: 'le CCAS', certain: true },
  debut: { valeur: 'mars 2027', certain: true },
  fin: { valeur: 'fin juin 2027', certain: false },
  livrables: null,
  etat: null,
};

function chat() {
  const core = createCore({
    knowledge: createTestKnowledgeBase(),
    repositories: database.repositories,
    publicUrl: 'https://boussole.test',
    logger: createCapturingLogger().logger,
    clock: () => new Date('2027-01-15T10:00:00Z'),
    features: FEATURES,
    extractor: createFieldExtractor({
      apiKey: 'sk-test',
      baseURL: fake.url,
      model: 'fake-chat',
      timeoutMs: 1_500,
    }),
  });
  const conversationId = `D-task-${++conversation}`;
  return (text: string, action?: { id: string; value: string }): Promise<Reply> =>
    core.handleTurn(
      makeIncoming({ channel: 'slack', workspaceId: 'T1', conversationId, userId: 'U-LLM', text, action }),
    );
}

const tasks = () => database.repositories.tasks.list({ collectiviteIds: [collectiviteId] });

beforeAll(async () => {
  [database, fake] = await Promise.all([openDatabase({ dataDir: inMemoryDataDir }), startFakeOpenAi()]);
  const { directory, identities } = database.repositories;
  collectiviteId = (
    await directory.createCollectivite({ name: 'Commune de Préville', kind: 'commune' }, ADMIN)
  ).id;
  const person = await directory.createPerson({ displayName: 'Lou', email: 'lou@exemple.org' }, ADMIN);
  await directory.grant({ personId: person.id, role: 'referent', collectiviteId }, ADMIN);
  const identity = { channel: 'slack' as const, workspaceId: 'T1', externalUserId: 'U-LLM' };
  await identities.upsert(identity);
  await directory.linkIdentity(identity, person.id, ADMIN);
}, 60_000);

afterAll(async () => {
  await fake?.close();
  await database?.close();
});

beforeEach(() => fake.reset());

describe('a task said freely, with an LLM', () => {
  it('shows what it read, saves nothing before acceptance, then asks only the rest', async () => {
    fake.setBehaviour({ reply: () => JSON.stringify(READING) });
    const say = chat();
    let reply = await say('Il faudrait que le CCAS mène le diagnostic qualitatif de mars à fin juin');
    expect(fake.chatRequests()).toHaveLength(1);
    expect((fake.chatRequests()[0]!.response_format as { type: string }).type).toBe('json_schema');
    expect(reply.form).toMatchObject({ formId: 'tache', step: 'confirm' });
    expect(reply.text).toContain('rien n’est encore enregistré');
    expect(reply.text).toContain('✓ *Étape* : Diagnostic qualitatif');
    expect(reply.text).toContain('✓ *QUI ? Responsable* : le CCAS (partenaire)');
    expect(reply.text).toContain('❓ *Date fin* : 30 juin 2027');
    expect(await tasks()).toEqual([]);

    const accept = reply.choices!.find((choice) => choice.label.startsWith('Enregistrer'))!;
    reply = await say('', { id: accept.actionId, value: accept.value! });
    // The unsure end date is confirmed first, then the empty fields.
    expect(reply.form).toMatchObject({ fieldId: 'fin', step: 'question' });
    const [task] = await tasks();
    expect(task!.values).toEqual({
      intitule: 'Diagnostic qualitatif',
      phase: 'diagnostic',
      responsable: { nom: 'le CCAS' },
      debut: '2027-03-01',
      fin: '2027-06-30',
      etat: 'a_faire',
    });
    reply = await say('passer');
    expect(reply.form).toMatchObject({ fieldId: 'livrables' });
  });

  it('leaves questions and the fixed phrasings alone, and says nothing is lost when the model fails', async () => {
    fake.setBehaviour({ failure: 'http-500' });
    const say = chat();
    let reply = await say('il faut combien d’indicateurs par action ?');
    expect(reply.form).toBeUndefined();
    expect(fake.chatRequests()).toHaveLength(0);
    reply = await say('Il faut organiser la réunion du COPIL avec les élus');
    expect(reply.text).toContain('Le modèle de langue n’a pas répondu');
    expect(reply.form).toMatchObject({ fieldId: 'intitule', step: 'question' });
    const requests = fake.chatRequests().length;
    reply = await say('mes tâches');
    expect(fake.chatRequests()).toHaveLength(requests);
    expect(reply.text).toContain('Aucune tâche ne vous est confiée');
  });
});
