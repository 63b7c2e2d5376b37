import { z } from 'zod';
import type {
  FieldContext,
  FieldDef,
  FieldOption,
  FormDef,
  FormValues,
  Parsed,
} from '../../core/forms/types.ts';
import {
  formatCount,
  formatDate,
  formatEtp,
  formatEuros,
  formatPeriod,
  nameFromSentence,
  parseAmount,
  parseChoice,
  parseCount,
  parseFunding,
  parseList,
  parseMilestones,
  parsePeriod,
  parseStaffing,
} from '../../core/french/index.ts';

/**
 * The fiche-action, field by field, in the guide's words (../shared/design/domain-model.md): the rows of
 * the convention's Article 2 table, the tree of objectives, the indicators of Fiche 5, and the PRS3 axe 6
 * strategic objective. Values are normalized (ISO dates, euros as numbers, ETP as decimals, lists as
 * arrays): they are the stable format of `npm run fiches -- show --json`.
 */

const GUIDE = '003';
const PRS = '004';

/** At or above this yearly amount the guide asks for a convention « classique » (Fiche 4). */
export const CONVENTION_THRESHOLD_EUROS = 23_000;

const text =
  (max: number, what: string, example: string) =>
  (value: string): Parsed<string> => {
    const trimmed = value.trim().replace(/\s+\n/g, '\n');
    if (trimmed.length < 2)
      return { ok: false, message: `Il me faut ${what}, par exemple : « ${example} ».` };
    return {
      ok: true,
      value: trimmed.slice(0, max),
      echo: trimmed.length > 140 ? `${trimmed.slice(0, 140)}…` : trimmed,
    };
  };

const textSchema = (max: number) => z.string().trim().min(2).max(max);
const asText = (value: unknown) => String(value);

function choiceField(
  options: FieldOption[],
  multiple: boolean,
  max = multiple ? options.length : 1,
): Pick<FieldDef<string[]>, 'parse' | 'options' | 'format' | 'maxChoices'> & {
  schema: z.ZodType<string[]>;
} {
  const labelOf = (id: string) => options.find((option) => option.id === id)?.label ?? id;
  return {
    options,
    maxChoices: max,
    parse: (value) => {
      // « autre : aidants » carries its precision; a bare « autre » is the option, precised next question.
      const withOther = options.some((option) => option.id === 'autre');
      const detailed =
        multiple && withOther
          ? parseChoice(value, options, { multiple: true, max, allowOther: true })
          : undefined;
      const parsed = detailed?.ok
        ? detailed
        : multiple
          ? parseChoice(value, options, { multiple: true, max })
          : parseChoice(value, options);
      if (!parsed.ok) return parsed;
      const ids = 'ids' in parsed.value ? parsed.value.ids : [parsed.value.id];
      return { ok: true, value: ids, echo: ids.map(labelOf).join(', ') };
    },
    schema: z
      .array(z.enum(options.map((option) => option.id) as [string, ...string[]]))
      .min(1)
      .max(max),
    format: (ids) => ids.map(labelOf).join(', '),
  };
}

export const PRS_OBJECTIVES: FieldOption[] = [
  {
    id: 'os1',
    label: '1. Mettre en synergie des politiques favorables à la santé pour chaque territoire',
    synonyms: ['synergie', 'politiques favorables', 'territoire'],
  },
  {
    id: 'os2',
    label: '2. Porter la promotion de la santé comme un enjeu transversal aux politiques publiques',
    synonyms: ['transversal', 'enjeu transversal'],
  },
  {
    id: 'os3',
    label:
      '3. Développer et renforcer des alliances à l’échelle régionale avec les acteurs des politiques publiques et la société civile',
    synonyms: ['alliances', 'societe civile', 'regional'],
  },
  {
    id: 'os4',
    label:
      '4. Affirmer le rôle moteur de l’ARS Île-de-France dans les politiques interministérielles concernant la santé',
    synonyms: ['interministeriel', 'role moteur'],
  },
];

