import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebReply } from '../../bot/channels/web-render.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';
import { openFixtureKnowledgeBase } from '../support/fixture-knowledge-base.ts';
import { createTestKnowledgeBase } from '../support/test-knowledge-base.ts';
import { PUBLIC_URL, startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
let knowledge: Awaited<ReturnType<typeof openFixtureKnowledgeBase>>;

beforeAll(async () => {
  knowledge = await openFixtureKnowledgeBase();
  server = await startTestServer({ knowledge });
});
afterAll(async () => {
  await server.close();
  await knowledge.dispose();
});

/** The passage the knowledge base made of a section of the fixture guide. */
const passageOf = (section: string) =>
  knowledge.documentContent('guide-cooperative')!.passages.find((p) => p.sectionPath.at(-1) === section)!;

const chat = (body: unknown) =>
  fetch(`${server.baseUrl}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const ask = async (body: Record<string, unknown>) =>
  (await (await chat({ conversationId: 'c1', userId: 'u1', ...body })).json()) as WebReply;

describe('POST /api/chat', () => {
  it('answers a question with linked citations, feedback and a passages button', async () => {
    const reply = await ask({ text: 'Comment rédiger une convention de partenariat ?' });
    expect(reply.html).toMatch(
      new RegExp(
        `<a href="${PUBLIC_URL}/sources/guide-cooperative\\?passage=guide-cooperative%3A\\d+#${passageOf('Convention de partenariat').anchor}" title="[^"]+" target="_blank" rel="noopener">\\[1\\]</a>`,
      ),
    );
    expect(reply.citations[0]).toMatchObject({
      n: 1,
      label: expect.stringContaining('› Convention de partenariat'),
    });
    expect(reply.feedback?.interactionId).toBe(server.repositories.state.interactions.at(-1)?.id);
    expect(reply.choices[0]).toMatchObject({ label: 'Voir les passages', actionId: 'show_passages' });
    expect(server.repositories.state.interactions.at(-1)).toMatchObject({
      channel: 'web',
      workspaceId: 'local',
      userId: 'visiteur:u1',
    });
  });

  it('stores feedback sent as an action', async () => {
    const answer = await ask({ text: 'Comment évaluer une action ?' });
    const thanks = await ask({
      action: { id: 'feedback', value: answer.feedback!.interactionId, rating: 'up' },
    });
    expect(thanks.html).toMatch(/Merci/);
    expect(server.repositories.state.feedback.at(-1)).toMatchObject({ rating: 'up', channel: 'web' });
  });

  it('refuses a rating of another conversation’s answer, however its id was learnt', async () => {
    const answer = await ask({ conversationId: 'c-proprietaire', text: 'Comment évaluer une action ?' });
    const interactionId = answer.feedback!.interactionId;
    const before = server.repositories.state.feedback.length;
    const reply = await ask({
      conversationId: 'c-intrus',
      userId: 'u-intrus',
      action: { id: 'feedback', value: interactionId, rating: 'down' },
    });
    expect(reply.html).toMatch(/Je ne retrouve pas la réponse concernée/);
    expect(server.repositories.state.feedback).toHaveLength(before);
    const own = await ask({
      conversationId: 'c-proprietaire',
      action: { id: 'feedback', value: interactionId, rating: 'up' },
    });
    expect(own.html).toMatch(/Merci/);
    expect(server.repositories.state.feedback.at(-1)).toMatchObject({ interactionId, rating: 'up' });
  });

  it('never lets HTML from the text through', async () => {
    const reply = await ask({ text: '<img src=x onerror=alert(1)> bonjour' });
    expect(reply.html).not.toMatch(/<img|<script/);
  });

  it.each([
    ['malformed JSON', '{"conversationId": '],
    ['a missing conversation id', { userId: 'u1', text: 'bonjour' }],
    ['a wrong type', { conversationId: 'c', userId: 'u', text: 42 }],
  ])('answers 400 with a French message for %s', async (_name, body) => {
    const response = await chat(body);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/Requête invalide/);
  });

  it.each([
    ['a body that is not the gzip it claims', { 'content-encoding': 'gzip' }, 400],
    ['an unknown body encoding', { 'content-encoding': 'rot13' }, 415],
    ['a charset other than UTF-8', { 'content-type': 'application/json; charset=latin9' }, 415],
  ])('answers %s with a French client error, not a 500', async (_name, headers, status) => {
    const response = await fetch(`${server.baseUrl}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{"conversationId":"c1","userId":"u1","text":"bonjour"}',
    });
    expect(response.status).toBe(status);
    expect((await response.json()).error).toMatch(/^Requête invalide/);
  });

  it('answers empty, emoji-only and unknown-button messages in French', async () => {
    expect((await ask({ text: '' })).html).toMatch(/pas reçu de question/);
    expect((await ask({ text: '🙂🙂' })).html).toMatch(/Je ne lis que le texte/);
    expect((await ask({ action: { id: 'bizarre' } })).html).toMatch(/bouton/);
  });
});

describe('POST /api/chat when the LLM does not answer', () => {
  let llm: FakeOpenAi;
  let llmKnowledge: Awaited<ReturnType<typeof openFixtureKnowledgeBase>>;
  let llmServer: TestServer;
  beforeAll(async () => {
    llm = await startFakeOpenAi();
    llmKnowledge = await openFixtureKnowledgeBase({ llmUrl: llm.url });
    llmServer = await startTestServer({ knowledge: llmKnowledge });
  });
  afterAll(async () => {
    await llmServer.close();
    await llm.close();
    await llmKnowledge.dispose();
  });

  it('says in French, before the quotations, that the answer is extractive because the model did not answer', async () => {
    llm.setBehaviour({ failure: 'http-500' });
    const response = await fetch(`${llmServer.baseUrl}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        conversationId: 'c-llm',
        userId: 'u1',
        text: 'Comment rédiger une convention de partenariat ?',
      }),
    });
    const reply = (await response.json()) as WebReply;
    expect(reply.html).toMatch(/^<p>Réponse extractive : le modèle de langue n’a pas répondu/);
    expect(reply.html).toMatch(/\[1\]<\/a>/);
    expect(reply.aiGenerated).toBe(false);
    expect(llm.chatRequests().length).toBeGreaterThan(0);
  });
});

