import { z } from 'zod';
import type { FieldContext, FieldDef, FieldOption, FormDef, Parsed } from '../../core/forms/types.ts';
import { formatDate, parseChoice, parseDate } from '../../core/french/index.ts';
import { PHASES, type PhaseId, TASK_STATE_LABELS, type TaskState } from './model.ts';

/**
 * A task of the tableau de bord, field by field, in the guide's columns (Fiche 3: ÉTAPES, QUI ?
 * Responsable, Date début, Date fin, Livrables ?), plus its phase, its état and its optional links. The
 * values are the stored TaskValues themselves.
 */

export const TASK_FORM_ID = 'tache';

/** Run-time choices of a task form: the collectivité's people, fiches and other tasks. */
export interface TaskLookups {
  people: FieldOption[];
  fiches: FieldOption[];
  tasks: FieldOption[];
}

const text =
  (max: number, what: string, example: string) =>
  (value: string): Parsed<string> => {
    const trimmed = value.trim();
    if (trimmed.length < 2)
      return { ok: false, message: `Il me faut ${what}, par exemple : « ${example} ».` };
    return { ok: true, value: trimmed.slice(0, max), echo: trimmed.slice(0, max) };
  };

const textSchema = (max: number) => z.string().trim().min(2).max(max);

export const PHASE_OPTIONS: FieldOption[] = PHASES.map((phase, index) => ({
  id: phase.id,
  label: phase.label,
  synonyms: [
    String(index + 1),
    ...({
      prefiguration: ['prefiguration', 'preparation'],
      diagnostic: ['diagnostic', 'dls', 'diag'],
      plan_actions: ['plan d actions', 'elaboration', 'plan'],
      mise_en_oeuvre: ['mise en oeuvre', 'realisation', 'mise en place des actions'],
      suivi_evaluation: ['suivi', 'suivi evaluation', 'suivi des activites'],
      evaluation: ['evaluation', 'evaluation finale', 'evaluation de la cooperative'],
    }[phase.id] ?? []),
  ],
}));

export const STATE_OPTIONS: FieldOption[] = (Object.keys(TASK_STATE_LABELS) as TaskState[]).map((state) => ({
  id: state,
  label: TASK_STATE_LABELS[state].replace(/^./, (first) => first.toUpperCase()),
  synonyms: {
    a_faire: ['a faire', 'pas commence', 'prevu'],
    en_cours: ['en cours', 'commence', 'demarre'],
    fait: ['fait', 'termine', 'fini', 'realise'],
    abandonne: ['abandonne', 'annule', 'arrete'],
  }[state],
}));

const phaseLabel = (id: string) => PHASES.find((phase) => phase.id === id)?.label ?? id;

/** A single pick among run-time options, as its id. */
function pick(text: string, options: FieldOption[], none: string): Parsed<string> {
  if (options.length === 0) return { ok: false, message: none };
  const parsed = parseChoice(text, options);
  if (!parsed.ok) return parsed;
  const option = options.find((candidate) => candidate.id === parsed.value.id)!;
  return { ok: true, value: option.id, echo: option.label };
}

const lookup = (context: { lookups?: Record<string, FieldOption[]> }, name: keyof TaskLookups) =>
  context.lookups?.[name] ?? [];

/** A person of the collectivité (by name) or, when nobody matches, a partner named as typed. */
function parseResponsable(value: string, context: FieldContext): Parsed<{ nom: string; personId?: string }> {
  const name = value.trim().replace(/\s+/g, ' ');
  if (name.length < 2)
    return {
      ok: false,
      message: 'Il me faut un nom : une personne de la collectivité, ou un partenaire (« CCAS »).',
    };
  const people = lookup(context, 'people');
  const found = people.length > 0 ? parseChoice(name, people) : undefined;
  if (found?.ok) {
    const person = people.find((option) => option.id === found.value.id)!;
    return { ok: true, value: { nom: person.label, personId: person.id }, echo: person.label };
  }
  return { ok: true, value: { nom: name.slice(0, 120) }, echo: `${name.slice(0, 120)} (partenaire)` };
}

function dateField(id: 'debut' | 'fin'): FieldDef<string> {
  const start = id === 'debut';
  return {
    id,
    label: start ? 'Date début' : 'Date fin',
    section: 'calendrier',
    question: start ? 'Quand la tâche commence-t-elle ?' : 'Quand doit-elle être terminée ?',
    help: 'Les dates placent la tâche dans le tableau de bord (une colonne par mois) ; une tâche non terminée après sa date de fin apparaît « en retard ».',
    example: start ? '1er mars 2027' : 'fin avril 2027',
    required: false,
    parse: (value, context) => {
      const parsed = parseDate(value, { today: context.today, bias: start ? 'start' : 'end' });
      if (!parsed.ok) return parsed;
      const other = context.values[start ? 'fin' : 'debut'] as string | undefined;
      if (other && (start ? parsed.value > other : parsed.value < other)) {
        return {
          ok: false,
          message: start
            ? `La date de début (${formatDate(parsed.value)}) tombe après la date de fin (${formatDate(other)}). Indiquez une date au plus tard le ${formatDate(other)}, ou modifiez d’abord la date de fin.`
            : `La date de fin (${formatDate(parsed.value)}) précède la date de début (${formatDate(other)}). Indiquez une date à partir du ${formatDate(other)}.`,
        };
      }
      return parsed;
    },
    schema: z.iso.date(),
    format: (value) => formatDate(value),
    aliases: start
      ? ['date de debut', 'debut', 'date debut']
      : ['date de fin', 'fin', 'date fin', 'echeance'],
  };
}

