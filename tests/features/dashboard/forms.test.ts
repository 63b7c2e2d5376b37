import { describe, expect, it } from 'vitest';
import { startForm, stepForm } from '../../../bot/core/forms/engine.ts';
import type { FormDef, FormState } from '../../../bot/core/forms/types.ts';
import { matchTasks } from '../../../bot/features/dashboard/actions.ts';
import { ANSWER_FIELD, confirmForm, pickForm } from '../../../bot/features/dashboard/confirm-form.ts';
import type { Task } from '../../../bot/features/dashboard/model.ts';
import { suiviForm } from '../../../bot/features/dashboard/suivi-form.ts';
import { taskForm } from '../../../bot/features/dashboard/task-form.ts';
import type { Fiche } from '../../../bot/features/fiches/model.ts';

const TODAY = '2027-03-15';
const lookups = {
  people: [{ id: 'p1', label: 'Camille Démo' }],
  fiches: [{ id: 'f1', label: 'n° 1 · Ateliers cuisine' }],
  tasks: [{ id: 't1', label: 'n° 1 · Rencontres avec les acteurs concernés' }],
};

/** Answers each question in turn; returns the last state and the last step's messages. */
function run(form: FormDef, answers: string[], start: Record<string, unknown> = {}) {
  let state: FormState = startForm(form, start).state;
  let messages: unknown[] = [];
  for (const text of answers) {
    const step = stepForm(form, state, { kind: 'text', text }, { today: TODAY, lookups });
    state = step.state;
    messages = step.messages;
  }
  return { state, messages };
}

describe('the task form', () => {
  const form = taskForm(lookups);

  it('asks the guide’s columns and normalizes the answers', () => {
    const { state } = run(
      form,
      [
        'Diagnostic quantitatif',
        'diagnostic',
        'camille',
        '1er avril',
        'fin mai',
        'Rapport',
        'passer',
        'rencontres',
      ],
      { etat: 'a_faire' },
    );
    expect(state.cursor).toEqual({ kind: 'recap' });
    expect(state.values).toEqual({
      etat: 'a_faire',
      intitule: 'Diagnostic quantitatif',
      phase: 'diagnostic',
      responsable: { nom: 'Camille Démo', personId: 'p1' },
      debut: '2027-04-01',
      fin: '2027-05-31',
      livrables: 'Rapport',
      dependDe: 't1',
    });
  });

  it('takes a partner by name, and refuses an end before the start', () => {
    const { state, messages } = run(form, ['Réunion', '2', 'CCAS de Démoville', '10/04/2027', '09/04/2027'], {
      etat: 'a_faire',
    });
    expect(state.values.responsable).toEqual({ nom: 'CCAS de Démoville' });
    expect(state.cursor).toEqual({ kind: 'field', fieldId: 'fin' });
    expect(JSON.stringify(messages)).toContain('précède la date de début');
  });

  it('asks the links only when there is something to link', () => {
    const bare = taskForm({ people: [], fiches: [], tasks: [] });
    expect(bare.fields.map((field) => field.id)).toEqual([
      'intitule',
      'phase',
      'responsable',
      'debut',
      'fin',
      'livrables',
      'etat',
    ]);
  });
});

const fiche = {
  id: 'f1',
  number: 1,
  title: 'Ateliers cuisine',
  values: {
    indicateurs_activite: [{ libelle: 'Nombre d’ateliers', cible: '10' }],
    indicateurs_resultat: [
      { libelle: 'Familles qui cuisinent', cible: '60 %' },
      { libelle: 'Satisfaction', cible: '80 %' },
    ],
  },
} as unknown as Fiche;

describe('the suivi form', () => {
  it('follows the guide’s table: B with « pourquoi ? » when not OUI, the indicators, C, D', () => {
    const form = suiviForm(fiche, 'trimestriel');
    expect(form.fields.map((field) => field.id)).toEqual([
      'ressources',
      'ressources_pourquoi',
      'groupes_cibles',
      'groupes_cibles_pourquoi',
      'realisation',
      'realisation_pourquoi',
      'objectifs',
      'objectifs_justification',
      'indicateur_activite_1',
      'indicateur_resultat_1',
      'indicateur_resultat_2',
      'contribution_cooperation',
      'contribution_cooperation_aspects',
      'contribution_pratiques',
      'contribution_pratiques_aspects',
      'contribution_ists',
      'contribution_ists_aspects',
      'contribution_parcours',
      'contribution_parcours_aspects',
      'freins',
      'leviers',
      'pistes',
    ]);
    const { state } = run(form, ['oui', 'non', 'Pas de public le soir', 'en partie']);
    expect(state.values).toEqual({
      ressources: 'oui',
      groupes_cibles: 'non',
      groupes_cibles_pourquoi: 'Pas de public le soir',
      realisation: 'en_partie',
    });
    expect(state.cursor).toEqual({ kind: 'field', fieldId: 'realisation_pourquoi' });
    expect(form.fields.find((field) => field.id === 'indicateur_resultat_2')?.question).toBe(
      'Quelle valeur a été atteinte pour « Satisfaction » ? Valeur prévisionnelle : 80 %.',
    );
  });

  it('adds the renewal proposal to the annual bilan', () => {
    const form = suiviForm(fiche, 'annuel');
    expect(form.fields.slice(-2).map((field) => field.id)).toEqual([
      'reconduction',
      'reconduction_justification',
    ]);
    const renewal = form.fields.find((field) => field.id === 'reconduction')!;
    expect(renewal.parse('en l’adaptant', { today: TODAY, values: {} })).toMatchObject({
      ok: true,
      value: 'adapter',
    });
  });
});

