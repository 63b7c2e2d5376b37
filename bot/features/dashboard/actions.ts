import { normalizeForMatch } from '../../../knowledge/text/normalize.ts';
import { parisDay } from '../../core/calendar.ts';
import { fieldOf, hasValue, missingRequired, startForm, stepForm } from '../../core/forms/engine.ts';
import { type Proposal, proposalFrom } from '../../core/forms/extraction.ts';
import { answerThenResume, FORM_ACTION } from '../../core/forms/render.ts';
import type { FormSession } from '../../core/forms/sessions.ts';
import type { FieldOption, FormDef } from '../../core/forms/types.ts';
import { formatDate, parseQuarter } from '../../core/french/index.ts';
import {
  type Actor,
  authorOf,
  canEdit,
  canRead,
  collectivitesWith,
  isDeploymentAdmin,
} from '../../core/people.ts';
import type { Turn, TurnOutcome } from '../../core/routes.ts';
import type { Choice } from '../../core/types.ts';
import { noRightsText } from '../fiches/actions.ts';
import type { Fiche } from '../fiches/model.ts';
import { ANSWER_FIELD, CONFIRM_FORM_ID, confirmForm, type PendingChange, pickForm } from './confirm-form.ts';
import {
  type DashboardDeps,
  FORM_INTRO,
  inputOf,
  openSuivi,
  openTask,
  plain,
  sessionKeyOf,
  taskLookups,
} from './conversation.ts';
import { exportDashboard } from './documents.ts';
import type { DashboardButton, DashboardIntent, TaskChange } from './intents.ts';
import { isLate, PHASES, PREFIGURATION_TASKS, TASK_STATE_LABELS, type Task } from './model.ts';
import { suiviForm } from './suivi-form.ts';
import { taskForm } from './task-form.ts';
import {
  compactView,
  dashboardChoice,
  dueRange,
  periodName,
  periodOf,
  stateText,
  taskLine,
  taskName,
  windowLabel,
} from './view.ts';

/** The dashboard's commands outside a form: views, due tasks, state changes, new tasks, suivis, exports. */

type Collectivite = { id: string; name: string };

async function readable(actor: Actor, deps: DashboardDeps): Promise<Collectivite[]> {
  if (isDeploymentAdmin(actor)) return deps.repositories.directory.listCollectivites();
  return collectivitesWith(actor, ['referent', 'coordinateur', 'admin']);
}

async function editable(actor: Actor, deps: DashboardDeps): Promise<Collectivite[]> {
  if (isDeploymentAdmin(actor)) return deps.repositories.directory.listCollectivites();
  return collectivitesWith(actor, ['referent']);
}

const today = (deps: DashboardDeps) => parisDay(deps.clock());

/** Why a change is refused: a coordinator reads but does not edit; someone with no role is told who adds them. */
async function cannotEdit(actor: Actor, deps: DashboardDeps, what: string): Promise<string> {
  if ((await readable(actor, deps)).length === 0) return noRightsText(deps.repositories.directory, what);
  return `Pour ${what}, il faut être référent de la collectivité : vous pouvez consulter ses tâches et ses suivis (dites *tableau de bord*), sans les modifier.`;
}

/** The collectivité a message names among those the person may read, or buttons to choose one. */
async function chooseCollectivite(
  actor: Actor,
  deps: DashboardDeps,
  name: string | undefined,
  button: (collectivite: Collectivite) => DashboardButton,
  question: string,
): Promise<{ collectivite: Collectivite } | { outcome: TurnOutcome }> {
  const candidates = await readable(actor, deps);
  if (candidates.length === 0)
    return {
      outcome: plain(await noRightsText(deps.repositories.directory, 'consulter un tableau de bord')),
    };
  let matching = candidates;
  if (name) {
    const wanted = normalizeForMatch(name);
    matching = candidates.filter((candidate) => normalizeForMatch(candidate.name).includes(wanted));
    if (matching.length === 0)
      return {
        outcome: plain(
          `Je ne trouve pas « ${name} » parmi les collectivités que vous suivez (${candidates.map((candidate) => candidate.name).join(', ')}).`,
          {
            choices: candidates
              .slice(0, 10)
              .map((candidate) => dashboardChoice(candidate.name, button(candidate))),
          },
        ),
      };
  }
  if (matching.length === 1) return { collectivite: matching[0]! };
  return {
    outcome: plain(question, {
      choices: matching.slice(0, 10).map((candidate) => dashboardChoice(candidate.name, button(candidate))),
    }),
  };
}

