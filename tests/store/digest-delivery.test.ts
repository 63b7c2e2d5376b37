import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../bot/store/database.ts';
import { backends } from './backends.ts';

const admin = { name: 'admin (ligne de commande) — test' };

describe.each(backends)('digest subscriptions and ledger on $name', (backend) => {
  let database: Database;
  beforeAll(async () => {
    database = await backend.open();
  });
  afterAll(() => backend.dispose(database));

  const subscriptions = () => database.repositories.digestSubscriptions;
  const ledger = () => database.repositories.digestLedger;

  async function person(role?: 'coordinateur' | 'referent') {
    const { directory } = database.repositories;
    const created = await directory.createPerson({ displayName: `Sacha ${randomUUID().slice(0, 6)}` }, admin);
    if (role) {
      const commune = await directory.createCollectivite(
        { name: `Commune ${randomUUID().slice(0, 8)}`, kind: 'commune' },
        admin,
      );
      await directory.grant({ personId: created.id, role, collectiviteId: commune.id }, admin);
    }
    return created;
  }

  it('gives each coordinator the default subscription once, and no one else', async () => {
    const coordinator = await person('coordinateur');
    const referent = await person('referent');
    const [first, second] = await Promise.all([
      subscriptions().ensureCoordinatorDefaults(),
      subscriptions().ensureCoordinatorDefaults(),
    ]);
    expect(first + second).toBeGreaterThanOrEqual(1);
    expect(await subscriptions().ensureCoordinatorDefaults()).toBe(0);
    expect(await subscriptions().get(coordinator.id)).toMatchObject({
      personId: coordinator.id,
      destination: undefined,
      weekday: 1,
      hour: 9,
      paused: false,
      collectiviteIds: [],
    });
    expect(await subscriptions().get(referent.id)).toBeUndefined();
  });

  it('saves where and when; a new time restarts the schedule; paused ones are not active', async () => {
    const referent = await person('referent');
    const created = await subscriptions().save(referent.id, { hour: 8 });
    expect(created).toMatchObject({ weekday: 1, hour: 8, paused: false });
    const reference = { serviceUrl: 'http://127.0.0.1:1', conversation: { id: '19:canal@thread.tacv2' } };
    const moved = await subscriptions().save(referent.id, {
      destination: {
        place: 'teams_channel',
        workspaceId: 'tenant',
        conversationId: '19:canal@thread.tacv2',
        conversationReference: reference,
      },
    });
    expect(moved.destination).toEqual({
      place: 'teams_channel',
      workspaceId: 'tenant',
      conversationId: '19:canal@thread.tacv2',
      conversationReference: reference,
    });
    expect(moved.scheduleFrom).toEqual(created.scheduleFrom);
    const rescheduled = await subscriptions().save(referent.id, { weekday: 5, hour: 17 });
    expect(rescheduled.scheduleFrom.getTime()).toBeGreaterThan(created.scheduleFrom.getTime());
    expect((await subscriptions().save(referent.id, { destination: null })).destination).toBeUndefined();
    expect((await subscriptions().active()).map((s) => s.personId)).toContain(referent.id);
    await subscriptions().save(referent.id, { paused: true });
    expect((await subscriptions().active()).map((s) => s.personId)).not.toContain(referent.id);
  });

  it('lists private chats, newest first: Slack DMs and Teams personal chats, never a Teams channel', async () => {
    const coordinator = await person('coordinateur');
    const { identities, directory } = database.repositories;
    const teamsUser = `29:${randomUUID()}`;
    await identities.upsert({
      channel: 'teams',
      workspaceId: 'tenant',
      externalUserId: teamsUser,
      conversationReference: {
        serviceUrl: 'http://127.0.0.1:1',
        conversation: { id: 'a:1', conversationType: 'channel' },
      },
    });
    await directory.linkIdentity(
      { channel: 'teams', workspaceId: 'tenant', externalUserId: teamsUser },
      coordinator.id,
      admin,
    );
    expect(await subscriptions().privateDestinations(coordinator.id)).toEqual([]);
    const personal = {
      serviceUrl: 'http://127.0.0.1:1',
      conversation: { id: 'a:perso', conversationType: 'personal' },
    };
    await identities.upsert({
      channel: 'teams',
      workspaceId: 'tenant',
      externalUserId: teamsUser,
      conversationReference: personal,
    });
    await identities.upsert({ channel: 'slack', workspaceId: 'T1', externalUserId: 'U42' });
    await directory.linkIdentity(
      { channel: 'slack', workspaceId: 'T1', externalUserId: 'U42' },
      coordinator.id,
      admin,
    );
    expect(await subscriptions().privateDestinations(coordinator.id)).toEqual([
      { place: 'slack_dm', workspaceId: 'T1', conversationId: 'U42' },
      {
        place: 'teams_personal',
        workspaceId: 'tenant',
        conversationId: 'a:perso',
        conversationReference: personal,
      },
    ]);
  });

  it('lets exactly one of ten simultaneous claims of a week win; a claim left unfinished is never claimed again', async () => {
    const someone = await person();
    const request = { personId: someone.id, personName: someone.displayName, week: '2026-W48' };
    const claims = await Promise.all(Array.from({ length: 10 }, () => ledger().claim(request)));
    const won = claims.filter((claim) => claim !== undefined);
    expect(won).toHaveLength(1);
    expect(won[0]).toMatchObject({ state: 'claimed', attempts: 1, copy: 0, late: false, forced: false });
    // The process that claimed it died before saying how the send went: nobody may send it again.
    expect(await ledger().claim(request)).toBeUndefined();
    expect(await ledger().claimedOf([{ personId: someone.id, week: '2026-W48' }])).toEqual(
      new Set([`${someone.id}|2026-W48`]),
    );
    expect(await ledger().claimedOf([{ personId: someone.id, week: '2026-W49' }])).toEqual(new Set());
  });

  it('retries a recorded failure once more, never a sent week; a forced re-send is a new copy', async () => {
    const someone = await person();
    const request = { personId: someone.id, personName: someone.displayName, week: '2026-W50', late: true };
    const first = (await ledger().claim(request))!;
    await ledger().markFailed(first.id, 'Slack : channel_not_found');
    const [a, b] = await Promise.all([ledger().claim(request), ledger().claim(request)]);
    const retry = (a ?? b)!;
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect(retry).toMatchObject({
      id: first.id,
      state: 'claimed',
      attempts: 2,
      late: true,
      error: 'Slack : channel_not_found',
    });
    await ledger().markSent(retry.id, 'slack_dm');
    expect(await ledger().claim(request)).toBeUndefined();
    const forced = await ledger().claimForced(request);
    expect(forced).toMatchObject({ copy: 1, forced: true, state: 'claimed' });
    await ledger().markSent(forced.id, 'slack_dm');
    const history = await ledger().history({ personId: someone.id });
    expect(history.map((row) => [row.copy, row.state, row.forced])).toEqual([
      [1, 'sent', true],
      [0, 'sent', false],
    ]);
    expect(history[1]).toMatchObject({ attempts: 2, place: 'slack_dm', sentAt: expect.any(Date) });
  });
});