const FIELDS: FormDef['fields'] = [
  {
    id: 'intitule',
    label: 'Étape',
    section: 'tache',
    question: 'Quelle est la tâche (son intitulé) ?',
    help: 'Une tâche du tableau de bord : ce qui est à faire, en quelques mots, comme dans la colonne ÉTAPES du guide.',
    example: 'Diagnostic quantitatif',
    required: true,
    parse: text(200, 'un intitulé', 'Diagnostic quantitatif'),
    schema: textSchema(200),
    format: String,
    maxLength: 200,
    aliases: ['intitule', 'etape', 'titre', 'nom de la tache'],
  },
  {
    id: 'phase',
    label: 'Phase',
    section: 'tache',
    question: 'Dans quelle phase du projet se place-t-elle ?',
    help: 'Les phases du guide, dans l’ordre : préfiguration, diagnostic, élaboration du plan d’actions, mise en œuvre, suivi-évaluation des activités, évaluation de la coopérative d’acteurs.',
    example: 'Diagnostic',
    required: true,
    options: PHASE_OPTIONS,
    parse: (value) => pick(value, PHASE_OPTIONS, ''),
    schema: z.enum(PHASES.map((phase) => phase.id) as [PhaseId, ...PhaseId[]]),
    format: phaseLabel,
    aliases: ['phase', 'etape du projet'],
  },
  {
    id: 'responsable',
    label: 'QUI ? Responsable',
    section: 'tache',
    question: 'Qui en est responsable ? Une personne de la collectivité, ou un partenaire.',
    help: 'Le nom d’une personne inscrite dans Boussole pour la collectivité (les boutons), ou celui d’un partenaire (« CCAS », « Promotion Santé IDF »).',
    example: 'CCAS',
    required: false,
    options: (context) => lookup(context, 'people'),
    parse: parseResponsable,
    schema: z.object({ nom: z.string().min(2).max(120), personId: z.string().optional() }),
    format: (value) => value.nom,
    maxLength: 120,
    aliases: ['responsable', 'qui', 'porteur'],
  },
  dateField('debut'),
  dateField('fin'),
  {
    id: 'livrables',
    label: 'Livrables ?',
    section: 'calendrier',
    question: 'Quels livrables sont attendus ?',
    help: 'Ce que la tâche produit : un compte rendu, un rapport de diagnostic, une charte…',
    example: 'Rapport de diagnostic',
    required: false,
    parse: text(500, 'les livrables', 'Rapport de diagnostic'),
    schema: textSchema(500),
    format: String,
    maxLength: 500,
    aliases: ['livrables', 'livrable'],
  },
  {
    id: 'etat',
    label: 'État',
    section: 'suivi',
    question: 'Où en est la tâche ?',
    help: '« En retard » n’est pas un état : Boussole le déduit de la date de fin.',
    example: 'En cours',
    required: true,
    options: STATE_OPTIONS,
    parse: (value) => pick(value, STATE_OPTIONS, ''),
    schema: z.enum(['a_faire', 'en_cours', 'fait', 'abandonne']),
    format: (value) => TASK_STATE_LABELS[value as TaskState],
    aliases: ['etat', 'statut', 'avancement'],
  },
  {
    id: 'ficheId',
    label: 'Fiche-action liée',
    section: 'suivi',
    question: 'Cette tâche se rattache-t-elle à une fiche-action ?',
    help: 'Facultatif : la fiche-action que la tâche met en œuvre.',
    example: 'n° 2',
    required: false,
    options: (context) => lookup(context, 'fiches'),
    parse: (value, context) =>
      pick(
        value,
        lookup(context, 'fiches'),
        'La collectivité n’a pas encore de fiche-action : dites *passer*.',
      ),
    schema: z.string().min(1),
    format: String,
    aliases: ['fiche', 'fiche action', 'fiche liee'],
  },
  {
    id: 'dependDe',
    label: 'Dépend de',
    section: 'suivi',
    question: 'Dépend-elle d’une autre tâche (qui doit être faite avant) ?',
    help: 'Facultatif : le guide ordonne les tâches « en fonction de leur criticité, des charges … et de leurs éventuelles dépendances ».',
    example: 'Rencontres avec les acteurs concernés',
    required: false,
    options: (context) => lookup(context, 'tasks'),
    parse: (value, context) =>
      pick(value, lookup(context, 'tasks'), 'Il n’y a pas encore d’autre tâche : dites *passer*.'),
    schema: z.string().min(1),
    format: String,
    aliases: ['dependance', 'depend de', 'prerequis'],
  },
];

/**
 * The task form for a collectivité: the links are asked only when there is something to link to. The
 * fiche and the dependency are shown by their labels (the ids stay in the values).
 */
export function taskForm(lookups: TaskLookups): FormDef {
  const labelIn = (options: FieldOption[]) => (id: unknown) =>
    options.find((option) => option.id === id)?.label ?? 'introuvable';
  return {
    id: TASK_FORM_ID,
    title: 'tâche',
    sections: [
      { id: 'tache', title: 'Tâche' },
      { id: 'calendrier', title: 'Calendrier et livrables' },
      { id: 'suivi', title: 'Suivi' },
    ],
    fields: FIELDS.filter(
      (field) =>
        (field.id !== 'ficheId' || lookups.fiches.length > 0) &&
        (field.id !== 'dependDe' || lookups.tasks.length > 0),
    ).map((field) =>
      field.id === 'ficheId'
        ? { ...field, format: labelIn(lookups.fiches) }
        : field.id === 'dependDe'
          ? { ...field, format: labelIn(lookups.tasks) }
          : field,
    ),
  };
}
