import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai.ts';
import {
  FAKE_BOT_USER_ID,
  FAKE_TEAM_ID,
  type FakeSlackApi,
  startFakeSlackApi,
} from '../support/fake-slack-api.ts';
import { openFixtureKnowledgeBase } from '../support/fixture-knowledge-base.ts';
import { eventBody, formBody, postToSlackEndpoint } from '../support/slack-requests.ts';
import { createTestKnowledgeBase, type TestKnowledgeBase } from '../support/test-knowledge-base.ts';
import { PUBLIC_URL, SIGNING_SECRET, startTestServer, type TestServer } from '../support/test-server.ts';

type Block = { type: string; text?: { text: string }; elements?: Record<string, unknown>[] };

let fake: FakeSlackApi;
let server: TestServer;
let knowledge: TestKnowledgeBase & { dispose(): Promise<void> };
let eventCounter = 0;
const endpoint = () => `${server.baseUrl}/slack/events`;
const nextTs = () => `1700000${String(++eventCounter).padStart(3, '0')}.000100`;

function mention(text: string, options: { ts?: string; threadTs?: string; channel?: string } = {}) {
  const ts = options.ts ?? nextTs();
  const event = {
    type: 'app_mention',
    user: 'U0REFERENTE',
    text: `<@${FAKE_BOT_USER_ID}> ${text}`,
    ts,
    ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    channel: options.channel ?? 'C0PROJETS',
    event_ts: ts,
    team: FAKE_TEAM_ID,
  };
  return { ts, body: eventBody(`Ev${ts.replace('.', '')}`, event, FAKE_TEAM_ID) };
}

const sendEvent = (body: string, options = {}) =>
  postToSlackEndpoint(endpoint(), SIGNING_SECRET, body, 'application/json', options);
const sendForm = (fields: Record<string, string>) =>
  postToSlackEndpoint(endpoint(), SIGNING_SECRET, formBody(fields), 'application/x-www-form-urlencoded');