async function showDashboard(actor: Actor, deps: DashboardDeps, name?: string): Promise<TurnOutcome> {
  const chosen = await chooseCollectivite(
    actor,
    deps,
    name,
    (collectivite) => ({ kind: 'dashboard', collectiviteId: collectivite.id }),
    'Le tableau de bord de quelle collectivité ?',
  );
  if ('outcome' in chosen) return chosen.outcome;
  return dashboardOf(actor, deps, chosen.collectivite);
}

async function dashboardOf(
  actor: Actor,
  deps: DashboardDeps,
  collectivite: Collectivite,
): Promise<TurnOutcome> {
  const tasks = await deps.repositories.tasks.list({ collectiviteIds: [collectivite.id] });
  const view = compactView(collectivite, tasks, today(deps), { canEdit: canEdit(actor, collectivite.id) });
  return plain(view.text, { choices: view.choices });
}

async function collectiviteById(
  actor: Actor,
  deps: DashboardDeps,
  id: string,
): Promise<Collectivite | undefined> {
  return (await readable(actor, deps)).find((collectivite) => collectivite.id === id);
}

async function showPhase(actor: Actor, deps: DashboardDeps, collectiviteId: string, phaseId: string) {
  const collectivite = await collectiviteById(actor, deps, collectiviteId);
  const phase = PHASES.find((candidate) => candidate.id === phaseId);
  if (!collectivite || !phase) return plain('Je ne trouve pas ce tableau de bord.');
  const tasks = (await deps.repositories.tasks.list({ collectiviteIds: [collectivite.id] })).filter(
    (task) => task.values.phase === phase.id,
  );
  const day = today(deps);
  return plain(
    [
      `*${phase.label}* · ${collectivite.name} (${tasks.length}) :`,
      ...tasks.map((task) => taskLine(task, day)),
    ].join('\n'),
    {
      choices: tasks
        .slice(0, 10)
        .map((task) => dashboardChoice(`Tâche n° ${task.number}`, { kind: 'open_task', taskId: task.id })),
    },
  );
}

async function readableTask(actor: Actor, deps: DashboardDeps, taskId: string): Promise<Task | undefined> {
  const task = await deps.repositories.tasks.get(taskId);
  return task && canRead(actor, task.collectivite.id) ? task : undefined;
}

async function showTask(actor: Actor, deps: DashboardDeps, taskId: string): Promise<TurnOutcome> {
  const task = await readableTask(actor, deps, taskId);
  if (!task) return plain('Je ne trouve pas cette tâche parmi celles que vous pouvez consulter.');
  const day = today(deps);
  const values = task.values;
  const tasks = values.dependDe
    ? await deps.repositories.tasks.list({ collectiviteIds: [task.collectivite.id] })
    : [];
  const fiche = values.ficheId ? await deps.repositories.fiches.get(values.ficheId) : undefined;
  const before = tasks.find((candidate) => candidate.id === values.dependDe);
  const lines = [
    `*Tâche n° ${task.number} · ${values.intitule}* (${task.collectivite.name}, version ${task.version})`,
    `• Phase : ${PHASES.find((phase) => phase.id === values.phase)?.label}`,
    `• QUI ? Responsable : ${values.responsable?.nom ?? '—'}`,
    `• Dates : ${values.debut ? formatDate(values.debut) : '—'} → ${values.fin ? formatDate(values.fin) : '—'}`,
    `• Livrables : ${values.livrables ?? '—'}`,
    `• État : ${stateText(task, day)}`,
    ...(fiche ? [`• Fiche-action : n° ${fiche.number} · ${fiche.title}`] : []),
    ...(before ? [`• Dépend de : n° ${before.number} · ${before.values.intitule}`] : []),
  ];
  const choices: Choice[] = canEdit(actor, task.collectivite.id)
    ? [
        dashboardChoice('Modifier', { kind: 'edit_task', taskId: task.id }),
        ...(values.etat !== 'fait'
          ? [
              dashboardChoice(
                'Marquer comme faite',
                { kind: 'confirm_state', taskId: task.id, state: 'fait' },
                'primary',
              ),
            ]
          : []),
      ]
    : [];
  return plain(lines.join('\n'), { choices });
}

async function editTask(turn: Turn, actor: Actor, deps: DashboardDeps, taskId: string): Promise<TurnOutcome> {
  const task = await readableTask(actor, deps, taskId);
  if (!task) return plain('Je ne trouve pas cette tâche parmi celles que vous pouvez consulter.');
  if (!canEdit(actor, task.collectivite.id))
    return plain(
      `Vous pouvez consulter cette tâche, mais seuls les référents de ${task.collectivite.name} la modifient.`,
    );
  return openTask(turn, actor, deps, { task }, [
    `On modifie la ${taskName(task)}. Dites *modifier* suivi du champ (« modifier la date de fin »), ou utilisez les boutons.`,
  ]);
}

