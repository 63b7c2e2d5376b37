import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDigestNotifier } from '../../bot/channels/digest-notifier.ts';
import { DELIVER_QUEUE, type DigestScheduler, startDigestScheduler } from '../../bot/digest-scheduler.ts';
import { composeWith, createDigestDelivery } from '../../bot/features/digest/deliver.ts';
import { digestDeps } from '../../bot/features/digest/deps.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../bot/store/database.ts';
import { createCapturingLogger } from '../support/capture-logger.ts';
import { FAKE_TEAM_ID, type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api.ts';
import { type FakeTeamsConnector, startFakeTeamsConnector } from '../support/fake-teams-connector.ts';
import { eventBody, postToSlackEndpoint } from '../support/slack-requests.ts';
import { SIGNING_SECRET, startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * The weekly digest delivered for real: pg-boss on PGlite, the Slack Web API and the Bot Connector faked,
 * a fixed clock that the tests move (Monday 30 November 2026, 09:00 Paris is 08:00 UTC).
 */

const admin = { name: 'admin (ligne de commande) — test' };
const TENANT = 'tenant-demo';

let database: Database;
let slack: FakeSlackApi;
let teams: FakeTeamsConnector;
let server: TestServer<Database['repositories']>;
let now = new Date('2026-11-29T12:00:00Z');
const clock = () => now;

async function until<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`toujours pas : ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const scheduler = () => server.server.digest!;
const ledger = () => database.repositories.digestLedger;
const dmPosts = (userId: string) =>
  slack.callsTo('chat.postMessage').filter((call) => call.body.channel === `D${userId.replace(/^U/, '')}`);
const cardsTo = (conversationId: string) =>
  teams
    .messages()
    .filter(
      (call) =>
        call.conversationId === conversationId &&
        call.body.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive',
    );

/** Sent rows of these people for this week, once every one of them is settled (sent or failed). */
async function settled(personIds: string[], week: string) {
  return until(`${personIds.length} digests ${week} réglés`, async () => {
    const rows = (await ledger().history({ limit: 1000 })).filter(
      (row) => personIds.includes(row.personId) && row.week === week,
    );
    const done = rows.filter((row) => row.state !== 'claimed');
    return done.length >= personIds.length ? done : undefined;
  });
}

let people = 0;
/** A coordinator of a new commune, who wrote to Boussole in a Slack DM or a Teams personal chat. */
async function coordinator(where: 'slack' | 'teams') {
  const { directory, identities } = database.repositories;
  people += 1;
  const person = await directory.createPerson({ displayName: `Coordination ${people}` }, admin);
  const commune = await directory.createCollectivite(
    { name: `Commune n° ${people}`, kind: 'commune' },
    admin,
  );
  await directory.grant({ personId: person.id, role: 'coordinateur', collectiviteId: commune.id }, admin);
  const userId = where === 'slack' ? `U0COORD${people}` : `29:coord-${people}`;
  const workspaceId = where === 'slack' ? FAKE_TEAM_ID : TENANT;
  const conversationId = `a:personal-${people}`;
  await identities.upsert({
    channel: where,
    workspaceId,
    externalUserId: userId,
    conversationReference:
      where === 'slack'
        ? { channel: `D${userId.slice(1)}`, team: FAKE_TEAM_ID }
        : {
            channelId: 'msteams',
            serviceUrl: teams.url,
            agent: { id: '28:boussole', name: 'Boussole' },
            user: { id: userId },
            conversation: { id: conversationId, conversationType: 'personal', tenantId: TENANT },
          },
  });
  await directory.linkIdentity({ channel: where, workspaceId, externalUserId: userId }, person.id, admin);
  return { personId: person.id, userId, conversationId };
}

beforeAll(async () => {
  [database, slack, teams] = await Promise.all([
    openDatabase({ dataDir: inMemoryDataDir }),
    startFakeSlackApi(),
    startFakeTeamsConnector(),
  ]);
  server = await startTestServer({
    repositories: database.repositories,
    slackApiUrl: `${slack.url}/api/`,
    queueTarget: database.queueTarget,
    env: { DIGEST_SCHEDULER: 'on' },
    digestOptions: { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1 },
    clock,
  });
});

afterAll(async () => {
  await server?.close();
  await Promise.all([database?.close(), slack?.close(), teams?.close()]);
});

/** A DM to Boussole in Slack, and its answer (not the digest messages a preview posts before it). */
async function say(userId: string, text: string) {
  const ts = `1700100${String(Math.floor(Math.random() * 1e3)).padStart(3, '0')}.000100`;
  const before = dmPosts(userId).length;
  const event = {
    type: 'message',
    channel_type: 'im',
    channel: `D${userId.slice(1)}`,
    user: userId,
    text,
    ts,
    event_ts: ts,
    team: FAKE_TEAM_ID,
  };
  const response = await postToSlackEndpoint(
    `${server.baseUrl}/slack/events`,
    SIGNING_SECRET,
    eventBody(`Ev${ts.replace('.', '')}`, event, FAKE_TEAM_ID),
    'application/json',
  );
  expect(response.status).toBe(200);
  // The answer, not the digest messages a preview posts before it.
  const posts = await until(`réponse à « ${text} »`, () => {
    const all = dmPosts(userId).slice(before);
    return all.some((post) => !String(post.body.text).startsWith('Digest hebdomadaire')) ? all : undefined;
  });
  return String(posts.at(-1)?.body.text);
}

describe('weekly digest delivery', () => {
  let slackCoordinator: Awaited<ReturnType<typeof coordinator>>;
  let teamsCoordinator: Awaited<ReturnType<typeof coordinator>>;

  it('delivers one digest per person at the scheduled hour: a Slack DM and a Teams card', async () => {
    slackCoordinator = await coordinator('slack');
    teamsCoordinator = await coordinator('teams');
    now = new Date('2026-11-30T07:00:30Z'); // 08:00 Paris: not yet
    expect(await scheduler().tick()).toBe(0);
    now = new Date('2026-11-30T08:00:30Z'); // 09:00 Paris
    expect(await scheduler().tick()).toBe(2);
    const rows = await settled([slackCoordinator.personId, teamsCoordinator.personId], '2026-W48');
    expect(rows.map((row) => [row.state, row.place, row.late, row.attempts]).sort()).toEqual([
      ['sent', 'slack_dm', false, 1],
      ['sent', 'teams_personal', false, 1],
    ]);
    expect(slack.callsTo('conversations.open').map((call) => call.body.users)).toContain(
      slackCoordinator.userId,
    );
    const posts = dmPosts(slackCoordinator.userId);
    expect(posts[0]?.body.text).toMatch(/^Digest hebdomadaire – semaine 48 \(du 23 au 29 novembre 2026\)/);
    expect(JSON.stringify(posts.map((post) => post.body.blocks))).toMatch(/"type":"header".*Commune n° 1/);
    expect(cardsTo(teamsCoordinator.conversationId)).toHaveLength(1);
    // The next tick, and the ones after it in the week, owe them nothing.
    now = new Date('2026-11-30T09:00:30Z');
    expect(await scheduler().tick()).toBe(0);
    expect(cardsTo(teamsCoordinator.conversationId)).toHaveLength(1);
  });

  it('never sends a claimed digest again, even if the job runs again: the interrupted claim stays visible', async () => {
    const crashed = await coordinator('slack');
    // A process claimed this week's digest, then died before sending or saying how it went.
    await ledger().claim({ personId: crashed.personId, personName: 'Coordination', week: '2026-W48' });
    expect(await scheduler().tick()).toBe(0);
    // Its job retried by the queue finds the claim and sends nothing.
    await scheduler().boss.send(DELIVER_QUEUE, {
      personId: crashed.personId,
      week: '2026-W48',
      late: false,
      scheduledAt: now.toISOString(),
    });
    await until('job traité', async () => {
      const jobs = await scheduler().boss.findJobs(DELIVER_QUEUE, { data: { personId: crashed.personId } });
      return jobs.every((job) => job.state === 'completed') && jobs.length > 0;
    });
    expect(dmPosts(crashed.userId)).toEqual([]);
    const [row] = await ledger().history({ personId: crashed.personId });
    expect(row).toMatchObject({ state: 'claimed', week: '2026-W48' });
    expect(row?.sentAt).toBeUndefined();
  });

  it('retries a failed send with backoff, recording the failure, and sends it once', async () => {
    const flaky = await coordinator('teams');
    teams.failNext(1);
    now = new Date('2026-11-30T10:00:30Z');
    expect(await scheduler().tick()).toBe(1);
    const [row] = await until('envoyé après un échec', async () => {
      const rows = await ledger().history({ personId: flaky.personId });
      return rows[0]?.state === 'sent' ? rows : undefined;
    });
    expect(row).toMatchObject({ attempts: 2, error: expect.stringMatching(/500|Internal|erreur|error/i) });
    // The first card was refused with a 500 (not posted), the second one posted.
    expect(cardsTo(flaky.conversationId)).toHaveLength(2);
  });

  it('pauses and resumes through Slack, in French', async () => {
    expect(await say(slackCoordinator.userId, 'digest pause')).toMatch(/en pause/);
    expect((await database.repositories.digestSubscriptions.get(slackCoordinator.personId))?.paused).toBe(
      true,
    );
    now = new Date('2026-12-07T08:00:30Z'); // Monday of the next week, 09:00 Paris
    await scheduler().tick();
    await settled([teamsCoordinator.personId], '2026-W49');
    expect((await ledger().history({ personId: slackCoordinator.personId })).map((row) => row.week)).toEqual([
      '2026-W48',
    ]);
    expect(await say(slackCoordinator.userId, 'digest vendredi 17h')).toMatch(/vendredi à 17 h/);
    const before = dmPosts(slackCoordinator.userId).length;
    expect(await say(slackCoordinator.userId, 'digest')).toMatch(
      /^Voici l’aperçu de votre prochain digest, prévu vendredi 11 décembre/,
    );
    // The preview itself came first, in the same DM, and the ledger knows nothing of it.
    const preview = dmPosts(slackCoordinator.userId).slice(before, -1);
    expect(preview[0]?.body.text).toMatch(/^Digest hebdomadaire – semaine 50/);
    expect(await ledger().history({ personId: slackCoordinator.personId })).toHaveLength(1);
    expect(await say(slackCoordinator.userId, 'digest reprendre')).toMatch(
      /reprend.*chaque semaine le vendredi à 17 h.*prochain envoi vendredi 11 décembre/,
    );
  });
});

describe('who gets a digest', () => {
  it('lets a référent opt in, and tells someone without a role who gets it', async () => {
    const { directory, identities } = database.repositories;
    const referent = await directory.createPerson({ displayName: 'Rémi Référent' }, admin);
    const commune = await directory.createCollectivite(
      { name: 'Commune des référents', kind: 'commune' },
      admin,
    );
    await directory.grant({ personId: referent.id, role: 'referent', collectiviteId: commune.id }, admin);
    const visitor = await directory.createPerson({ displayName: 'Sans Rôle' }, admin);
    for (const [person, userId] of [
      [referent, 'U0REMI'],
      [visitor, 'U0VISITE'],
    ] as const) {
      const identity = { channel: 'slack' as const, workspaceId: FAKE_TEAM_ID, externalUserId: userId };
      await identities.upsert(identity);
      await directory.linkIdentity(identity, person.id, admin);
    }
    await database.repositories.digestSubscriptions.ensureCoordinatorDefaults();
    expect(await database.repositories.digestSubscriptions.get(referent.id)).toBeUndefined();
    expect(await say('U0REMI', 'digest pause')).toMatch(/Vous ne recevez pas de digest/);
    expect(await say('U0REMI', 'digest reprendre')).toMatch(/votre digest reprend.*le lundi à 9 h/);
    expect(await database.repositories.digestSubscriptions.get(referent.id)).toMatchObject({ paused: false });
    expect(await say('U0VISITE', 'digest')).toMatch(/réservé aux coordinateurs et aux référents/);
  });
});

describe('« digest ici » in a Teams channel', () => {
  it('moves the digest to the channel, answered in French, and the next one is posted there', async () => {
    const someone = await coordinator('teams');
    const aad = `aad-${someone.userId}`;
    const identity = { channel: 'teams' as const, workspaceId: TENANT, externalUserId: aad };
    await database.repositories.identities.upsert(identity);
    await database.repositories.directory.linkIdentity(identity, someone.personId, admin);
    const channel = '19:projets@thread.tacv2';
    const atBot = '<at>Boussole</at>';
    const activity = {
      type: 'message',
      id: '1700009000001',
      channelId: 'msteams',
      serviceUrl: teams.url,
      from: { id: someone.userId, name: 'Coordination', aadObjectId: aad },
      recipient: { id: '28:boussole', name: 'Boussole' },
      conversation: {
        id: `${channel};messageid=1700009000000`,
        conversationType: 'channel',
        isGroup: true,
        tenantId: TENANT,
      },
      channelData: { tenant: { id: TENANT }, team: { id: '19:team' }, channel: { id: channel } },
      text: `${atBot} digest ici`,
      entities: [{ type: 'mention', mentioned: { id: '28:boussole', name: 'Boussole' }, text: atBot }],
    };
    const post = (body: unknown) =>
      fetch(`${server.baseUrl}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // They wrote to Boussole in their personal chat first: that is where it messages them later.
    const personal = { id: `a:perso-${aad}`, conversationType: 'personal', tenantId: TENANT };
    const hello = {
      ...activity,
      id: '1700009000000',
      conversation: personal,
      text: 'digest aide',
      entities: [],
    };
    expect((await post(hello)).status).toBeLessThan(300);
    await teams.waitFor(
      (call) => call.conversationId === personal.id && /digest/.test(String(call.body.text)),
    );
    const response = await post(activity);
    expect(response.status).toBeLessThan(300);
    const [reply] = await teams.waitFor((call) => String(call.body.text ?? '').includes('arrivera ici'));
    expect(reply!.body.text).toMatch(/C’est noté, votre digest arrivera ici.*dans un canal Teams/);
    expect(
      (await database.repositories.digestSubscriptions.get(someone.personId))?.destination,
    ).toMatchObject({
      place: 'teams_channel',
      conversationId: channel,
    });
    // Writing in a channel did not replace the personal chat as their private one.
    expect(
      await database.repositories.digestSubscriptions.privateDestinations(someone.personId),
    ).toContainEqual(expect.objectContaining({ place: 'teams_personal', conversationId: personal.id }));
    now = new Date('2026-12-21T08:00:30Z');
    await scheduler().tick();
    await settled([someone.personId], '2026-W51');
    expect(cardsTo(channel)).toHaveLength(1);
  });
});

describe('after downtime', () => {
  it('sends the missed digest once, marked late, when the service starts again', async () => {
    const missed = await coordinator('teams');
    await server.server.digest!.stop();
    // Down over Monday 14 December 09:00; back at 14:00 Paris. Two processes start at once.
    now = new Date('2026-12-14T13:00:00Z');
    const logger = createCapturingLogger('silent').logger;
    const delivery = createDigestDelivery({
      repositories: database.repositories,
      compose: composeWith(digestDeps(database.repositories, 'https://boussole.test', clock)),
      notifier: createDigestNotifier(server.config),
      clock,
      logger,
    });
    const restarted: DigestScheduler = await startDigestScheduler({
      target: database.queueTarget,
      delivery,
      clock,
      logger,
      pollingIntervalSeconds: 0.5,
    });
    try {
      const [row] = await settled([missed.personId], '2026-W50');
      expect(row).toMatchObject({ state: 'sent', late: true, scheduledAt: new Date('2026-12-14T08:00:00Z') });
      expect(await restarted.tick()).toBe(0);
      expect(cardsTo(missed.conversationId)).toHaveLength(1);
    } finally {
      await restarted.stop();
    }
  });
});