describe('finding a task by its words', () => {
  const task = (number: number, intitule: string) =>
    ({ id: `t${number}`, number, values: { intitule } }) as Task;
  const tasks = [
    task(1, 'Diagnostic quantitatif'),
    task(2, 'Diagnostic qualitatif'),
    task(3, 'Rencontres avec les acteurs concernés'),
  ];

  it('matches accents and case away, and by number', () => {
    expect(matchTasks(tasks, 'diagnostic QUANTITATIF').map((found) => found.number)).toEqual([1]);
    expect(matchTasks(tasks, 'rencontre des acteurs').map((found) => found.number)).toEqual([3]);
    expect(matchTasks(tasks, '2').map((found) => found.number)).toEqual([2]);
  });

  it('returns every equally good match, for buttons', () => {
    expect(matchTasks(tasks, 'diagnostic').map((found) => found.number)).toEqual([1, 2]);
    expect(matchTasks(tasks, 'charte de gouvernance')).toEqual([]);
  });
});

describe('a pending change, typed or clicked', () => {
  const task = (number: number, intitule: string) =>
    ({
      id: `t${number}`,
      number,
      values: { intitule },
      collectivite: { id: 'c1', name: 'Démoville' },
    }) as Task;
  const diagnostics = [task(1, 'Diagnostic quantitatif'), task(2, 'Diagnostic qualitatif')];
  const answer = (form: FormDef, input: { kind: 'text'; text: string } | { kind: 'choice'; value: string }) =>
    stepForm(form, startForm(form).state, input, { today: TODAY });
  const read = (form: FormDef, text: string) =>
    answer(form, { kind: 'text', text }).state.values[ANSWER_FIELD];

  it('reads « oui », « ok », « vas-y », « oui c’est ça » and « non merci » like the buttons', () => {
    const form = confirmForm(diagnostics[0]!, 'fait');
    expect(form.fields[0]!.question).toBe(
      'Passer la tâche n° 1 « Diagnostic quantitatif » (Démoville) à l’état « fait » ?',
    );
    for (const text of ['oui', 'Oui c’est ça', 'ok', 'vas-y', 'tout à fait'])
      expect(read(form, text), text).toBe('oui');
    for (const text of ['non', 'non merci', 'pas du tout']) expect(read(form, text), text).toBe('non');
    expect(answer(form, { kind: 'choice', value: 'oui' }).state.values[ANSWER_FIELD]).toBe('oui');
    expect(answer(form, { kind: 'choice', value: 'non' }).state.values[ANSWER_FIELD]).toBe('non');
  });

  it('asks again in French when unclear, and answers a methodology question aside', () => {
    const form = confirmForm(diagnostics[0]!, 'delete');
    const unclear = answer(form, { kind: 'text', text: 'peut-être' });
    expect(unclear.state.values[ANSWER_FIELD]).toBeUndefined();
    expect(unclear.messages[0]).toMatchObject({
      kind: 'invalid',
      message:
        'Je n’ai pas compris. Répondez *oui* pour retirer la tâche, ou *non* pour la laisser telle quelle.',
    });
    expect(read(form, 'en partie')).toBeUndefined();
    const aside = answer(form, { kind: 'text', text: 'c’est quoi un diagnostic partagé ?' });
    expect(aside.effect).toEqual({ kind: 'side_question', question: 'c’est quoi un diagnostic partagé ?' });
    expect(aside.state.values).toEqual({});
  });

  it('picks among several tasks by rank, number or words of the intitulé', () => {
    const form = pickForm(diagnostics, 'diagnostic', 'fait', false);
    expect(read(form, 'la première')).toBe('t1');
    expect(read(form, 'la deuxième')).toBe('t2');
    expect(read(form, '2')).toBe('t2');
    expect(read(form, 'qualitatif')).toBe('t2');
    expect(read(form, 'diagnostic quantitatif')).toBe('t1');
    expect(answer(form, { kind: 'choice', value: 't2' }).state.values[ANSWER_FIELD]).toBe('t2');
    expect(read(form, 'diagnostic')).toBeUndefined();
  });
});
