import { parisDay } from '../../core/calendar.ts';
import {
  acceptValues,
  askAgain,
  COMMAND_VALUE,
  changesBetween,
  fieldOf,
  hasValue,
  readValue,
  startForm,
  stepForm,
} from '../../core/forms/engine.ts';
import type { Proposal } from '../../core/forms/extraction.ts';
import { answerThenResume, FORM_ACTION, renderFormMessages } from '../../core/forms/render.ts';
import type { FormSession, FormSessionKey } from '../../core/forms/sessions.ts';
import type {
  FieldContext,
  FieldOption,
  FormDef,
  FormInput,
  FormValues,
  StepResult,
} from '../../core/forms/types.ts';
import type { CoreServices } from '../../core/handle-turn.ts';
import { type Actor, authorOf, canEdit } from '../../core/people.ts';
import type { TransactionalRepositories } from '../../core/ports.ts';
import type { Turn, TurnOutcome } from '../../core/routes.ts';
import type { Choice, Reply } from '../../core/types.ts';
import type { Fiche } from '../fiches/model.ts';
import { proposalDecision, proposalReply } from '../fiches/prefill.ts';
import type { Suivi, SuiviKind, Task, TaskValues } from './model.ts';
import { SUIVI_FORM_ID, suiviForm } from './suivi-form.ts';
import { TASK_FORM_ID, type TaskLookups, taskForm } from './task-form.ts';
import { dashboardChoice, formCard, periodName, stateText, taskName } from './view.ts';

/**
 * The task and suivi forms in a conversation, on the form engine: each message is one engine step whose
 * record version and session are saved together. A task is created once it has its intitulé and phase; a
 * suivi exists from its opening (one per action and period, a second opening edits it).
 */

export type DashboardDeps = Pick<
  CoreServices,
  'repositories' | 'clock' | 'publicUrl' | 'askKnowledge' | 'extractor'
>;

const SESSION_TTL_MS = 30 * 24 * 3_600_000;
const MAX_ATTEMPTS = 3;

/** A lost race on the session or the record: the turn runs again on fresh state. */
class Race extends Error {}

/** The action of an open suivi was abandoned meanwhile. */
class FicheGone extends Error {}

interface TaskContext {
  kind: 'task';
  collectivite: { id: string; name: string };
  startVersion?: number;
  /** A task read by the LLM from a free sentence, shown and kept here until accepted or ignored. */
  proposal?: Proposal;
}

interface SuiviContext {
  kind: 'suivi';
  collectivite: { id: string; name: string };
  ficheId: string;
  period: string;
  suiviKind: SuiviKind;
  startVersion?: number;
}

type SessionContext = TaskContext | SuiviContext;

export const plain = (text: string, extra: Partial<Reply> = {}): TurnOutcome => ({
  reply: { text, citations: [], aiGenerated: false, feedback: false, ...extra },
});

export function sessionKeyOf(turn: Turn): FormSessionKey {
  const { channel, workspaceId, conversationId, threadId, userId } = turn.incoming;
  return { channel, workspaceId, conversationId, threadKey: threadId ?? '', userKey: userId };
}

/** The collectivité's people, fiches and tasks, as the task form's buttons. */
export async function taskLookups(
  deps: DashboardDeps,
  collectiviteId: string,
  exceptTaskId?: string,
): Promise<TaskLookups> {
  const [people, fiches, tasks] = await Promise.all([
    deps.repositories.directory.listPeople(),
    deps.repositories.fiches.list({ collectiviteIds: [collectiviteId] }),
    deps.repositories.tasks.list({ collectiviteIds: [collectiviteId] }),
  ]);
  const option = (id: string, label: string): FieldOption => ({ id, label });
  return {
    people: people
      .filter(
        (person) =>
          !person.deactivatedAt &&
          person.memberships.some((membership) => membership.collectivite?.id === collectiviteId),
      )
      .map((person) => option(person.id, person.displayName)),
    fiches: fiches.map((fiche) => option(fiche.id, `n° ${fiche.number} · ${fiche.title}`)),
    tasks: tasks
      .filter((task) => task.id !== exceptTaskId)
      .map((task) => option(task.id, `n° ${task.number} · ${task.values.intitule}`)),
  };
}