async function postedIn(channel: string, threadTs: string) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const post = fake
      .callsTo('chat.postMessage')
      .find((c) => c.body.channel === channel && c.body.thread_ts === threadTs);
    if (post) return post.body as { text: string; blocks: Block[]; thread_ts: string };
    if (Date.now() > deadline) throw new Error(`no chat.postMessage in ${channel} / ${threadTs}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  fake = await startFakeSlackApi();
  knowledge = await openFixtureKnowledgeBase();
  server = await startTestServer({ knowledge, slackApiUrl: `${fake.url}/api/` });
});

afterAll(async () => {
  await server.close();
  await fake.close();
  await knowledge.dispose();
});

/** The anchor the knowledge base gave a section of the fixture guide. */
const anchorOf = (section: string) =>
  knowledge.documentContent('guide-cooperative')!.passages.find((p) => p.sectionPath.at(-1) === section)!
    .anchor;

describe('Slack HTTP endpoint: request verification', () => {
  it('answers the url_verification challenge', async () => {
    const response = await sendEvent(
      JSON.stringify({ token: 't', challenge: 'défi-42', type: 'url_verification' }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: 'défi-42' });
  });

  it('refuses a wrong signature with 401 and calls no Web API method', async () => {
    const before = fake.calls.length;
    const { body } = mention('Comment rédiger une convention de partenariat ?');
    const response = await postToSlackEndpoint(endpoint(), SIGNING_SECRET, body, 'application/json', {
      signWith: 'forged',
    });
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.calls.length).toBe(before);
  });

  it('refuses a timestamp older than five minutes with 401 and calls nothing', async () => {
    const before = fake.calls.length;
    const { body } = mention('Comment rédiger une convention de partenariat ?');
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const response = await sendEvent(body, { timestamp: stale });
    expect(response.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.calls.length).toBe(before);
  });
});

describe('Slack mentions', () => {
  it('answers a mention once, in its thread, with linked citations and native feedback buttons', async () => {
    const { ts, body } = mention('Comment rédiger une convention de partenariat ?');
    const response = await sendEvent(body);
    expect(response.status).toBe(200);
    const post = await postedIn('C0PROJETS', ts);

    const [section, citations, actions, feedback] = post.blocks;
    expect(section?.type).toBe('section');
    expect(section?.text?.text).toMatch(
      new RegExp(
        `<${PUBLIC_URL}/sources/guide-cooperative\\?passage=guide-cooperative%3A\\d+#${anchorOf('Convention de partenariat')}\\|\\[1\\]>`,
      ),
    );
    expect(citations?.type).toBe('context');
    expect(String(citations?.elements?.[0]?.text)).toMatch(
      new RegExp(
        `^\\*\\[1\\]\\* <${PUBLIC_URL}/sources/guide-cooperative\\?passage=.+\\|Guide de la Coopérative .+ › Convention de partenariat>$`,
      ),
    );
    expect(actions?.type).toBe('actions');
    expect(actions?.elements?.[0]).toMatchObject({ type: 'button', text: { text: 'Voir les passages' } });
    const interactionId = server.repositories.state.interactions.at(-1)?.id;
    expect(feedback).toMatchObject({
      type: 'context_actions',
      elements: [
        {
          type: 'feedback_buttons',
          positive_button: { value: `${interactionId}:up` },
          negative_button: { value: `${interactionId}:down` },
        },
      ],
    });
    expect(post.text.length).toBeGreaterThan(0);
    // The account is kept; a channel is not where to message the person later (their DM is).
    const identity = await server.repositories.identities.findByChannelUser(
      'slack',
      FAKE_TEAM_ID,
      'U0REFERENTE',
    );
    expect(identity).toMatchObject({ channel: 'slack', externalUserId: 'U0REFERENTE' });
    expect(identity?.conversationReference).not.toEqual({ channel: 'C0PROJETS', team: FAKE_TEAM_ID });
  });

  it('posts once when Slack retries the same event_id', async () => {
    const { ts, body } = mention('Quelles sont les étapes du diagnostic local de santé ?');
    const [first, retry] = await Promise.all([sendEvent(body), sendEvent(body, { retryNum: 1 })]);
    expect([first.status, retry.status]).toEqual([200, 200]);
    await postedIn('C0PROJETS', ts);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.callsTo('chat.postMessage').filter((c) => c.body.thread_ts === ts)).toHaveLength(1);
  });

  it('answers anyway when the database cannot tell whether the event is new, and says so in the log', async () => {
    const { claim } = server.repositories.processedEvents;
    server.repositories.processedEvents.claim = async () => {
      throw new Error('connection refused');
    };
    try {
      const { ts, body } = mention('Comment rédiger une convention de partenariat ?');
      expect((await sendEvent(body)).status).toBe(200);
      const post = await postedIn('C0PROJETS', ts);
      expect(post.text).toMatch(/\[1\]/);
      expect(server.logLines.some((line) => line.msg === 'event claim failed, handled anyway')).toBe(true);
    } finally {
      server.repositories.processedEvents.claim = claim;
    }
  });

  it('answers a follow-up in the thread with the thread history as context', async () => {
    const root = mention('Comment rédiger une convention de partenariat ?');
    await sendEvent(root.body);
    await postedIn('C0PROJETS', root.ts);
    const followUp = mention('Qui signe la convention de partenariat ?', { threadTs: root.ts });
    await sendEvent(followUp.body);
    await expect
      .poll(() => fake.callsTo('chat.postMessage').filter((c) => c.body.thread_ts === root.ts).length)
      .toBe(2);
    const call = knowledge.answerCalls.find((c) => c.question === 'Qui signe la convention de partenariat ?');
    expect(call?.options?.history).toEqual([
      { question: 'Comment rédiger une convention de partenariat ?', answer: expect.stringContaining('[1]') },
    ]);
  });
});

function blockAction(
  action: Record<string, unknown>,
  messageTs: string,
  responseId: string,
  channel = 'C0PROJETS',
) {
  return {
    payload: JSON.stringify({
      type: 'block_actions',
      team: { id: FAKE_TEAM_ID, domain: 'test' },
      user: { id: 'U0REFERENTE', username: 'referente', team_id: FAKE_TEAM_ID },
      api_app_id: 'A0BOUSSOLE',
      token: 'legacy',
      trigger_id: '123.456',
      container: { type: 'message', message_ts: messageTs, channel_id: channel, is_ephemeral: false },
      channel: { id: channel, name: 'projets' },
      message: { type: 'message', ts: messageTs, thread_ts: messageTs, text: 'réponse' },
      response_url: `${fake.url}/respond/${responseId}`,
      actions: [{ block_id: 'b1', action_ts: '1700000000.1', ...action }],
    }),
  };
}

