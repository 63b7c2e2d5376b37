import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormSession, FormSessionKey } from '../../bot/core/forms/sessions.ts';
import type { FormState } from '../../bot/core/forms/types.ts';
import type { Database } from '../../bot/store/database.ts';
import { backends } from './backends.ts';

const HOUR = 3_600_000;

function state(values: Record<string, unknown> = {}): FormState {
  return {
    formId: 'fiche_action',
    values,
    cursor: { kind: 'field', fieldId: 'intitule' },
    path: Object.keys(values),
    skipped: [],
    attempts: 0,
    backToRecap: false,
  };
}

describe.each(backends)('form sessions and settings on $name', (backend) => {
  let database: Database;
  let personId: string;
  beforeAll(async () => {
    database = await backend.open();
    const person = await database.repositories.directory.createPerson(
      { displayName: 'Camille' },
      { name: 'test' },
    );
    personId = person.id;
  });
  afterAll(() => backend.dispose(database));

  const sessions = () => database.repositories.formSessions;

  function newSession(overrides: Partial<FormSession> = {}): FormSession {
    const key: FormSessionKey = {
      channel: 'slack',
      workspaceId: 'T1',
      conversationId: `D-${randomUUID()}`,
      threadKey: '',
      userKey: 'U1',
    };
    return {
      key,
      personId,
      formId: 'fiche_action',
      createdRecord: false,
      context: { collectiviteId: 'c-1' },
      state: state(),
      revision: 0,
      expiresAt: new Date(Date.now() + HOUR),
      ...overrides,
    };
  }

  it('saves a new session at revision 1, then each step with the revision it read', async () => {
    const session = newSession();
    expect(await sessions().save(session)).toBe(1);
    const found = await sessions().find(session.key);
    expect(found).toEqual({ ...session, revision: 1, recordId: undefined, baseVersion: undefined });

    const next = {
      ...found!,
      recordId: 'fiche-1',
      baseVersion: 1,
      createdRecord: true,
      state: state({ a: 1 }),
    };
    expect(await sessions().save(next)).toBe(2);
    expect(await sessions().find(session.key)).toMatchObject({
      revision: 2,
      recordId: 'fiche-1',
      baseVersion: 1,
      createdRecord: true,
      state: { values: { a: 1 }, path: ['a'] },
    });
    // A save from the revision already superseded loses.
    expect(await sessions().save(next)).toBeUndefined();
  });

  it('lets exactly one of two concurrent saves from the same revision win, and one of two new sessions', async () => {
    const session = newSession();
    const starts = await Promise.all([
      sessions().save(session),
      sessions().save({ ...session, formId: 'autre' }),
    ]);
    expect(starts.filter((revision) => revision === 1)).toHaveLength(1);
    expect(starts.filter((revision) => revision === undefined)).toHaveLength(1);

    const stored = (await sessions().find(session.key))!;
    const steps = await Promise.all([
      sessions().save({ ...stored, state: state({ budget: 1 }) }),
      sessions().save({ ...stored, state: state({ budget: 2 }) }),
    ]);
    expect(steps.filter((revision) => revision === 2)).toHaveLength(1);
    expect(steps.filter((revision) => revision === undefined)).toHaveLength(1);
    const winner = steps[0] === 2 ? 1 : 2;
    expect((await sessions().find(session.key))?.state.values).toEqual({ budget: winner });
  });

  it('keeps threads and users apart', async () => {
    const session = newSession();
    await sessions().save(session);
    expect(await sessions().find({ ...session.key, threadKey: '171.1' })).toBeUndefined();
    expect(await sessions().find({ ...session.key, userKey: 'U2' })).toBeUndefined();
    expect(await sessions().save({ ...session, key: { ...session.key, threadKey: '171.1' } })).toBe(1);
  });

  it('ignores expired sessions, which make way for a new one', async () => {
    const expired = newSession({ expiresAt: new Date(Date.now() - 1000) });
    expect(await sessions().save(expired)).toBe(1);
    expect(await sessions().find(expired.key)).toBeUndefined();
    expect(
      await sessions().save({ ...expired, revision: 1, expiresAt: new Date(Date.now() + HOUR) }),
    ).toBeUndefined();
    expect(await sessions().save(newSession({ key: expired.key }))).toBe(1);
    expect(await sessions().find(expired.key)).toMatchObject({ revision: 1 });
  });

  it('closes a session only from its current revision', async () => {
    const session = newSession();
    await sessions().save(session);
    expect(await sessions().close(session.key, 0)).toBe(false);
    expect(await sessions().close(session.key, 1)).toBe(true);
    expect(await sessions().find(session.key)).toBeUndefined();
    expect(await sessions().close(session.key, 1)).toBe(false);
  });

  it('lists a person’s open sessions, newest first', async () => {
    const person = await database.repositories.directory.createPerson(
      { displayName: 'Sacha' },
      { name: 'test' },
    );
    const first = newSession({ personId: person.id });
    const second = newSession({ personId: person.id, formId: 'suivi' });
    await sessions().save(first);
    await sessions().save(second);
    await sessions().save(newSession({ personId: person.id, expiresAt: new Date(Date.now() - 1000) }));
    expect((await sessions().openFor(person.id)).map((session) => session.key)).toEqual([
      second.key,
      first.key,
    ]);
  });

  it('generates a secret once, the same for every caller, even at the same moment', async () => {
    const { settings } = database.repositories;
    const name = `session-${randomUUID()}`;
    const values = await Promise.all(Array.from({ length: 8 }, () => settings.getOrCreateSecret(name)));
    expect(new Set(values).size).toBe(1);
    expect(values[0]).toMatch(/^[\w-]{43}$/);
    expect(await settings.getOrCreateSecret(name)).toBe(values[0]);
    expect(await settings.getOrCreateSecret(`${name}-autre`)).not.toBe(values[0]);
  });
});
