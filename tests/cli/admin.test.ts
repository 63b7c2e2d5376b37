import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyToken, WEB_SESSION_SECRET } from '../../bot/channels/web-session.ts';
import { runAdmin } from '../../bot/cli/admin.ts';
import type { CommandContext } from '../../bot/cli/command.ts';
import { runNamedCommand } from '../../bot/cli/commands.ts';
import { loadConfig } from '../../bot/config.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../bot/store/database.ts';

const execFileAsync = promisify(execFile);
const NOW = new Date('2026-11-29T10:00:00Z');

describe('npm run admin (the command function, on an in-memory PGlite)', () => {
  let database: Database;
  let opened = 0;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: inMemoryDataDir });
  });
  afterAll(() => database.close());

  async function admin(...args: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runAdmin(
      args,
      {
        repositories: async () => {
          opened += 1;
          return database.repositories;
        },
        operator: 'claude-test',
        timeZone: 'Europe/Paris',
        publicUrl: 'https://boussole.test',
        clock: () => NOW,
      },
      { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
    );
    return { code, stdout, stderr, json: () => JSON.parse(stdout) };
  }

  it('prints its French help, and refuses unknown or incomplete subcommands with code 2, without opening the database', async () => {
    const before = opened;
    const help = await admin('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('collectivite add --nom');
    expect(help.stdout).toContain('Codes de sortie');

    expect(await admin()).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Sous-commande manquante'),
    });
    expect(await admin('collectivité', 'ajoute')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Sous-commande inconnue : « collectivité ajoute »'),
    });
    expect(await admin('role', 'add', 'x@exemple.org')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Argument(s) manquant(s) : <role>'),
    });
    expect(await admin('collectivite', 'list', 'en-trop')).toMatchObject({ code: 2 });
    expect(await admin('personne', 'add', '--nom', 'A', '--code', '77')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Option inconnue ici : --code'),
    });
    expect(await admin('personne', 'add', '--email', 'a@exemple.org', '--nom')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('L’option --nom attend une valeur.'),
    });
    expect(opened).toBe(before);
  });

  it('validates collectivité codes by kind: INSEE for communes and départements, SIREN for EPCI', async () => {
    const add = (nom: string, type: string, code: string) =>
      admin('collectivite', 'add', '--nom', nom, '--type', type, '--code', code, '--json');
    expect((await add('Commune A (test)', 'commune', '77284')).json()).toMatchObject({
      kind: 'commune',
      code: '77284',
    });
    expect((await add('Commune B (test)', 'Commune', '2a004')).json()).toMatchObject({ code: '2A004' });
    expect((await add('EPCI C (test)', 'EPCI', '200 000 172')).json()).toMatchObject({
      kind: 'epci',
      code: '200000172',
    });
    expect((await add('Département D (test)', 'département', '2B')).json()).toMatchObject({
      kind: 'departement',
    });

    const wrongInsee = await add('Commune E (test)', 'commune', '7728');
    expect(wrongInsee.code).toBe(2);
    expect(wrongInsee.stderr).toContain(
      '--code : attendu pour une commune : un code INSEE de commune à 5 caractères',
    );
    expect((await add('EPCI F (test)', 'epci', '77284')).stderr).toContain('un SIREN à 9 chiffres');
    expect((await add('G (test)', 'region', '11')).stderr).toContain('--type');
    const noName = await admin('collectivite', 'add', '--type', 'commune');
    expect(noName).toMatchObject({ code: 2, stderr: expect.stringContaining('--nom') });

    const duplicate = await add('commune a (TEST)', 'commune', '77001');
    expect(duplicate).toMatchObject({
      code: 1,
      stderr: 'Une collectivité porte déjà ce nom : « commune a (TEST) ».\n',
    });
    expect((await add('Commune H (test)', 'commune', '77284')).code).toBe(1);

    const list = await admin('collectivite', 'list');
    expect(list.stdout).toMatch(/Commune A \(test\)\s+commune\s+77284/);
  });

  it('adds people with a validated e-mail, gives and removes roles idempotently, and says so', async () => {
    expect(await admin('personne', 'add', '--nom', 'Léa Test', '--email', 'pas-une-adresse')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--email : adresse e-mail invalide'),
    });
    const added = await admin(
      'personne',
      'add',
      '--nom',
      'Léa Test',
      '--email',
      'Lea.Test@Exemple.org',
      '--json',
    );
    expect(added.json()).toMatchObject({
      displayName: 'Léa Test',
      email: 'lea.test@exemple.org',
      memberships: [],
    });
    expect((await admin('personne', 'add', '--nom', 'Autre', '--email', 'lea.test@exemple.org')).code).toBe(
      1,
    );

    expect((await admin('role', 'add', 'lea.test@exemple.org', 'referent')).stderr).toContain(
      'un rôle de referent se donne dans une collectivité',
    );
    const granted = await admin('role', 'add', 'LEA.TEST@exemple.org', 'référent', '--collectivite', '77284');
    expect(granted).toMatchObject({
      code: 0,
      stdout: 'Rôle donné : Léa Test (lea.test@exemple.org) est désormais référent de Commune A (test).\n',
    });
    const again = await admin(
      'role',
      'add',
      'lea.test@exemple.org',
      'referent',
      '--collectivite',
      'commune a (test)',
      '--json',
    );
    expect(again.json()).toMatchObject({ changed: false, role: 'referent', collectivite: { code: '77284' } });

    const wide = await admin('role', 'add', 'lea.test@exemple.org', 'admin', '--json');
    expect(wide.json()).toMatchObject({ changed: true, collectivite: null });
    expect(await database.repositories.directory.administrators()).toContainEqual({
      displayName: 'Léa Test',
      email: 'lea.test@exemple.org',
    });
    expect((await admin('role', 'remove', 'lea.test@exemple.org', 'admin')).stdout).toContain(
      'n’est plus administrateur',
    );
    expect((await admin('role', 'remove', 'lea.test@exemple.org', 'admin')).stdout).toContain(
      'rien n’a changé',
    );

    expect((await admin('role', 'add', 'inconnu@exemple.org', 'admin')).stderr).toContain(
      'Aucune personne « inconnu@exemple.org »',
    );
    expect(
      (await admin('role', 'add', 'lea.test@exemple.org', 'coordinateur', '--collectivite', 'Nulle part'))
        .code,
    ).toBe(1);

    const people = (await admin('personne', 'list', '--json')).json();
    expect(
      people.find((person: { email: string }) => person.email === 'lea.test@exemple.org').memberships,
    ).toEqual([
      expect.objectContaining({
        role: 'referent',
        collectivite: expect.objectContaining({ name: 'Commune A (test)' }),
      }),
    ]);
  });

  it('links a channel account to a person, and deactivation removes that access', async () => {
    await admin('personne', 'add', '--nom', 'Noé Test', '--email', 'noe.test@exemple.org');
    await admin('role', 'add', 'noe.test@exemple.org', 'coordinateur', '--collectivite', '2A004');
    expect(
      (await admin('identite', 'link', 'mattermost', 'T1', 'U1', 'noe.test@exemple.org')).stderr,
    ).toContain('<canal> : slack, teams ou web');
    const linked = await admin('identite', 'link', 'slack', 'T-TEST', 'U-NOE', 'noe.test@exemple.org');
    expect(linked).toMatchObject({
      code: 0,
      stdout: 'Compte slack T-TEST/U-NOE lié à Noé Test (noe.test@exemple.org).\n',
    });
    const account = { channel: 'slack' as const, workspaceId: 'T-TEST', externalUserId: 'U-NOE' };
    expect(await database.repositories.directory.actorByIdentity(account)).toMatchObject({
      displayName: 'Noé Test',
      memberships: [{ role: 'coordinateur', collectivite: { name: 'Commune B (test)' } }],
    });

    expect((await admin('personne', 'desactiver', 'noe.test@exemple.org')).stdout).toContain(
      'Accès retiré à Noé Test',
    );
    expect((await admin('personne', 'desactiver', 'noe.test@exemple.org')).stdout).toContain(
      'rien n’a changé',
    );
    expect(await database.repositories.directory.actorByIdentity(account)).toBeUndefined();
    expect((await admin('identite', 'link', 'slack', 'T-TEST', 'U-NOE', 'noe.test@exemple.org')).code).toBe(
      1,
    );
    expect((await admin('personne', 'list')).stdout).toMatch(/Noé Test \(accès retiré\)/);
  });

  it('prints a signed web sign-in link that names the person and expires after --jours days', async () => {
    const invite = await admin('invite', 'LEA.TEST@exemple.org', '--jours', '3', '--json');
    expect(invite.code).toBe(0);
    const { url, expiresAt, person } = invite.json();
    expect(url).toMatch(/^https:\/\/boussole\.test\/connexion\?jeton=[\w-]+\.[\w-]+$/);
    expect(expiresAt).toBe('2026-12-02T10:00:00.000Z');
    expect(person).toMatchObject({ email: 'lea.test@exemple.org' });
    const secret = await database.repositories.settings.getOrCreateSecret(WEB_SESSION_SECRET);
    const token = new URL(url).searchParams.get('jeton')!;
    expect(verifyToken(secret, token, 'lien', NOW)).toMatchObject({ ok: true, personId: person.id });
    expect(verifyToken(secret, token, 'lien', new Date('2026-12-02T10:00:01Z'))).toEqual({
      ok: false,
      reason: 'expired',
    });
    // A link is not a session cookie.
    expect(verifyToken(secret, token, 'session', NOW)).toEqual({ ok: false, reason: 'invalid' });

    const text = (await admin('invite', 'lea.test@exemple.org')).stdout;
    expect(text).toContain(
      'Lien de connexion pour Léa Test (lea.test@exemple.org), valable jusqu’au 6 décembre 2026',
    );
    expect(text).toContain('https://boussole.test/connexion?jeton=');

    expect((await admin('invite', 'lea.test@exemple.org', '--jours', '0')).stderr).toContain(
      '--jours : au moins 1 jour',
    );
    expect((await admin('invite', 'lea.test@exemple.org', '--jours', '90')).stderr).toContain(
      '--jours : au plus 30 jours',
    );
    expect((await admin('invite', 'inconnu@exemple.org')).code).toBe(1);
    expect(await admin('invite', 'noe.test@exemple.org')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('n’a plus d’accès'),
    });
  });

  it('shows the audit log, newest first, with who did it', async () => {
    expect((await admin('journal', '--limit', '0')).stderr).toContain('--limit : au moins 1');
    expect((await admin('journal', '--limit', 'beaucoup')).code).toBe(2);
    const entries = (await admin('journal', '--limit', '3', '--json')).json();
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({
      action: 'person.deactivate',
      actor: { name: 'admin (ligne de commande) — claude-test' },
      subjectType: 'person',
    });
    const text = (await admin('journal')).stdout;
    expect(text).toMatch(/admin \(ligne de commande\) — claude-test\s+personne désactivée\s+Noé Test/);
    expect(text).toContain('rôle donné');
  });

  it('is the « admin » command a server runs for a forwarded request, recording the caller’s user name', async () => {
    const context: CommandContext = {
      config: loadConfig({}),
      caller: { cwd: '/', timeZone: 'Europe/Paris', user: 'marie' },
      repositories: async () => database.repositories,
      knowledge: () => Promise.reject(new Error('inutile ici')),
      reindex: () => Promise.reject(new Error('inutile ici')),
    };
    let stdout = '';
    const code = await runNamedCommand(
      'admin',
      ['personne', 'add', '--nom', 'Par le serveur', '--email', 'serveur@exemple.org', '--json'],
      context,
      { stdout: (text) => (stdout += text), stderr: () => {} },
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ email: 'serveur@exemple.org' });
    const [latest] = await database.repositories.directory.auditLog(1);
    expect(latest).toMatchObject({
      action: 'person.create',
      actor: { name: 'admin (ligne de commande) — marie' },
    });
  });

  it('seeds clearly fictitious demo data once: one référent per collectivité, a coordinator of both, an admin', async () => {
    const first = (await admin('demo', '--json')).json();
    expect(first.collectivites.map((c: { created: boolean }) => c.created)).toEqual([true, true]);
    const second = (await admin('demo', '--json')).json();
    expect(second.collectivites.every((c: { created: boolean }) => !c.created)).toBe(true);
    expect(
      second.people.every((p: { created: boolean; rolesAdded: number }) => !p.created && p.rolesAdded === 0),
    ).toBe(true);

    const { directory } = database.repositories;
    const demo = (await directory.listCollectivites()).filter((c) => c.name.endsWith('(démo)'));
    expect(demo.map((c) => c.name).sort()).toEqual([
      'Communauté de communes du Val-Fictif (démo)',
      'Commune de Démoville (démo)',
    ]);
    const people = (await directory.listPeople()).filter(
      (p) => p.email?.endsWith('@exemple.org') && p.displayName.endsWith('Démo'),
    );
    expect(people).toHaveLength(4);
    const roles = people
      .flatMap((p) => p.memberships.map((m) => `${m.role}:${m.collectivite?.name ?? '*'}`))
      .sort();
    expect(roles).toEqual([
      'admin:*',
      'coordinateur:Communauté de communes du Val-Fictif (démo)',
      'coordinateur:Commune de Démoville (démo)',
      'referent:Communauté de communes du Val-Fictif (démo)',
      'referent:Commune de Démoville (démo)',
    ]);
  });
});

describe('npm run admin (the real entry point)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'boussole-admin-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('seeds the demo into the embedded database of DATA_DIR and prints JSON', async () => {
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const { stdout } = await execFileAsync('npm', ['run', '--silent', 'admin', '--', 'demo', '--json'], {
      env: { ...env, DATA_DIR: dataDir },
    });
    expect(JSON.parse(stdout).people).toHaveLength(4);

    const usage = await execFileAsync('npm', ['run', '--silent', 'admin', '--', 'role', 'add'], {
      env: { ...env, DATA_DIR: dataDir },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(usage).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Argument(s) manquant(s) : <email> <role>'),
    });

    const database = await openDatabase({ dataDir });
    try {
      expect(await database.repositories.directory.findPerson('alex.admin@exemple.org')).toMatchObject({
        memberships: [{ role: 'admin' }],
      });
    } finally {
      await database.close();
    }
  });
});