describe('Slack buttons and slash command', () => {
  it('stores a 👎 click from the native feedback buttons and thanks the user privately', async () => {
    const { ts, body } = mention('Comment rédiger une convention de partenariat ?');
    await sendEvent(body);
    const post = await postedIn('C0PROJETS', ts);
    const feedbackElement = post.blocks.find((b) => b.type === 'context_actions')?.elements?.[0] as {
      negative_button: { value: string };
    };
    const response = await sendForm(
      blockAction(
        { type: 'feedback_buttons', action_id: 'feedback', value: feedbackElement.negative_button.value },
        ts,
        'fb',
      ),
    );
    expect(response.status).toBe(200);
    const [thanks] = await fake.waitFor('chat.postEphemeral');
    expect(thanks?.body).toMatchObject({ channel: 'C0PROJETS', user: 'U0REFERENTE', thread_ts: ts });
    expect(String(thanks?.body.text)).toMatch(/Merci pour votre retour/);
    const interactionId = feedbackElement.negative_button.value.replace(/:down$/, '');
    expect(server.repositories.state.feedback).toContainEqual(
      expect.objectContaining({ interactionId, rating: 'down', channel: 'slack', userId: 'U0REFERENTE' }),
    );
  });

  it('refuses a rating of this answer sent from another channel', async () => {
    const { ts, body } = mention('Comment rédiger une convention de partenariat ?');
    await sendEvent(body);
    const post = await postedIn('C0PROJETS', ts);
    const feedbackElement = post.blocks.find((b) => b.type === 'context_actions')?.elements?.[0] as {
      positive_button: { value: string };
    };
    const interactionId = feedbackElement.positive_button.value.replace(/:up$/, '');
    const before = fake.callsTo('chat.postEphemeral').length;
    const click = {
      type: 'feedback_buttons',
      action_id: 'feedback',
      value: feedbackElement.positive_button.value,
    };
    await sendForm(blockAction(click, ts, 'fb-ailleurs', 'C0AILLEURS'));
    const calls = await fake.waitFor('chat.postEphemeral', before + 1);
    expect(calls.at(-1)?.body).toMatchObject({ channel: 'C0AILLEURS' });
    expect(String(calls.at(-1)?.body.text)).toMatch(/Je ne retrouve pas la réponse concernée/);
    expect(server.repositories.state.feedback.filter((f) => f.interactionId === interactionId)).toEqual([]);
  });

  it('shows the passages when "Voir les passages" is clicked', async () => {
    const { ts, body } = mention('Quelles sont les étapes du diagnostic local de santé ?');
    await sendEvent(body);
    const post = await postedIn('C0PROJETS', ts);
    const button = post.blocks.find((b) => b.type === 'actions')?.elements?.[0] as {
      action_id: string;
      value: string;
    };
    const before = fake.callsTo('chat.postEphemeral').length;
    await sendForm(
      blockAction({ type: 'button', action_id: button.action_id, value: button.value }, ts, 'passages'),
    );
    const calls = await fake.waitFor('chat.postEphemeral', before + 1);
    expect(String(calls.at(-1)?.body.text)).toMatch(/Passages du guide/);
    expect(JSON.stringify(calls.at(-1)?.body.blocks)).toContain('Diagnostic local de santé');
  });

  it('acks /boussole at once, then answers through the response_url', async () => {
    const response = await sendForm({
      token: 'legacy',
      team_id: FAKE_TEAM_ID,
      channel_id: 'C0PROJETS',
      user_id: 'U0REFERENTE',
      user_name: 'referente',
      command: '/boussole',
      text: 'Comment évaluer une action de promotion de la santé ?',
      response_url: `${fake.url}/respond/cmd`,
      trigger_id: '1.2',
      api_app_id: 'A0BOUSSOLE',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      response_type: 'ephemeral',
      text: 'Recherche dans le guide…',
    });
    await expect
      .poll(() =>
        fake
          .callsTo('response_url')
          .some((c) => JSON.stringify(c.body).includes(`#${anchorOf('Évaluation')}`)),
      )
      .toBe(true);
  });
});