describe('GET /sources/:document', () => {
  const page = async (path: string) => {
    const response = await fetch(`${server.baseUrl}${path}`);
    return { status: response.status, html: await response.text() };
  };

  it('shows the document with its title, publisher and year, headings carrying the knowledge base anchors', async () => {
    const { status, html } = await page('/sources/guide-cooperative');
    expect(status).toBe(200);
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<h1>Guide de la Coopérative d&#39;acteurs : santé &amp; territoires</h1>');
    expect(html).toContain('ARS Île-de-France, 2018');
    expect(html).toContain(
      `<h4 id="${passageOf('Convention de partenariat').anchor}">Convention de partenariat</h4>`,
    );
    expect(html).toContain(
      `<h3 id="${passageOf('Diagnostic local de santé').anchor}">Diagnostic local de santé</h3>`,
    );
    expect(html).not.toContain('<mark>');
  });

  it('highlights the cited passage inside its section', async () => {
    const passage = passageOf('Convention de partenariat');
    const { html } = await page(`/sources/guide-cooperative?passage=${encodeURIComponent(passage.id)}`);
    const cited = html.slice(
      html.indexOf('id="passage-cite"'),
      html.indexOf('</div>', html.indexOf('id="passage-cite"')),
    );
    expect(cited).toContain('<mark>Une convention de partenariat précise');
    expect(cited).toContain('<mark>Pour rédiger une convention');
    expect(cited).not.toContain('diagnostic local');
    expect(html.indexOf(`id="${passage.anchor}"`)).toBeLessThan(html.indexOf('id="passage-cite"'));
  });

  it.each(['/sources/%E0%A4%A', '/sources/%', '/sources/guide%ZZ'])(
    'answers 400 in French to the bad percent-encoding of %s',
    async (path) => {
      const response = await fetch(`${server.baseUrl}${path}`);
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatch(/^Requête invalide : .*encodage/);
    },
  );

  it('answers 404 with a French page, escaping the requested name', async () => {
    const { status, html } = await page('/sources/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(status).toBe(404);
    expect(html).toContain('Document introuvable');
    expect(html).not.toContain('<script>alert');
  });
});

describe('service basics', () => {
  it('answers /healthz and gives every response a request id', async () => {
    const response = await fetch(`${server.baseUrl}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', sources: { skipped: [] } });
    expect(response.headers.get('x-request-id')).toBe('abc-123');
    const access = server.logLines.find((line) => line.requestId === 'abc-123' && line.msg === 'request');
    expect(access).toMatchObject({ method: 'GET', path: '/healthz', status: 200 });
  });

  it('logs no message text at info level', async () => {
    await ask({ text: 'Question confidentielle sur le comité de suivi' });
    expect(JSON.stringify(server.logLines)).not.toContain('confidentielle');
  });

  it('serves the chat page and its assets', async () => {
    const page = await fetch(`${server.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<label for="question">Votre message</label>');
    expect((await fetch(`${server.baseUrl}/assets/app.js`)).status).toBe(200);
  });
});

describe('graceful close', () => {
  it('waits for a reply in progress, then stops answering /healthz', async () => {
    let release!: () => void;
    const slow = createTestKnowledgeBase();
    const answer = slow.answer;
    slow.answer = async (question, options) => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return answer(question, options);
    };
    const local = await startTestServer({ knowledge: slow });
    const pending = fetch(`${local.baseUrl}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: 'c', userId: 'u', text: 'Comment rédiger une convention ?' }),
    });
    await expect.poll(() => typeof release).toBe('function');
    const closing = local.close();
    release();
    const response = await pending;
    expect(response.status).toBe(200);
    expect(((await response.json()) as WebReply).citations.length).toBeGreaterThan(0);
    await closing;
    await expect(fetch(`${local.baseUrl}/healthz`)).rejects.toThrow();
  });
});
