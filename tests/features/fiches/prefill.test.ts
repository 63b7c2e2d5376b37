import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../bot/core/handle-turn.ts';
import type { IncomingFile, Reply } from '../../../bot/core/types.ts';
import { exampleFiche } from '../../../bot/documents/example-fiche.ts';
import { ficheDocx } from '../../../bot/documents/fiche-docx.ts';
import { FICHE_FORM } from '../../../bot/features/fiches/form.ts';
import { FEATURES } from '../../../bot/features/index.ts';
import { createFieldExtractor } from '../../../bot/llm/field-extractor.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../../bot/store/database.ts';
import { makeIncoming } from '../../fixtures/incoming.ts';
import { createCapturingLogger } from '../../support/capture-logger.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../../support/fake-openai.ts';
import { openFixtureKnowledgeBase } from '../../support/fixture-knowledge-base.ts';

const ADMIN = { name: 'test' };
const DESCRIPTION =
  'Nous voulons lancer des ateliers cuisine et santé pour les familles du quartier des Tilleuls, portés par le centre social Les Tilleuls avec le CCAS. ' +
  'Dix ateliers de deux heures animés par une diététicienne, de mars à novembre 2027, pour une soixantaine de parents. ' +
  'Le budget serait de 12 000 euros environ, financés par l’ARS et la ville.';

let database: Database;
let knowledge: Awaited<ReturnType<typeof openFixtureKnowledgeBase>>;
let fake: FakeOpenAi;
let conversation = 0;

/** What the model reads in the description: copied words, unsure where the text hesitates; null elsewhere. */
const READING = {
  ...Object.fromEntries(FICHE_FORM.fields.map((field) => [field.id, null])),
  intitule: { valeur: 'Ateliers cuisine et santé pour les familles', certain: true },
  promoteur: { valeur: 'Centre social Les Tilleuls', certain: true },
  contenu: { valeur: 'Dix ateliers de deux heures animés par une diététicienne', certain: true },
  periode: { valeur: 'de mars à novembre 2027', certain: true },
  nb_beneficiaires: { valeur: 'une soixantaine', certain: true },
  budget: { valeur: '12 000 euros', certain: false },
  // Invented or malformed values the form's parsers refuse: never kept.
  lieux: { valeur: '', certain: false },
  etapes: { valeur: 'bilan le 31/02/2027', certain: true },
};

function setup() {
  const { logger } = createCapturingLogger();
  const core = createCore({
    knowledge,
    repositories: database.repositories,
    publicUrl: 'https://boussole.test',
    logger,
    clock: () => new Date('2026-11-29T10:00:00Z'),
    features: FEATURES,
    extractor: createFieldExtractor({
      apiKey: 'sk-test',
      baseURL: fake.url,
      model: 'fake-chat',
      timeoutMs: 1_500,
    }),
  });
  const conversationId = `D-prefill-${++conversation}`;
  const say = (
    text: string,
    action?: { id: string; value: string },
    attachments?: IncomingFile[],
  ): Promise<Reply> =>
    core.handleTurn(
      makeIncoming({
        channel: 'slack',
        workspaceId: 'T1',
        conversationId,
        userId: 'U-PRE',
        text,
        action,
        attachments,
        conversationReference: {},
      }),
    );
  return { say };
}

async function ficheTitles(): Promise<string[]> {
  const collectivites = await database.repositories.directory.listCollectivites();
  const fiches = await database.repositories.fiches.list({ collectiviteIds: collectivites.map((c) => c.id) });
  return fiches.map((fiche) => fiche.title);
}

beforeAll(async () => {
  [database, knowledge, fake] = await Promise.all([
    openDatabase({ dataDir: inMemoryDataDir }),
    openFixtureKnowledgeBase({ sources: 'corpus' }),
    startFakeOpenAi(),
  ]);
  const { directory, identities } = database.repositories;
  const collectivite = await directory.createCollectivite(
    { name: 'Commune de Préville', kind: 'commune' },
    ADMIN,
  );
  const person = await directory.createPerson({ displayName: 'Lou', email: 'lou@exemple.org' }, ADMIN);
  await directory.grant({ personId: person.id, role: 'referent', collectiviteId: collectivite.id }, ADMIN);
  await identities.upsert({ channel: 'slack', workspaceId: 'T1', externalUserId: 'U-PRE' });
  await directory.linkIdentity(
    { channel: 'slack', workspaceId: 'T1', externalUserId: 'U-PRE' },
    person.id,
    ADMIN,
  );
}, 120_000);