async function newTask(
  turn: Turn,
  actor: Actor,
  deps: DashboardDeps,
  intent: { title?: string; collectiviteId?: string },
): Promise<TurnOutcome> {
  const among = await editable(actor, deps);
  if (among.length === 0) return plain(await cannotEdit(actor, deps, 'ajouter une tâche au tableau de bord'));
  const chosen = intent.collectiviteId
    ? among.find((collectivite) => collectivite.id === intent.collectiviteId)
    : among.length === 1
      ? among[0]
      : undefined;
  if (!chosen) {
    return plain('Pour le tableau de bord de quelle collectivité ?', {
      choices: among
        .slice(0, 10)
        .map((collectivite) =>
          dashboardChoice(collectivite.name, { kind: 'new_task', collectiviteId: collectivite.id }),
        ),
    });
  }
  const existing = await deps.repositories.tasks.list({ collectiviteIds: [chosen.id] });
  const offer =
    existing.length === 0 && !intent.title
      ? [
          'Le tableau de bord est vide : vous pouvez aussi partir des tâches d’exemple de la préfiguration du guide (dites *tableau de bord*).',
        ]
      : [];
  return openTask(turn, actor, deps, { collectivite: chosen, title: intent.title }, [
    `Nouvelle tâche pour le tableau de bord de *${chosen.name}*. ${FORM_INTRO}`,
    ...offer,
  ]);
}

/** The guide's four example tasks of the préfiguration, added at once (those already there are skipped). */
async function startFromGuide(
  actor: Actor,
  deps: DashboardDeps,
  collectiviteId: string,
): Promise<TurnOutcome> {
  const collectivite = (await editable(actor, deps)).find((candidate) => candidate.id === collectiviteId);
  if (!collectivite) return plain('Seuls les référents de la collectivité modifient son tableau de bord.');
  const present = new Set(
    (await deps.repositories.tasks.list({ collectiviteIds: [collectivite.id] })).map((task) =>
      normalizeForMatch(task.values.intitule),
    ),
  );
  const added = PREFIGURATION_TASKS.filter((title) => !present.has(normalizeForMatch(title)));
  await deps.repositories.atomically(async (repositories) => {
    for (const intitule of added) {
      await repositories.tasks.create({
        collectiviteId: collectivite.id,
        values: { intitule, phase: 'prefiguration', etat: 'a_faire' },
        author: authorOf(actor),
      });
    }
  });
  const view = await dashboardOf(actor, deps, collectivite);
  return {
    reply: {
      ...view.reply,
      text: `${added.length} tâche(s) d’exemple de la préfiguration ajoutée(s) : ${added.join(' ; ') || 'elles y étaient déjà'}. Complétez leurs responsables et leurs dates avec le bouton de chaque tâche.\n\n${view.reply.text}`,
    },
  };
}

/** Words of an intitulé, for the fuzzy match: accents, case and small words left out. */
const STOP = new Set('la le les l de du des d a au aux et en sur pour un une'.split(' '));
const wordsOf = (text: string) =>
  normalizeForMatch(text)
    .split(' ')
    .filter((word) => word && !STOP.has(word));

/** Tasks whose intitulé best matches the words typed (all of them, or the most of them), or by number. */
export function matchTasks(tasks: Task[], query: string): Task[] {
  const number = /^(?:n(?:o|umero)?\s*)?(\d{1,5})$/.exec(normalizeForMatch(query))?.[1];
  if (number) return tasks.filter((task) => task.number === Number(number));
  const wanted = wordsOf(query);
  if (wanted.length === 0) return [];
  const close = (a: string, b: string) =>
    a === b ||
    (a.length >= 5 && b.length >= 5 && (a.startsWith(b.slice(0, 5)) || b.startsWith(a.slice(0, 5))));
  const scored = tasks.map((task) => {
    const words = wordsOf(task.values.intitule);
    const found = wanted.filter((word) => words.some((candidate) => close(word, candidate))).length;
    return { task, score: found / wanted.length };
  });
  const best = Math.max(0, ...scored.map((entry) => entry.score));
  if (best < 0.5) return [];
  return scored.filter((entry) => entry.score === best).map((entry) => entry.task);
}

