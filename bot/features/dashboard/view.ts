import { COMMAND_VALUE, hasValue, isAsked } from '../../core/forms/engine.ts';
import { FORM_ACTION } from '../../core/forms/render.ts';
import type { FormDef, FormValues } from '../../core/forms/types.ts';
import { addDays, fromIso, lastOfMonth } from '../../core/french/calendar.ts';
import { formatDate, quarterOf } from '../../core/french/index.ts';
import type { CardSection, Choice, RecordCard, Reply } from '../../core/types.ts';
import { buttonValue, DASHBOARD_ACTION, type DashboardButton, type DueWindow } from './intents.ts';
import { isLate, PHASES, type SuiviKind, TASK_STATE_LABELS, type Task, type TaskState } from './model.ts';

/** How the tableau de bord reads in a conversation: task lines, the compact view, due windows and periods. */

/** Within this many days, an open task is « à échéance » in the compact view. */
export const SOON_DAYS = 14;

export const dashboardChoice = (label: string, button: DashboardButton, style?: Choice['style']): Choice => ({
  label: label.length > 75 ? `${label.slice(0, 74)}…` : label,
  actionId: DASHBOARD_ACTION,
  value: buttonValue(button),
  ...(style ? { style } : {}),
});

/**
 * The days a window covers, both included, in the Europe/Paris calendar: from today to the end of the
 * month (« ce mois-ci »), to Sunday (« cette semaine »), or to today + n (« dans 14 jours »).
 */