afterAll(async () => {
  await fake?.close();
  await database?.close();
  await knowledge?.dispose();
});

beforeEach(() => fake.reset());

describe('pre-filling a fiche from a pasted description (LLM)', () => {
  it('shows what it understood, marks the unsure, saves nothing before acceptance, then asks only the rest', async () => {
    fake.setBehaviour({ reply: () => JSON.stringify(READING) });
    const { say } = setup();
    await say('nouvelle fiche-action');
    let reply = await say(DESCRIPTION);
    expect(fake.chatRequests()).toHaveLength(1);
    const request = fake.chatRequests()[0]!;
    expect((request.response_format as { type: string }).type).toBe('json_schema');
    expect(reply.form?.step).toBe('confirm');
    expect(reply.text).toContain('rien n’est encore enregistré');
    expect(reply.text).toContain('✓ *Intitulé de l’action* : Ateliers cuisine et santé pour les familles');
    expect(reply.text).toMatch(/❓ \*Budget total\* : 12\s000\s€ _\(à vérifier\)_/);
    expect(reply.text).toMatch(/✗ \*Étapes clés\*.*31 février/);
    expect(await ficheTitles()).not.toContain('Ateliers cuisine et santé pour les familles');

    const accept = reply.choices!.find((choice) => choice.label.startsWith('Enregistrer'))!;
    reply = await say('', { id: accept.actionId, value: accept.value! });
    // The unsure value is confirmed first, then the first empty field.
    expect(reply.form?.fieldId).toBe('budget');
    expect(reply.text).toMatch(/Réponse actuelle : 12\s000\s€/);
    reply = await say('passer');
    expect(reply.form?.fieldId).toBe('programme');
    const fiches = await database.repositories.fiches.list({
      collectiviteIds: (await database.repositories.directory.listCollectivites()).map((c) => c.id),
    });
    const fiche = fiches.find(
      (candidate) => candidate.title === 'Ateliers cuisine et santé pour les familles',
    )!;
    expect(fiche.values).toMatchObject({
      promoteur: 'Centre social Les Tilleuls',
      periode: { debut: '2027-03-01', fin: '2027-11-30' },
      nb_beneficiaires: { valeur: 60, approximatif: true },
      budget: 12000,
    });
    expect(fiche.values).not.toHaveProperty('etapes');
    const history = await database.repositories.fiches.history(fiche.id);
    expect(history[0]!.note).toMatch(/modèle de langue, acceptée/);
  });

  it('drops the proposal when the person ignores it', async () => {
    fake.setBehaviour({
      reply: () => JSON.stringify({ ...READING, intitule: { valeur: 'Marche bleue', certain: true } }),
    });
    const { say } = setup();
    await say('nouvelle fiche-action');
    await say(DESCRIPTION);
    const reply = await say('ignorer');
    expect(reply.form?.fieldId).toBe('programme');
    expect(await ficheTitles()).not.toContain('Marche bleue');
  });

  it.each([
    ['a refusal', { refusal: 'Je ne peux pas traiter cette demande.' }],
    ['a timeout', { delayMs: 3_000 }],
    ['a server error', { failure: 'http-500' as const }],
    ['a reply that is not the schema', { reply: () => '{"intitule": 42}' }],
  ])('falls back to the questions on %s, saving nothing', async (_name, behaviour) => {
    fake.setBehaviour(behaviour);
    const { say } = setup();
    await say('nouvelle fiche-action');
    const reply = await say(DESCRIPTION);
    expect(reply.text).toMatch(/Répondons question par question/);
    expect(reply.form?.fieldId).toBe('programme');
  });
});

describe('starting a fiche from a Word file, without an LLM', () => {
  it('reads the Article 2 table into a proposal and saves it once accepted', async () => {
    const bytes = await ficheDocx(exampleFiche());
    const { say } = setup();
    const file: IncomingFile = { name: 'ma fiche.docx', read: async () => bytes };
    let reply = await say('', undefined, [file]);
    expect(fake.chatRequests()).toHaveLength(0);
    expect(reply.text).toContain('de votre fichier Word');
    expect(reply.form?.step).toBe('confirm');
    reply = await say('enregistrer');
    expect(reply.form?.step).toBe('recap');
    const titles = await ficheTitles();
    expect(titles).toContain(exampleFiche().title);
  });
});
