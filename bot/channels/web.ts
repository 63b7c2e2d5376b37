import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { z } from 'zod';
import type { MountChannel } from './channel.ts';
import { renderWebReply } from './web-render.ts';

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

/** The local web chat: the page at /, its assets at /assets, and POST /api/chat into the core. */
export const mountWeb: MountChannel = async (app, { core, config }) => {
  app.get('/', (_req, res) => res.sendFile(path.join(WEB_DIR, 'index.html')));
  app.use('/assets', express.static(WEB_DIR, { index: false, maxAge: '1h' }));
  app.post('/api/chat', express.json({ limit: '1mb' }), async (req, res) => {
    const parsed = chatRequest.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({
        error: 'Requête invalide : il faut un identifiant de conversation et un texte ou une action.',
      });
      return;
    }
    const { conversationId, userId, text, action } = parsed.data;
    const reply = await core.handleTurn({
      channel: 'web',
      workspaceId: 'local',
      conversationId,
      threadId: conversationId,
      userId,
      text: text ?? '',
      action,
      isDirect: true,
      requestId: String(res.locals.requestId ?? randomUUID()),
    });
    res.json(renderWebReply(reply, config.publicUrl));
  });
  return {};
};
