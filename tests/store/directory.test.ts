import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryConflictError } from '../../bot/core/directory.ts';
import type { IdentityKey } from '../../bot/core/people.ts';
import type { Database } from '../../bot/store/database.ts';
import { backends } from './backends.ts';

const admin = { name: 'admin (ligne de commande) — test' };

/** Names and addresses unique to each test, on a database shared by the whole file. */
const unique = (prefix: string) => `${prefix} ${randomUUID().slice(0, 8)}`;
const uniqueEmail = (local: string) => `${local}.${randomUUID().slice(0, 8)}@exemple.org`;
const account = (channel: IdentityKey['channel'] = 'slack'): IdentityKey => ({
  channel,
  workspaceId: 'T-demo',
  externalUserId: `U-${randomUUID()}`,
});

describe.each(backends)('directory on $name', (backend) => {
  let database: Database;
  beforeAll(async () => {
    database = await backend.open();
  });
  afterAll(() => backend.dispose(database));

  const directory = () => database.repositories.directory;

  async function auditOf(subjectId: string) {
    return database.prisma.auditEntry.findMany({ where: { subjectId }, orderBy: { at: 'asc' } });
  }

  it('creates collectivités and finds them by id, code, or name whatever the case and accents', async () => {
    const name = unique('Commune de Démoville-sur-Test');
    const created = await directory().createCollectivite({ name, kind: 'commune', code: '2a004' }, admin);
    expect(created).toMatchObject({ name, kind: 'commune', code: '2A004' });

    for (const reference of [created.id, '2A004', '2a004', name.toUpperCase(), name.replace('é', 'e')]) {
      expect(await directory().findCollectivite(reference)).toEqual(created);
    }
    expect(await directory().findCollectivite('Commune inconnue')).toBeUndefined();
    expect((await directory().listCollectivites()).map((c) => c.id)).toContain(created.id);
    expect(await auditOf(created.id)).toMatchObject([
      {
        action: 'collectivite.create',
        actorName: admin.name,
        actorId: null,
        details: { name, code: '2A004' },
      },
    ]);
  });

  it('refuses a second collectivité with the same name (any accents) or code, naming the clash', async () => {
    const name = unique('Communauté de communes du Val-Fictif');
    await directory().createCollectivite({ name, kind: 'epci', code: '200000172' }, admin);
    await expect(
      directory().createCollectivite({ name: name.replace('é', 'e').toLowerCase(), kind: 'epci' }, admin),
    ).rejects.toMatchObject({ field: 'name' });
    const clash = directory().createCollectivite(
      { name: unique('Autre'), kind: 'epci', code: '200000172' },
      admin,
    );
    await expect(clash).rejects.toBeInstanceOf(DirectoryConflictError);
    await expect(clash).rejects.toMatchObject({
      field: 'code',
      message: expect.stringContaining('200000172'),
    });
  });

  it('stores e-mails lower-cased, finds people by id or e-mail in any case, and refuses a duplicate', async () => {
    const email = uniqueEmail('Camille.Exemple');
    const person = await directory().createPerson(
      { displayName: 'Camille Exemple', email: `  ${email.toUpperCase()} `, organisation: 'Démoville' },
      admin,
    );
    expect(person).toMatchObject({ email: email.toLowerCase(), memberships: [], identities: [] });
    expect(await directory().findPerson(email)).toEqual(person);
    expect(await directory().findPerson(person.id)).toEqual(person);
    await expect(
      directory().createPerson({ displayName: 'Double', email: email.toLowerCase() }, admin),
    ).rejects.toMatchObject({ field: 'email' });
    expect(await auditOf(person.id)).toMatchObject([{ action: 'person.create' }]);
  });

  it('grants and revokes idempotently, per collectivité and deployment-wide, with one audit entry each', async () => {
    const commune = await directory().createCollectivite(
      { name: unique('Démoville'), kind: 'commune' },
      admin,
    );
    const person = await directory().createPerson({ displayName: 'Alex', email: uniqueEmail('alex') }, admin);
    const referent = { personId: person.id, role: 'referent' as const, collectiviteId: commune.id };
    const deploymentAdmin = { personId: person.id, role: 'admin' as const };

    expect(
      await Promise.all([directory().grant(referent, admin), directory().grant(referent, admin)]),
    ).toEqual(expect.arrayContaining([true, false]));
    expect(await directory().grant(deploymentAdmin, admin)).toBe(true);
    expect(await directory().grant(deploymentAdmin, admin)).toBe(false);
    expect(await database.prisma.membership.count({ where: { personId: person.id } })).toBe(2);

    const actor = await directory().actorByPerson(person.id);
    expect(actor?.memberships).toEqual([
      { role: 'referent', collectivite: { id: commune.id, name: commune.name } },
      { role: 'admin', collectivite: undefined },
    ]);
    expect(await directory().administrators()).toContainEqual({ displayName: 'Alex', email: person.email });

    expect(await directory().revoke(deploymentAdmin, admin)).toBe(true);
    expect(await directory().revoke(deploymentAdmin, admin)).toBe(false);
    expect(await directory().revoke({ ...referent, role: 'coordinateur' }, admin)).toBe(false);
    expect(await directory().administrators()).not.toContainEqual(
      expect.objectContaining({ displayName: 'Alex' }),
    );

    expect((await auditOf(person.id)).map((entry) => [entry.action, entry.details])).toEqual([
      ['person.create', expect.anything()],
      ['membership.grant', { role: 'referent', collectiviteId: commune.id, collectivite: commune.name }],
      ['membership.grant', { role: 'admin' }],
      ['membership.revoke', { role: 'admin' }],
    ]);
  });

  it('keeps channel accounts without a person until their e-mail matches one, in any case', async () => {
    const key = account('teams');
    await database.repositories.identities.upsert({
      ...key,
      displayName: 'Dominique',
      conversationReference: { v: 1 },
    });
    expect(await directory().actorByIdentity(key)).toBeUndefined();
    expect(await directory().linkIdentityByEmail(key, uniqueEmail('personne'))).toBeUndefined();
    expect(await directory().actorByIdentity(key)).toBeUndefined();

    const email = uniqueEmail('dominique');
    const person = await directory().createPerson({ displayName: 'Dominique Exemple', email }, admin);
    const linked = await directory().linkIdentityByEmail(key, email.toUpperCase());
    expect(linked).toMatchObject({ personId: person.id, displayName: 'Dominique Exemple', email });
    expect(await directory().actorByIdentity(key)).toEqual(linked);
    // The reference stored by the channel survives the linking.
    expect(
      await database.repositories.identities.findByChannelUser(
        key.channel,
        key.workspaceId,
        key.externalUserId,
      ),
    ).toMatchObject({ conversationReference: { v: 1 }, personId: person.id });
    expect((await directory().findPerson(person.id))?.identities).toEqual([
      { ...key, displayName: 'Dominique' },
    ]);

    // Linking again is no change: one audit entry for the link.
    await directory().linkIdentityByEmail(key, email);
    expect((await auditOf(person.id)).map((entry) => entry.action)).toEqual([
      'person.create',
      'identity.link',
    ]);
  });

  it('remembers when an account’s e-mail was looked up', async () => {
    const key = account();
    const before = new Date(Date.now() - 1000);
    expect(await directory().emailCheckedSince(key, before)).toBe(false);
    await directory().markEmailChecked(key);
    expect(await directory().emailCheckedSince(key, before)).toBe(true);
    expect(await directory().emailCheckedSince(key, new Date(Date.now() + 60_000))).toBe(false);
    expect(await directory().actorByIdentity(key)).toBeUndefined();
  });

  it('links an account by hand, and deactivation removes access while the history stays', async () => {
    const commune = await directory().createCollectivite(
      { name: unique('Démoville'), kind: 'commune' },
      admin,
    );
    const person = await directory().createPerson(
      { displayName: 'Sacha', email: uniqueEmail('sacha') },
      admin,
    );
    const key = account('web');
    await directory().linkIdentity(key, person.id, admin);
    await directory().grant({ personId: person.id, role: 'referent', collectiviteId: commune.id }, admin);
    expect(await directory().actorByIdentity(key)).toMatchObject({ personId: person.id });

    expect(await directory().deactivatePerson(person.id, admin)).toBe(true);
    expect(await directory().deactivatePerson(person.id, admin)).toBe(false);
    expect(await directory().actorByIdentity(key)).toBeUndefined();
    expect(await directory().actorByPerson(person.id)).toBeUndefined();
    expect(await directory().linkIdentityByEmail(key, person.email!)).toBeUndefined();
    const record = await directory().findPerson(person.id);
    expect(record).toMatchObject({ memberships: [], identities: [], deactivatedAt: expect.any(Date) });

    const log = await auditOf(person.id);
    expect(log.map((entry) => entry.action)).toEqual([
      'person.create',
      'identity.link',
      'membership.grant',
      'person.deactivate',
    ]);
    expect(log.at(-1)?.details).toEqual({
      revoked: [{ role: 'referent', collectivite: commune.name }],
      unlinkedIdentities: 1,
    });

    // A new role gives access back.
    expect(
      await directory().grant(
        { personId: person.id, role: 'coordinateur', collectiviteId: commune.id },
        admin,
      ),
    ).toBe(true);
    expect(await directory().actorByPerson(person.id)).toMatchObject({ personId: person.id });
    expect((await auditOf(person.id)).at(-1)?.details).toMatchObject({ reactivated: true });
  });

  it('keeps the audit log when what it names is deleted, newest first', async () => {
    const person = await directory().createPerson({ displayName: 'Éphémère' }, admin);
    await database.prisma.person.delete({ where: { id: person.id } });
    const [latest] = await directory().auditLog(1);
    expect(latest).toMatchObject({
      actor: { name: admin.name },
      action: 'person.create',
      subjectType: 'person',
      subjectId: person.id,
      at: expect.any(Date),
    });
    expect(await directory().auditLog(3)).toHaveLength(3);
  });
});