async function setState(
  turn: Turn,
  actor: Actor,
  deps: DashboardDeps,
  query: string,
  state: TaskChange,
): Promise<TurnOutcome> {
  const among = await editable(actor, deps);
  if (among.length === 0) return plain(await cannotEdit(actor, deps, 'modifier une tâche'));
  const tasks = await deps.repositories.tasks.list({
    collectiviteIds: among.map((collectivite) => collectivite.id),
  });
  const found = matchTasks(tasks, query);
  if (found.length === 0)
    return plain(
      `Je ne trouve pas de tâche « ${query} » dans vos tableaux de bord. Dites *tableau de bord* pour les voir.`,
    );
  if (found.length > 1)
    return askPending(turn, actor, deps, {
      kind: 'pick',
      taskIds: found.slice(0, 10).map((task) => task.id),
      state,
      query,
    });
  const task = found[0]!;
  return askPending(turn, actor, deps, {
    kind: 'confirm',
    taskId: task.id,
    state,
    collectiviteId: task.collectivite.id,
  });
}

/** A pending change, for the session: its one-question form over the tasks the person may still read. */
async function pendingFormOf(
  actor: Actor,
  deps: DashboardDeps,
  pending: PendingChange,
): Promise<FormDef | undefined> {
  if (pending.kind === 'confirm') {
    const task = await readableTask(actor, deps, pending.taskId);
    return task && confirmForm(task, pending.state);
  }
  const tasks = (await Promise.all(pending.taskIds.map((id) => readableTask(actor, deps, id)))).filter(
    (task) => task !== undefined,
  );
  const several = new Set(tasks.map((task) => task.collectivite.id)).size > 1;
  return tasks.length > 0 ? pickForm(tasks, pending.query, pending.state, several) : undefined;
}

/** The pending question with its buttons: each carries its option, read by the same parser as typed text. */
function pendingQuestion(form: FormDef, pending: PendingChange, before: string[] = []): TurnOutcome {
  const field = fieldOf(form, ANSWER_FIELD);
  const options = (field.options ?? []) as FieldOption[];
  return plain([...before, field.question].join('\n\n'), {
    choices: options.slice(0, 10).map((option) => ({
      label: option.label.length > 75 ? `${option.label.slice(0, 74)}…` : option.label,
      actionId: FORM_ACTION,
      value: option.id,
      ...(option.id === 'oui' ? { style: pending.state === 'delete' ? 'danger' : 'primary' } : {}),
    })),
    form: {
      formId: CONFIRM_FORM_ID,
      fieldId: ANSWER_FIELD,
      step: pending.kind === 'confirm' ? 'confirm' : 'question',
    },
  });
}

const RACE_TEXT =
  'Plusieurs messages sont arrivés en même temps : pouvez-vous renvoyer votre dernière réponse ?';
const PENDING_TTL_MS = 24 * 3_600_000;

/**
 * Asks for a change (or which task) as a session of its own in this conversation: nothing changes before
 * « oui ». `previous`: the session it follows (the pick becoming the confirmation), saved over with its revision.
 */
async function askPending(
  turn: Turn,
  actor: Actor,
  deps: DashboardDeps,
  pending: PendingChange,
  previous?: FormSession,
): Promise<TurnOutcome> {
  const form = await pendingFormOf(actor, deps, pending);
  if (!form) return plain('Je ne trouve pas cette tâche.');
  const key = sessionKeyOf(turn);
  if (!previous) {
    const existing = await deps.repositories.formSessions.find(key);
    if (existing) await deps.repositories.formSessions.close(existing.key, existing.revision);
  }
  const saved = await deps.repositories.formSessions.save({
    key,
    personId: actor.personId,
    formId: CONFIRM_FORM_ID,
    createdRecord: false,
    context: pending as unknown as Record<string, unknown>,
    state: startForm(form).state,
    revision: previous?.revision ?? 0,
    expiresAt: new Date(deps.clock().getTime() + PENDING_TTL_MS),
  });
  return saved === undefined ? plain(RACE_TEXT) : pendingQuestion(form, pending);
}

/** After this many answers not understood, the change is dropped: the person is not held by it. */
const MAX_UNCLEAR = 2;

/**
 * One message to a pending change, typed or a button: « oui » applies it, « non » drops it, a methodology
 * question is answered and the change stays pending (as in the fiche form), an unclear answer is asked again.
 */
