import type { DirectoryRepository } from '../../core/directory.ts';
import { missingRequired } from '../../core/forms/engine.ts';
import {
  type Actor,
  authorOf,
  canEdit,
  canRead,
  canReview,
  collectivitesWith,
  isDeploymentAdmin,
} from '../../core/people.ts';
import type { Turn, TurnOutcome } from '../../core/routes.ts';
import type { Choice, Reply } from '../../core/types.ts';
import { continueFiche, type FicheDeps, FORM_INTRO, openFiche, sessionKeyOf } from './conversation.ts';
import { runExportIntent } from './documents.ts';
import type { ExportIntent } from './export-intents.ts';
import { FICHE_FORM } from './form.ts';
import type { FicheIntent, FicheRef } from './intents.ts';
import { type Fiche, STATUS_LABELS } from './model.ts';
import { ficheChoice, ficheLine, ficheMarkdown, ficheName, historyText, readOnlyText } from './view.ts';

/** Fiche commands outside a form: start, resume, list, view, history, submit, review. */

export type FicheActionDeps = FicheDeps;

const reply = (text: string, extra: Partial<Reply> = {}): TurnOutcome => ({
  reply: { text, citations: [], aiGenerated: false, feedback: false, ...extra },
});

export const hasWordFile = (turn: Turn) =>
  turn.incoming.attachments?.some((file) => /\.docx$/i.test(file.name)) ?? false;

/** Who may add the person: the deployment's administrators, named. */
export async function noRightsText(directory: DirectoryRepository, what: string): Promise<string> {
  const admins = await directory.administrators();
  const names = admins.map((admin) =>
    admin.email ? `${admin.displayName} (${admin.email})` : admin.displayName,
  );
  const who = names.length > 0 ? names.join(', ') : 'l’administrateur de Boussole (commande `npm run admin`)';
  return `Pour ${what}, il faut être inscrit comme référent ou coordinateur d’une collectivité. Demandez à ${who} de vous ajouter. Vous pouvez toujours me poser vos questions de méthode.`;
}

/** Collectivités whose fiches the actor may read; every one for a deployment administrator. */
async function readableCollectiviteIds(actor: Actor, deps: FicheActionDeps): Promise<string[]> {
  if (isDeploymentAdmin(actor))
    return (await deps.repositories.directory.listCollectivites()).map((collectivite) => collectivite.id);
  return collectivitesWith(actor, ['referent', 'coordinateur', 'admin']).map(
    (collectivite) => collectivite.id,
  );
}

/** Finds the fiche a message names (by number, or by a button's id); asks when a number is ambiguous. */
async function resolveFiche(
  actor: Actor,
  ref: FicheRef | undefined,
  deps: FicheActionDeps,
  verb: string,
): Promise<{ fiche: Fiche } | { outcome: TurnOutcome }> {
  if (ref && 'id' in ref) {
    const fiche = await deps.repositories.fiches.get(ref.id);
    if (fiche && canRead(actor, fiche.collectivite.id)) return { fiche };
    return { outcome: reply('Je ne trouve pas cette fiche parmi celles que vous pouvez consulter.') };
  }
  const collectiviteIds = await readableCollectiviteIds(actor, deps);
  const fiches = await deps.repositories.fiches.list({ collectiviteIds });
  const matching = ref ? fiches.filter((fiche) => fiche.number === ref.number) : fiches;
  if (matching.length === 1) return { fiche: matching[0]! };
  if (matching.length === 0) {
    return {
      outcome: reply(
        ref
          ? `Je ne trouve pas de fiche n° ${ref.number} parmi celles que vous pouvez consulter. Dites *mes fiches* pour la liste.`
          : 'Vous n’avez encore aucune fiche-action. Dites *nouvelle fiche-action* pour en commencer une.',
      ),
    };
  }
  const choices = matching
    .slice(0, 10)
    .map((fiche) =>
      ficheChoice(
        `n° ${fiche.number} · ${fiche.title.slice(0, 40)} (${fiche.collectivite.name})`,
        verb,
        fiche.id,
      ),
    );
  return { outcome: reply('Laquelle ?', { choices }) };
}

