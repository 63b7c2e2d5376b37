import express, { type Express, type Request, type Response } from 'express';
import { z } from 'zod';
import { DEMO_EMAIL_DOMAIN } from '../cli/admin-demo.ts';
import type { Config } from '../config.ts';
import { type Membership, ROLE_LABELS } from '../core/people.ts';
import type { Repositories } from '../core/ports.ts';
import { escapeHtml, htmlPage } from '../viewer/html.ts';
import type { WebSessions } from './web-session.ts';

/**
 * Signing in to the web chat: a personal link (`/connexion?jeton=…`) sets the session cookie; in
 * development, a picker over the demo people does the same; `/deconnexion` ends the session.
 */

export interface WebPerson {
  id: string;
  displayName: string;
  /** « référent · Commune de Démoville (démo) », « administrateur ». */
  roles: string[];
}

const rolesOf = (memberships: Membership[]) =>
  memberships.map((membership) =>
    membership.collectivite
      ? `${ROLE_LABELS[membership.role]} · ${membership.collectivite.name}`
      : ROLE_LABELS[membership.role],
  );

export const webPerson = (actor: { personId: string; displayName: string; memberships: Membership[] }) => ({
  id: actor.personId,
  displayName: actor.displayName,
  roles: rolesOf(actor.memberships),
});

/**
 * A browser sends Origin with every POST: one from another site is refused, so no other page can sign a
 * visitor in or out, or speak in their name (SameSite=Lax already keeps the cookie off cross-site posts).
 */
export function isSameOrigin(req: Request, publicUrl: string): boolean {
  const origin = req.get('origin');
  if (!origin) return true;
  try {
    const url = new URL(origin);
    return url.origin === new URL(publicUrl).origin || url.host === req.get('host');
  } catch {
    return false;
  }
}

export const FOREIGN_ORIGIN = 'Requête refusée : elle vient d’un autre site que Boussole.';

const LINK_PROBLEMS = {
  invalid: {
    status: 400,
    title: 'Lien de connexion invalide',
    text: 'Ce lien de connexion n’est pas valide : il a peut-être été coupé ou modifié en le copiant. Copiez-le en entier, ou demandez-en un nouveau.',
  },
  expired: {
    status: 410,
    title: 'Lien de connexion expiré',
    text: 'Ce lien de connexion a expiré. Demandez-en un nouveau.',
  },
  revoked: {
    status: 403,
    title: 'Accès retiré',
    text: 'Ce lien ne donne plus accès à Boussole : l’accès de la personne qu’il nomme a été retiré. Si c’est une erreur, demandez à être rétabli.',
  },
} as const;

async function problemPage(
  res: Response,
  problem: keyof typeof LINK_PROBLEMS,
  repositories: Pick<Repositories, 'directory'>,
): Promise<void> {
  const { status, title, text } = LINK_PROBLEMS[problem];
  const admins = await repositories.directory.administrators().catch(() => []);
  const who =
    admins.length > 0
      ? admins
          .map((admin) =>
            escapeHtml(admin.email ? `${admin.displayName} (${admin.email})` : admin.displayName),
          )
          .join(', ')
      : 'l’administrateur de Boussole';
  const body = `<main class="notice-page">
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(text)}</p>
<p>Un lien personnel se demande à ${who}, qui le crée avec <code>npm run admin -- invite &lt;adresse e-mail&gt;</code>.</p>
<p><a href="/">Aller au chat sans se connecter</a> : les questions de méthode restent possibles si ce déploiement les ouvre à tous.</p>
</main>`;
  res
    .status(status)
    .type('html')
    .send(htmlPage({ title: `${title} – Boussole`, body }));
}

const demoChoice = z.object({ personId: z.string().max(100).nullable() });

export function mountSignIn(
  app: Express,
  deps: { config: Config; repositories: Repositories; sessions: WebSessions },
): void {
  const { config, repositories, sessions } = deps;

  app.get('/connexion', async (req, res) => {
    // The token must not leak through the Referer of the next page, nor be cached.
    res.set({ 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
    const token = typeof req.query.jeton === 'string' ? req.query.jeton : '';
    const result = token ? await sessions.checkLink(token) : ({ ok: false, reason: 'invalid' } as const);
    res.locals.log?.info(
      result.ok ? { personId: result.actor.personId } : { refused: result.reason },
      'connexion au chat web par lien personnel',
    );
    if (!result.ok) {
      res.append('Set-Cookie', sessions.closeCookie);
      await problemPage(res, result.reason, repositories);
      return;
    }
    res.append('Set-Cookie', await sessions.openCookie(result.actor.personId));
    res.redirect(303, '/');
  });

  app.post('/deconnexion', (req, res) => {
    if (!isSameOrigin(req, config.publicUrl)) {
      res.status(403).json({ error: FOREIGN_ORIGIN });
      return;
    }
    res.append('Set-Cookie', sessions.closeCookie);
    res.redirect(303, '/');
  });

  /** What the page needs to draw its header: who is signed in, whether visitors may ask, the demo people. */
  app.get('/api/session', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const session = await sessions.fromCookieHeader(req.get('cookie'));
    if (session.clearCookie) res.append('Set-Cookie', sessions.closeCookie);
    const demo = config.web.demoPicker
      ? {
          people: (await repositories.directory.listPeople())
            .filter((person) => !person.deactivatedAt && isDemoAddress(person.email))
            .map((person) => webPerson({ ...person, personId: person.id })),
        }
      : undefined;
    res.json({
      person: session.actor ? webPerson(session.actor) : null,
      questions: config.web.questions,
      ...(demo ? { demo } : {}),
    });
  });

  app.post('/api/session/demo', express.json({ limit: '10kb' }), async (req, res) => {
    if (!config.web.demoPicker) {
      res
        .status(404)
        .json({ error: 'Le choix d’une personne de démonstration n’existe qu’en développement.' });
      return;
    }
    if (!isSameOrigin(req, config.publicUrl)) {
      res.status(403).json({ error: FOREIGN_ORIGIN });
      return;
    }
    const parsed = demoChoice.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: 'Requête invalide : il faut personId (ou null pour se déconnecter).' });
      return;
    }
    const { personId } = parsed.data;
    if (!personId) {
      res.append('Set-Cookie', sessions.closeCookie).json({ person: null });
      return;
    }
    const actor = await repositories.directory.actorByPerson(personId);
    if (!actor || !isDemoAddress(actor.email)) {
      res.status(403).json({
        error: `Seules les personnes de démonstration (adresses @${DEMO_EMAIL_DOMAIN}, créées par npm run admin -- demo) se choisissent ici ; les autres se connectent avec leur lien personnel.`,
      });
      return;
    }
    res.append('Set-Cookie', await sessions.openCookie(actor.personId)).json({ person: webPerson(actor) });
  });
}

/**
 * Only the fictitious people can be picked: a development server reachable by mistake must not let anyone
 * act as a real person.
 */
const isDemoAddress = (email: string | undefined) =>
  email?.toLowerCase().endsWith(`@${DEMO_EMAIL_DOMAIN}`) ?? false;
