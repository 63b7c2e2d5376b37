import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { z } from 'zod';
import type { MountChannel } from './channel.ts';
import { renderWebReply } from './web-render.ts';
import { mountSectionForms, webSender } from './web-section-form.ts';
import { createWebSessions } from './web-session.ts';
import { FOREIGN_ORIGIN, isSameOrigin, mountSignIn, webPerson } from './web-sign-in.ts';

const WEB_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'web');

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

/**
 * The local web chat: the page at /, its assets at /assets, signing in (web-sign-in.ts), and POST /api/chat
 * into the core. The person comes only from the signed session cookie; the browser's own id only tells
 * apart anonymous visitors.
 */
export const mountWeb: MountChannel = async (app, { core, config, repositories }) => {
  const sessions = createWebSessions({ config, repositories });
  app.get('/', (_req, res) => res.sendFile(path.join(WEB_DIR, 'index.html')));
  app.use('/assets', express.static(WEB_DIR, { index: false, maxAge: '1h' }));
  mountSignIn(app, { config, repositories, sessions });
  mountSectionForms(app, { core, config, sessions });
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
    const { text, action } = parsed.data;
    const reply = await core.handleTurn({
      ...webSender(actor, parsed.data, String(res.locals.requestId ?? randomUUID())),
      text: text ?? '',
      action,
    });
    res.json({ ...renderWebReply(reply, config.publicUrl), person: actor ? webPerson(actor) : null });
  });
  return {};
};