async function startNew(
  turn: Turn,
  actor: Actor,
  intent: Extract<FicheIntent, { kind: 'new' }>,
  deps: FicheActionDeps,
): Promise<TurnOutcome> {
  const editable = isDeploymentAdmin(actor)
    ? await deps.repositories.directory.listCollectivites()
    : collectivitesWith(actor, ['referent']);
  if (editable.length === 0)
    return reply(await noRightsText(deps.repositories.directory, 'rédiger une fiche-action'));
  const chosen = intent.collectiviteId
    ? editable.find((collectivite) => collectivite.id === intent.collectiviteId)
    : editable.length === 1
      ? editable[0]
      : undefined;
  if (!chosen) {
    const choices = editable
      .slice(0, 12)
      .map((collectivite) => ficheChoice(collectivite.name, 'new', collectivite.id));
    const again = hasWordFile(turn) ? ' Choisissez-la, puis renvoyez le fichier Word.' : '';
    return reply(`Pour quelle collectivité rédigez-vous cette fiche-action ?${again}`, { choices });
  }
  const opened = await openFiche(
    turn,
    actor,
    deps,
    { collectivite: { id: chosen.id, name: chosen.name }, title: intent.title },
    [`Nouvelle fiche-action pour *${chosen.name}*. ${FORM_INTRO}`],
  );
  // A Word fiche sent to start: read it into a proposal right away.
  if (!hasWordFile(turn)) return opened;
  const session = await deps.repositories.formSessions.find(sessionKeyOf(turn));
  return session ? continueFiche(turn, session, actor, deps) : opened;
}

async function resume(
  turn: Turn,
  actor: Actor,
  ref: FicheRef | undefined,
  deps: FicheActionDeps,
): Promise<TurnOutcome> {
  if (!ref) {
    const editable = collectivitesWith(actor, ['referent']).map((collectivite) => collectivite.id);
    const drafts = await deps.repositories.fiches.list({
      collectiviteIds: editable,
      statuses: ['brouillon', 'a_revoir'],
    });
    if (drafts.length === 0)
      return reply(
        'Vous n’avez aucun brouillon en cours. Dites *nouvelle fiche-action* pour en commencer un.',
      );
    if (drafts.length > 1) {
      const choices = drafts
        .slice(0, 10)
        .map((fiche) => ficheChoice(`n° ${fiche.number} · ${fiche.title.slice(0, 50)}`, 'resume', fiche.id));
      return reply(
        [
          'Quel brouillon reprendre ?',
          ...drafts.slice(0, 10).map((fiche) => ficheLine(fiche, editable.length > 1)),
        ].join('\n'),
        { choices },
      );
    }
    ref = { id: drafts[0]!.id };
  }
  const found = await resolveFiche(actor, ref, deps, 'resume');
  if ('outcome' in found) return found.outcome;
  const { fiche } = found;
  if (!canEdit(actor, fiche.collectivite.id)) return reply(readOnlyText(fiche));
  const intro = [`On reprend la ${ficheName(fiche)} (${STATUS_LABELS[fiche.status]}).`];
  if (fiche.status === 'a_revoir') {
    const comments = await deps.repositories.fiches.comments(fiche.id);
    const last = comments[comments.length - 1];
    if (last) intro.push(`Demande de la coordination (${last.author.name}) : « ${last.text} »`);
  }
  if (fiche.status === 'soumise' || fiche.status === 'validee') {
    intro.push(`Elle est ${STATUS_LABELS[fiche.status]} : la modifier la repassera en brouillon.`);
  }
  return openFiche(turn, actor, deps, { fiche }, intro);
}