export async function continuePending(
  turn: Turn,
  session: FormSession,
  actor: Actor,
  deps: DashboardDeps,
): Promise<TurnOutcome> {
  const pending = session.context as unknown as PendingChange;
  const close = () => deps.repositories.formSessions.close(session.key, session.revision);
  const form = await pendingFormOf(actor, deps, pending);
  if (!form) {
    await close();
    return plain('Je ne trouve plus cette tâche : rien n’a changé.');
  }
  const step = stepForm(form, session.state, inputOf(turn), { today: today(deps) });
  const answered = hasValue(step.state.values, ANSWER_FIELD);
  if (answered) {
    if (pending.kind === 'pick') {
      const taskId = String(step.state.values[ANSWER_FIELD]);
      const task = await readableTask(actor, deps, taskId);
      if (!task) return plain('Je ne trouve pas cette tâche.');
      return askPending(
        turn,
        actor,
        deps,
        { kind: 'confirm', taskId, state: pending.state, collectiviteId: task.collectivite.id },
        session,
      );
    }
    if (!(await close())) return plain(RACE_TEXT);
    const closed = { formId: CONFIRM_FORM_ID, step: 'closed' as const };
    if (step.state.values[ANSWER_FIELD] === 'oui') {
      const done = await confirmState(actor, deps, pending.taskId, pending.state);
      return { ...done, reply: { ...done.reply, form: closed } };
    }
    const kept = pending.state === 'delete' ? 'reste dans le tableau de bord' : 'reste telle quelle';
    return plain(`Très bien : la tâche ${kept}.`, {
      choices: [
        dashboardChoice('Voir le tableau de bord', {
          kind: 'dashboard',
          collectiviteId: pending.collectiviteId,
        }),
      ],
      form: closed,
    });
  }
  if (step.effect.kind === 'side_question') {
    const answer = await deps.askKnowledge(turn, step.effect.question);
    return answerThenResume(answer, 'La question reste en attente', pendingQuestion(form, pending).reply);
  }
  const unclear = step.state.attempts >= MAX_UNCLEAR;
  if (step.effect.kind !== 'none' || step.state.cursor.kind === 'confirm_cancel' || unclear) {
    // « annuler », « plus tard », or answers still not understood: nothing was changed.
    if (!(await close())) return plain(RACE_TEXT);
    return plain(
      `${unclear ? 'Je n’ai toujours pas compris : je laisse' : 'Très bien : je laisse'} la tâche telle quelle. Redites-moi le changement quand vous voulez.`,
      { form: { formId: CONFIRM_FORM_ID, step: 'closed' } },
    );
  }
  const saved = await deps.repositories.formSessions.save({ ...session, state: step.state });
  if (saved === undefined) return plain(RACE_TEXT);
  const before = step.messages.flatMap((message) =>
    message.kind === 'invalid'
      ? [`✗ ${message.message}`]
      : message.kind === 'help'
        ? [fieldOf(form, message.fieldId).help]
        : message.kind === 'notice'
          ? [message.text]
          : [],
  );
  return pendingQuestion(form, pending, before);
}

async function confirmState(
  actor: Actor,
  deps: DashboardDeps,
  taskId: string,
  state: TaskChange,
): Promise<TurnOutcome> {
  const task = await readableTask(actor, deps, taskId);
  if (!task || !canEdit(actor, task.collectivite.id))
    return plain('Seuls les référents de la collectivité modifient ses tâches.');
  if (state === 'delete') {
    // Tasks that waited for it lose that dependency, each in a version of its own (the store does it).
    await deps.repositories.tasks.delete(task.id, authorOf(actor));
    return plain(`La ${taskName(task)} est retirée du tableau de bord ; son historique reste.`, {
      choices: [
        dashboardChoice('Voir le tableau de bord', {
          kind: 'dashboard',
          collectiviteId: task.collectivite.id,
        }),
      ],
    });
  }
  if (task.values.etat === state)
    return plain(`La ${taskName(task)} est déjà « ${TASK_STATE_LABELS[state]} ».`);
  const result = await deps.repositories.tasks.commit({
    taskId: task.id,
    expectedVersion: task.version,
    values: { ...task.values, etat: state },
    changes: [{ fieldId: 'etat', before: task.values.etat, after: state }],
    author: authorOf(actor),
  });
  if (!result.ok)
    return plain(
      `La ${taskName(task)} vient d’être modifiée par quelqu’un d’autre : regardez-la puis recommencez.`,
    );
  return plain(
    `C’est noté : la ${taskName(task)} est maintenant à l’état « ${TASK_STATE_LABELS[state]} » (version ${result.task.version}).`,
    {
      choices: [
        dashboardChoice('Voir le tableau de bord', {
          kind: 'dashboard',
          collectiviteId: task.collectivite.id,
        }),
      ],
    },
  );
}