/** What one session works on: its form, its record and how to show it. */
interface Subject {
  form: FormDef;
  context: Omit<FieldContext, 'values'>;
  record?: { id: string; version: number; values: FormValues };
  title: (values: FormValues) => string;
  subtitle: string;
  what: string;
}

async function subjectOf(
  deps: DashboardDeps,
  session: Pick<FormSession, 'context' | 'recordId'>,
): Promise<Subject> {
  const context = session.context as unknown as SessionContext;
  const today = parisDay(deps.clock());
  if (context.kind === 'task') {
    const task = session.recordId ? await deps.repositories.tasks.get(session.recordId) : undefined;
    const lookups = await taskLookups(deps, context.collectivite.id, task?.id);
    return {
      form: taskForm(lookups),
      context: { today, lookups: { ...lookups } },
      record: task && { id: task.id, version: task.version, values: { ...task.values } },
      title: (values) =>
        task ? `Tâche n° ${task.number} · ${values.intitule}` : String(values.intitule ?? 'Nouvelle tâche'),
      subtitle: `${context.collectivite.name}${task ? ` · ${stateText(task, today)} · version ${task.version}` : ''}`,
      what: task ? `la ${taskName(task)}` : 'la nouvelle tâche',
    };
  }
  const fiche = await deps.repositories.fiches.get(context.ficheId);
  if (!fiche) throw new FicheGone();
  const suivi = session.recordId ? await deps.repositories.suivis.get(session.recordId) : undefined;
  return {
    form: suiviForm(fiche, context.suiviKind),
    context: { today },
    record: suivi,
    title: () => `Suivi de l’action n° ${fiche.number} · ${fiche.title}`,
    subtitle: `${context.collectivite.name} · ${periodName(context.period)}${suivi ? ` · ${suivi.status === 'soumis' ? 'soumis' : 'brouillon'} · version ${suivi.version}` : ''}`,
    what: `le suivi de l’action n° ${fiche.number} (${periodName(context.period)})`,
  };
}

function recapOf(subject: Subject, session: FormSession) {
  const context = session.context as unknown as SessionContext;
  return (values: FormValues) => {
    const card = formCard(subject.form, values, subject.title(values), subject.subtitle);
    const choices: Choice[] =
      context.kind === 'suivi' && subject.record
        ? [
            dashboardChoice(
              'Soumettre le suivi',
              { kind: 'submit_suivi', suiviId: subject.record.id },
              'primary',
            ),
            { label: 'Plus tard', actionId: FORM_ACTION, value: `${COMMAND_VALUE}pause` },
          ]
        : subject.record
          ? [
              dashboardChoice('Voir le tableau de bord', {
                kind: 'dashboard',
                collectiviteId: context.collectivite.id,
              }),
            ]
          : [];
    const text =
      context.kind === 'suivi'
        ? '*Récapitulatif du suivi* : relisez, modifiez une réponse (*modifier* + la question), puis soumettez-le.'
        : `*${subject.title(values)}* est enregistrée dans le tableau de bord.`;
    return { text, card, choices };
  };
}

/** A form button carries its option (or a command); anything else is typed text. */
export function inputOf(turn: Turn): FormInput {
  const action = turn.incoming.action;
  return action?.id === FORM_ACTION && action.value
    ? { kind: 'choice', value: action.value }
    : { kind: 'text', text: turn.text };
}

/** The stored task's values, once the form holds what a task needs (intitulé, phase, état). */
function taskValuesOf(values: FormValues): TaskValues | undefined {
  if (!values.intitule || !values.phase || !values.etat) return undefined;
  return values as unknown as TaskValues;
}

