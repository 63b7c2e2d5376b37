import { z } from 'zod';
import type { FieldDef, FormDef, Parsed } from '../../core/forms/types.ts';
import { type ChoiceOption, parseChoice, parseYesNoPartial } from '../../core/french/index.ts';
import type { TaskChange } from './intents.ts';
import { TASK_STATE_LABELS, type Task } from './model.ts';
import { taskName } from './view.ts';

/**
 * A pending change of a task, as a one-question form on the engine: « oui » / « non » to the change, or
 * which task among several that match. Typed answers and buttons go through the same field parser.
 */

export const CONFIRM_FORM_ID = 'confirmation_tache';
export const ANSWER_FIELD = 'reponse';

/** What the session waits for: the answer to a change of one task, or the pick among several. */
export type PendingChange =
  | { kind: 'confirm'; taskId: string; state: TaskChange; collectiviteId: string }
  | { kind: 'pick'; taskIds: string[]; state: TaskChange; query: string };

export function confirmQuestion(task: Task, state: TaskChange): string {
  return state === 'delete'
    ? `Retirer la ${taskName(task)} (${task.collectivite.name}) du tableau de bord ? Son historique reste consultable.`
    : `Passer la ${taskName(task)} (${task.collectivite.name}) à l’état « ${TASK_STATE_LABELS[state]} » ?`;
}

export function pickQuestion(query: string, state: TaskChange): string {
  return `Plusieurs tâches correspondent à « ${query} » : laquelle ${state === 'delete' ? 'retirer du tableau de bord' : `passe « ${TASK_STATE_LABELS[state]} »`} ?`;
}

function formOf(question: string, options: ChoiceOption[], parse: (text: string) => Parsed<string>): FormDef {
  return {
    id: CONFIRM_FORM_ID,
    title: 'confirmation',
    sections: [{ id: 'confirmation', title: 'Confirmation' }],
    fields: [
      {
        id: ANSWER_FIELD,
        label: 'Réponse',
        section: 'confirmation',
        question,
        help: 'Répondez par « oui » pour confirmer ou « non » pour laisser la tâche telle quelle.',
        example: 'oui',
        required: true,
        parse,
        schema: z.string(),
        format: (value: string) => options.find((option) => option.id === value)?.label ?? value,
        options,
        maxChoices: 1,
        aliases: [],
      } satisfies FieldDef<string>,
    ],
  };
}

/** « oui », « ok », « c’est ça » or « non merci » to the change (or a button's label). */
export function confirmForm(task: Task, state: TaskChange): FormDef {
  const options: ChoiceOption[] = [
    { id: 'oui', label: state === 'delete' ? 'Oui, supprimer' : 'Oui, confirmer' },
    { id: 'non', label: 'Non' },
  ];
  return formOf(confirmQuestion(task, state), options, (text) => {
    const read = parseYesNoPartial(text);
    if (read.ok && read.value !== 'en_partie') return { ok: true, value: read.value, echo: read.value };
    return {
      ok: false,
      message: `Je n’ai pas compris. Répondez *oui* pour ${state === 'delete' ? 'retirer la tâche' : 'confirmer'}, ou *non* pour la laisser telle quelle.`,
    };
  });
}

/** « la deuxième », « 2 » or words of the intitulé: the engine's choice parser over the matching tasks. */
export function pickForm(
  tasks: Task[],
  query: string,
  state: TaskChange,
  severalCollectivites: boolean,
): FormDef {
  const options = tasks.map((task) => ({
    id: task.id,
    label: `n° ${task.number} · ${task.values.intitule}${severalCollectivites ? ` (${task.collectivite.name})` : ''}`,
    synonyms: [task.values.intitule],
  }));
  return formOf(pickQuestion(query, state), options, (text) => {
    const read = parseChoice(text, options);
    return read.ok ? { ok: true, value: read.value.id, echo: read.echo } : read;
  });
}
