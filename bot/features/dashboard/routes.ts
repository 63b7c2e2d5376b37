import type { Feature } from '../../core/feature.ts';
import type { FormSession } from '../../core/forms/sessions.ts';
import type { CoreServices } from '../../core/handle-turn.ts';
import type { Route, Turn, TurnOutcome } from '../../core/routes.ts';
import { noRightsText } from '../fiches/actions.ts';
import { continuePending, runDashboardIntent } from './actions.ts';
import { CONFIRM_FORM_ID } from './confirm-form.ts';
import { continueForm } from './conversation.ts';
import {
  DASHBOARD_ACTION,
  type DashboardButton,
  type DashboardIntent,
  looksLikeTask,
  parseButton,
  parseDashboardIntent,
} from './intents.ts';
import { SUIVI_FORM_ID } from './suivi-form.ts';
import { TASK_FORM_ID } from './task-form.ts';

type Intent = DashboardIntent | DashboardButton | { kind: 'free_task'; text: string };

/** With an LLM, a sentence stating something to do is read as a task too (after the fixed phrasings). */
function intentOf(turn: Turn, withLlm: boolean): Intent | undefined {
  const action = turn.incoming.action;
  if (action) return action.id === DASHBOARD_ACTION ? parseButton(action.value) : undefined;
  const intent = parseDashboardIntent(turn.text);
  if (intent || !withLlm || turn.session || !looksLikeTask(turn.text)) return intent;
  return { kind: 'free_task', text: turn.fullText };
}

/** The tableau de bord: its task and suivi forms, and its commands in conversation. */
export function dashboardFeature(deps: CoreServices): Feature {
  const withLlm = deps.extractor !== undefined;
  const intentRoute: Route = {
    name: 'dashboard',
    match: (turn) => intentOf(turn, withLlm) !== undefined,
    handle: (turn) => runDashboardIntent(turn, turn.actor, intentOf(turn, withLlm)!, deps),
  };
  /** `step`: how a message that is no command goes on in the open session. */
  const runForm =
    (step: typeof continueForm) =>
    async (turn: Turn, session: FormSession): Promise<TurnOutcome> => {
      // « tableau de bord », « mes tâches »… are never an answer to a question of the form.
      const intent = intentOf(turn, false);
      if (intent) return runDashboardIntent(turn, turn.actor, intent, deps);
      if (!turn.actor)
        return {
          reply: {
            text: await noRightsText(deps.repositories.directory, 'continuer ce formulaire'),
            citations: [],
            aiGenerated: false,
            feedback: false,
          },
        };
      return step(turn, session, turn.actor, deps);
    };
  return {
    name: 'dashboard',
    forms: {
      [TASK_FORM_ID]: runForm(continueForm),
      [SUIVI_FORM_ID]: runForm(continueForm),
      [CONFIRM_FORM_ID]: runForm(continuePending),
    },
    routes: [intentRoute],
  };
}
