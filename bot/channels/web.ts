import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { z } from 'zod';
import type { IncomingMessage } from '../core/types.ts';
import type { MountChannel } from './channel.ts';
import { MAX_FILE_BYTES } from './downloads.ts';
import { renderWebReply } from './web-render.ts';
import { mountSectionForms, webSender } from './web-section-form.ts';
import { createWebSessions } from './web-session.ts';
import { FOREIGN_ORIGIN, isSameOrigin, mountSignIn, webPerson } from './web-sign-in.ts';

const WEB_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'web');

const fileRequest = z.object({
  conversationId: z.string().trim().min(1).max(100),
  userId: z.string().trim().min(1).max(100),
  /** The file's name, URI-encoded in the X-File-Name header (headers are ASCII). */
  name: z
    .string()
    .min(1)
    .max(600)
    .transform((name, context) => {
      try {
        return decodeURIComponent(name).slice(0, 200);
      } catch {
        context.addIssue({ code: 'custom', message: 'nom de fichier illisible' });
        return z.NEVER;
      }
    }),
});

const chatRequest = z.object({
  conversationId: z.string().trim().min(1).max(100),
  userId: z.string().trim().min(1).max(100),
  text: z.string().max(100_000).optional(),
  action: z
    .object({
      id: z.string().min(1).max(100),
      value: z.string().max(4_000).optional(),
      rating: z.enum(['up', 'down']).optional(),
    })
    .optional(),
});

const fileTooLarge: ErrorRequestHandler = (error, _req, res, next) => {
  if ((error as { type?: string }).type !== 'entity.too.large') return next(error);
  res.status(413).json({
    error: `Ce fichier dépasse ${MAX_FILE_BYTES / 1024 / 1024} Mo : une fiche-action tient en quelques pages. Envoyez le document Word de la fiche seule.`,
  });
};

/**
 * The local web chat: the page at /, its assets at /assets, signing in (web-sign-in.ts), POST /api/chat (and
 * /api/chat/file for a Word fiche) into the core, the sections' forms (web-section-form.ts). The person comes only from the signed session cookie; the browser's own id only tells
 * apart anonymous visitors.
 */
export const mountWeb: MountChannel = async (app, { core, config, repositories }) => {
  const sessions = createWebSessions({ config, repositories });
  app.get('/', (_req, res) => res.sendFile(path.join(WEB_DIR, 'index.html')));
  app.use('/assets', express.static(WEB_DIR, { index: false, maxAge: '1h' }));
  mountSignIn(app, { config, repositories, sessions });
  mountSectionForms(app, { core, config, sessions });
  /** One turn of the chat for the session's person (or a visitor): text, a button, or a file. */
  async function chat(
    req: Request,
    res: Response,
    ids: { conversationId: string; userId: string },
    input: Pick<IncomingMessage, 'text' | 'action' | 'attachments'>,
  ): Promise<void> {
    const session = await sessions.fromCookieHeader(req.get('cookie'));
    if (session.clearCookie) res.append('Set-Cookie', sessions.closeCookie);
    const { actor } = session;
    if (!actor && config.web.questions === 'signed-in') {
      res.status(401).json({
        error: config.web.demoPicker
          ? 'Ce déploiement réserve Boussole aux personnes connectées : choisissez une personne de démonstration en haut de la page, ou ouvrez votre lien personnel de connexion.'
          : 'Ce déploiement réserve Boussole aux personnes connectées : ouvrez le lien personnel de connexion que l’administrateur vous a envoyé (il le crée avec npm run admin -- invite).',
        person: null,
      });
      return;
    }
    const reply = await core.handleTurn({
      ...webSender(actor, ids, String(res.locals.requestId ?? randomUUID())),
      ...input,
    });
    res.json({ ...renderWebReply(reply, config.publicUrl), person: actor ? webPerson(actor) : null });
  }

  app.post('/api/chat', express.json({ limit: '1mb' }), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    if (!isSameOrigin(req, config.publicUrl)) {
      res.status(403).json({ error: FOREIGN_ORIGIN });
      return;
    }
    const parsed = chatRequest.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({
        error: 'Requête invalide : il faut un identifiant de conversation et un texte ou une action.',
      });
      return;
    }
    await chat(req, res, parsed.data, { text: parsed.data.text ?? '', action: parsed.data.action });
  });

  // A file sent with the chat's « Joindre » button (a Word fiche): its bytes as the body, its name in a header.
  app.post(
    '/api/chat/file',
    express.raw({ type: () => true, limit: MAX_FILE_BYTES }),
    async (req: Request, res: Response) => {
      res.set('Cache-Control', 'no-store');
      if (!isSameOrigin(req, config.publicUrl)) {
        res.status(403).json({ error: FOREIGN_ORIGIN });
        return;
      }
      const ids = fileRequest.safeParse({ ...req.query, name: req.get('x-file-name') });
      if (!ids.success || !Buffer.isBuffer(req.body) || req.body.length === 0) {
        res
          .status(400)
          .json({ error: 'Requête invalide : il faut la conversation, le nom du fichier et son contenu.' });
        return;
      }
      const bytes = new Uint8Array(req.body);
      const file = { name: ids.data.name, contentType: req.get('content-type'), read: async () => bytes };
      await chat(req, res, ids.data, { text: '', attachments: [file] });
    },
    fileTooLarge,
  );
  return {};
};