async function due(
  actor: Actor,
  deps: DashboardDeps,
  window: Extract<DashboardIntent, { kind: 'due' }>['window'],
) {
  const among = await readable(actor, deps);
  if (among.length === 0)
    return plain(await noRightsText(deps.repositories.directory, 'consulter un tableau de bord'));
  const ids = among.map((collectivite) => collectivite.id);
  const day = today(deps);
  const { from, to } = dueRange(window, day);
  const [soon, late] = await Promise.all([
    deps.repositories.tasks.dueBetween(ids, from, to),
    deps.repositories.tasks.overdue(ids, day),
  ]);
  const several = among.length > 1;
  const lines = [
    soon.length > 0
      ? `*À échéance ${windowLabel(window)}* (jusqu’au ${formatDate(to)}, ${soon.length}) :`
      : `Rien n’arrive à échéance ${windowLabel(window)} (jusqu’au ${formatDate(to)}).`,
    ...soon.slice(0, 15).map((task) => taskLine(task, day, several)),
    ...(late.length > 0
      ? [
          '',
          `*Déjà en retard* (${late.length}) :`,
          ...late.slice(0, 10).map((task) => taskLine(task, day, several)),
        ]
      : []),
  ];
  return plain(lines.join('\n'), {
    choices: [...soon, ...late]
      .slice(0, 6)
      .map((task) => dashboardChoice(`Tâche n° ${task.number}`, { kind: 'open_task', taskId: task.id })),
  });
}

async function lateTasks(actor: Actor, deps: DashboardDeps) {
  const among = await readable(actor, deps);
  if (among.length === 0)
    return plain(await noRightsText(deps.repositories.directory, 'consulter un tableau de bord'));
  const day = today(deps);
  const late = await deps.repositories.tasks.overdue(
    among.map((collectivite) => collectivite.id),
    day,
  );
  if (late.length === 0) return plain('Aucune tâche en retard. 👍');
  return plain(
    [
      `*En retard* (${late.length}) :`,
      ...late.slice(0, 20).map((task) => taskLine(task, day, among.length > 1)),
    ].join('\n'),
    {
      choices: late
        .slice(0, 6)
        .map((task) => dashboardChoice(`Tâche n° ${task.number}`, { kind: 'open_task', taskId: task.id })),
    },
  );
}

async function myTasks(actor: Actor, deps: DashboardDeps) {
  const among = await readable(actor, deps);
  if (among.length === 0)
    return plain(await noRightsText(deps.repositories.directory, 'consulter un tableau de bord'));
  const day = today(deps);
  const mine = (
    await deps.repositories.tasks.list({ collectiviteIds: among.map((collectivite) => collectivite.id) })
  ).filter((task) => task.values.responsable?.personId === actor.personId);
  const open = mine.filter((task) => task.values.etat === 'a_faire' || task.values.etat === 'en_cours');
  if (mine.length === 0)
    return plain(
      'Aucune tâche ne vous est confiée (QUI ? Responsable). Dites *tableau de bord* pour voir toutes les tâches.',
    );
  const sorted = [...open].sort(
    (a, b) =>
      Number(isLate(b.values, day)) - Number(isLate(a.values, day)) ||
      (a.values.fin ?? '9').localeCompare(b.values.fin ?? '9'),
  );
  return plain(
    [
      `*Vos tâches* : ${open.length} ouverte(s) sur ${mine.length}.`,
      ...sorted.slice(0, 20).map((task) => taskLine(task, day, among.length > 1)),
    ].join('\n'),
    {
      choices: sorted
        .slice(0, 6)
        .map((task) => dashboardChoice(`Tâche n° ${task.number}`, { kind: 'open_task', taskId: task.id })),
    },
  );
}