/** Practice, not guide: the guide's suivi table has « (liste déroulante) » without the list. */
export const PUBLICS: FieldOption[] = [
  { id: 'enfants', label: 'Enfants', synonyms: ['enfant', 'eleves', 'ecoliers'] },
  {
    id: 'jeunes',
    label: 'Adolescents et jeunes',
    synonyms: ['ados', 'adolescents', 'jeunes', 'collegiens', 'lyceens', 'etudiants'],
  },
  { id: 'familles', label: 'Parents et familles', synonyms: ['parents', 'familles', 'famille'] },
  { id: 'adultes', label: 'Adultes', synonyms: ['adulte'] },
  { id: 'seniors', label: 'Personnes âgées', synonyms: ['seniors', 'personnes agees', 'aines', 'retraites'] },
  { id: 'handicap', label: 'Personnes en situation de handicap', synonyms: ['handicap', 'handicapees'] },
  {
    id: 'precarite',
    label: 'Personnes en situation de précarité',
    synonyms: ['precarite', 'precaires', 'demunies', 'exclusion'],
  },
  {
    id: 'qpv',
    label: 'Habitants des quartiers prioritaires',
    synonyms: ['qpv', 'quartiers prioritaires', 'quartier prioritaire'],
  },
  {
    id: 'professionnels',
    label: 'Professionnels',
    synonyms: ['professionnels', 'pros', 'soignants', 'travailleurs sociaux'],
  },
  { id: 'elus', label: 'Élus', synonyms: ['elus', 'elu'] },
  {
    id: 'tout_public',
    label: 'Tout public',
    synonyms: ['tous', 'grand public', 'tout le monde', 'habitants'],
  },
  { id: 'autre', label: 'Autre (précisez)', synonyms: ['autre', 'autres'] },
];

/** Practice: the usual ways an action reaches its public. */
export const MODES: FieldOption[] = [
  { id: 'ateliers', label: 'Ateliers collectifs', synonyms: ['ateliers', 'atelier', 'collectif'] },
  {
    id: 'entretiens',
    label: 'Entretiens individuels',
    synonyms: ['entretiens', 'individuel', 'consultations'],
  },
  {
    id: 'sensibilisation',
    label: 'Sensibilisation et information',
    synonyms: ['sensibilisation', 'information', 'prevention'],
  },
  { id: 'formation', label: 'Formation des professionnels', synonyms: ['formation', 'formations'] },
  {
    id: 'accompagnement',
    label: 'Accompagnement et orientation',
    synonyms: ['accompagnement', 'orientation'],
  },
  {
    id: 'aller_vers',
    label: 'Aller-vers',
    synonyms: ['aller vers', 'maraude', 'porte a porte', 'hors les murs'],
  },
  {
    id: 'communication',
    label: 'Communication, campagne',
    synonyms: ['communication', 'campagne', 'affiches'],
  },
  { id: 'evenement', label: 'Événement, forum', synonyms: ['evenement', 'forum', 'journee', 'salon'] },
  {
    id: 'participation',
    label: 'Participation des habitants',
    synonyms: ['participation', 'concertation', 'co construction'],
  },
];

export const TERRITOIRES: FieldOption[] = [
  { id: 'commune', label: 'Commune', synonyms: ['ville', 'commune'] },
  { id: 'quartier', label: 'Quartier(s)', synonyms: ['quartier', 'quartiers', 'qpv'] },
  {
    id: 'intercommunalite',
    label: 'Intercommunalité (EPCI)',
    synonyms: ['epci', 'intercommunalite', 'agglomeration', 'communaute de communes', 'plusieurs communes'],
  },
  { id: 'departement', label: 'Département', synonyms: ['departement', 'departemental'] },
];

const LEVELS: FieldOption[] = [
  { id: 'politique', label: 'Politique', synonyms: ['elu', 'politique'] },
  { id: 'strategique', label: 'Stratégique', synonyms: ['direction', 'strategique'] },
  { id: 'operationnel', label: 'Opérationnel', synonyms: ['terrain', 'operationnel'] },
];

export interface Partner {
  structure: string;
  role?: string;
}

/** « CCAS (orientation des familles) », « PMI : animation », « CAF – financement »: a structure and its role. */
function parsePartners(value: string): Parsed<Partner[]> {
  const items = parseList(value);
  if (!items.ok)
    return {
      ok: false,
      message: 'Citez les partenaires, par exemple : « CCAS : orientation des familles ; PMI : animation ».',
    };
  const partners = items.value.map((item) => {
    const match = /^(.+?)\s*(?:\((.+)\)|\s[:–—-]\s*(.+)|:\s*(.+))$/.exec(item);
    const structure = (match?.[1] ?? item).trim();
    const role = (match?.[2] ?? match?.[3] ?? match?.[4])?.trim();
    return role ? { structure, role } : { structure };
  });
  return { ok: true, value: partners, echo: partners.map(formatPartner).join(' ; ') };
}