describe('Slack bad input', () => {
  it.each([
    ['an empty mention', '', /pas reçu de question/],
    ['only emoji', '🎉🎉 👍', /Je ne lis que le texte/],
    [
      '20,000 characters',
      `Comment rédiger une convention ? ${'convention '.repeat(1_820)}`,
      /message était très long/,
    ],
  ])('answers %s in French in the thread, within Block Kit limits', async (_name, text, expected) => {
    const { ts, body } = mention(text);
    const response = await sendEvent(body);
    expect(response.status).toBe(200);
    const post = await postedIn('C0PROJETS', ts);
    expect(post.blocks.map((block) => block.text?.text ?? '').join('\n')).toMatch(expected);
    expect(post.blocks.length).toBeLessThanOrEqual(50);
    for (const block of post.blocks) expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3_000);
  });

  it('answers an unknown button payload with a French message, not an error', async () => {
    const before = fake.callsTo('chat.postEphemeral').length;
    const response = await sendForm(
      blockAction({ type: 'button', action_id: 'inconnu#0', value: '??' }, nextTs(), 'x'),
    );
    expect(response.status).toBe(200);
    const calls = await fake.waitFor('chat.postEphemeral', before + 1);
    expect(String(calls.at(-1)?.body.text)).toMatch(/bouton n’est plus disponible/);
  });

  it('acknowledges at once a signed event_callback that carries no event, and calls nothing', async () => {
    const before = fake.calls.length;
    const started = Date.now();
    const { event: _none, ...withoutEvent } = JSON.parse(mention('sans événement').body);
    const response = await sendEvent(JSON.stringify(withoutEvent));
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_000);
    const forged = await postToSlackEndpoint(
      endpoint(),
      SIGNING_SECRET,
      JSON.stringify(withoutEvent),
      'application/json',
      {
        signWith: 'forged',
      },
    );
    expect(forged.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.calls.length).toBe(before);
    expect(server.logLines.some((line) => line.msg === 'slack event without payload ignored')).toBe(true);
  });

  it.each([
    ['a direct message', { type: 'message', channel_type: 'im' }],
    ['a mention', { type: 'app_mention' }],
  ])('ignores %s event without a channel, with a log line, and posts nothing', async (_name, fields) => {
    const ts = nextTs();
    const event = {
      ...fields,
      user: 'U0REFERENTE',
      text: 'Comment rédiger une convention ?',
      ts,
      event_ts: ts,
    };
    const logged = server.logLines.length;
    const response = await sendEvent(eventBody(`EvNoChannel${ts}`, event, FAKE_TEAM_ID));
    expect(response.status).toBe(200);
    await expect
      .poll(() =>
        server.logLines.slice(logged).some((line) => line.msg === 'slack message without channel ignored'),
      )
      .toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.calls.filter((call) => call.method.startsWith('chat.') && !call.body.channel)).toEqual([]);
    expect(fake.calls.filter((call) => JSON.stringify(call.body).includes(ts))).toEqual([]);
  });

  it('refuses a malformed signed body without a 500', async () => {
    const response = await sendEvent('{"type": "event_callback", ');
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});

describe('Slack AI assistant panel and streaming', () => {
  let llmFake: FakeSlackApi;
  let llmServer: TestServer;

  beforeAll(async () => {
    llmFake = await startFakeSlackApi();
    llmServer = await startTestServer({
      knowledge: createTestKnowledgeBase({ mode: 'llm' }),
      slackApiUrl: `${llmFake.url}/api/`,
    });
  });
  afterAll(async () => {
    await llmServer.close();
    await llmFake.close();
  });
  const send = (event: Record<string, unknown>, id: string) =>
    postToSlackEndpoint(
      `${llmServer.baseUrl}/slack/events`,
      SIGNING_SECRET,
      eventBody(id, event, FAKE_TEAM_ID),
      'application/json',
    );

  it('greets a new assistant thread with French suggested prompts', async () => {
    await send(
      {
        type: 'assistant_thread_started',
        assistant_thread: {
          user_id: 'U0REFERENTE',
          context: {},
          channel_id: 'D0PANEL',
          thread_ts: '1700001000.000100',
        },
        event_ts: '1700001000.000200',
      },
      'EvPanelStart',
    );
    const [prompts] = await llmFake.waitFor('assistant.threads.setSuggestedPrompts');
    expect(prompts?.body).toMatchObject({
      channel_id: 'D0PANEL',
      thread_ts: '1700001000.000100',
      title: 'Exemples de questions',
    });
    expect((prompts!.body.prompts as { message: string }[]).map((p) => p.message)).toContain(
      'Comment rédiger une convention de partenariat ?',
    );
    const [greeting] = await llmFake.waitFor('chat.postMessage');
    expect(String(greeting?.body.text)).toMatch(/^Bonjour/);
  });

  it('answers in the panel with a status, a streamed text, citations and feedback at the end, and a title', async () => {
    await send(
      {
        type: 'message',
        channel_type: 'im',
        channel: 'D0PANEL',
        user: 'U0REFERENTE',
        text: 'Comment rédiger une convention de partenariat ?',
        ts: '1700001001.000100',
        thread_ts: '1700001000.000100',
        event_ts: '1700001001.000100',
      },
      'EvPanelMessage',
    );
    const [stop] = await llmFake.waitFor('chat.stopStream');
    const status = llmFake.callsTo('assistant.threads.setStatus')[0];
    expect(status?.body).toMatchObject({ channel_id: 'D0PANEL', status: 'Recherche dans le guide…' });
    const [start] = llmFake.callsTo('chat.startStream');
    expect(start?.body).toMatchObject({
      channel: 'D0PANEL',
      thread_ts: '1700001000.000100',
      recipient_user_id: 'U0REFERENTE',
    });
    const streamed = [start, ...llmFake.callsTo('chat.appendStream'), stop]
      .flatMap((call) => (call?.body.chunks as { text: string }[] | undefined) ?? [])
      .map((chunk) => chunk.text)
      .join('');
    expect(streamed).toMatch(/convention.*\[1\]$/s);
    const blocks = stop?.body.blocks as Block[];
    expect(blocks.map((b) => b.type)).toEqual(['context', 'actions', 'context_actions']);
    const postsInThread = llmFake
      .callsTo('chat.postMessage')
      .filter((c) => c.body.thread_ts === '1700001000.000100');
    expect(postsInThread.map((c) => String(c.body.text).slice(0, 7))).toEqual(['Bonjour']); // the greeting only
    await expect
      .poll(() => llmFake.callsTo('assistant.threads.setTitle')[0]?.body.title)
      .toBe('Comment rédiger une convention de partenariat ?');
  });
});

