import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebSessions } from '../../bot/channels/web-session.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../bot/store/database.ts';
import { type SeededWeek, seedWeek } from '../features/digest/seed.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

describe('the digest and its linked pages on the web, for people signed in', () => {
  let database: Database;
  let seeded: SeededWeek;
  let server: TestServer<Database['repositories']>;
  const cookies: Record<string, string> = {};
  beforeAll(async () => {
    database = await openDatabase({ dataDir: inMemoryDataDir });
    seeded = await seedWeek(database);
    // A fiche whose title is markup, created during the week.
    const odd = await database.repositories.fiches.create({
      collectiviteId: seeded.collectivites.avon,
      values: { intitule: '<script>alert("x")</script> & co' },
      changes: [],
      author: { name: 'Rémi Référent', personId: seeded.people.remi },
    });
    await database.prisma.recordVersion.updateMany({
      where: { recordId: odd.id },
      data: { createdAt: new Date('2026-11-25T12:00:00Z') },
    });
    server = await startTestServer({ repositories: database.repositories });
    const sessions = createWebSessions({ config: server.config, repositories: database.repositories });
    for (const who of ['claire', 'remi'] as const) {
      cookies[who] = (await sessions.openCookie(seeded.people[who])).split(';')[0]!;
    }
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  const get = async (path: string, who?: 'claire' | 'remi') => {
    const response = await fetch(`${server.baseUrl}${path}`, {
      headers: who ? { cookie: cookies[who]! } : {},
    });
    return { status: response.status, type: response.headers.get('content-type'), response };
  };
  const html = async (path: string, who?: 'claire' | 'remi') => {
    const { status, response } = await get(path, who);
    return { status, body: await response.text(), cache: response.headers.get('cache-control') };
  };

  it('asks people who are not signed in to sign in, and shows nothing of the digest', async () => {
    for (const path of ['/digest', '/digest/2026-W48', `/fiches/${seeded.fiches.avon1.id}`]) {
      const { status, body } = await html(path);
      expect(status).toBe(401);
      expect(body).toContain('réservée aux personnes connectées');
      expect(body).not.toContain('Ateliers cuisine');
    }
  });

  it('shows a coordinator the week’s digest as escaped HTML, each item linked', async () => {
    const { status, body, cache } = await html('/digest/2026-W48', 'claire');
    expect(status).toBe(200);
    expect(cache).toBe('private, no-store');
    expect(body).toContain('<h1>Digest hebdomadaire – semaine 48 (du 23 au 29 novembre 2026)</h1>');
    expect(body).toContain('<h2>Avon</h2>');
    expect(body).toContain(
      `<a href="https://boussole.test/fiches/${seeded.fiches.avon2.id}">Fiche n° 2 « Marche santé », créée par Rémi Référent</a>`,
    );
    expect(body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(body).not.toContain('<script>alert');
    expect(body).toContain('Quel est le montant du FIR pour 2027 ?');
    expect(body).toMatch(/<img src="https:\/\/boussole\.test\/documents\/[\w-]+\.[\w-]+" alt="Avancement/);
    expect(body).toContain('<a href="/digest/2026-W47">← Semaine précédente</a>');
    expect((await html('/digest/2026-W99', 'claire')).status).toBe(404);
  });

  it('serves the chart of the digest as a PNG through its signed link', async () => {
    const { body } = await html('/digest/2026-W48', 'claire');
    const url = /<img src="https:\/\/boussole\.test(\/documents\/[^"]+)"/.exec(body)![1]!;
    const chart = await get(url);
    expect(chart.status).toBe(200);
    expect(chart.type).toBe('image/png');
    const bytes = Buffer.from(await chart.response.arrayBuffer());
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect((await get(`${url.slice(0, -3)}abc`)).status).toBe(403);
  });

  it('opens the linked fiche, task and suivi pages only for who may read them', async () => {
    const fiche = await html(`/fiches/${seeded.fiches.avon1.id}`, 'remi');
    expect(fiche.status).toBe(200);
    expect(fiche.body).toContain('Ateliers cuisine');
    const task = await html(`/taches/${seeded.tasks.copil.id}`, 'remi');
    expect(task.body).toContain('<h1>Tâche n° 2 « Réunir le COPIL »</h1>');
    expect(task.body).toContain('<li><strong>Responsable</strong> : Rémi Référent</li>');
    const suivi = await html(`/suivis/${seeded.suiviBreau}`, 'claire');
    expect(suivi.body).toContain('<h1>Suivi T3 2026</h1>');
    expect(suivi.body).toContain('<li><strong>Freins identifiés</strong> : Peu de participants en août</li>');
    // Rémi is référent of Avon only.
    expect((await html(`/suivis/${seeded.suiviBreau}`, 'remi')).status).toBe(404);
    expect((await html(`/fiches/${seeded.fiches.dammarie1.id}`, 'remi')).status).toBe(404);
    expect((await html('/taches/inconnue', 'remi')).status).toBe(404);
  });

  it('gives a référent their own short digest', async () => {
    const { body } = await html('/digest/2026-W48', 'remi');
    expect(body).toContain('Bonjour Rémi Référent, voici ce qui vous concerne.');
    expect(body).not.toContain('Bréau');
    expect(body).not.toContain('Base documentaire');
  });
});
