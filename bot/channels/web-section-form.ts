import { randomUUID } from 'node:crypto';
import express, { type Express, type Response } from 'express';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Core, FormSender } from '../core/core.ts';
import type { Actor } from '../core/people.ts';
import { renderWebReply } from './web-render.ts';
import type { WebSessions } from './web-session.ts';
import { FOREIGN_ORIGIN, isSameOrigin } from './web-sign-in.ts';

/**
 * A recap section edited in an inline web form: GET /api/form describes it, POST /api/form submits it. Both
 * act for the person of the session cookie only; the page draws every string with textContent.
 */

const ids = {
  conversationId: z.string().trim().min(1).max(100),
  userId: z.string().trim().min(1).max(100),
  ref: z.string().min(1).max(500),
};
const openRequest = z.object(ids);
const submitRequest = z.object({
  ...ids,
  values: z.record(
    z.string().max(100),
    z.union([z.string().max(20_000), z.array(z.string().max(200)).max(50)]),
  ),
});

const BAD_REQUEST = 'Requête invalide : il faut la conversation, le formulaire et ses valeurs.';

/** Who speaks in the web chat: the session's person, else a visitor known only by the browser's id. */
export function webSender(
  actor: Actor | undefined,
  ids: { conversationId: string; userId: string },
  requestId: string,
): FormSender {
  return {
    channel: 'web',
    workspaceId: 'local',
    conversationId: ids.conversationId,
    threadId: ids.conversationId,
    // A signed-in person's forms and answers are theirs whatever browser id is sent; the prefixes keep a
    // visitor's chosen id from ever naming a person.
    userId: actor ? `personne:${actor.personId}` : `visiteur:${ids.userId}`,
    userName: actor?.displayName,
    verifiedPersonId: actor?.personId,
    isDirect: true,
    requestId,
  };
}

export function mountSectionForms(
  app: Express,
  deps: { core: Core; config: Pick<Config, 'publicUrl'>; sessions: WebSessions },
): void {
  const { core, config, sessions } = deps;

  async function senderFor(
    req: express.Request,
    res: Response,
    given: { conversationId: string; userId: string },
  ): Promise<FormSender> {
    const session = await sessions.fromCookieHeader(req.get('cookie'));
    if (session.clearCookie) res.append('Set-Cookie', sessions.closeCookie);
    return webSender(session.actor, given, String(res.locals.requestId ?? randomUUID()));
  }

  app.get('/api/form', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const parsed = openRequest.safeParse(req.query);
    if (!parsed.success) {
      res.status(400).json({ error: BAD_REQUEST });
      return;
    }
    const opened = await core.openForm(await senderFor(req, res, parsed.data), parsed.data.ref);
    if (opened.ok) res.json({ form: opened.form });
    else res.status(403).json({ error: opened.message });
  });

  app.post('/api/form', express.json({ limit: '1mb' }), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    if (!isSameOrigin(req, config.publicUrl)) {
      res.status(403).json({ error: FOREIGN_ORIGIN });
      return;
    }
    const parsed = submitRequest.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: BAD_REQUEST });
      return;
    }
    const { ref, values } = parsed.data;
    const result = await core.submitForm(await senderFor(req, res, parsed.data), ref, values);
    switch (result.kind) {
      case 'saved':
        res.json({ status: 'saved', reply: renderWebReply(result.reply, config.publicUrl) });
        return;
      case 'invalid':
        res.status(422).json({ status: 'invalid', errors: result.errors, form: result.form });
        return;
      case 'conflict':
        res.status(409).json({ status: 'conflict', message: result.message, form: result.form });
        return;
      case 'refused':
        res.status(403).json({ status: 'refused', error: result.message });
    }
  });
}