const formatPartner = (partner: Partner) =>
  partner.role ? `${partner.structure} (${partner.role})` : partner.structure;

export interface Indicator {
  libelle: string;
  /** Valeur prévisionnelle, as written (« 10 ateliers », « 80 % »). */
  cible?: string;
  /** Sources et méthodes à mobiliser. */
  source?: string;
}

const SOURCE_CUE =
  /\s*(?:\(\s*sources?\s*(?:et m[ée]thodes?)?\s*:?\s*([^)]+)\)|[,;–—-]?\s*sources?\s*(?:et m[ée]thodes?)?\s*:\s*(.+)$|[,;–—-]?\s*via\s+(.+)$)/i;
const TARGET_CUE =
  /\s*(?::|=|[,–—-]\s*(?:cible|objectif|valeur pr[ée]visionnelle)\s*:?|\b(?:cible|objectif|valeur pr[ée]visionnelle)\s*:?)\s*(.+)$/i;

/** One indicator per line or « ; »: « Nombre d’ateliers : 10 (source : feuilles d’émargement) ». */
export function parseIndicators(value: string): Parsed<Indicator[]> {
  const lines = value
    .split(/\n|;/)
    .map((line) => line.replace(/^\s*(?:[-•*]|\d+[.)])\s*/, '').trim())
    .filter((line) => line.length > 1);
  if (lines.length === 0) {
    return {
      ok: false,
      message:
        'Indiquez au moins un indicateur, par exemple : « Nombre d’ateliers réalisés : 10 (source : feuilles d’émargement) ».',
    };
  }
  const indicators = lines.map((line) => {
    let rest = line;
    let source: string | undefined;
    const sourceMatch = SOURCE_CUE.exec(rest);
    if (sourceMatch) {
      source = (sourceMatch[1] ?? sourceMatch[2] ?? sourceMatch[3])?.trim();
      rest = rest.slice(0, sourceMatch.index).trim();
    }
    let cible: string | undefined;
    const targetMatch = TARGET_CUE.exec(rest);
    if (targetMatch?.[1] && targetMatch.index > 0) {
      cible = targetMatch[1].trim();
      rest = rest.slice(0, targetMatch.index).trim();
    }
    const indicator: Indicator = { libelle: rest.replace(/[\s,:;–—-]+$/, '') };
    if (cible) indicator.cible = cible;
    if (source) indicator.source = source;
    return indicator;
  });
  return { ok: true, value: indicators, echo: indicators.map(formatIndicator).join(' ; ') };
}

export const formatIndicator = (indicator: Indicator) =>
  [
    indicator.libelle,
    indicator.cible ? ` : ${indicator.cible}` : '',
    indicator.source ? ` (source : ${indicator.source})` : '',
  ].join('');

const indicatorSchema = z.array(
  z.object({
    libelle: z.string().min(2).max(300),
    cible: z.string().max(200).optional(),
    source: z.string().max(300).optional(),
  }),
);

const periodSchema = z
  .object({ debut: z.iso.date(), fin: z.iso.date() })
  .refine((period) => period.debut <= period.fin, 'La date de fin précède la date de début.');

/**
 * An amount spread over the action's period, per year (a period under a year counts as one year). Whole
 * months count as twelfths, so two calendar years are two years, leap day or not.
 */
export function perYear(amount: number, values: FormValues): number {
  const period = values.periode as { debut: string; fin: string } | undefined;
  if (!period) return amount;
  const start = new Date(period.debut);
  const after = new Date(Date.parse(period.fin) + 86_400_000);
  const months =
    (after.getUTCFullYear() - start.getUTCFullYear()) * 12 + after.getUTCMonth() - start.getUTCMonth();
  const years =
    after.getUTCDate() === start.getUTCDate()
      ? months / 12
      : (after.getTime() - start.getTime()) / 86_400_000 / 365.25;
  return amount / Math.max(1, years);
}

export interface FundingLine {
  financeur: string;
  montant: number;
}

