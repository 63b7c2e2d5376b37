import { addDays, addMonths } from '../../core/french/calendar.ts';
import {
  PHASES,
  PREFIGURATION_TASKS,
  type Suivi,
  type Task,
  type TaskState,
  type TaskValues,
} from '../../features/dashboard/model.ts';
import { conventionFiches } from '../example-fiche.ts';
import type { DashboardXlsxInput } from './xlsx.ts';

/**
 * A realistic dashboard of a fictitious collectivité, « Commune de Démoville (démo) », on 15 June 2027: the
 * guide's préfiguration tasks, then diagnostic, plan d'actions and the following phases, with done, current,
 * late, dropped and undated tasks; three actions and the suivis of the second quarter. For the README's
 * pictures and the tests; the bench uses `generatedTasks`.
 */

const CREATED = new Date('2027-01-04T09:00:00Z');
const DEMOVILLE = { id: 'demoville', name: 'Commune de Démoville (démo)' };

function task(collectivite: Task['collectivite'], number: number, values: TaskValues): Task {
  return {
    id: `${collectivite.id}-tache-${number}`,
    collectivite,
    number,
    values,
    version: 1,
    createdBy: { name: 'Camille Martin' },
    createdAt: CREATED,
    updatedAt: CREATED,
  };
}

type Line = [
  phase: TaskValues['phase'],
  intitule: string,
  responsable: string | undefined,
  debut: string | undefined,
  fin: string | undefined,
  livrables: string | undefined,
  etat: TaskState,
];

const [rencontres, concertation, gouvernance, validation] = PREFIGURATION_TASKS;

const LINES: Line[] = [
  ['prefiguration', rencontres, 'Camille Martin', '2027-01-04', '2027-02-26', 'Carte des acteurs', 'fait'],
  ['prefiguration', concertation, 'Camille Martin', '2027-02-01', '2027-03-19', 'Comptes rendus', 'fait'],
  [
    'prefiguration',
    gouvernance,
    'Élu délégué à la santé',
    '2027-03-01',
    '2027-03-31',
    'COPIL et cotech',
    'fait',
  ],
  [
    'prefiguration',
    validation,
    'Comité de pilotage',
    '2027-04-08',
    '2027-04-08',
    'Relevé de décisions',
    'fait',
  ],
  [
    'prefiguration',
    'Charte graphique de la coopérative',
    'Service communication',
    undefined,
    undefined,
    undefined,
    'a_faire',
  ],
  [
    'diagnostic',
    'Données quantitatives (INSEE, CPAM, ORS)',
    'ORS Île-de-France',
    '2027-03-15',
    '2027-05-14',
    'Portrait statistique',
    'fait',
  ],
  [
    'diagnostic',
    'Questionnaire en ligne aux habitants',
    'Camille Martin',
    '2027-04-01',
    '2027-05-31',
    undefined,
    'abandonne',
  ],
  [
    'diagnostic',
    'Entretiens et groupes d’habitants',
    'Centre social Les Tilleuls',
    '2027-04-01',
    '2027-07-09',
    'Synthèse qualitative',
    'en_cours',
  ],
  [
    'diagnostic',
    'Rédaction du diagnostic local de santé',
    'Camille Martin',
    '2027-05-03',
    '2027-06-04',
    'Diagnostic partagé',
    'en_cours',
  ],
  [
    'diagnostic',
    'Restitution du diagnostic en COPIL',
    'Comité de pilotage',
    '2027-07-13',
    '2027-07-13',
    'Priorités retenues',
    'a_faire',
  ],
  [
    'plan_actions',
    'Arbre des objectifs',
    'Groupe de travail',
    '2027-09-06',
    '2027-10-15',
    'Objectifs validés',
    'a_faire',
  ],
  [
    'plan_actions',
    'Rédaction des fiches-actions',
    'Porteurs d’actions',
    '2027-10-04',
    '2027-11-26',
    'Fiches-actions',
    'a_faire',
  ],
  [
    'plan_actions',
    'Signature de la convention de partenariat',
    'ARS (DD 77) et mairie',
    '2027-12-14',
    '2027-12-14',
    'Convention signée',
    'a_faire',
  ],
  [
    'mise_en_oeuvre',
    'Ateliers cuisine et santé pour les familles',
    'Centre social Les Tilleuls',
    '2028-01-10',
    '2028-06-30',
    '10 ateliers',
    'a_faire',
  ],
  [
    'mise_en_oeuvre',
    'Formation des professionnels au repérage',
    'CCAS',
    '2028-02-05',
    '2028-04-28',
    '3 sessions',
    'a_faire',
  ],
  [
    'suivi_evaluation',
    'Comité de pilotage de suivi',
    'Camille Martin',
    '2028-03-14',
    '2028-03-14',
    'Tableau de bord à jour',
    'a_faire',
  ],
  [
    'suivi_evaluation',
    'Bilan trimestriel à l’ARS (T1 2028)',
    'Porteurs d’actions',
    '2028-04-03',
    '2028-04-14',
    'Suivis des actions',
    'a_faire',
  ],
  [
    'evaluation',
    'Bilan annuel et reconduction des actions',
    'Comité de pilotage',
    '2028-09-18',
    '2028-11-10',
    'Bilan annuel',
    'a_faire',
  ],
];

