import { ActionId } from '../../core/actions.ts';
import type { Feature } from '../../core/feature.ts';
import { parseFormRef } from '../../core/forms/native.ts';
import type { FormSession } from '../../core/forms/sessions.ts';
import type { Route, Turn, TurnOutcome } from '../../core/routes.ts';
import { type FicheActionDeps, hasWordFile, noRightsText, runFicheIntent } from './actions.ts';
import { continueFiche } from './conversation.ts';
import { type ExportIntent, parseExportIntent } from './export-intents.ts';
import { FICHE_FORM } from './form.ts';
import { type FicheIntent, intentOfAction, parseFicheIntent } from './intents.ts';
import { ficheSectionForms } from './section-edit.ts';
import { FICHE_ACTION } from './view.ts';

function intentOf(turn: Turn): FicheIntent | ExportIntent | undefined {
  const action = turn.incoming.action;
  if (action?.id === ActionId.EditSection) {
    // Sent as a message (no native form here): the open fiche handles it, else the fiche is resumed.
    const ref = parseFormRef(action.value);
    return ref && ref.recordId !== turn.session?.recordId
      ? { kind: 'resume', ref: { id: ref.recordId } }
      : undefined;
  }
  if (action) return action.id === FICHE_ACTION ? intentOfAction(action.value) : undefined;
  return (
    parseFicheIntent(turn.text) ??
    parseExportIntent(turn.text) ??
    // A Word fiche sent outside a form starts a new fiche from it.
    (hasWordFile(turn) && !turn.session ? { kind: 'new' } : undefined)
  );
}

/** The fiche-action feature: its form, and its commands in conversation. */
export function fichesFeature(deps: FicheActionDeps): Feature {
  const intentRoute: Route = {
    name: 'fiches',
    match: (turn) => intentOf(turn) !== undefined,
    handle: (turn) => runFicheIntent(turn, turn.actor, intentOf(turn)!, deps),
  };
  async function runForm(turn: Turn, session: FormSession): Promise<TurnOutcome> {
    // « mes fiches », « soumettre », « nouvelle fiche-action »… are never an answer to a field.
    const intent = intentOf(turn);
    if (intent) return runFicheIntent(turn, turn.actor, intent, deps);
    if (!turn.actor)
      return {
        reply: {
          text: await noRightsText(deps.repositories.directory, 'continuer cette fiche-action'),
          citations: [],
          aiGenerated: false,
          feedback: false,
        },
      };
    return continueFiche(turn, session, turn.actor, deps);
  }
  return {
    name: 'fiches',
    forms: { [FICHE_FORM.id]: runForm },
    routes: [intentRoute],
    nativeForms: { [FICHE_FORM.id]: ficheSectionForms(deps) },
  };
}
