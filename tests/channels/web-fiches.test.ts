import { parseSetCookie } from 'cookie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebReply } from '../../bot/channels/web-render.ts';
import { createWebSessions, signInLink, WEB_SESSION_SECRET } from '../../bot/channels/web-session.ts';
import { runAdmin } from '../../bot/cli/admin.ts';
import { seedDemo } from '../../bot/cli/admin-demo.ts';
import type { Choice } from '../../bot/core/types.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../bot/store/database.ts';
import { SCRIPTED_FICHE } from '../support/fiche-script.ts';
import { openFixtureKnowledgeBase } from '../support/fixture-knowledge-base.ts';
import { PUBLIC_URL, startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * The web chat's people and fiches through HTTP, as a browser or a script drives them: sign-in links, the
 * session cookie, and whole fiches drafted through /api/chat on a real (in-memory PGlite) database, with the
 * real knowledge base built from the project's sources.
 */

type ChatReply = WebReply & { person: { id: string; displayName: string } | null };

const ADMIN = { name: 'test' };
/** PUBLIC_URL is https in the test server: the cookie is Secure, under the __Host- prefix. */
const COOKIE = '__Host-boussole-session';
const DAY_MS = 86_400_000;

let database: Database;
let knowledge: Awaited<ReturnType<typeof openFixtureKnowledgeBase>>;
let server: TestServer<Database['repositories']>;
const people: Record<'camille' | 'dominique' | 'sacha' | 'alex', string> = {
  camille: '',
  dominique: '',
  sacha: '',
  alex: '',
};

const start = (env: NodeJS.ProcessEnv = {}) =>
  startTestServer({ knowledge, repositories: database.repositories, env });

beforeAll(async () => {
  [database, knowledge] = await Promise.all([
    openDatabase({ dataDir: inMemoryDataDir }),
    openFixtureKnowledgeBase({ sources: 'corpus' }),
  ]);
  await seedDemo(database.repositories.directory, ADMIN);
  for (const [key, email] of [
    ['camille', 'camille.referente@exemple.org'],
    ['dominique', 'dominique.referent@exemple.org'],
    ['sacha', 'sacha.coordination@exemple.org'],
    ['alex', 'alex.admin@exemple.org'],
  ] as const) {
    people[key] = (await database.repositories.directory.findPerson(email))!.id;
  }
  server = await start();
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.close();
  await knowledge?.dispose();
});

/** `npm run admin -- invite <email>`, as the administrator types it. */
async function invite(email: string, publicUrl = PUBLIC_URL): Promise<string> {
  let stdout = '';
  const code = await runAdmin(
    ['invite', email, '--json'],
    {
      repositories: async () => database.repositories,
      operator: 'test',
      timeZone: 'Europe/Paris',
      publicUrl,
    },
    { stdout: (text) => (stdout += text), stderr: () => {} },
  );
  expect(code).toBe(0);
  return JSON.parse(stdout).url;
}

/** Opens a sign-in link on `target` as a browser would, without following the redirect. */
function openLink(link: string, target: TestServer<Database['repositories']> = server) {
  const url = new URL(link);
  return fetch(`${target.baseUrl}${url.pathname}${url.search}`, { redirect: 'manual' });
}

function sessionCookieOf(response: Response) {
  const header = response.headers.getSetCookie().find((line) => line.startsWith(`${COOKIE}=`));
  return header ? parseSetCookie(header) : undefined;
}

async function signIn(email: string): Promise<string> {
  const response = await openLink(await invite(email));
  expect(response.status).toBe(303);
  const cookie = sessionCookieOf(response)!;
  return `${COOKIE}=${cookie.value}`;
}

/** A browser tab: its own random id and conversation, and the cookie it holds (if any). */
function tab(cookie: string | undefined, conversationId = `conv-${Math.random().toString(36).slice(2)}`) {
  const post = async (target: TestServer<Database['repositories']>, body: Record<string, unknown>) => {
    const response = await fetch(`${target.baseUrl}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify({ conversationId, userId: 'navigateur-1', ...body }),
    });
    return { response, reply: (await response.json()) as ChatReply };
  };
  return {
    conversationId,
    post,
    say: async (text: string, target = server) => (await post(target, { text })).reply,
    click: async (choice: Pick<Choice, 'actionId' | 'value'>, target = server) =>
      (await post(target, { action: { id: choice.actionId, value: choice.value } })).reply,
  };
}

const choiceNamed = (reply: ChatReply, label: string | RegExp) => {
  const choice = reply.choices.find((candidate) =>
    typeof label === 'string' ? candidate.label === label : label.test(candidate.label),
  );
  expect(choice, `button « ${label} » in ${JSON.stringify(reply.choices)}`).toBeDefined();
  return choice!;
};

const fichesOf = (collectiviteName: string) =>
  database.repositories.directory
    .findCollectivite(collectiviteName)
    .then((collectivite) => database.repositories.fiches.list({ collectiviteIds: [collectivite!.id] }));

describe('signing in to the web chat', () => {
  it('turns an invite link into an HttpOnly, SameSite=Lax, Secure session cookie, then redirects to the chat', async () => {
    const response = await openLink(await invite('camille.referente@exemple.org'));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const cookie = sessionCookieOf(response)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'lax', secure: true, path: '/' });
    expect(cookie.maxAge).toBe(30 * 86_400);
    expect(cookie.domain).toBeUndefined();

    const session = await fetch(`${server.baseUrl}/api/session`, {
      headers: { cookie: `${COOKIE}=${cookie.value}` },
    });
    expect(await session.json()).toEqual({
      person: {
        id: people.camille,
        displayName: 'Camille Démo',
        roles: ['référent · Commune de Démoville (démo)'],
      },
      questions: 'open',
    });
  });

  it('refuses an expired, tampered or revoked link with a clear French page, and sets no session', async () => {
    const secret = await database.repositories.settings.getOrCreateSecret(WEB_SESSION_SECRET);
    const expired = signInLink(PUBLIC_URL, secret, people.camille, 1, new Date(Date.now() - 2 * DAY_MS));
    let response = await openLink(expired.url);
    expect(response.status).toBe(410);
    let page = await response.text();
    expect(page).toContain('<h1>Lien de connexion expiré</h1>');
    expect(page).toContain('Alex Démo (alex.admin@exemple.org)');
    expect(sessionCookieOf(response)?.value ?? '').toBe('');

    const link = await invite('camille.referente@exemple.org');
    const [payload, signature] = new URL(link).searchParams.get('jeton')!.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, p: people.alex })).toString('base64url');
    for (const token of [`${forged}.${signature}`, `${payload}.${signature!.slice(0, -2)}`, 'nimporte', '']) {
      response = await openLink(`${PUBLIC_URL}/connexion?jeton=${encodeURIComponent(token)}`);
      expect(response.status).toBe(400);
      page = await response.text();
      expect(page).toContain('Lien de connexion invalide');
      expect(sessionCookieOf(response)?.value ?? '').toBe('');
    }

    const { directory } = database.repositories;
    const lea = await directory.createPerson(
      { displayName: 'Léa Partie', email: 'lea.partie@exemple.org' },
      ADMIN,
    );
    const demoville = await directory.findCollectivite('Commune de Démoville (démo)');
    await directory.grant({ personId: lea.id, role: 'referent', collectiviteId: demoville!.id }, ADMIN);
    const leaLink = await invite('lea.partie@exemple.org');
    const leaCookie = `${COOKIE}=${sessionCookieOf(await openLink(leaLink))!.value}`;
    await directory.deactivatePerson(lea.id, ADMIN);
    response = await openLink(leaLink);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Accès retiré');

    // Her cookie from before is signed out at the next message, and she sees no fiche.
    const { response: chat, reply } = await tab(leaCookie).post(server, { text: 'mes fiches' });
    expect(reply.person).toBeNull();
    expect(sessionCookieOf(chat)).toMatchObject({ value: '', maxAge: 0 });
    expect(reply.text).toMatch(/il faut être inscrit comme référent ou coordinateur/);
  });

  it('signs out with POST /deconnexion, and refuses sign-in and chat requests from another site', async () => {
    const response = await fetch(`${server.baseUrl}/deconnexion`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: server.baseUrl },
    });
    expect(response.status).toBe(303);
    expect(sessionCookieOf(response)).toMatchObject({ value: '', maxAge: 0 });
    const foreign = await fetch(`${server.baseUrl}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://ailleurs.example' },
      body: JSON.stringify({ conversationId: 'c', userId: 'u', text: 'mes fiches' }),
    });
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error).toMatch(/autre site/);
  });
});