async function list(actor: Actor, deps: FicheActionDeps): Promise<TurnOutcome> {
  const collectiviteIds = await readableCollectiviteIds(actor, deps);
  if (collectiviteIds.length === 0)
    return reply(await noRightsText(deps.repositories.directory, 'consulter des fiches-actions'));
  const fiches = await deps.repositories.fiches.list({ collectiviteIds });
  if (fiches.length === 0)
    return reply('Aucune fiche-action pour l’instant. Dites *nouvelle fiche-action* pour en commencer une.');
  const reviewer = collectivitesWith(actor, ['coordinateur']).length > 0 || isDeploymentAdmin(actor);
  // Coordinators see what waits for them first; référents their drafts.
  const order = reviewer
    ? ['soumise', 'a_revoir', 'brouillon', 'validee']
    : ['a_revoir', 'brouillon', 'soumise', 'validee'];
  const sorted = [...fiches].sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
  const several = new Set(fiches.map((fiche) => fiche.collectivite.id)).size > 1;
  const shown = sorted.slice(0, 20);
  const choices: Choice[] = shown
    .slice(0, 5)
    .map((fiche) =>
      canEdit(actor, fiche.collectivite.id) && fiche.status !== 'validee'
        ? ficheChoice(`Reprendre n° ${fiche.number}`, 'resume', fiche.id)
        : ficheChoice(`Voir n° ${fiche.number}`, 'view', fiche.id),
    );
  const more = sorted.length > shown.length ? [`… et ${sorted.length - shown.length} autres.`] : [];
  return reply(
    [
      `*Fiches-actions* (${fiches.length}) :`,
      ...shown.map((fiche) => ficheLine(fiche, several)),
      ...more,
    ].join('\n'),
    { choices },
  );
}

async function show(actor: Actor, ref: FicheRef | undefined, deps: FicheActionDeps): Promise<TurnOutcome> {
  const found = await resolveFiche(actor, ref, deps, 'view');
  if ('outcome' in found) return found.outcome;
  const { fiche } = found;
  const comments = await deps.repositories.fiches.comments(fiche.id);
  const choices: Choice[] = [
    ficheChoice('Word', 'docx', fiche.id),
    ficheChoice('Markdown', 'md', fiche.id),
    ficheChoice('Historique', 'history', fiche.id),
  ];
  if (canEdit(actor, fiche.collectivite.id)) choices.unshift(ficheChoice('Modifier', 'resume', fiche.id));
  if (canReview(actor, fiche.collectivite.id) && fiche.status === 'soumise') {
    choices.push(
      ficheChoice('Valider', 'validate', fiche.id, 'primary'),
      ficheChoice('Demander des modifications', 'request_changes', fiche.id),
    );
  }
  return reply(ficheMarkdown(fiche, comments), { choices });
}

async function history(actor: Actor, ref: FicheRef | undefined, deps: FicheActionDeps): Promise<TurnOutcome> {
  const found = await resolveFiche(actor, ref, deps, 'history');
  if ('outcome' in found) return found.outcome;
  const versions = await deps.repositories.fiches.history(found.fiche.id);
  return reply(
    `*Historique de la ${ficheName(found.fiche)}* (${versions.length} versions) :\n${historyText(versions)}`,
  );
}