/** The ARS's share of the financements: the lines naming the ARS or the FIR. */
export const arsAmount = (lines: FundingLine[] | undefined): number =>
  (lines ?? [])
    .filter((line) => /\b(?:ars|fir)\b/i.test(line.financeur))
    .reduce((sum, line) => sum + line.montant, 0);

function conventionWarning(amount: number, context: FieldContext, what: string): string[] {
  const yearly = perYear(amount, context.values);
  if (yearly < CONVENTION_THRESHOLD_EUROS) return [];
  return [
    `${what} atteint ${formatEuros(Math.round(yearly))} par an : à partir de 23 000 € par an, le guide prévoit une convention « classique » (annuelle ou pluriannuelle), pas une simple décision d’attribution de subvention.`,
  ];
}

function indicatorsBeforeStart(context: FieldContext): string[] {
  const period = context.values.periode as { debut: string } | undefined;
  if (!period || period.debut > context.today) return [];
  return [
    `L’action a démarré le ${formatDate(period.debut)} : le guide demande de fixer les indicateurs (processus, activité, résultats) avant le démarrage (convention, article 4.2).`,
  ];
}

function indicatorField(
  id: string,
  kind: 'processus' | 'activité' | 'résultat',
  required: boolean,
  example: string,
  phrase: string,
): FieldDef<Indicator[]> {
  return {
    id,
    label: `Indicateurs ${kind === 'activité' ? 'd’activité' : `de ${kind}`}`,
    section: 'evaluation',
    question: `Quels indicateurs ${kind === 'activité' ? 'd’activité' : `de ${kind}`} suivrez-vous ? Pour chacun : son libellé, sa valeur prévisionnelle et sa source (un par ligne ou séparés par « ; »).`,
    help: 'Chaque indicateur a une valeur prévisionnelle et des « sources et méthodes à mobiliser » (Fiche 5).',
    example,
    required,
    parse: parseIndicators,
    schema: indicatorSchema,
    format: (indicators) => indicators.map(formatIndicator).join(' ; '),
    maxLength: 3_000,
    aliases: [`indicateurs de ${kind}`, `indicateur de ${kind}`, `indicateurs ${kind}`],
    guide: { document: GUIDE, phrase },
    warn: (_value, context) => indicatorsBeforeStart(context),
  };
}

const period = (value: { debut: string; fin: string }) => formatPeriod(value.debut, value.fin);