/** Writes the record's new version (creating a task once it can exist); throws Race on a lost race. */
async function saveRecord(
  repositories: TransactionalRepositories,
  session: FormSession,
  record: Subject['record'],
  values: FormValues,
  changes: StepResult['changes'],
  actor: Actor,
  note?: string,
): Promise<{ id: string; version: number; created: boolean } | undefined> {
  const context = session.context as unknown as SessionContext;
  const author = authorOf(actor);
  if (changes.length === 0) return record && { id: record.id, version: record.version, created: false };
  if (context.kind === 'suivi') {
    const result = await repositories.suivis.commit({
      suiviId: record!.id,
      expectedVersion: record!.version,
      values,
      changes,
      author,
    });
    if (!result.ok) throw new Race();
    return { id: result.suivi.id, version: result.suivi.version, created: false };
  }
  const taskValues = taskValuesOf(values);
  if (!taskValues) return undefined;
  if (!record) {
    const task = await repositories.tasks.create({
      collectiviteId: context.collectivite.id,
      values: taskValues,
      author,
    });
    return { id: task.id, version: task.version, created: true };
  }
  const result = await repositories.tasks.commit({
    taskId: record.id,
    expectedVersion: record.version,
    values: taskValues,
    changes,
    author,
    note,
  });
  if (!result.ok) throw new Race();
  return { id: result.task.id, version: result.task.version, created: false };
}

async function cancel(deps: DashboardDeps, session: FormSession, subject: Subject, actor: Actor) {
  const context = session.context as unknown as SessionContext;
  let text: string;
  if (!subject.record) {
    text = 'C’est annulé : rien n’a été enregistré.';
  } else if (session.createdRecord && context.kind === 'task') {
    await deps.repositories.tasks.delete(subject.record.id, authorOf(actor));
    text = 'Tâche retirée du tableau de bord (son historique reste).';
  } else {
    const store = context.kind === 'task' ? deps.repositories.tasks : deps.repositories.suivis;
    const history = await store.history(subject.record.id);
    const start = history.find(
      (version) => version.version === (context.startVersion ?? subject.record!.version),
    );
    const restored = { ...(start?.values ?? subject.record.values) };
    const changes = changesBetween(subject.record.values, restored);
    if (changes.length > 0) {
      await deps.repositories.atomically((repositories) =>
        saveRecord(repositories, session, subject.record, restored, changes, actor, 'modifications annulées'),
      );
    }
    text =
      changes.length > 0
        ? `Modifications annulées : ${subject.what} a repris ses valeurs d’avant (l’historique garde la trace des deux).`
        : `Rien n’avait changé : ${subject.what} reste tel quel.`;
  }
  if (!(await deps.repositories.formSessions.close(session.key, session.revision))) throw new Race();
  return plain(text, { form: { formId: subject.form.id, step: 'closed', recordId: subject.record?.id } });
}

/** One message to an open task or suivi form. */
export async function continueForm(
  turn: Turn,
  session: FormSession,
  actor: Actor,
  deps: DashboardDeps,
): Promise<TurnOutcome> {
  if (session.personId !== actor.personId)
    return plain('Ce formulaire a été ouvert par quelqu’un d’autre dans cette conversation.');
  let current: FormSession | undefined = session;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && current; attempt++) {
    try {
      return await stepOnce(turn, current, actor, deps);
    } catch (error) {
      if (error instanceof FicheGone) {
        await deps.repositories.formSessions.close(current.key, current.revision);
        return plain('Cette fiche-action a été abandonnée entre-temps : le suivi est fermé.');
      }
      if (!(error instanceof Race)) throw error;
      current = await deps.repositories.formSessions.find(session.key);
    }
  }
  return plain(
    'Plusieurs messages sont arrivés en même temps : pouvez-vous renvoyer votre dernière réponse ?',
  );
}

