import type { Express, Response } from 'express';
import { escapeHtml, htmlPage } from '../viewer/html.ts';
import { contentDisposition, type DocumentFile } from './files.ts';
import { type ChartRef, type DocumentRef, type LinkRef, verifyDocumentLink } from './links.ts';

/**
 * GET /documents/:token: the document a signed link names, made again from the database at download time,
 * so a link never serves stale or deleted data. The link is the right to read: nothing else is checked.
 */

export interface DocumentsDeps {
  /** The signing secret (from the database's settings); a function is called on each request. */
  secret: string | (() => string | Promise<string>);
  /** The document as it is now; undefined when it no longer exists (a discarded fiche, an emptied programme). */
  render: (ref: DocumentRef) => Promise<DocumentFile | undefined>;
  /** The digest's progress chart as it is now; without it, chart links find nothing. */
  chart?: (ref: ChartRef) => Promise<DocumentFile | undefined>;
  now?: () => Date;
}

function page(res: Response, status: number, title: string, message: string): void {
  const body = `<header class="page-header"><p class="breadcrumb"><a href="/">Boussole</a> › Documents</p>
<h1>${escapeHtml(title)}</h1></header>
<main class="source-body"><p>${escapeHtml(message)}</p>
<p><a href="/">Revenir à l’assistant</a></p></main>`;
  res
    .status(status)
    .type('html')
    .send(htmlPage({ title: `${title} – Boussole`, body }));
}

/**
 * The document a link `<publicUrl>/documents/<token>` names, made now, for channels that send the file itself
 * (Slack uploads it): the same check as the download route, without going through HTTP.
 */
export async function readDocumentLink(deps: DocumentsDeps, url: string): Promise<DocumentFile | undefined> {
  const token = /\/documents\/([^/?#]+)/.exec(url)?.[1];
  if (!token) return undefined;
  const secret = typeof deps.secret === 'function' ? await deps.secret() : deps.secret;
  const check = verifyDocumentLink(decodeURIComponent(token), secret, deps.now?.() ?? new Date());
  return check.ok ? fileOf(deps, check.ref) : undefined;
}

const fileOf = (deps: DocumentsDeps, ref: LinkRef) =>
  ref.kind === 'progress' ? deps.chart?.(ref) : deps.render(ref);

const ASK_AGAIN =
  'Demandez un nouveau lien à Boussole, par exemple « exporter la fiche 7 en Word » ou « rédige la convention ».';

export function mountDocuments(app: Express, deps: DocumentsDeps): void {
  app.get('/documents/:token', async (req, res, next) => {
    const token = String(req.params.token);
    // The token is the credential: keep it out of the access log (written from req.path once the response
    // is sent), out of caches, and out of the Referer sent by the pages that follow.
    req.url = '/documents/(jeton)';
    res.set({
      'Cache-Control': 'private, no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Robots-Tag': 'noindex',
    });
    try {
      const secret = typeof deps.secret === 'function' ? await deps.secret() : deps.secret;
      const check = verifyDocumentLink(token, secret, deps.now?.() ?? new Date());
      if (!check.ok) {
        if (check.reason === 'expired') {
          page(res, 410, 'Lien expiré', `Ce lien de téléchargement n’est plus valable. ${ASK_AGAIN}`);
        } else {
          page(
            res,
            403,
            'Lien non valide',
            `Ce lien de téléchargement est incomplet ou a été modifié. Copiez-le en entier depuis le message de Boussole, ou ${ASK_AGAIN.charAt(0).toLowerCase()}${ASK_AGAIN.slice(1)}`,
          );
        }
        return;
      }
      const file = await fileOf(deps, check.ref);
      if (!file) {
        page(
          res,
          404,
          'Document introuvable',
          'Ce document n’existe plus : la fiche a été supprimée, ou le programme n’a plus de fiche validée.',
        );
        return;
      }
      res
        .status(200)
        .set({
          'Content-Type': file.contentType,
          'Content-Disposition': contentDisposition(file.fileName),
          'X-Content-Type-Options': 'nosniff',
        })
        .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
    } catch (error) {
      next(error);
    }
  });
}