async function startSuivi(
  turn: Turn,
  actor: Actor,
  deps: DashboardDeps,
  intent: { ficheNumber?: number; ficheId?: string; period?: string; periodText?: string; annual?: boolean },
): Promise<TurnOutcome> {
  const among = await editable(actor, deps);
  if (among.length === 0) return plain(await cannotEdit(actor, deps, 'remplir le suivi d’une action'));
  const day = today(deps);
  const kind = intent.annual || intent.period?.endsWith('-A') ? 'annuel' : 'trimestriel';
  let period = intent.period ?? periodOf(kind, day);
  if (intent.periodText && kind === 'trimestriel') {
    const quarter = parseQuarter(intent.periodText, { today: day });
    if (!quarter.ok) return plain(quarter.message);
    period = quarter.value.id;
  }
  const fiches = await deps.repositories.fiches.list({
    collectiviteIds: among.map((collectivite) => collectivite.id),
  });
  const matching: Fiche[] = intent.ficheId
    ? fiches.filter((fiche) => fiche.id === intent.ficheId)
    : intent.ficheNumber !== undefined
      ? fiches.filter((fiche) => fiche.number === intent.ficheNumber)
      : fiches;
  if (matching.length === 0)
    return plain(
      intent.ficheNumber !== undefined
        ? `Je ne trouve pas de fiche-action n° ${intent.ficheNumber} dans vos collectivités.`
        : 'Il faut d’abord une fiche-action : dites *nouvelle fiche-action*.',
    );
  if (matching.length > 1) {
    return plain(`Le suivi de quelle action (${periodName(period)}) ?`, {
      choices: matching.slice(0, 10).map((fiche) =>
        dashboardChoice(`n° ${fiche.number} · ${fiche.title}`, {
          kind: 'suivi',
          ficheId: fiche.id,
          period,
        }),
      ),
    });
  }
  const fiche = matching[0]!;
  return openSuivi(turn, actor, deps, fiche, period, kind, [
    `${kind === 'annuel' ? 'Bilan annuel' : 'Suivi trimestriel'} de l’action n° ${fiche.number} « ${fiche.title} » : ${periodName(period)}. Les questions sont celles du « tableau de suivi des actions par les acteurs » du guide. ${FORM_INTRO}`,
  ]);
}

/** The actions whose suivi of the current quarter is still to submit, each with a button to fill it. */
async function missingSuivis(actor: Actor, deps: DashboardDeps): Promise<TurnOutcome> {
  const among = await readable(actor, deps);
  if (among.length === 0)
    return plain(await noRightsText(deps.repositories.directory, 'consulter les suivis'));
  const period = periodOf('trimestriel', today(deps));
  const missing = await deps.repositories.suivis.missing(
    among.map((collectivite) => collectivite.id),
    period,
  );
  if (missing.length === 0)
    return plain(
      `Aucun suivi manquant pour le ${periodName(period)} : tous les suivis attendus sont soumis.`,
    );
  const editableIds = new Set((await editable(actor, deps)).map((collectivite) => collectivite.id));
  return plain(
    [
      `*Suivis à soumettre pour le ${periodName(period)}* (${missing.length}) :`,
      ...missing.map(
        (fiche) =>
          `• action n° ${fiche.number} · ${fiche.title}${among.length > 1 ? ` (${fiche.collectivite.name})` : ''}`,
      ),
    ].join('\n'),
    {
      choices: missing
        .filter((fiche) => editableIds.has(fiche.collectivite.id))
        .slice(0, 10)
        .map((fiche) =>
          dashboardChoice(`Suivi n° ${fiche.number}`, { kind: 'suivi', ficheId: fiche.id, period }),
        ),
    },
  );
}

async function submitSuivi(
  actor: Actor,
  deps: DashboardDeps,
  suiviId: string,
  turn: Turn,
): Promise<TurnOutcome> {
  const suivi = await deps.repositories.suivis.get(suiviId);
  if (!suivi || !canEdit(actor, suivi.collectivite.id))
    return plain('Seuls les référents de la collectivité soumettent ses suivis.');
  const fiche = await deps.repositories.fiches.get(suivi.ficheId);
  const missing = fiche ? missingRequired(suiviForm(fiche, suivi.kind), suivi.values) : [];
  if (missing.length > 0)
    return plain(
      `Avant de soumettre ce suivi, il reste à répondre à : ${missing.map((field) => `« ${field.label} »`).join(', ')}.`,
      {
        choices: [
          dashboardChoice(
            'Reprendre le suivi',
            { kind: 'suivi', ficheId: suivi.ficheId, period: suivi.period },
            'primary',
          ),
        ],
      },
    );
  const result = await deps.repositories.suivis.commit({
    suiviId: suivi.id,
    expectedVersion: suivi.version,
    values: suivi.values,
    changes: [],
    author: authorOf(actor),
    status: 'soumis',
  });
  if (!result.ok)
    return plain('Ce suivi vient d’être modifié par quelqu’un d’autre : rouvrez-le puis soumettez-le.');
  const session = turn.session;
  if (session?.recordId === suivi.id)
    await deps.repositories.formSessions.close(session.key, session.revision);
  return plain(
    `Suivi soumis (${periodName(suivi.period)}, version ${result.suivi.version}). Il figure dans l’onglet des suivis de l’export Excel du tableau de bord, le bilan à transmettre à l’ARS.`,
    { form: { formId: 'suivi_action', step: 'closed', recordId: suivi.id } },
  );
}