export function dueRange(window: DueWindow, today: string): { from: string; to: string } {
  const { year, month } = fromIso(today);
  switch (window.kind) {
    case 'month':
      return { from: today, to: lastOfMonth(year, month) };
    case 'week': {
      const weekday = (new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7;
      return { from: today, to: addDays(today, 6 - weekday) };
    }
    case 'days':
      return { from: today, to: addDays(today, window.days) };
  }
}

export function windowLabel(window: DueWindow): string {
  return window.kind === 'month'
    ? 'd’ici la fin du mois'
    : window.kind === 'week'
      ? 'd’ici la fin de la semaine'
      : `dans les ${window.days} jours`;
}

/** The suivi period: the quarter of today (« 2027-T3 »), or the year for the annual bilan (« 2027-A »). */
export function periodOf(kind: SuiviKind, today: string): string {
  return kind === 'annuel' ? `${fromIso(today).year}-A` : quarterOf(today).id;
}

export function periodName(period: string): string {
  const quarter = /^(\d{4})-T([1-4])$/.exec(period);
  if (quarter) return `${quarter[2] === '1' ? '1er' : `${quarter[2]}e`} trimestre ${quarter[1]}`;
  return `bilan annuel ${period.slice(0, 4)}`;
}

export const taskName = (task: Pick<Task, 'number' | 'values'>) =>
  `tâche n° ${task.number} « ${task.values.intitule} »`;

export function stateText(task: Pick<Task, 'values'>, today: string): string {
  const state = TASK_STATE_LABELS[task.values.etat];
  return isLate(task.values, today) ? `${state}, ⚠️ en retard` : state;
}

/** « n° 3 · Diagnostic quantitatif — CCAS · fin le 15 mars 2027 · en cours » */
export function taskLine(task: Task, today: string, withCollectivite = false): string {
  const parts = [`n° ${task.number} · ${task.values.intitule}`];
  const details = [
    task.values.responsable?.nom,
    task.values.fin ? `fin le ${formatDate(task.values.fin)}` : undefined,
    stateText(task, today),
    withCollectivite ? task.collectivite.name : undefined,
  ].filter(Boolean);
  return `• ${parts.join('')} — ${details.join(' · ')}`;
}

const plural = (count: number, word: string) => `${count} ${word}${count > 1 ? 's' : ''}`;

function phaseCounts(tasks: Task[]): string {
  const counts = new Map<TaskState, number>();
  for (const task of tasks) counts.set(task.values.etat, (counts.get(task.values.etat) ?? 0) + 1);
  const parts = (['fait', 'en_cours', 'a_faire', 'abandonne'] as TaskState[])
    .filter((state) => counts.has(state))
    .map((state) => `${counts.get(state)} ${TASK_STATE_LABELS[state]}`);
  return `${plural(tasks.length, 'tâche')} (${parts.join(', ')})`;
}

/**
 * The compact view: per phase its counts, what is late, what is due within 14 days; buttons to open a
 * phase or a task, add one, and export.
 */
export function compactView(
  collectivite: { id: string; name: string },
  tasks: Task[],
  today: string,
  options: { canEdit: boolean },
): Pick<Reply, 'text' | 'choices'> {
  if (tasks.length === 0) {
    const choices = options.canEdit
      ? [
          dashboardChoice(
            'Partir des tâches d’exemple du guide',
            { kind: 'prefiguration', collectiviteId: collectivite.id },
            'primary',
          ),
          dashboardChoice('Ajouter une tâche', { kind: 'new_task', collectiviteId: collectivite.id }),
        ]
      : [];
    return {
      text: `*Tableau de bord de ${collectivite.name}* : aucune tâche pour l’instant.${options.canEdit ? ' Vous pouvez partir des tâches d’exemple de la préfiguration du guide (rencontres avec les acteurs concernés, échanges-concertation, instances de gouvernance, validation des orientations), ou ajouter vos tâches une à une.' : ''}`,
      choices,
    };
  }
  const soon = addDays(today, SOON_DAYS);
  const open = (task: Task) => task.values.etat === 'a_faire' || task.values.etat === 'en_cours';
  const late = tasks.filter((task) => isLate(task.values, today));
  const due = tasks
    .filter(
      (task) =>
        open(task) && task.values.fin !== undefined && task.values.fin >= today && task.values.fin <= soon,
    )
    .sort((a, b) => a.values.fin!.localeCompare(b.values.fin!));
  const lines = [`*Tableau de bord de ${collectivite.name}* (au ${formatDate(today)}) :`];
  const phases = PHASES.filter((phase) => tasks.some((task) => task.values.phase === phase.id));
  for (const phase of PHASES) {
    const ofPhase = tasks.filter((task) => task.values.phase === phase.id);
    if (ofPhase.length > 0) lines.push(`• *${phase.label}* : ${phaseCounts(ofPhase)}`);
  }
  lines.push('', late.length > 0 ? `*En retard* (${late.length}) :` : 'Aucune tâche en retard.');
  lines.push(...late.slice(0, 8).map((task) => taskLine(task, today)));
  lines.push(
    '',
    due.length > 0
      ? `*À échéance dans les ${SOON_DAYS} jours* (${due.length}) :`
      : `Rien n’arrive à échéance dans les ${SOON_DAYS} jours.`,
  );
  lines.push(...due.slice(0, 8).map((task) => taskLine(task, today)));
  const choices: Choice[] = [
    ...phases.map((phase) =>
      dashboardChoice(phase.label, { kind: 'phase', collectiviteId: collectivite.id, phase: phase.id }),
    ),
    ...[...late, ...due]
      .slice(0, 3)
      .map((task) => dashboardChoice(`Tâche n° ${task.number}`, { kind: 'open_task', taskId: task.id })),
    ...(options.canEdit
      ? [dashboardChoice('Ajouter une tâche', { kind: 'new_task', collectiviteId: collectivite.id })]
      : []),
    dashboardChoice('Excel', { kind: 'export', collectiviteId: collectivite.id, format: 'xlsx' }),
    dashboardChoice('Gantt', { kind: 'export', collectiviteId: collectivite.id, format: 'png' }),
  ];
  return { text: lines.join('\n'), choices };
}

/** A generic recap card of a form's values, section by section, with its edit controls. */
export function formCard(form: FormDef, values: FormValues, title: string, subtitle: string): RecordCard {
  const sections: CardSection[] = form.sections
    .map((section) => {
      const fields = form.fields.filter((field) => field.section === section.id && isAsked(field, values));
      return {
        id: section.id,
        title: section.title,
        fields: fields.map((field) => ({
          label: field.label,
          value: hasValue(values, field.id) ? field.format(values[field.id]) : '',
          missing: field.required && !hasValue(values, field.id),
        })),
        edit: fields[0]
          ? { label: 'Modifier', actionId: FORM_ACTION, value: `${COMMAND_VALUE}edit:${fields[0].id}` }
          : undefined,
      };
    })
    .filter((section) => section.fields.length > 0);
  return { title, subtitle, sections };
}
