import type { Request, Response } from 'express';
import { parisDay } from '../core/calendar.ts';
import { formatDate } from '../core/french/format.ts';
import { type Actor, canRead } from '../core/people.ts';
import { periodLabel } from '../documents/dashboard/suivi-sheet.ts';
import { isLate, PHASES, SUIVI_QUESTIONS, TASK_STATE_LABELS } from '../features/dashboard/model.ts';
import { buildDigest } from '../features/digest/build.ts';
import { digestDeps, digestPagePath, RECORD_PATHS } from '../features/digest/deps.ts';
import type { Digest } from '../features/digest/model.ts';
import { digestOutline } from '../features/digest/view.ts';
import { isoWeekOf, nextWeek, parseIsoWeek, previousWeek } from '../features/digest/weeks.ts';
import { ficheMarkdown } from '../features/fiches/view.ts';
import { escapeHtml, htmlPage } from '../viewer/html.ts';
import type { MountChannel } from './channel.ts';
import { markdownHtml } from './web-render.ts';
import { createWebSessions } from './web-session.ts';

/**
 * The digest on the web (GET /digest, /digest/2026-W48) and the pages its items link to (/fiches/:id,
 * /taches/:id, /suivis/:id): read-only HTML for people signed in to the web chat, every text escaped.
 */

function page(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .set({ 'Cache-Control': 'private, no-store', 'X-Robots-Tag': 'noindex' })
    .type('html')
    .send(
      htmlPage({
        title: `${title} – Boussole`,
        body: `<header class="page-header"><p class="breadcrumb"><a href="/">Boussole</a> › <a href="/digest">Digest</a></p>
<h1>${escapeHtml(title)}</h1></header>
<main class="source-body">${body}</main>`,
      }),
    );
}

const message = (res: Response, status: number, title: string, text: string) =>
  page(res, status, title, `<p>${escapeHtml(text)}</p><p><a href="/">Revenir à l’assistant</a></p>`);

const SIGN_IN =
  'Cette page est réservée aux personnes connectées : ouvrez le lien personnel de connexion que l’administrateur vous a envoyé, puis revenez sur ce lien.';
const NOT_FOUND = 'Introuvable parmi ce que vous pouvez consulter.';

export function digestHtml(digest: Digest): string {
  const outline = digestOutline(digest);
  const link = (text: string, url?: string) =>
    url ? `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>` : escapeHtml(text);
  const parts = [`<p>${escapeHtml(outline.intro)}</p>`];
  for (const url of digest.charts) {
    parts.push(
      `<p><img src="${escapeHtml(url)}" alt="Avancement des tâches par collectivité" width="640"></p>`,
    );
  }
  for (const section of [...outline.sections, ...(outline.knowledge ? [outline.knowledge] : [])]) {
    parts.push(
      `<section><h2>${escapeHtml(section.title)}</h2><p class="help">${escapeHtml(section.summary)}</p>`,
    );
    if (section.empty) parts.push(`<p>${escapeHtml(section.empty)}</p>`);
    for (const group of section.groups) {
      const items = group.items.map((item) => `<li>${link(item.text, item.url)}</li>`).join('');
      parts.push(`<h3>${escapeHtml(group.label)}</h3><ul>${items}</ul>`);
    }
    parts.push('</section>');
  }
  return parts.join('\n');
}

const row = (label: string, value: string | undefined) =>
  `<li><strong>${escapeHtml(label)}</strong> : ${escapeHtml(value || '—')}</li>`;