async function changeStatus(
  actor: Actor,
  intent: Extract<FicheIntent, { kind: 'submit' | 'validate' | 'request_changes' | 'comment' }>,
  deps: FicheActionDeps,
): Promise<TurnOutcome> {
  const found = await resolveFiche(actor, intent.ref, deps, intent.kind);
  if ('outcome' in found) return found.outcome;
  const { fiche } = found;
  const author = authorOf(actor);
  const comment = 'comment' in intent ? intent.comment : undefined;
  if (intent.kind === 'comment') {
    if (!canRead(actor, fiche.collectivite.id)) return reply('Vous ne pouvez pas commenter cette fiche.');
    if (!comment)
      return reply(
        `Écrivez votre commentaire après deux-points, par exemple : « commenter la fiche ${fiche.number} : préciser les lieux ».`,
      );
    await deps.repositories.fiches.comment(fiche.id, author, comment);
    return reply(`Commentaire ajouté à la ${ficheName(fiche)}.`);
  }
  const transition = {
    submit: {
      allowed: canEdit(actor, fiche.collectivite.id),
      from: ['brouillon', 'a_revoir'],
      to: 'soumise' as const,
    },
    validate: { allowed: canReview(actor, fiche.collectivite.id), from: ['soumise'], to: 'validee' as const },
    request_changes: {
      allowed: canReview(actor, fiche.collectivite.id),
      from: ['soumise', 'validee'],
      to: 'a_revoir' as const,
    },
  }[intent.kind];
  if (!transition.allowed) {
    return reply(
      intent.kind === 'submit'
        ? `Seuls les référents de ${fiche.collectivite.name} soumettent ses fiches.`
        : `Seuls les coordinateurs qui suivent ${fiche.collectivite.name} valident ou renvoient ses fiches.`,
    );
  }
  if (!transition.from.includes(fiche.status)) {
    return reply(
      `La ${ficheName(fiche)} est ${STATUS_LABELS[fiche.status]} : impossible de la ${{ submit: 'soumettre', validate: 'valider', request_changes: 'renvoyer' }[intent.kind]} maintenant.`,
    );
  }
  if (intent.kind === 'submit') {
    const missing = missingRequired(FICHE_FORM, fiche.values);
    if (missing.length > 0) {
      return reply(
        `Avant de soumettre la ${ficheName(fiche)}, il reste à remplir : ${missing.map((field) => field.label.toLowerCase()).join(', ')}.`,
        {
          choices: [ficheChoice('Reprendre la fiche', 'resume', fiche.id, 'primary')],
        },
      );
    }
  }
  if (intent.kind === 'request_changes' && !comment) {
    return reply(
      `Dites ce qui est à revoir après deux-points, par exemple : « à revoir fiche ${fiche.number} : préciser les indicateurs de résultat ».`,
    );
  }
  const result = await deps.repositories.fiches.commit({
    ficheId: fiche.id,
    expectedVersion: fiche.version,
    values: fiche.values,
    changes: [],
    author,
    status: transition.to,
    note: comment,
  });
  if (!result.ok)
    return reply(
      `La ${ficheName(fiche)} vient d’être modifiée par quelqu’un d’autre : regardez-la (*voir la fiche ${fiche.number}*) puis recommencez.`,
    );
  if (comment) await deps.repositories.fiches.comment(fiche.id, author, comment);
  const done = {
    submit: `La ${ficheName(fiche)} est soumise à la coordination. Vous serez prévenu de sa validation ou des modifications demandées.`,
    validate: `La ${ficheName(fiche)} est validée. Elle pourra figurer dans la convention de partenariat.`,
    request_changes: `La ${ficheName(fiche)} est renvoyée « à revoir » avec votre commentaire ; ses référents le verront en la reprenant.`,
  }[intent.kind];
  return reply(done);
}

/** Runs one fiche command for a person (undefined when unknown: they get who can add them). */
export async function runFicheIntent(
  turn: Turn,
  actor: Actor | undefined,
  intent: FicheIntent | ExportIntent,
  deps: FicheActionDeps,
): Promise<TurnOutcome> {
  if (!actor)
    return reply(
      await noRightsText(
        deps.repositories.directory,
        intent.kind === 'new' ? 'rédiger une fiche-action' : 'consulter des fiches-actions',
      ),
    );
  switch (intent.kind) {
    case 'new':
      return startNew(turn, actor, intent, deps);
    case 'resume':
      return resume(turn, actor, intent.ref, deps);
    case 'list':
      return list(actor, deps);
    case 'view':
      return show(actor, intent.ref, deps);
    case 'history':
      return history(actor, intent.ref, deps);
    case 'export':
    case 'convention':
      return runExportIntent(turn, actor, intent, deps, (ref) =>
        resolveFiche(actor, ref, deps, intent.kind === 'export' ? intent.format : 'view'),
      );
    default:
      return changeStatus(actor, intent, deps);
  }
}
