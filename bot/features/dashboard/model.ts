import type { AuthorRef } from '../../core/people.ts';
import type { FieldChange, RecordVersion, VersionConflict } from '../../core/versions.ts';

/**
 * The tableau de bord of a collectivité (guide, Fiche 3 « Le suivi de mise en œuvre du projet »): tasks
 * per phase, who does them, when, what they deliver; and the suivi of each action per period (Fiche 5
 * « Tableau de suivi des actions par les acteurs »), the quarterly report to the ARS.
 */

/** The guide's phases, in order. */
export const PHASES = [
  { id: 'prefiguration', label: 'Préfiguration du projet' },
  { id: 'diagnostic', label: 'Diagnostic' },
  { id: 'plan_actions', label: 'Élaboration du plan d’actions' },
  { id: 'mise_en_oeuvre', label: 'Mise en œuvre du plan d’actions' },
  { id: 'suivi_evaluation', label: 'Suivi-évaluation des activités' },
  { id: 'evaluation', label: 'Évaluation de la coopérative d’acteurs' },
] as const;

export type PhaseId = (typeof PHASES)[number]['id'];

/** The guide's example tasks of the préfiguration phase, offered to start a new dashboard. */
export const PREFIGURATION_TASKS = [
  'Rencontres avec les acteurs concernés',
  'Échanges-concertation sur la préfiguration',
  'Mise en place des instances de gouvernance',
  'Validation des orientations-communication',
] as const;

/** Stored states; « en retard » is derived from the dates and the Paris calendar, never stored. */
export type TaskState = 'a_faire' | 'en_cours' | 'fait' | 'abandonne';

export const TASK_STATE_LABELS: Record<TaskState, string> = {
  a_faire: 'à faire',
  en_cours: 'en cours',
  fait: 'fait',
  abandonne: 'abandonné',
};

export interface Task {
  id: string;
  collectivite: { id: string; name: string };
  /** Number within its collectivité, shown as « tâche n° 12 ». */
  number: number;
  values: TaskValues;
  version: number;
  createdBy: AuthorRef;
  createdAt: Date;
  updatedAt: Date;
}

/** A task's fields: the columns of the guide's dashboard, normalized. */
export interface TaskValues {
  intitule: string;
  phase: PhaseId;
  /** A person of the collectivité (with their id) or a named partner. */
  responsable?: { nom: string; personId?: string };
  /** YYYY-MM-DD. */
  debut?: string;
  fin?: string;
  livrables?: string;
  etat: TaskState;
  ficheId?: string;
  /** Another task this one waits for. */
  dependDe?: string;
  programme?: string;
}

/** Late: not done nor dropped, and its end date is before today (Europe/Paris). */
export function isLate(task: Pick<TaskValues, 'etat' | 'fin'>, today: string): boolean {
  return task.etat !== 'fait' && task.etat !== 'abandonne' && task.fin !== undefined && task.fin < today;
}

export interface TaskCommit {
  taskId: string;
  expectedVersion: number;
  values: TaskValues;
  changes: FieldChange[];
  author: AuthorRef;
  note?: string;
}

export interface TaskRepository {
  create(input: { collectiviteId: string; values: TaskValues; author: AuthorRef }): Promise<Task>;
  get(taskId: string): Promise<Task | undefined>;
  findByNumber(collectiviteId: string, number: number): Promise<Task | undefined>;
  /** Tasks of these collectivités, by phase order then start date. */
  list(filter: { collectiviteIds: string[] }): Promise<Task[]>;
  commit(commit: TaskCommit): Promise<{ ok: true; task: Task } | VersionConflict>;
  history(taskId: string): Promise<RecordVersion[]>;
}

/** Answers of the guide's suivi questions. */
export type YesNoPartial = 'oui' | 'non' | 'en_partie';

/**
 * The suivi's values, by field id (the guide's « Tableau de suivi des actions par les acteurs », Fiche 5):
 * - B: `ressources`, `groupes_cibles`, `realisation` (YesNoPartial) each with `<id>_pourquoi` (text, when
 *   not « oui »); `objectifs` (YesNoPartial, shown « Partiellement ») with `objectifs_justification`;
 *   `indicateur_activite_1..3` and `indicateur_resultat_1..3`: the value reached (text, « 8 ateliers »), for
 *   the fiche's indicators at the same position (label and valeur prévisionnelle come from the fiche);
 * - C: `contribution_cooperation`, `contribution_pratiques`, `contribution_ists`, `contribution_parcours`
 *   (YesNoPartial) each with `<id>_aspects` (text);
 * - D: `freins`, `leviers`, `pistes` (text);
 * - annual bilan only: `reconduction` ('reconduire' | 'adapter' | 'arreter') and `reconduction_justification`.
 */
export const SUIVI_QUESTIONS = {
  ressources: 'Les ressources ont été mobilisées comme prévu',
  groupes_cibles: 'Les groupes cibles ont été atteints comme prévu',
  realisation: 'Les actions ont été réalisées et sont conformes à la programmation',
  objectifs: 'Les objectifs cibles ont été atteints',
  contribution_cooperation: 'L’action a contribué à améliorer la dynamique de coopération',
  contribution_pratiques: 'L’action a contribué à l’amélioration des pratiques',
  contribution_ists: 'L’action a contribué à activer des leviers permettant d’agir sur les ISTS',
  contribution_parcours: 'L’action a contribué à l’amélioration du parcours de santé des bénéficiaires',
  freins: 'Freins identifiés',
  leviers: 'Leviers identifiés',
  pistes: 'Pistes d’amélioration',
} as const;

export type SuiviKind = 'trimestriel' | 'annuel';

export interface Suivi {
  id: string;
  ficheId: string;
  collectivite: { id: string; name: string };
  /** « 2027-T2 » for a quarter, « 2027-A » for the annual bilan. */
  period: string;
  kind: SuiviKind;
  values: Record<string, unknown>;
  status: 'brouillon' | 'soumis';
  version: number;
  createdBy: AuthorRef;
  createdAt: Date;
  updatedAt: Date;
}

export interface SuiviRepository {
  /** One suivi per action and period: a second one edits the first. */
  findOrCreate(input: {
    ficheId: string;
    period: string;
    kind: SuiviKind;
    author: AuthorRef;
  }): Promise<Suivi>;
  get(suiviId: string): Promise<Suivi | undefined>;
  list(filter: { collectiviteIds: string[]; period?: string }): Promise<Suivi[]>;
  commit(commit: {
    suiviId: string;
    expectedVersion: number;
    values: Record<string, unknown>;
    changes: FieldChange[];
    author: AuthorRef;
    status?: Suivi['status'];
  }): Promise<{ ok: true; suivi: Suivi } | VersionConflict>;
  history(suiviId: string): Promise<RecordVersion[]>;
}