export const FICHE_FORM: FormDef = {
  id: 'fiche_action',
  title: 'fiche-action',
  sections: [
    { id: 'identification', title: 'Identification' },
    { id: 'objectifs', title: 'Objectifs' },
    { id: 'contenu', title: 'Contenu' },
    { id: 'calendrier', title: 'Calendrier' },
    { id: 'public', title: 'Public et territoire' },
    { id: 'moyens', title: 'Moyens' },
    { id: 'evaluation', title: 'Évaluation' },
  ],
  fields: [
    {
      id: 'programme',
      label: 'Programme',
      section: 'identification',
      question: 'Dans quel programme s’inscrit l’action ?',
      help: 'Le programme regroupe les actions de la coopérative d’acteurs (ou du contrat local de santé) ; son intitulé est celui de la convention de partenariat.',
      example: 'Coopérative d’acteurs en promotion de la santé de Démoville 2027-2029',
      required: true,
      options: (context) => context.lookups?.programmes ?? [],
      parse: text(200, 'l’intitulé du programme', 'Coopérative d’acteurs de Démoville'),
      schema: textSchema(200),
      format: asText,
      maxLength: 200,
      aliases: ['programme', 'intitule du programme'],
      guide: { document: GUIDE, phrase: 'Convention de partenariat relative à' },
    },
    {
      id: 'intitule',
      label: 'Intitulé de l’action',
      section: 'identification',
      question: 'Quel est l’intitulé de l’action ?',
      help: 'Un intitulé court et parlant : il est repris dans la convention (article 2), le tableau de bord et les bilans.',
      example: 'Ateliers cuisine et santé pour les familles',
      required: true,
      parse: text(200, 'un intitulé', 'Ateliers cuisine et santé pour les familles'),
      schema: textSchema(200),
      format: asText,
      maxLength: 200,
      aliases: ['intitule', 'titre', 'nom de l action', 'intitule de l action'],
      guide: { document: GUIDE, phrase: "Identification de l'action 1 et promoteur référent" },
    },
    {
      id: 'promoteur',
      label: 'Promoteur référent',
      section: 'identification',
      question: 'Quelle structure porte l’action (le promoteur référent) ?',
      help: 'La structure qui met en œuvre l’action et en rend compte : elle signe la convention avec l’ARS.',
      example: 'Centre social Les Tilleuls',
      required: true,
      parse: (value) =>
        text(200, 'le nom de la structure', 'Centre social Les Tilleuls')(nameFromSentence(value)),
      schema: textSchema(200),
      format: asText,
      maxLength: 200,
      aliases: ['promoteur', 'porteur', 'structure porteuse', 'promoteur referent'],
      guide: { document: GUIDE, phrase: "Identification de l'action 1 et promoteur référent" },
    },
    {
      id: 'contact',
      label: 'Personne référente',
      section: 'identification',
      question: 'Qui est la personne référente de l’action (nom et fonction) ?',
      help: 'La personne à contacter pour l’action ; chaque collectivité nomme des référents aux niveaux politique, stratégique et opérationnel.',
      example: 'Camille Martin, coordinatrice du centre social',
      required: true,
      parse: text(200, 'un nom', 'Camille Martin, coordinatrice'),
      schema: textSchema(200),
      format: asText,
      maxLength: 200,
      aliases: ['contact', 'personne referente', 'referent', 'referente'],
    },
    {
      id: 'contact_niveau',
      label: 'Niveau de la personne référente',
      section: 'identification',
      question: 'À quel niveau intervient cette personne : politique, stratégique ou opérationnel ?',
      help: 'ACTeS-77 demande des référents « au niveau politique, stratégique et opérationnel ».',
      example: 'opérationnel',
      required: false,
      ...choiceField(LEVELS, false),
      aliases: ['niveau', 'niveau du referent'],
    },
    {
      id: 'partenaires',
      label: 'Partenaires et leur rôle',
      section: 'identification',
      question: 'Quels partenaires participent à l’action, et avec quel rôle ?',
      help: 'Les autres structures engagées : elles sont parties à la convention ou contribuent à l’action.',
      example: 'CCAS : orientation des familles ; PMI : animation d’un atelier',
      required: false,
      parse: parsePartners,
      schema: z
        .array(z.object({ structure: z.string().min(1).max(200), role: z.string().max(300).optional() }))
        .min(1),
      format: (partners: Partner[]) => partners.map(formatPartner).join(' ; '),
      maxLength: 2_000,
      aliases: ['partenaires', 'partenaire', 'partenariat'],
    },
    {
      id: 'objectif_general',
      label: 'Objectif général',
      section: 'objectifs',
      question: 'Quel est l’objectif général du programme auquel l’action contribue ?',
      help: 'L’arbre des objectifs va de l’objectif général aux objectifs spécifiques puis opérationnels ; chaque action se rattache à un objectif opérationnel.',
      example: 'Réduire les inégalités sociales de santé liées à l’alimentation à Démoville',
      required: true,
      parse: text(600, 'l’objectif général', 'Réduire les inégalités de santé liées à l’alimentation'),
      schema: textSchema(600),
      format: asText,
      maxLength: 600,
      aliases: ['objectif general'],
      guide: { document: GUIDE, phrase: 'objectif général' },
    },
    {
      id: 'objectif_specifique',
      label: 'Objectif spécifique',
      section: 'objectifs',
      question: 'Quel objectif spécifique (ou stratégique) l’action sert-elle ?',
      help: 'Le niveau intermédiaire de l’arbre des objectifs, défini en commun à partir du diagnostic.',
      example: 'Améliorer l’accès des familles à une alimentation équilibrée',
      required: true,
      parse: text(600, 'l’objectif spécifique', 'Améliorer l’accès à une alimentation équilibrée'),
      schema: textSchema(600),
      format: asText,
      maxLength: 600,
      aliases: ['objectif specifique', 'objectif strategique'],
    },
    {
      id: 'objectif_operationnel',
      label: 'Objectif opérationnel',
      section: 'objectifs',
      question: 'À quel objectif opérationnel l’action se rattache-t-elle ?',
      help: 'Ce que l’action fait concrètement pour atteindre l’objectif spécifique ; c’est la première colonne du tableau de suivi des actions.',
      example: 'Proposer 10 ateliers cuisine par an aux familles du quartier des Tilleuls',
      required: true,
      parse: text(600, 'l’objectif opérationnel', 'Proposer 10 ateliers cuisine par an'),
      schema: textSchema(600),
      format: asText,
      maxLength: 600,
      aliases: ['objectif operationnel'],
      guide: { document: GUIDE, phrase: 'Objectif opérationnel du projet' },
    },
    {
      id: 'objectif_prs',
      label: 'Objectif stratégique du PRS3 (axe 6)',
      section: 'objectifs',
      question:
        'À quel objectif stratégique de l’axe 6 du PRS3 l’action contribue-t-elle ? (répondez 1, 2, 3 ou 4)',
      help: 'Le chapitre 1 de l’axe 6 du PRS3 fixe quatre objectifs stratégiques pour les coalitions d’acteurs.',
      example: '1',
      required: true,
      ...choiceField(PRS_OBJECTIVES, false),
      aliases: ['objectif prs', 'prs', 'objectif strategique du prs', 'axe 6'],
      guide: { document: PRS, phrase: 'Mettre en synergie des politiques favorables à la santé' },
    },
    {
      id: 'contenu',
      label: 'Contenu de l’action',
      section: 'contenu',
      question: 'Décrivez le contenu de l’action : ce qui sera fait, par qui, comment.',
      help: 'C’est la deuxième ligne du tableau de l’article 2 de la convention : une description détaillée de ce que réalise chaque membre.',
      example:
        'Dix ateliers de deux heures animés par une diététicienne et une animatrice du centre social, suivis d’un repas partagé…',
      required: true,
      parse: text(4_000, 'une description de l’action', 'Dix ateliers animés par une diététicienne…'),
      schema: textSchema(4_000),
      format: asText,
      maxLength: 4_000,
      aliases: ['contenu', 'description', 'contenu de l action'],
      guide: { document: GUIDE, phrase: 'une description détaillée des actions' },
    },
    {
      id: 'modes_intervention',
      label: 'Modes d’intervention',
      section: 'contenu',
      question: 'Quels sont les modes d’intervention ? (un ou plusieurs : numéros ou mots)',
      help: 'Comment l’action touche son public : ateliers, entretiens, aller-vers…',
      example: 'ateliers collectifs et aller-vers',
      required: true,
      ...choiceField(MODES, true),
      aliases: ['modes d intervention', 'mode d intervention', 'modalites'],
    },
    {
      id: 'periode',
      label: 'Calendrier prévisionnel',
      section: 'calendrier',
      question: 'Sur quelle période l’action se déroule-t-elle ?',
      help: 'Le calendrier prévisionnel de l’article 2 : la convention dure un an, renouvelable de manière expresse.',
      example: 'de septembre 2027 à juin 2028',
      required: true,
      parse: (value, context) => {
        const parsed = parsePeriod(value, { today: context.today });
        return parsed.ok
          ? { ...parsed, value: { debut: parsed.value.start, fin: parsed.value.end } }
          : parsed;
      },
      schema: periodSchema,
      format: period,
      input: 'period',
      aliases: ['periode', 'calendrier', 'dates', 'duree', 'calendrier previsionnel'],
      guide: { document: GUIDE, phrase: 'un an renouvelable' },
    },
    {
      id: 'etapes',
      label: 'Étapes clés',
      section: 'calendrier',
      question: 'Quelles sont les étapes clés, avec leur date ? (une par ligne ou séparées par « ; »)',
      help: 'Les jalons qui serviront au tableau de bord : lancement, comité de pilotage, bilan…',
      example: 'lancement en septembre 2027 ; comité de pilotage le 15/01/2028 ; bilan fin juin 2028',
      required: false,
      parse: (value, context) => {
        const parsed = parseMilestones(value, { today: context.today });
        return parsed.ok
          ? { ...parsed, value: parsed.value.map((step) => ({ libelle: step.label, date: step.date })) }
          : parsed;
      },
      schema: z.array(z.object({ libelle: z.string().min(1).max(300), date: z.iso.date() })).min(1),
      format: (steps: { libelle: string; date: string }[]) =>
        steps.map((step) => `${step.libelle} (${formatDate(step.date)})`).join(' ; '),
      maxLength: 2_000,
      aliases: ['etapes', 'jalons', 'etapes cles'],
    },
    {
      id: 'publics',
      label: 'Public cible',
      section: 'public',
      question:
        'Quels publics l’action vise-t-elle ? (trois au plus : numéros ou mots ; « autre » pour préciser)',
      help: 'Le tableau de suivi des actions par les acteurs (Fiche 5) retient trois publics cibles au plus, et « Si autre public cible, précisez ».',
      example: 'familles et habitants des quartiers prioritaires',
      required: true,
      ...choiceField(PUBLICS, true, 3),
      alsoFills: (value) => {
        const parsed = parseChoice(value, PUBLICS, { multiple: true, allowOther: true });
        return parsed.ok && parsed.value.other ? { publics_autre: parsed.value.other } : {};
      },
      aliases: ['public', 'publics', 'public cible', 'publics cibles', 'cible'],
      guide: { document: GUIDE, phrase: 'Si autre public cible, précisez' },
    },
    {
      id: 'publics_autre',
      label: 'Autre public cible, précisez',
      section: 'public',
      question: 'Quel autre public cible ?',
      help: 'Précisez le public que la liste ne prévoit pas.',
      example: 'aidants familiaux',
      required: true,
      askIf: (values) => Array.isArray(values.publics) && values.publics.includes('autre'),
      parse: text(300, 'le public visé', 'aidants familiaux'),
      schema: textSchema(300),
      format: asText,
      maxLength: 300,
      aliases: ['autre public'],
    },
    {
      id: 'nb_beneficiaires',
      label: 'Nombre de bénéficiaires ciblés',
      section: 'public',
      question: 'Combien de bénéficiaires l’action vise-t-elle ?',
      help: 'Une estimation suffit (« une soixantaine ») : c’est la valeur de référence des bilans.',
      example: 'une soixantaine',
      required: true,
      parse: (value) => {
        const parsed = parseCount(value);
        return parsed.ok
          ? { ...parsed, value: { valeur: parsed.value.value, approximatif: parsed.value.approximate } }
          : parsed;
      },
      schema: z.object({ valeur: z.number().int().positive().max(10_000_000), approximatif: z.boolean() }),
      input: 'count',
      format: (count: { valeur: number; approximatif: boolean }) =>
        formatCount({ value: count.valeur, approximate: count.approximatif }),
      aliases: ['beneficiaires', 'nombre de beneficiaires', 'nb beneficiaires'],
    },
    {
      id: 'territoire',
      label: 'Territoire d’intervention',
      section: 'public',
      question: 'Quel est le territoire d’intervention ?',
      help: 'L’échelle où l’action se déroule : commune, quartier, intercommunalité ou département.',
      example: 'commune',
      required: true,
      ...choiceField(TERRITOIRES, false),
      aliases: ['territoire', 'territoire d intervention', 'echelle'],
    },
    {
      id: 'lieux',
      label: 'Lieux précis de réalisation',
      section: 'public',
      question: 'Où précisément l’action se déroule-t-elle ?',
      help: 'Les lieux précis de réalisation de l’action (article 2 de la convention).',
      example: 'centre social Les Tilleuls ; école élémentaire Jean-Moulin',
      required: true,
      parse: (value) => {
        const parsed = parseList(value);
        return parsed.ok
          ? parsed
          : { ok: false, message: 'Indiquez au moins un lieu, par exemple « centre social Les Tilleuls ».' };
      },
      schema: z.array(z.string().min(1).max(300)).min(1),
      format: (places: string[]) => places.join(' ; '),
      maxLength: 1_000,
      aliases: ['lieux', 'lieu', 'lieux de realisation', 'ou'],
    },
    {
      id: 'moyens_humains',
      label: 'Moyens humains (ETP)',
      section: 'moyens',
      question: 'Quels moyens humains l’action mobilise-t-elle, en ETP par structure ?',
      help: 'Dernière ligne du tableau de l’article 2 : les équivalents temps plein (ETP) de chaque structure.',
      example: 'centre social : 0,5 ETP ; CCAS : un quart temps',
      required: true,
      parse: (value) => parseStaffing(value),
      schema: z
        .array(z.object({ structure: z.string().min(1).max(200), etp: z.number().positive().max(50) }))
        .min(1),
      format: (staff: { structure: string; etp: number }[]) =>
        staff.map((line) => `${line.structure} : ${formatEtp(line.etp)}`).join(' ; '),
      maxLength: 1_000,
      aliases: ['moyens humains', 'etp', 'personnel', 'rh'],
      guide: { document: GUIDE, phrase: "Moyens humains mobilisés par l'action (ETP)" },
    },
    {
      id: 'budget',
      label: 'Budget total',
      section: 'moyens',
      question: 'Quel est le budget total de l’action, en euros ?',
      help: 'Le budget est réparti selon la contribution propre de chaque intervenant (article 3 de la convention).',
      example: '12 000 €',
      required: true,
      parse: (value) => parseAmount(value),
      schema: z.number().positive().max(100_000_000),
      format: (amount: number) => formatEuros(amount),
      input: 'amount',
      aliases: ['budget', 'montant', 'cout', 'budget total'],
      guide: { document: GUIDE, phrase: 'réparti en fonction de la contribution propre' },
      warn: (amount, context) => conventionWarning(amount, context, 'Le budget'),
    },
    {
      id: 'financements',
      label: 'Financements',
      section: 'moyens',
      question:
        'Qui finance l’action, et pour quel montant ? (un financeur par ligne ou séparés par des virgules)',
      help: 'La part de chaque financeur : ARS (FIR), collectivité, CAF, autres.',
      example: 'ARS (FIR) 8 000 €, ville 3 000 €, CAF 1 000 €',
      required: false,
      parse: (value) => {
        const parsed = parseFunding(value);
        return parsed.ok
          ? {
              ...parsed,
              value: parsed.value.map((line) => ({ financeur: line.funder, montant: line.amount })),
            }
          : parsed;
      },
      schema: z
        .array(z.object({ financeur: z.string().min(1).max(200), montant: z.number().positive() }))
        .min(1),
      format: (lines: FundingLine[]) =>
        lines.map((line) => `${line.financeur} : ${formatEuros(line.montant)}`).join(' ; '),
      maxLength: 1_000,
      aliases: ['financements', 'financement', 'financeurs', 'cofinancements'],
      warn: (lines: FundingLine[], context) => {
        const total = lines.reduce((sum, line) => sum + line.montant, 0);
        const budget = context.values.budget as number | undefined;
        const ars = arsAmount(lines);
        return [
          ...(budget !== undefined && Math.abs(total - budget) >= 1
            ? [`Les financements totalisent ${formatEuros(total)} pour un budget de ${formatEuros(budget)}.`]
            : []),
          ...(ars > 0 ? conventionWarning(ars, context, 'La part de l’ARS') : []),
        ];
      },
    },
    indicatorField(
      'indicateurs_processus',
      'processus',
      false,
      'Réunions du comité de pilotage tenues : 3 par an (source : comptes rendus)',
      'Indicateur de Processus (IP)',
    ),
    indicatorField(
      'indicateurs_activite',
      'activité',
      true,
      'Nombre d’ateliers réalisés : 10 (source : feuilles d’émargement) ; familles participantes : 40',
      "Indicateur d'Activité (IA)",
    ),
    indicatorField(
      'indicateurs_resultat',
      'résultat',
      true,
      'Part des familles déclarant cuisiner plus de légumes : 60 % (source : questionnaire en fin d’atelier)',
      'Indicateur de Résultats (IR)',
    ),
    {
      id: 'resultats_attendus',
      label: 'Résultats attendus',
      section: 'evaluation',
      question: 'Quels résultats attendez-vous de l’action ?',
      help: 'Ce que l’action doit changer : ils sont repris dans le tableau de bord du COPIL et jugés au bilan annuel.',
      example: 'Les familles connaissent les repères nutritionnels et cuisinent davantage de produits frais',
      required: true,
      parse: text(2_000, 'les résultats attendus', 'Les familles cuisinent davantage de produits frais'),
      schema: textSchema(2_000),
      format: asText,
      maxLength: 2_000,
      aliases: ['resultats attendus', 'resultats', 'effets attendus'],
      guide: { document: GUIDE, phrase: 'Résultats attendus' },
    },
  ],
};

/** The checks the guide asks for on a whole fiche, shown on the recap and before submitting. */
export function ficheWarnings(values: Record<string, unknown>): string[] {
  const warnings: string[] = [];
  if (!Array.isArray(values.indicateurs_resultat) || values.indicateurs_resultat.length === 0) {
    warnings.push(
      'Le guide demande au moins un indicateur de résultat par objectif : aucun n’est encore indiqué.',
    );
  }
  return warnings;
}
