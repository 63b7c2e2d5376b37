import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../bot/core/errors.ts';
import { apologyFor, EMPTY_TEXT, WORDLESS_TEXT } from '../../bot/core/messages.ts';
import { startFakeTeamsConnector } from '../support/fake-teams-connector.ts';
import { externalAddress } from '../support/network.ts';
import {
  BOT,
  CHANNEL_CONVERSATION,
  channelMessage,
  feedbackInvoke,
  PUBLIC_URL,
  personalMessage,
  startTeamsHarness,
  TENANT,
  type TeamsHarness,
  USER,
} from './teams-harness.ts';

describe('Teams channel over the Bot Framework protocol (anonymous, local testing)', () => {
  let harness: TeamsHarness;
  beforeEach(async () => {
    harness = await startTeamsHarness();
  });
  afterEach(() => harness.close());

  it('answers a personal message with native citations, the feedback loop and no AI label for an extractive answer', async () => {
    const activity = personalMessage(harness.connector.url);
    const response = await harness.post(activity);
    expect(response.status).toBe(200);

    const [reply] = harness.connector.messages();
    expect(harness.connector.messages()).toHaveLength(1);
    expect(reply?.conversationId).toBe('a:1personal-camille');
    expect(reply?.activityId).toBe(activity.id);
    expect(reply?.body.text).toMatch(/\[1\]/);
    expect(reply?.body.channelData.feedbackLoopEnabled).toBe(true);

    const entities = reply?.body.entities.filter(
      (e: { type: string }) => e.type === 'https://schema.org/Message',
    );
    expect(entities).toHaveLength(1);
    const [entity] = entities;
    expect(entity['@type']).toBe('Message');
    expect(entity.additionalType).toBeUndefined();
    const stored = harness.repositories.state.interactions[0]!;
    const cited = stored.sources[0]!;
    expect(entity.citation).toHaveLength(1);
    expect(entity.citation[0].position).toBe(1);
    expect(entity.citation[0].appearance.name).toContain('Guide de la Coopérative');
    expect(entity.citation[0].appearance.name).toContain('Convention de partenariat');
    expect(entity.citation[0].appearance.name.length).toBeLessThanOrEqual(80);
    expect(entity.citation[0].appearance.abstract.length).toBeLessThanOrEqual(160);
    expect(entity.citation[0].appearance.url).toBe(
      `${PUBLIC_URL}/sources/${cited.document}?passage=${encodeURIComponent(cited.passageId)}#sec-convention-de-partenariat`,
    );

    const card = reply?.body.attachments[0];
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content.version).toBe('1.5');
    expect(card.content.actions).toContainEqual(
      expect.objectContaining({ type: 'Action.Submit', title: 'Voir les passages' }),
    );
  });

  it('stores the user identity with a conversation reference that posts a new message later', async () => {
    await harness.post(personalMessage(harness.connector.url));
    const identity = [...harness.repositories.state.identities.values()][0];
    expect(identity).toMatchObject({
      channel: 'teams',
      workspaceId: TENANT,
      externalUserId: USER.aadObjectId,
    });
    const reference = identity?.conversationReference as Record<string, unknown>;
    expect(reference).toMatchObject({
      serviceUrl: harness.connector.url,
      conversation: { id: 'a:1personal-camille' },
    });
    expect(reference).not.toHaveProperty('activityId');
  });

  it('answers a channel @mention in its reply chain, with the mention removed from the question', async () => {
    const activity = channelMessage(harness.connector.url, 'comment rédiger une convention de partenariat ?');
    expect((await harness.post(activity)).status).toBe(200);

    const [reply] = harness.connector.messages();
    expect(reply?.conversationId).toBe(`${CHANNEL_CONVERSATION};messageid=1700000000001`);
    expect(reply?.activityId).toBe(activity.id);
    const stored = harness.repositories.state.interactions[0];
    expect(stored).toMatchObject({
      question: 'comment rédiger une convention de partenariat ?',
      conversationId: CHANNEL_CONVERSATION,
      threadId: '1700000000001',
      workspaceId: TENANT,
    });
  });

  it('stays silent on a channel message that does not mention it', async () => {
    const activity = channelMessage(harness.connector.url, 'comment rédiger une convention ?', {
      mention: false,
    });
    expect((await harness.post(activity)).status).toBe(200);
    expect(harness.connector.calls).toHaveLength(0);
    expect(harness.repositories.state.interactions).toHaveLength(0);
  });

  it('answers a retried activity (same id) once', async () => {
    const activity = personalMessage(harness.connector.url);
    const responses = await Promise.all([harness.post(activity), harness.post(activity)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    await harness.post(activity);
    expect(harness.connector.messages()).toHaveLength(1);
  });

  it('stores a thumbs-down from the feedback loop and answers the invoke 200 with an empty body', async () => {
    await harness.post(personalMessage(harness.connector.url));
    const [reply] = harness.connector.messages();
    const invoke = feedbackInvoke(harness.connector.url, reply!.assignedId, 'dislike', 'Trop vague');
    const response = await harness.post(invoke);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(harness.repositories.state.feedback).toEqual([
      expect.objectContaining({
        interactionId: harness.repositories.state.interactions[0]?.id,
        channel: 'teams',
        rating: 'down',
        comment: 'Trop vague',
      }),
    ]);
    expect(harness.connector.messages()).toHaveLength(1);
  });

  it('ignores a feedback invoke naming this answer from another conversation', async () => {
    await harness.post(personalMessage(harness.connector.url));
    const [reply] = harness.connector.messages();
    const invoke = feedbackInvoke(harness.connector.url, reply!.assignedId, 'dislike', 'Intrusion');
    const elsewhere = {
      ...invoke,
      conversation: { id: 'a:1personal-autre', conversationType: 'personal', tenantId: TENANT },
    };
    expect((await harness.post(elsewhere)).status).toBe(200);
    expect(harness.repositories.state.feedback).toEqual([]);
    expect((await harness.post(invoke)).status).toBe(200);
    expect(harness.repositories.state.feedback).toHaveLength(1);
  });

  it('stores feedback received after a restart by a new process sharing the database', async () => {
    await harness.post(personalMessage(harness.connector.url));
    const [reply] = harness.connector.messages();
    const { repositories } = harness;
    await harness.close();
    harness = await startTeamsHarness({ repositories });

    const invoke = feedbackInvoke(harness.connector.url, reply!.assignedId, 'like', 'Très clair');
    expect((await harness.post(invoke)).status).toBe(200);
    expect(repositories.state.feedback).toEqual([
      expect.objectContaining({
        interactionId: repositories.state.interactions[0]?.id,
        channel: 'teams',
        rating: 'up',
        comment: 'Très clair',
      }),
    ]);
  });

  it('keeps a posted answer when linking it fails, and ignores feedback on it', async () => {
    harness.repositories.interactions.linkChannelMessage = async () => {
      throw new Error('connection refused');
    };
    await harness.post(personalMessage(harness.connector.url));
    const [reply] = harness.connector.messages();
    expect(harness.connector.messages()).toHaveLength(1);
    expect(reply?.body.text).not.toMatch(/^Désolé/);

    const invoke = feedbackInvoke(harness.connector.url, reply!.assignedId, 'dislike', 'Faux');
    expect((await harness.post(invoke)).status).toBe(200);
    expect(harness.repositories.state.feedback).toEqual([]);
    expect(harness.logLines.some((line) => String(line.msg).includes('non reliée'))).toBe(true);
  });

  it('answers an unknown invoke 200 rather than 501', async () => {
    const invoke = personalMessage(harness.connector.url, { type: 'invoke', name: 'composeExtension/query' });
    expect((await harness.post(invoke)).status).toBe(200);
  });

  it('turns an Adaptive Card submit into an action, even in a channel without a mention', async () => {
    await harness.post(personalMessage(harness.connector.url));
    const button = harness.connector.messages()[0]?.body.attachments[0].content.actions[0];
    const submit = channelMessage(harness.connector.url, '', { mention: false });
    const response = await harness.post({ ...submit, text: undefined, value: button.data });
    expect(response.status).toBe(200);
    const [, passages] = harness.connector.messages();
    expect(passages?.body.text).toContain('Passages');
    expect(passages?.body.text).toContain('convention');
  });

  it('gives the core’s French replies to an empty message, emoji only and 20,000 characters', async () => {
    const url = harness.connector.url;
    await harness.post(personalMessage(url, { text: '' }));
    await harness.post(personalMessage(url, { text: '🙂🎉👍' }));
    await harness.post(personalMessage(url, { text: `convention de partenariat ${'a'.repeat(20_000)}` }));
    const texts = harness.connector.messages().map((call) => call.body.text as string);
    expect(texts[0]).toBe(EMPTY_TEXT);
    expect(texts[1]).toBe(WORDLESS_TEXT);
    expect(texts[2]).toMatch(/caractères/);
  });

  it('rejects malformed activities with a French 400 and sends nothing', async () => {
    const url = harness.connector.url;
    const bodies: unknown[] = [
      '{"type": "message", ',
      [],
      { text: 'bonjour' },
      { ...personalMessage(url), conversation: {} },
      { ...personalMessage(url), serviceUrl: 'pas une url' },
      { ...personalMessage(url), recipient: undefined },
      { ...personalMessage(url), entities: 'pas une liste' },
    ];
    for (const body of bodies) {
      const response = await harness.post(body);
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatch(/^Activité invalide/);
    }
    expect(harness.connector.calls).toHaveLength(0);
  });

  it('refuses a serviceUrl outside this machine with a French 403, and sends nothing there, not even typing', async () => {
    const external = externalAddress();
    const foreign = external ? await startFakeTeamsConnector({ host: external }) : undefined;
    try {
      const serviceUrls = [
        foreign?.url ?? 'http://192.0.2.1:9',
        'http://boussole-probe.invalid/',
        'https://10.0.0.1/',
        'http://127.0.0.1.nip.io/',
      ];
      for (const serviceUrl of serviceUrls) {
        const response = await harness.post(personalMessage(serviceUrl));
        expect(response.status).toBe(403);
        expect((await response.json()).error).toMatch(/^Activité refusée : .*serviceUrl.*boucle locale/);
      }
      const invoke = feedbackInvoke(foreign?.url ?? 'http://192.0.2.1:9', 'activity-1', 'like', 'Bien');
      expect((await harness.post(invoke)).status).toBe(403);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(foreign?.calls ?? []).toEqual([]);
      expect(harness.repositories.state.interactions).toEqual([]);
      expect(harness.repositories.state.claimedEvents.size).toBe(0);
    } finally {
      await foreign?.close();
    }
  });

  it('answers at a loopback serviceUrl written as localhost or 127.x', async () => {
    const port = new URL(harness.connector.url).port;
    for (const host of ['localhost', '127.0.0.1']) {
      const response = await harness.post(personalMessage(`http://${host}:${port}/`));
      expect(response.status).toBe(200);
    }
    expect(harness.connector.messages()).toHaveLength(2);
  });

  it('says at start that the endpoint is open', () => {
    const warning = harness.logLines.find(
      (line) => line.level === 40 && String(line.msg).includes('/api/messages'),
    );
    expect(warning?.msg).toMatch(/sans authentification/);
  });

  it('answers anyway when the database cannot tell whether the activity is new, and says so in the log', async () => {
    harness.repositories.processedEvents.claim = async () => {
      throw new Error('connection refused');
    };
    expect((await harness.post(personalMessage(harness.connector.url))).status).toBe(200);
    const [reply] = harness.connector.messages();
    expect(reply?.body.text).toMatch(/\[1\]/);
    expect(harness.logLines.some((line) => line.msg === 'event claim failed, handled anyway')).toBe(true);
  });

  it('apologizes in French with the core’s words when the turn fails, without crashing', async () => {
    harness.connector.failNext(1);
    const activity = channelMessage(harness.connector.url, 'comment rédiger une convention de partenariat ?');
    expect((await harness.post(activity)).status).toBe(200);
    const [failed, apology] = harness.connector.messages();
    expect(failed?.body.text).toMatch(/\[1\]/);
    expect(apology?.body.text).toBe(apologyFor(ErrorCode.Unknown));
    expect((await harness.post(personalMessage(harness.connector.url))).status).toBe(200);
    expect(harness.connector.messages()).toHaveLength(3);
  });

  it('still answers when the typing indicator cannot be sent', async () => {
    harness.connector.failNext(1);
    expect((await harness.post(personalMessage(harness.connector.url))).status).toBe(200);
    expect(harness.connector.calls[0]?.body.type).toBe('typing');
    const [reply] = harness.connector.messages();
    expect(reply?.body.text).toMatch(/\[1\]/);
  });

  it('ignores activities that are neither messages nor invokes', async () => {
    const update = personalMessage(harness.connector.url, {
      type: 'conversationUpdate',
      membersAdded: [BOT],
    });
    expect((await harness.post(update)).status).toBe(200);
    expect(harness.connector.calls).toHaveLength(0);
  });
});