async function stepOnce(
  turn: Turn,
  opened: FormSession,
  actor: Actor,
  deps: DashboardDeps,
): Promise<TurnOutcome> {
  let session = opened;
  const context = session.context as unknown as SessionContext;
  if (!canEdit(actor, context.collectivite.id)) {
    await deps.repositories.formSessions.close(session.key, session.revision);
    return plain(`Vous n’êtes plus référent de ${context.collectivite.name} : le formulaire est fermé.`);
  }
  const subject = await subjectOf(deps, session);
  let state = session.state;
  if (subject.record && subject.record.version !== session.baseVersion) {
    // Someone changed the record meanwhile: continue from the stored values.
    state = { ...state, values: subject.record.values };
  }
  const { proposal, ...rest } = session.context as { proposal?: Proposal };
  if (proposal) {
    // Whatever the answer, the proposal is gone after it: accepted, ignored, or replaced by the answer.
    session = { ...session, context: rest };
    const decision = proposalDecision(turn);
    if (decision === 'accept') {
      const unsure = proposal.understood.filter((item) => item.unsure).map((item) => item.fieldId);
      const accepted = acceptValues(subject.form, state, proposal.values, unsure);
      return commitAndReply(turn, deps, session, subject, accepted, actor);
    }
    if (decision === 'ignore') return commitAndReply(turn, deps, session, subject, askAgain(state), actor);
  }
  const step = stepForm(subject.form, state, inputOf(turn), subject.context);
  if (step.effect.kind === 'cancel') return cancel(deps, { ...session, state }, subject, actor);
  if (step.effect.kind === 'pause') {
    if (!(await deps.repositories.formSessions.close(session.key, session.revision))) throw new Race();
    return plain(
      subject.record
        ? `C’est noté : ${subject.what} est ${context.kind === 'task' ? 'enregistrée telle quelle' : 'enregistré tel quel'}. Dites *tableau de bord* pour le retrouver.`
        : 'Pas de souci : rien n’était encore enregistré.',
      { form: { formId: subject.form.id, step: 'closed', recordId: subject.record?.id } },
    );
  }
  return commitAndReply(turn, deps, session, subject, step, actor);
}

async function commitAndReply(
  turn: Turn,
  deps: DashboardDeps,
  session: FormSession,
  subject: Subject,
  step: StepResult,
  actor: Actor,
  intro: string[] = [],
): Promise<TurnOutcome> {
  const context = session.context as unknown as SessionContext;
  // A task is done with once its last question is answered: the session closes on its recap.
  const finished =
    context.kind === 'task' && step.state.cursor.kind === 'recap' && session.state.cursor.kind !== 'recap';
  let saved: Awaited<ReturnType<typeof saveRecord>>;
  await deps.repositories.atomically(async (repositories) => {
    saved = await saveRecord(repositories, session, subject.record, step.state.values, step.changes, actor);
    const next: FormSession = {
      ...session,
      state: step.state,
      recordId: saved?.id ?? session.recordId,
      baseVersion: saved?.version ?? session.baseVersion,
      createdRecord: session.createdRecord || saved?.created === true,
      expiresAt: new Date(deps.clock().getTime() + SESSION_TTL_MS),
    };
    const ok = finished
      ? await repositories.formSessions.close(session.key, session.revision)
      : (await repositories.formSessions.save(next)) !== undefined;
    if (!ok) throw new Race();
  });
  const reply = renderFormMessages(subject.form, step.messages, step.state.values, subject.context, {
    recordId: saved?.id ?? subject.record?.id,
    recap: recapOf(saved ? await subjectOf(deps, { ...session, recordId: saved.id }) : subject, session),
    cancelQuestion: subject.record
      ? `Annuler les modifications faites dans cette conversation sur ${subject.what} ?`
      : 'Annuler cette nouvelle tâche ? Rien n’a encore été enregistré.',
  });
  const text = [...intro, reply.text].join('\n\n');
  const marked = finished
    ? { ...reply, text, form: { ...reply.form!, step: 'closed' as const } }
    : { ...reply, text };
  if (step.effect.kind === 'side_question') {
    const answer = await deps.askKnowledge(turn, step.effect.question);
    return answerThenResume(
      answer,
      `On reprend ${subject.form.title === 'tâche' ? 'la tâche' : 'le suivi'}`,
      marked,
    );
  }
  return { reply: marked };
}

/** Opens a task form (a new task of a collectivité, or an existing one) in this conversation. */
export async function openTask(
  turn: Turn,
  actor: Actor,
  deps: DashboardDeps,
  target:
    | { task: Task }
    | { collectivite: { id: string; name: string }; title?: string; proposal?: Proposal },
  intro: string[],
): Promise<TurnOutcome> {
  const task = 'task' in target ? target.task : undefined;
  const collectivite = task
    ? task.collectivite
    : (target as { collectivite: { id: string; name: string } }).collectivite;
  // A new task is « à faire » until said otherwise: the état is asked only when editing.
  const values: FormValues = task ? { ...task.values } : { etat: 'a_faire' };
  const title = 'title' in target ? target.title : undefined;
  const proposal = 'proposal' in target ? target.proposal : undefined;
  return openSession(
    turn,
    actor,
    deps,
    { kind: 'task', collectivite, startVersion: task?.version, ...(proposal ? { proposal } : {}) },
    task,
    values,
    intro,
    title,
  );
}

