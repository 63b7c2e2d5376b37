import type { Actor } from '../../core/people.ts';
import { canRead, collectivitesWith, isDeploymentAdmin } from '../../core/people.ts';
import type { Turn, TurnOutcome } from '../../core/routes.ts';
import type { Reply } from '../../core/types.ts';
import { documentLink } from '../../documents/links.ts';
import type { FicheDeps } from './conversation.ts';
import type { ExportIntent } from './export-intents.ts';
import { draftConvention, exportFiche, findProgramme } from './exports.ts';
import type { FicheRef } from './intents.ts';
import type { Fiche } from './model.ts';
import { FICHE_ACTION, ficheName, formatWhen } from './view.ts';

/** « exporter la fiche 7 en Word », « rédige la convention »: documents sent as signed, expiring links. */

const LINK_SECRET = 'document-links';

const reply = (text: string, extra: Partial<Reply> = {}): TurnOutcome => ({
  reply: { text, citations: [], aiGenerated: false, feedback: false, ...extra },
});

/** A document as a signed, expiring link (the tableau de bord's exports use it too). */
export async function link(
  deps: Pick<FicheDeps, 'repositories' | 'publicUrl' | 'clock'>,
  ref: Parameters<typeof documentLink>[1],
  file: { fileName: string; contentType: string },
) {
  const secret = await deps.repositories.settings.getOrCreateSecret(LINK_SECRET);
  const { url, expiresAt } = documentLink(deps.publicUrl, ref, secret, { now: deps.clock() });
  return { ...file, url, expiresAt };
}

/** The signing secret of document links, for the server's download route. */
export const documentLinkSecret = (deps: Pick<FicheDeps, 'repositories'>) =>
  deps.repositories.settings.getOrCreateSecret(LINK_SECRET);

async function exportOne(fiche: Fiche, format: 'docx' | 'md', deps: FicheDeps): Promise<TurnOutcome> {
  const file = await exportFiche(fiche, format);
  const sent = await link(deps, { kind: 'fiche', ficheId: fiche.id, format }, file);
  const what =
    format === 'docx'
      ? 'en Word, mise en page comme le tableau de l’article 2 de la convention'
      : 'en Markdown';
  return reply(
    `Voici la ${ficheName(fiche)} ${what} : [${file.fileName}](${sent.url})\n_Lien personnel valable jusqu’au ${formatWhen(sent.expiresAt)} ; le document est refait à partir de la fiche à chaque téléchargement._`,
    { files: [sent] },
  );
}

async function convention(
  actor: Actor,
  programme: string | undefined,
  deps: FicheDeps,
): Promise<TurnOutcome> {
  const ids = isDeploymentAdmin(actor)
    ? (await deps.repositories.directory.listCollectivites()).map((collectivite) => collectivite.id)
    : collectivitesWith(actor, ['referent', 'coordinateur', 'admin']).map((collectivite) => collectivite.id);
  const fiches = await deps.repositories.fiches.list({ collectiviteIds: ids });
  const chosen = findProgramme(fiches, programme);
  if (!chosen.ok) {
    const choices = chosen.choices.slice(0, 8).map((name) => ({
      label: name.slice(0, 70),
      actionId: FICHE_ACTION,
      value: `convention:${name}`,
    }));
    return reply(chosen.message, { choices });
  }
  const ofProgramme = fiches.find(
    (fiche) => fiche.programme === chosen.programme && fiche.status === 'validee',
  );
  const collectiviteFiches = fiches.filter((fiche) => fiche.collectivite.id === ofProgramme?.collectivite.id);
  const draft = await draftConvention(collectiviteFiches, chosen.programme, { now: deps.clock() });
  if (!draft.ok) return reply(draft.message);
  const sent = await link(
    deps,
    { kind: 'convention', collectiviteId: ofProgramme!.collectivite.id, programme: chosen.programme },
    draft.file,
  );
  const pending = draft.pending.length
    ? `\n${draft.pending.length} fiche(s) du programme ne sont pas encore validées et n’y figurent pas : ${draft.pending.map((fiche) => `n° ${fiche.number}`).join(', ')}.`
    : '';
  return reply(
    `Projet de convention de partenariat « ${chosen.programme} » : ${draft.actions} action(s), un tableau de l’article 2 par action, à compléter et relire par la coordination : [${draft.file.fileName}](${sent.url})${pending}\n_Lien valable jusqu’au ${formatWhen(sent.expiresAt)}._`,
    { files: [sent] },
  );
}

export async function runExportIntent(
  turn: Turn,
  actor: Actor,
  intent: ExportIntent,
  deps: FicheDeps,
  resolve: (ref: FicheRef | undefined) => Promise<{ fiche: Fiche } | { outcome: TurnOutcome }>,
): Promise<TurnOutcome> {
  if (intent.kind === 'convention') return convention(actor, intent.programme, deps);
  // Without a number, the fiche open in this conversation.
  const ref = intent.ref ?? (turn.session?.recordId ? { id: turn.session.recordId } : undefined);
  const found = await resolve(ref);
  if ('outcome' in found) return found.outcome;
  if (!canRead(actor, found.fiche.collectivite.id))
    return reply('Je ne trouve pas cette fiche parmi celles que vous pouvez consulter.');
  return exportOne(found.fiche, intent.format, deps);
}