describe('Slack when the LLM does not answer', () => {
  let llm: FakeOpenAi;
  let llmKnowledge: Awaited<ReturnType<typeof openFixtureKnowledgeBase>>;
  let slackApi: FakeSlackApi;
  let llmServer: TestServer;
  beforeAll(async () => {
    llm = await startFakeOpenAi();
    llmKnowledge = await openFixtureKnowledgeBase({ llmUrl: llm.url });
    slackApi = await startFakeSlackApi();
    llmServer = await startTestServer({ knowledge: llmKnowledge, slackApiUrl: `${slackApi.url}/api/` });
  });
  afterAll(async () => {
    await llmServer.close();
    await slackApi.close();
    await llm.close();
    await llmKnowledge.dispose();
  });
  beforeEach(() => llm.reset());
  const send = (event: Record<string, unknown>, id: string) =>
    postToSlackEndpoint(
      `${llmServer.baseUrl}/slack/events`,
      SIGNING_SECRET,
      eventBody(id, event, FAKE_TEAM_ID),
      'application/json',
    );

  it('says in French, first, that the answer is extractive because the model did not answer', async () => {
    llm.setBehaviour({ failure: 'http-500' });
    const ts = nextTs();
    const event = {
      type: 'app_mention',
      user: 'U0REFERENTE',
      text: `<@${FAKE_BOT_USER_ID}> Comment rédiger une convention de partenariat ?`,
      ts,
      channel: 'C0LLM',
      event_ts: ts,
    };
    await send(event, `EvLlm${ts}`);
    const [post] = await slackApi.waitFor('chat.postMessage');
    expect(String(post?.body.text)).toMatch(/^Réponse extractive : le modèle de langue n’a pas répondu/);
    expect(String(post?.body.text)).toMatch(/\[1\]/);
  });

  it('posts the extractive answer with the notice when the model stops in the middle of a streamed answer', async () => {
    llm.setBehaviour({
      failure: 'cut-stream',
      chunkSize: 8,
      chunkDelayMs: 20,
      reply: () => 'La convention de partenariat précise les engagements de chacun des signataires [1].',
    });
    const before = slackApi.callsTo('chat.postMessage').length;
    await send(
      {
        type: 'message',
        channel_type: 'im',
        channel: 'D0LLM',
        user: 'U0REFERENTE',
        text: 'Comment rédiger une convention de partenariat ?',
        ts: '1700002001.000100',
        thread_ts: '1700002000.000100',
        event_ts: '1700002001.000100',
      },
      'EvLlmStreamCut',
    );
    const posts = await slackApi.waitFor('chat.postMessage', before + 1);
    expect(slackApi.callsTo('chat.startStream').length).toBeGreaterThan(0);
    expect(posts.at(-1)?.body).toMatchObject({ channel: 'D0LLM', thread_ts: '1700002000.000100' });
    expect(String(posts.at(-1)?.body.text)).toMatch(
      /^Réponse extractive : le modèle de langue n’a pas répondu/,
    );
  });
});