/** Opens the suivi of an action for a period: found or created (one per action and period). */
export async function openSuivi(
  turn: Turn,
  actor: Actor,
  deps: DashboardDeps,
  fiche: Fiche,
  period: string,
  suiviKind: SuiviKind,
  intro: string[],
): Promise<TurnOutcome> {
  const suivi: Suivi = await deps.repositories.suivis.findOrCreate({
    ficheId: fiche.id,
    period,
    kind: suiviKind,
    author: authorOf(actor),
  });
  const context: SuiviContext = {
    kind: 'suivi',
    collectivite: fiche.collectivite,
    ficheId: fiche.id,
    period,
    suiviKind,
    startVersion: suivi.version,
  };
  return openSession(turn, actor, deps, context, suivi, suivi.values, intro);
}

async function openSession(
  turn: Turn,
  actor: Actor,
  deps: DashboardDeps,
  context: SessionContext,
  record: { id: string; version: number } | undefined,
  values: FormValues,
  intro: string[],
  title?: string,
): Promise<TurnOutcome> {
  const key = sessionKeyOf(turn);
  const existing = await deps.repositories.formSessions.find(key);
  if (existing) await deps.repositories.formSessions.close(existing.key, existing.revision);
  const sessionContext = context as unknown as Record<string, unknown>;
  const subject = await subjectOf(deps, { context: sessionContext, recordId: record?.id });
  // An existing task opens on its recap: the optional fields left empty are not asked again.
  const passed =
    record && context.kind === 'task'
      ? subject.form.fields
          .filter((field) => !field.required && !hasValue(values, field.id))
          .map((field) => field.id)
      : [];
  let step = startForm(subject.form, values, passed);
  let messages = step.messages;
  if (title) {
    // « ajoute une tâche : diagnostic quantitatif » already gives the intitulé: checked like an answer.
    const read = readValue(fieldOf(subject.form, 'intitule'), title, { ...subject.context, values });
    if (read.ok) {
      step = acceptValues(subject.form, step.state, { intitule: read.value }, []);
      messages = [
        { kind: 'saved', fieldId: 'intitule', echo: read.echo, correction: false },
        ...step.messages,
      ];
    }
  }
  // The session is saved first (revision 0 → 1), then the first step runs on it like any other.
  const session: FormSession = {
    key,
    personId: actor.personId,
    formId: context.kind === 'task' ? TASK_FORM_ID : SUIVI_FORM_ID,
    recordId: record?.id,
    baseVersion: record?.version,
    createdRecord: false,
    context: sessionContext,
    state: step.state,
    revision: 0,
    expiresAt: new Date(deps.clock().getTime() + SESSION_TTL_MS),
  };
  const revision = await deps.repositories.formSessions.save(session);
  if (revision === undefined)
    return plain('Un autre formulaire vient de s’ouvrir ici : recommencez, s’il vous plaît.');
  if (context.kind === 'task' && context.proposal) {
    // Nothing is saved before the person accepts what the model read.
    const shown = proposalReply(context.proposal, undefined);
    return {
      reply: {
        ...shown,
        text: [...intro, shown.text].join('\n\n'),
        form: { formId: TASK_FORM_ID, step: 'confirm' },
      },
    };
  }
  const opened = { ...session, revision };
  return commitAndReply(
    turn,
    deps,
    opened,
    subject,
    { ...step, state: step.state, messages, changes: [] },
    actor,
    intro,
  );
}

export const FORM_INTRO =
  'Je vous pose les questions une à une. À tout moment : *retour*, *passer* (questions facultatives), *modifier* + un champ, *récap*, *aide*, *plus tard* ou *annuler*.';