async function exportFor(
  actor: Actor,
  deps: DashboardDeps,
  format: 'xlsx' | 'png',
  name?: string,
  collectiviteId?: string,
): Promise<TurnOutcome> {
  const chosen = collectiviteId
    ? await collectiviteById(actor, deps, collectiviteId).then((collectivite) =>
        collectivite ? { collectivite } : { outcome: plain('Je ne trouve pas ce tableau de bord.') },
      )
    : await chooseCollectivite(
        actor,
        deps,
        name,
        (collectivite) => ({ kind: 'export', collectiviteId: collectivite.id, format }),
        'Le tableau de bord de quelle collectivité ?',
      );
  if ('outcome' in chosen) return chosen.outcome;
  return exportDashboard(deps, chosen.collectivite, format);
}

/**
 * A free sentence read by the LLM into the task form's fields (a zod-typed structured output, checked by the
 * form's own parsers): shown as a proposal, saved only once accepted, then the rest asked as usual.
 */
async function freeTask(turn: Turn, actor: Actor, deps: DashboardDeps, text: string): Promise<TurnOutcome> {
  const among = await editable(actor, deps);
  if (among.length !== 1 || !deps.extractor) return newTask(turn, actor, deps, {});
  const collectivite = among[0]!;
  const lookups = await taskLookups(deps, collectivite.id);
  const form = taskForm(lookups);
  const context = { today: today(deps), lookups: { ...lookups } };
  const intro = `Nouvelle tâche pour le tableau de bord de *${collectivite.name}*.`;
  let proposal: Proposal;
  try {
    proposal = proposalFrom(form, await deps.extractor.extract(form, text, context), context, 'llm');
  } catch {
    return openTask(turn, actor, deps, { collectivite }, [
      `${intro} Le modèle de langue n’a pas répondu : je vous pose les questions une à une. ${FORM_INTRO}`,
    ]);
  }
  // Without an intitulé there is no task to propose: the form asks it.
  if (!proposal.values.intitule) return newTask(turn, actor, deps, { collectiviteId: collectivite.id });
  return openTask(turn, actor, deps, { collectivite, proposal }, [intro]);
}

/** Runs one dashboard command (undefined actor: they get who can add them). */
export async function runDashboardIntent(
  turn: Turn,
  actor: Actor | undefined,
  intent: DashboardIntent | DashboardButton | { kind: 'free_task'; text: string },
  deps: DashboardDeps,
): Promise<TurnOutcome> {
  if (!actor) return plain(await noRightsText(deps.repositories.directory, 'tenir un tableau de bord'));
  switch (intent.kind) {
    case 'free_task':
      return freeTask(turn, actor, deps, intent.text);
    case 'new_task':
      return newTask(turn, actor, deps, intent);
    case 'set_state':
      return setState(turn, actor, deps, intent.query, intent.state);
    case 'due':
      return due(actor, deps, intent.window);
    case 'late':
      return lateTasks(actor, deps);
    case 'mine':
      return myTasks(actor, deps);
    case 'missing_suivis':
      return missingSuivis(actor, deps);
    case 'status':
    case 'dashboard':
      return 'collectiviteId' in intent
        ? await collectiviteById(actor, deps, intent.collectiviteId).then((collectivite) =>
            collectivite
              ? dashboardOf(actor, deps, collectivite)
              : plain('Je ne trouve pas ce tableau de bord.'),
          )
        : showDashboard(actor, deps, intent.collectivite);
    case 'export':
      return 'collectiviteId' in intent
        ? exportFor(actor, deps, intent.format, undefined, intent.collectiviteId)
        : exportFor(actor, deps, intent.format, intent.collectivite);
    case 'suivi':
      return startSuivi(turn, actor, deps, intent);
    case 'open_task':
      return showTask(actor, deps, intent.taskId);
    case 'edit_task':
      return editTask(turn, actor, deps, intent.taskId);
    case 'pick_task': {
      const task = await readableTask(actor, deps, intent.taskId);
      if (!task) return plain('Je ne trouve pas cette tâche.');
      return askPending(turn, actor, deps, {
        kind: 'confirm',
        taskId: task.id,
        state: intent.state,
        collectiviteId: task.collectivite.id,
      });
    }
    case 'confirm_state':
      return confirmState(actor, deps, intent.taskId, intent.state);
    case 'phase':
      return showPhase(actor, deps, intent.collectiviteId, intent.phase);
    case 'prefiguration':
      return startFromGuide(actor, deps, intent.collectiviteId);
    case 'submit_suivi':
      return submitSuivi(actor, deps, intent.suiviId, turn);
  }
}