export const EXAMPLE_TODAY = '2027-06-15';

export function exampleTasks(collectivite: Task['collectivite'] = DEMOVILLE): Task[] {
  return LINES.map(([phase, intitule, responsable, debut, fin, livrables, etat], index) =>
    task(collectivite, index + 1, {
      intitule,
      phase,
      etat,
      ...(responsable ? { responsable: { nom: responsable } } : {}),
      ...(debut ? { debut } : {}),
      ...(fin ? { fin } : {}),
      ...(livrables ? { livrables } : {}),
    }),
  );
}

function suivi(fiche: { id: string }, status: Suivi['status'], values: Record<string, unknown>): Suivi {
  return {
    id: `suivi-${fiche.id}`,
    ficheId: fiche.id,
    collectivite: DEMOVILLE,
    period: '2027-T2',
    kind: 'trimestriel',
    values,
    status,
    version: 1,
    createdBy: { name: 'Camille Martin' },
    createdAt: CREATED,
    updatedAt: CREATED,
  };
}

/** The Démoville dashboard: tasks, three actions, a submitted suivi, a draft and a missing one. */
export function exampleDashboard(): DashboardXlsxInput {
  const fiches = conventionFiches(3).map((fiche) => ({ ...fiche, collectivite: DEMOVILLE }));
  const [first, second] = fiches as [(typeof fiches)[number], (typeof fiches)[number]];
  return {
    collectivite: DEMOVILLE,
    tasks: exampleTasks(),
    fiches,
    suivis: [
      suivi(first, 'soumis', {
        ressources: 'oui',
        groupes_cibles: 'en_partie',
        groupes_cibles_pourquoi: 'Peu de pères aux ateliers du samedi',
        realisation: 'oui',
        objectifs: 'en_partie',
        objectifs_justification: '8 ateliers sur 10, les deux derniers en juillet',
        indicateur_activite_1: '8',
        indicateur_activite_2: '31',
        indicateur_resultat_1: '55 %',
        contribution_cooperation: 'oui',
        contribution_cooperation_aspects: 'Centre social et PMI animent ensemble',
        contribution_pratiques: 'en_partie',
        contribution_ists: 'oui',
        contribution_ists_aspects: 'Participation des habitants du quartier prioritaire',
        contribution_parcours: 'non',
        freins: 'Horaires peu adaptés aux familles monoparentales',
        leviers: 'Repas partagé en fin d’atelier',
        pistes: 'Un atelier le mercredi après-midi',
      }),
      suivi(second, 'brouillon', { ressources: 'non', ressources_pourquoi: 'Diététicienne absente en mai' }),
    ],
    period: '2027-T2',
    today: EXAMPLE_TODAY,
  };
}

/**
 * `count` tasks spread over the six phases and three years, in every state, some late, some undated,
 * some milestones: the bench's dashboards.
 */
export function generatedTasks(collectivite: Task['collectivite'], count: number): Task[] {
  const states: TaskState[] = ['fait', 'en_cours', 'a_faire', 'a_faire', 'abandonne'];
  return Array.from({ length: count }, (_, index) => {
    const phase = PHASES[Math.floor((index * PHASES.length) / count)]!;
    const debut = addDays(addMonths('2027-01-04', Math.floor((index * 30) / count)), (index * 7) % 28);
    const milestone = index % 9 === 0;
    const undated = index % 23 === 0;
    return task(collectivite, index + 1, {
      intitule: `${LINES[index % LINES.length]![1]} (${index + 1})`,
      phase: phase.id,
      etat: states[index % states.length]!,
      responsable: { nom: LINES[index % LINES.length]![2] ?? 'Camille Martin' },
      ...(undated ? {} : { debut, fin: milestone ? debut : addDays(debut, 20 + ((index * 13) % 90)) }),
      livrables: 'Compte rendu',
    });
  });
}