export const mountWebDigest: MountChannel = async (app, { config, repositories }) => {
  const sessions = createWebSessions({ config, repositories });
  const deps = digestDeps(repositories, config.publicUrl);

  /** The signed-in person, or a page asking to sign in. */
  async function signedIn(req: Request, res: Response): Promise<Actor | undefined> {
    const session = await sessions.fromCookieHeader(req.get('cookie'));
    if (session.clearCookie) res.append('Set-Cookie', sessions.closeCookie);
    if (!session.actor) message(res, 401, 'Connexion nécessaire', SIGN_IN);
    return session.actor;
  }

  app.get(['/digest', '/digest/:week'], async (req, res, next) => {
    try {
      const now = new Date();
      const asked = req.params.week as string | undefined;
      const week = asked === undefined ? previousWeek(isoWeekOf(now)) : parseIsoWeek(asked);
      if (!week) {
        message(res, 404, 'Semaine inconnue', 'Indiquez une semaine comme « 2026-W48 ».');
        return;
      }
      const actor = await signedIn(req, res);
      if (!actor) return;
      const digest = await buildDigest(deps, { personId: actor.personId, week, now });
      if (!digest) {
        message(
          res,
          200,
          'Digest hebdomadaire',
          'Vous ne suivez aucune collectivité : pas de digest pour vous.',
        );
        return;
      }
      const nav = `<nav><p><a href="${digestPagePath(previousWeek(week))}">← Semaine précédente</a>${
        week < previousWeek(isoWeekOf(now))
          ? ` · <a href="${digestPagePath(nextWeek(week))}">Semaine suivante →</a>`
          : ''
      }</p></nav>`;
      page(res, 200, digestOutline(digest).title, `${digestHtml(digest)}\n${nav}`);
    } catch (error) {
      next(error);
    }
  });

  app.get(`/${RECORD_PATHS.fiche}/:id`, async (req, res, next) => {
    try {
      const actor = await signedIn(req, res);
      if (!actor) return;
      const fiche = await repositories.fiches.get(req.params.id);
      if (!fiche || !canRead(actor, fiche.collectivite.id)) {
        message(res, 404, 'Fiche introuvable', NOT_FOUND);
        return;
      }
      const markdown = ficheMarkdown(fiche, await repositories.fiches.comments(fiche.id));
      page(res, 200, `Fiche-action n° ${fiche.number}`, markdownHtml(markdown));
    } catch (error) {
      next(error);
    }
  });

  app.get(`/${RECORD_PATHS.task}/:id`, async (req, res, next) => {
    try {
      const actor = await signedIn(req, res);
      if (!actor) return;
      const task = await repositories.tasks.get(req.params.id);
      if (!task || !canRead(actor, task.collectivite.id)) {
        message(res, 404, 'Tâche introuvable', NOT_FOUND);
        return;
      }
      const v = task.values;
      const late = isLate(v, parisDay(new Date())) ? ' (en retard)' : '';
      const rows = [
        row('Collectivité', task.collectivite.name),
        row('Phase', PHASES.find((phase) => phase.id === v.phase)?.label),
        row('Responsable', v.responsable?.nom),
        row('Début', v.debut && formatDate(v.debut)),
        row('Fin', v.fin && formatDate(v.fin)),
        row('État', `${TASK_STATE_LABELS[v.etat]}${late}`),
        row('Livrables', v.livrables),
      ];
      page(res, 200, `Tâche n° ${task.number} « ${v.intitule} »`, `<ul>${rows.join('')}</ul>`);
    } catch (error) {
      next(error);
    }
  });

  app.get(`/${RECORD_PATHS.suivi}/:id`, async (req, res, next) => {
    try {
      const actor = await signedIn(req, res);
      if (!actor) return;
      const suivi = await repositories.suivis.get(req.params.id);
      if (!suivi || !canRead(actor, suivi.collectivite.id)) {
        message(res, 404, 'Suivi introuvable', NOT_FOUND);
        return;
      }
      const fiche = await repositories.fiches.get(suivi.ficheId);
      const answers = Object.entries(SUIVI_QUESTIONS).map(([id, question]) => {
        const value = suivi.values[id];
        return row(question, typeof value === 'string' ? value.replace('en_partie', 'en partie') : undefined);
      });
      const rows = [
        row('Collectivité', suivi.collectivite.name),
        row('Fiche-action', fiche ? `n° ${fiche.number} « ${fiche.title} »` : undefined),
        row('Statut', suivi.status === 'soumis' ? 'remis' : 'brouillon'),
        ...answers,
      ];
      page(res, 200, `Suivi ${periodLabel(suivi.period)}`, `<ul>${rows.join('')}</ul>`);
    } catch (error) {
      next(error);
    }
  });
  return {};
};