describe('drafting a fiche-action through /api/chat', () => {
  it('drafts a whole fiche with retour, passer, a side question, a restart, a wrong date, a correction and modifier from the recap', async () => {
    const camille = tab(await signIn('camille.referente@exemple.org'));
    let reply = await camille.say('nouvelle fiche-action');
    expect(reply.person).toMatchObject({ id: people.camille });
    expect(reply.text).toContain('Commune de Démoville (démo)');
    expect(reply.form).toMatchObject({ formId: 'fiche_action', fieldId: 'programme', step: 'question' });

    reply = await camille.say('Coopérative d’acteurs de Démoville 2027-2029');
    expect(reply.form?.fieldId).toBe('intitule');
    reply = await camille.say('Ateliers cuisine et santé');
    expect(reply.form?.fieldId).toBe('promoteur');
    reply = await camille.say('retour');
    expect(reply.form?.fieldId).toBe('intitule');
    expect(reply.text).toContain('Réponse actuelle : Ateliers cuisine et santé');
    // What people type is escaped wherever it is shown.
    reply = await camille.say('Ateliers cuisine & santé <familles>');
    expect(reply.form?.fieldId).toBe('promoteur');
    expect(reply.html).toContain('Ateliers cuisine &amp; santé &lt;familles&gt;');
    expect(reply.html).not.toContain('<familles>');
    reply = await camille.say('Centre social Les Tilleuls');
    reply = await camille.say('Camille Martin, coordinatrice');
    expect(reply.form?.fieldId).toBe('contact_niveau');
    reply = await camille.click(choiceNamed(reply, 'Passer'));
    expect(reply.form?.fieldId).toBe('partenaires');
    reply = await camille.say('CCAS : orientation des familles');
    reply = await camille.say('Réduire les inégalités de santé liées à l’alimentation');
    expect(reply.form?.fieldId).toBe('objectif_specifique');

    // A methodology question mid-form: answered from the guide with its sources, then the same field again.
    reply = await camille.say('c’est quoi un objectif spécifique ?');
    expect(reply.citations.length).toBeGreaterThan(0);
    expect(reply.citations[0]!.url).toMatch(/^https:\/\/boussole\.test\/sources\//);
    expect(reply.text).toContain('On reprend la fiche-action');
    expect(reply.form).toMatchObject({ fieldId: 'objectif_specifique', step: 'question' });

    // The server restarts between two answers: the cookie still holds and the draft resumes.
    await server.close();
    server = await start();
    reply = await camille.say('Améliorer l’accès des familles à une alimentation équilibrée');
    expect(reply.person).toMatchObject({ id: people.camille });
    expect(reply.form?.fieldId).toBe('objectif_operationnel');
    reply = await camille.say('Proposer 10 ateliers cuisine par an');
    expect(reply.form?.fieldId).toBe('objectif_prs');
    reply = await camille.click(reply.choices[0]!);
    expect(reply.form?.fieldId).toBe('contenu');
    reply = await camille.say('Dix ateliers de deux heures animés par une diététicienne.');
    reply = await camille.say('ateliers collectifs');
    expect(reply.form?.fieldId).toBe('periode');

    reply = await camille.say('du 31/02/2027 au 30/06/2027');
    expect(reply.form).toMatchObject({ fieldId: 'periode', step: 'question' });
    expect(reply.text).toMatch(/31 février/);
    reply = await camille.say('du 1er mars au 30 novembre 2027');
    expect(reply.text).toContain('1er mars');
    for (const answer of [
      'passer',
      'parents et habitants des quartiers prioritaires',
      'une soixantaine',
      'commune',
      'centre social Les Tilleuls',
      'centre social : 0,5 ETP',
      '10 000 €',
    ]) {
      reply = await camille.say(answer);
    }
    expect(reply.form?.fieldId).toBe('financements');
    reply = await camille.say('en fait le budget est de 15 000 €');
    expect(reply.text).toMatch(/15\s000/);
    expect(reply.form?.fieldId).toBe('financements');
    for (const answer of [
      'ARS 10 000 €, ville 5 000 €',
      'passer',
      'Nombre d’ateliers : 10 (source : émargements)',
      'Part des familles qui cuisinent des légumes : 60 % (source : questionnaire)',
      'Les familles cuisinent plus de produits frais',
    ]) {
      reply = await camille.say(answer);
    }

    // The recap card, as data: sections with their edit buttons, escaped values.
    expect(reply.form).toMatchObject({ formId: 'fiche_action', step: 'recap' });
    expect(reply.form?.fieldId).toBeUndefined();
    const card = reply.card!;
    expect(card.title).toBe('Fiche-action n° 1 · Ateliers cuisine &amp; santé &lt;familles&gt;');
    expect(card.subtitle).toMatch(/^Commune de Démoville \(démo\) · brouillon · version \d+$/);
    expect(card.sections.map((section) => section.title)).toEqual([
      'Identification',
      'Objectifs',
      'Contenu',
      'Calendrier',
      'Public et territoire',
      'Moyens',
      'Évaluation',
    ]);
    const calendrier = card.sections.find((section) => section.id === 'calendrier')!;
    expect(calendrier.fields[0]).toEqual({
      label: 'Calendrier prévisionnel',
      value: 'de mars à novembre 2027',
      missing: false,
    });
    expect(calendrier.edit).toEqual({
      label: 'Modifier',
      actionId: 'edit_section',
      value: `fiche_action|${reply.form?.recordId}|calendrier|${card.subtitle?.split('version ')[1]}`,
    });
    expect(card.actions).toEqual([]);
    choiceNamed(reply, 'Soumettre à la coordination');

    // « Modifier » on the card's Calendrier section, then « modifier les lieux » typed.
    reply = await camille.click(calendrier.edit!);
    expect(reply.form).toMatchObject({ fieldId: 'periode', step: 'question' });
    reply = await camille.say('de septembre 2027 à juin 2028');
    expect(reply.form?.step).toBe('recap');
    reply = await camille.say('modifier les lieux');
    expect(reply.form?.fieldId).toBe('lieux');
    reply = await camille.say('centre social Les Tilleuls ; école Jean-Moulin');
    expect(reply.form?.step).toBe('recap');
    expect(reply.card?.sections.find((section) => section.id === 'public')?.fields).toContainEqual({
      label: 'Lieux précis de réalisation',
      value: 'centre social Les Tilleuls ; école Jean-Moulin',
      missing: false,
    });

    const [fiche] = await fichesOf('Commune de Démoville (démo)');
    expect(fiche!.values).toEqual(SCRIPTED_FICHE);
    expect(fiche!.status).toBe('brouillon');
    const history = await database.repositories.fiches.history(fiche!.id);
    expect(history).toHaveLength(fiche!.version);
    expect(new Set(history.map((version) => version.author.personId))).toEqual(new Set([people.camille]));

    // The fiche in Word: a signed link, as data and in the message.
    reply = await camille.say('exporter la fiche 1 en Word');
    const [file] = reply.files!;
    expect(file).toMatchObject({
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      url: expect.stringMatching(/^https:\/\/boussole\.test\/documents\//),
    });
    expect(reply.html).toContain(`href="${file!.url}"`);
    const download = await fetch(`${server.baseUrl}${new URL(file!.url).pathname}`);
    expect(download.status).toBe(200);
    expect(
      Buffer.from(await download.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });

  it('cancels a second draft after confirmation, keeping nothing of it', async () => {
    const camille = tab(await signIn('camille.referente@exemple.org'));
    let reply = await camille.say('nouvelle fiche-action : Marche santé seniors');
    expect(reply.form?.fieldId).toBe('programme');
    expect((await fichesOf('Commune de Démoville (démo)')).map((fiche) => fiche.title)).toContain(
      'Marche santé seniors',
    );
    reply = await camille.say('annuler');
    expect(reply.form?.step).toBe('confirm');
    reply = await camille.click(choiceNamed(reply, 'Oui, annuler'));
    expect(reply.form?.step).toBe('closed');
    expect(reply.text).toMatch(/abandonné/);
    expect((await fichesOf('Commune de Démoville (démo)')).map((fiche) => fiche.title)).not.toContain(
      'Marche santé seniors',
    );
    reply = await camille.say('Comment évaluer une action ?');
    expect(reply.form).toBeUndefined();
    expect(reply.citations.length).toBeGreaterThan(0);
  });
});

describe('who sees and changes nothing', () => {
  /** Camille's fiche as stored, to compare after each intrusion. */
  const snapshot = async () => {
    const [fiche] = await fichesOf('Commune de Démoville (démo)');
    return { fiche, versions: (await database.repositories.fiches.history(fiche!.id)).length };
  };
  const attempts = (ficheId: string) => [
    { text: 'mes fiches' },
    { text: 'voir la fiche 1' },
    { text: 'reprendre la fiche 1' },
    { text: 'soumettre la fiche 1' },
    { text: 'exporter la fiche 1 en Word' },
    { action: { id: 'fiche', value: `view:${ficheId}` } },
    { action: { id: 'fiche', value: `resume:${ficheId}` } },
    { action: { id: 'fiche', value: `submit:${ficheId}` } },
    { action: { id: 'fiche', value: `history:${ficheId}` } },
    { action: { id: 'form', value: 'cmd:edit:budget' } },
    { text: 'nouvelle fiche-action' },
  ];

  async function expectNothingSeen(cookie: string | undefined, expectedPerson: string | null) {
    const before = await snapshot();
    const intruder = tab(cookie);
    for (const attempt of attempts(before.fiche!.id)) {
      const { response, reply } = await intruder.post(server, attempt);
      expect(response.status).toBe(200);
      expect(reply.person?.id ?? null).toBe(expectedPerson);
      expect(reply.html).not.toContain('Ateliers cuisine');
      expect(reply.text).not.toContain('Ateliers cuisine');
      expect(reply.card).toBeUndefined();
      expect(reply.files).toBeUndefined();
      expect(JSON.stringify(reply.choices)).not.toContain(before.fiche!.id);
      if (expectedPerson === null && attempt.text)
        expect(reply.text).toMatch(/il faut être inscrit comme référent ou coordinateur/);
    }
    const after = await snapshot();
    expect(after.fiche).toEqual(before.fiche);
    expect(after.versions).toBe(before.versions);
  }

  it('an anonymous visitor, a forged or tampered cookie, and a cookie of an unknown person', async () => {
    await expectNothingSeen(undefined, null);

    const valid = await signIn('camille.referente@exemple.org');
    const [payload, signature] = valid.slice(COOKIE.length + 1).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const asOther = (changes: object) =>
      Buffer.from(JSON.stringify({ ...claims, ...changes })).toString('base64url');
    const secret = await database.repositories.settings.getOrCreateSecret(WEB_SESSION_SECRET);
    const unknownLink = signInLink(PUBLIC_URL, secret, '00000000-0000-4000-8000-000000000000', 1, new Date());
    for (const forged of [
      // Camille's identity with a made-up signature, her signature on an extended expiry, a link used as a cookie.
      `${payload}.${Buffer.alloc(32, 7).toString('base64url')}`,
      `${asOther({ exp: claims.exp + 86_400 })}.${signature}`,
      `${asOther({ p: people.alex })}.${signature}`,
      new URL(unknownLink.url).searchParams.get('jeton')!,
      'pas-un-jeton',
    ]) {
      await expectNothingSeen(`${COOKIE}=${forged}`, null);
    }
    // A cookie properly signed, for a person the directory does not know.
    const setCookie = await createWebSessions({
      config: server.config,
      repositories: database.repositories,
    }).openCookie('00000000-0000-4000-8000-000000000000');
    const unknown = `${COOKIE}=${parseSetCookie(setCookie).value}`;
    const { response } = await tab(unknown).post(server, { text: 'mes fiches' });
    expect(sessionCookieOf(response)).toMatchObject({ value: '', maxAge: 0 });
    await expectNothingSeen(unknown, null);
  });

  it('a référent of another collectivité, even sending the conversation and browser ids of the owner', async () => {
    const dominique = await signIn('dominique.referent@exemple.org');
    await expectNothingSeen(dominique, people.dominique);

    // Camille has a form open in her conversation; Dominique sends the very same ids.
    const camille = tab(await signIn('camille.referente@exemple.org'), 'conv-camille');
    expect((await camille.say('reprendre la fiche 1')).form?.formId).toBe('fiche_action');
    const openSessions = async () =>
      (await database.repositories.formSessions.openFor(people.camille)).filter(
        (session) => session.key.conversationId === 'conv-camille',
      );
    const open = await openSessions();
    expect(open).toHaveLength(1);
    const before = await snapshot();
    const reply = await tab(dominique, 'conv-camille').say('modifier le budget');
    expect(reply.form).toBeUndefined();
    expect(await openSessions()).toEqual(open);
    expect(await snapshot()).toEqual(before);
  });
});

describe('WEB_QUESTIONS=signed-in', () => {
  it('refuses anonymous questions in French, and answers a signed-in person', async () => {
    const closed = await start({ WEB_QUESTIONS: 'signed-in' });
    try {
      const visitor = tab(undefined);
      const answered = knowledge.answerCalls.length;
      const { response, reply } = await visitor.post(closed, { text: 'Comment évaluer une action ?' });
      expect(response.status).toBe(401);
      expect((reply as unknown as { error: string }).error).toMatch(
        /^Ce déploiement réserve Boussole aux personnes connectées : ouvrez le lien personnel/,
      );
      expect(knowledge.answerCalls).toHaveLength(answered);
      const session = await fetch(`${closed.baseUrl}/api/session`);
      expect(await session.json()).toEqual({ person: null, questions: 'signed-in' });

      const sacha = tab(await signIn('sacha.coordination@exemple.org'));
      const answer = await sacha.say('Comment évaluer une action ?', closed);
      expect(answer.person).toMatchObject({ id: people.sacha });
      expect(answer.citations.length).toBeGreaterThan(0);
    } finally {
      await closed.close();
    }
  });
});

describe('the demo person picker', () => {
  it('offers only the demo people, in development only, and opens a session for the one chosen', async () => {
    const test = await fetch(`${server.baseUrl}/api/session/demo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ personId: people.camille }),
    });
    expect(test.status).toBe(404);

    const { directory } = database.repositories;
    await directory.createPerson(
      { displayName: 'Vraie Personne', email: 'vraie.personne@sante.example' },
      ADMIN,
    );
    const dev = await start({ NODE_ENV: 'development' });
    try {
      const session = await (await fetch(`${dev.baseUrl}/api/session`)).json();
      expect(session.person).toBeNull();
      expect(session.demo.people.map((person: { displayName: string }) => person.displayName).sort()).toEqual(
        ['Alex Démo', 'Camille Démo', 'Dominique Démo', 'Sacha Démo'],
      );
      const choose = (personId: string | null, headers: Record<string, string> = {}) =>
        fetch(`${dev.baseUrl}/api/session/demo`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ personId }),
        });
      const real = await directory.findPerson('vraie.personne@sante.example');
      const refused = await choose(real!.id);
      expect(refused.status).toBe(403);
      expect((await refused.json()).error).toMatch(/Seules les personnes de démonstration/);
      expect((await choose(people.camille, { origin: 'https://ailleurs.example' })).status).toBe(403);

      const chosen = await choose(people.camille);
      expect(await chosen.json()).toMatchObject({ person: { id: people.camille } });
      const cookie = sessionCookieOf(chosen) ?? parseSetCookie(chosen.headers.getSetCookie()[0]!);
      // PUBLIC_URL is https here too: the cookie is Secure whatever the environment.
      expect(cookie).toMatchObject({ name: COOKIE, httpOnly: true, secure: true, sameSite: 'lax' });
      const reply = await tab(`${COOKIE}=${cookie.value}`).say('mes fiches', dev);
      expect(reply.text).toContain('Fiches-actions');
      const signOut = await choose(null);
      expect(sessionCookieOf(signOut)).toMatchObject({ value: '', maxAge: 0 });
    } finally {
      await dev.close();
    }
  });
});
