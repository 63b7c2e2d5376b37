import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAKE_BOT_USER_ID,
  FAKE_TEAM_ID,
  type FakeSlackApi,
  startFakeSlackApi,
} from '../support/fake-slack-api.ts';
import { eventBody, postToSlackEndpoint } from '../support/slack-requests.ts';
import { SIGNING_SECRET, startTestServer, type TestServer } from '../support/test-server.ts';

let fake: FakeSlackApi;
let server: TestServer;

beforeAll(async () => {
  fake = await startFakeSlackApi();
  server = await startTestServer({ slackApiUrl: `${fake.url}/api/` });
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
});

function mention(ts: string) {
  const event = {
    type: 'app_mention',
    user: 'U0REFERENTE',
    text: `<@${FAKE_BOT_USER_ID}> Qu’est-ce qu’un CLS ?`,
    ts,
    channel: 'C0LENT',
    event_ts: ts,
    team: FAKE_TEAM_ID,
  };
  return eventBody(`Ev${ts.replace('.', '')}`, event, FAKE_TEAM_ID);
}

const send = (body: string, retryNum?: number) =>
  postToSlackEndpoint(`${server.baseUrl}/slack/events`, SIGNING_SECRET, body, 'application/json', {
    retryNum,
  });

const repliesIn = (ts: string) =>
  fake
    .callsTo('chat.postMessage')
    .filter((call) => call.body.channel === 'C0LENT' && call.body.thread_ts === ts);

describe('Slack acknowledgement', () => {
  it('acknowledges an event before any database work, then answers it once', async () => {
    // A database that takes its time: the duplicate claim waits until the test releases it.
    const { processedEvents } = server.repositories;
    const claim = processedEvents.claim;
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let claims = 0;
    processedEvents.claim = async (source, eventId) => {
      claims++;
      await released;
      return claim(source, eventId);
    };
    try {
      const ts = '1700900001.000100';
      const tooLate = new Promise<'no ack within 1 s'>((resolve) =>
        setTimeout(() => resolve('no ack within 1 s'), 1_000),
      );
      const response = await Promise.race([send(mention(ts)), tooLate]);
      expect(response).toBeInstanceOf(Response);
      expect((response as Response).status).toBe(200);
      expect(repliesIn(ts)).toEqual([]);

      release();
      await expect.poll(() => repliesIn(ts).length, { timeout: 5_000 }).toBe(1);
      // Slack's retry is acknowledged too, and the claim still stops it.
      expect((await send(mention(ts), 1)).status).toBe(200);
      await expect.poll(() => claims).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(repliesIn(ts)).toHaveLength(1);
    } finally {
      release();
      processedEvents.claim = claim;
    }
  });
});
