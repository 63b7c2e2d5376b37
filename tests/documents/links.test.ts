import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleValues } from '../../bot/documents/example-fiche.ts';
import { contentDisposition } from '../../bot/documents/files.ts';
import {
  DEFAULT_LINK_TTL_MS,
  type DocumentRef,
  documentLink,
  signDocumentLink,
  verifyDocumentLink,
} from '../../bot/documents/links.ts';
import { mountDocuments } from '../../bot/documents/router.ts';
import { renderDocument } from '../../bot/features/fiches/exports.ts';
import type { Fiche } from '../../bot/features/fiches/model.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../bot/store/database.ts';

const SECRET = 'secret-de-test-assez-long-pour-signer';
const NOW = new Date('2027-03-01T08:00:00Z');
const ref = { kind: 'fiche' as const, ficheId: 'fiche-exemple', format: 'docx' as const };

describe('signed document links', () => {
  it('verify with the same secret until they expire, 7 days by default', () => {
    const { token, expiresAt } = signDocumentLink(ref, SECRET, { now: NOW });
    expect(expiresAt.getTime() - NOW.getTime()).toBe(DEFAULT_LINK_TTL_MS);
    expect(token).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(verifyDocumentLink(token, SECRET, NOW)).toEqual({ ok: true, ref, expiresAt });
    const lastSecond = new Date(expiresAt.getTime() - 1_000);
    expect(verifyDocumentLink(token, SECRET, lastSecond).ok).toBe(true);
    expect(verifyDocumentLink(token, SECRET, expiresAt)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuse a token altered anywhere, signed with another secret, or malformed', () => {
    const { token } = signDocumentLink(ref, SECRET, { now: NOW });
    const [payload, signature] = token.split('.') as [string, string];
    const otherFiche = Buffer.from(
      Buffer.from(payload, 'base64url').toString().replace('fiche-exemple', 'fiche-voisine'),
    ).toString('base64url');
    const flipped = (text: string) => `${text.slice(0, -2)}${text.at(-2) === 'A' ? 'B' : 'A'}${text.at(-1)}`;
    for (const forged of [
      `${otherFiche}.${signature}`,
      `${payload}.${flipped(signature)}`,
      `${flipped(payload)}.${signature}`,
      payload,
      `${token}.extra`,
      '',
    ]) {
      expect(verifyDocumentLink(forged, SECRET, NOW)).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(verifyDocumentLink(token, 'un-autre-secret-tout-aussi-long', NOW)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    // An expired token that was also forged is « invalid »: the signature is checked first.
    const expired = signDocumentLink(ref, SECRET, { now: NOW, ttlMs: 1_000 }).token;
    expect(verifyDocumentLink(`${expired}x`, SECRET, new Date(NOW.getTime() + 5_000))).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('refuse to sign with a short secret', () => {
    expect(() => signDocumentLink(ref, 'court', { now: NOW })).toThrow(/at least 16/);
  });

  it('carry a French file name with an ASCII fallback (RFC 6266 / 5987)', () => {
    expect(contentDisposition('fiche-action-7-ateliers-cuisine-et-santé.docx')).toBe(
      'attachment; filename="fiche-action-7-ateliers-cuisine-et-sante.docx"; filename*=UTF-8\'\'fiche-action-7-ateliers-cuisine-et-sant%C3%A9.docx',
    );
  });
});

describe('GET /documents/:token, on the fiches of a database', () => {
  let database: Database;
  let server: Server;
  let base: string;
  let secret: string;
  let now = NOW;
  let fiche: Fiche;
  let collectiviteId: string;
  /** What an access log written once the response is sent would record (server.ts logs req.path). */
  const loggedPaths: string[] = [];
  const author = { name: 'Camille Exemple' };

  beforeAll(async () => {
    database = await openDatabase({ dataDir: inMemoryDataDir });
    const { directory, fiches, settings } = database.repositories;
    const admin = { name: 'admin (ligne de commande) — test' };
    collectiviteId = (await directory.createCollectivite({ name: 'Démoville', kind: 'commune' }, admin)).id;
    const values = exampleValues();
    const created = await fiches.create({
      collectiviteId,
      values,
      changes: Object.entries(values).map(([fieldId, after]) => ({ fieldId, before: undefined, after })),
      author,
    });
    const validated = await fiches.commit({
      ficheId: created.id,
      expectedVersion: 1,
      values,
      changes: [],
      author,
      status: 'validee',
    });
    if (!validated.ok) throw new Error('commit refused');
    fiche = validated.fiche;
    secret = await settings.getOrCreateSecret('document-links');

    const app = express();
    app.use((req, res, next) => {
      res.on('finish', () => loggedPaths.push(req.path));
      next();
    });
    // The secret from the database's settings, read on each request; the document made from the database.
    mountDocuments(app, {
      secret: () => settings.getOrCreateSecret('document-links'),
      render: (ref) => renderDocument(ref, database.repositories.fiches),
      now: () => now,
    });
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await database.close();
  });

  const link = (documentRef: DocumentRef) => documentLink(`${base}/`, documentRef, secret, { now: NOW }).url;

  it('serves the document as it is now, with its French file name', async () => {
    now = NOW;
    const url = link({ kind: 'fiche', ficheId: fiche.id, format: 'docx' });
    expect(url.startsWith(`${base}/documents/`)).toBe(true);
    // Changed after the link was sent: the download shows the change.
    const changed = await database.repositories.fiches.commit({
      ficheId: fiche.id,
      expectedVersion: fiche.version,
      values: { ...fiche.values, intitule: 'Ateliers cuisine' },
      changes: [{ fieldId: 'intitule', before: fiche.values.intitule, after: 'Ateliers cuisine' }],
      author,
      status: 'validee',
    });
    if (!changed.ok) throw new Error('commit refused');
    fiche = changed.fiche;
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="fiche-action-1-ateliers-cuisine.docx"; filename*=UTF-8\'\'fiche-action-1-ateliers-cuisine.docx',
    );
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(loggedPaths.at(-1)).toBe('/documents/(jeton)');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const { value } = await mammoth.extractRawText({ buffer: Buffer.from(await response.arrayBuffer()) });
    expect(value).toContain('Intitulé de l’action\u00a0: Ateliers cuisine\n');
  });

  it('serves the Markdown and the convention the same way', async () => {
    now = NOW;
    const markdown = await fetch(link({ kind: 'fiche', ficheId: fiche.id, format: 'md' }));
    expect(markdown.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(await markdown.text()).toMatch(/^# Fiche-action n° 1 · Ateliers cuisine\n/);
    const convention = await fetch(
      link({
        kind: 'convention',
        collectiviteId,
        programme: 'coopérative d’acteurs en promotion de la santé de démoville 2027-2029',
      }),
    );
    expect(convention.status).toBe(200);
    expect(convention.headers.get('content-disposition')).toContain(
      'filename="convention-partenariat-cooperative-d-acteurs-en-promotion-de-la-sante-de-demoville.docx"',
    );
  });

  it('answers 403 to a tampered link, 410 to an expired one, 404 once the fiche is discarded, in French', async () => {
    now = NOW;
    const url = link({ kind: 'fiche', ficheId: fiche.id, format: 'docx' });
    const tampered = await fetch(`${url.slice(0, -3)}abc`);
    expect(tampered.status).toBe(403);
    expect(tampered.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await tampered.text()).toContain('<h1>Lien non valide</h1>');

    now = new Date(NOW.getTime() + DEFAULT_LINK_TTL_MS + 1_000);
    const expired = await fetch(url);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('Ce lien de téléchargement n’est plus valable.');

    now = NOW;
    await database.repositories.fiches.discard(fiche.id, author);
    const discarded = await fetch(url);
    expect(discarded.status).toBe(404);
    expect(await discarded.text()).toContain('Ce document n’existe plus');
    const convention = await fetch(
      link({ kind: 'convention', collectiviteId, programme: String(fiche.values.programme) }),
    );
    expect(convention.status).toBe(404);
  });
});
