import { z } from 'zod';
import type { FieldDef, FieldOption, FormDef, FormValues, Parsed } from '../../core/forms/types.ts';
import { parseChoice, parseYesNoPartial } from '../../core/french/index.ts';
import type { Indicator } from '../fiches/form.ts';
import type { Fiche } from '../fiches/model.ts';
import { SUIVI_QUESTIONS, type SuiviKind, type YesNoPartial } from './model.ts';

/**
 * The guide's « Tableau de suivi des actions par les acteurs » (Fiche 5), question by question with its own
 * answer labels: B (OUI / NON / En partie and « pourquoi ? », the objectives, the indicators against the
 * fiche's valeurs prévisionnelles), C (the four contributions and their aspects), D (freins, leviers,
 * pistes); the annual bilan adds the renewal proposal (convention, Art. 4.4).
 */

export const SUIVI_FORM_ID = 'suivi_action';

/** The guide's three answer columns: « En partie » in B, « Partiellement » for the objectives and in C. */
function yesNoOptions(partial: 'En partie' | 'Partiellement'): FieldOption[] {
  return [
    { id: 'oui', label: partial === 'En partie' ? 'OUI' : 'Oui', synonyms: ['oui'] },
    { id: 'non', label: partial === 'En partie' ? 'NON' : 'Non', synonyms: ['non'] },
    { id: 'en_partie', label: partial, synonyms: ['en partie', 'partiellement'] },
  ];
}

function yesNoField(
  id: keyof typeof SUIVI_QUESTIONS,
  section: string,
  partial: 'En partie' | 'Partiellement',
) {
  const options = yesNoOptions(partial);
  const labelOf = (value: YesNoPartial) => options.find((option) => option.id === value)!.label;
  return {
    id,
    label: SUIVI_QUESTIONS[id],
    section,
    question: `${SUIVI_QUESTIONS[id]} ?`,
    help: `Le tableau de suivi du guide répond par ${options.map((option) => `« ${option.label} »`).join(', ')}.`,
    example: partial,
    required: true,
    options,
    parse: (value: string): Parsed<YesNoPartial> => {
      const parsed = parseYesNoPartial(value);
      return parsed.ok ? { ok: true, value: parsed.value, echo: labelOf(parsed.value) } : parsed;
    },
    schema: z.enum(['oui', 'non', 'en_partie']),
    format: (value: YesNoPartial) => labelOf(value),
    aliases: [SUIVI_QUESTIONS[id].toLowerCase()],
  } satisfies FieldDef<YesNoPartial>;
}

const free =
  (what: string) =>
  (value: string): Parsed<string> => {
    const trimmed = value.trim();
    if (trimmed.length < 2) return { ok: false, message: `Il me faut ${what}, ou dites *passer*.` };
    return {
      ok: true,
      value: trimmed.slice(0, 2_000),
      echo: trimmed.length > 140 ? `${trimmed.slice(0, 140)}…` : trimmed,
    };
  };

function textField(
  id: string,
  label: string,
  section: string,
  question: string,
  example: string,
  askIf?: (values: FormValues) => boolean,
): FieldDef<string> {
  return {
    id,
    label,
    section,
    question,
    help: 'Quelques phrases suffisent : elles sont reprises telles quelles dans le bilan envoyé à l’ARS.',
    example,
    required: false,
    askIf,
    parse: free('une réponse'),
    schema: z.string().trim().min(2).max(2_000),
    format: String,
    maxLength: 2_000,
    aliases: [label.toLowerCase()],
  };
}

const notYes = (id: string) => (values: FormValues) => values[id] !== undefined && values[id] !== 'oui';
const notNo = (id: string) => (values: FormValues) => values[id] !== undefined && values[id] !== 'non';

function indicatorFields(fiche: Fiche, kind: 'activite' | 'resultat'): FieldDef<string>[] {
  const indicators = ((fiche.values[`indicateurs_${kind}`] as Indicator[] | undefined) ?? []).slice(0, 3);
  const what = kind === 'activite' ? 'd’activité' : 'de résultat';
  return indicators.map((indicator, index) => ({
    id: `indicateur_${kind}_${index + 1}`,
    label: `Indicateur ${what} : ${indicator.libelle}`,
    section: 'B',
    question: `Quelle valeur a été atteinte pour « ${indicator.libelle} » ? Valeur prévisionnelle : ${indicator.cible ?? 'non précisée'}.`,
    help: 'Au regard des objectifs programmés et des valeurs prévisionnelles de la fiche-action (Fiche 5).',
    example: indicator.cible ?? '8 ateliers',
    required: false,
    parse: free('la valeur atteinte'),
    schema: z.string().trim().min(1).max(300),
    format: (value) => `${value} (prévu : ${indicator.cible ?? 'non précisé'})`,
    maxLength: 300,
    aliases: [`indicateur ${what} ${index + 1}`, indicator.libelle.toLowerCase()],
  }));
}

export const RENEWAL_OPTIONS: FieldOption[] = [
  { id: 'reconduire', label: 'Reconduire l’action', synonyms: ['reconduire', 'reconduction', 'continuer'] },
  { id: 'adapter', label: 'Reconduire en l’adaptant', synonyms: ['adapter', 'modifier', 'adaptee'] },
  { id: 'arreter', label: 'Ne pas reconduire', synonyms: ['arreter', 'stopper', 'ne pas reconduire', 'fin'] },
];

/** The suivi form of one action for a quarter or for the annual bilan. */
export function suiviForm(fiche: Fiche, kind: SuiviKind): FormDef {
  const contribution = (id: keyof typeof SUIVI_QUESTIONS) => [
    yesNoField(id, 'C', 'Partiellement'),
    textField(
      `${id}_aspects`,
      `${SUIVI_QUESTIONS[id]} : sur quels aspects ?`,
      'C',
      'Sur quels aspects ?',
      'Des rencontres régulières entre le CCAS et la PMI',
      notNo(id),
    ),
  ];
  const why = (id: keyof typeof SUIVI_QUESTIONS) =>
    textField(
      `${id}_pourquoi`,
      `${SUIVI_QUESTIONS[id]} : pourquoi ?`,
      'B',
      'Si non ou partiellement… pourquoi ?',
      'Une intervenante absente deux mois',
      notYes(id),
    );
  const fields: FormDef['fields'] = [
    yesNoField('ressources', 'B', 'En partie'),
    why('ressources'),
    yesNoField('groupes_cibles', 'B', 'En partie'),
    why('groupes_cibles'),
    yesNoField('realisation', 'B', 'En partie'),
    why('realisation'),
    yesNoField('objectifs', 'B', 'Partiellement'),
    textField(
      'objectifs_justification',
      'Justifiez, éléments clés',
      'B',
      'Justifiez, éléments clés.',
      '12 familles sur 15 ont suivi tout le cycle',
    ),
    ...indicatorFields(fiche, 'activite'),
    ...indicatorFields(fiche, 'resultat'),
    ...contribution('contribution_cooperation'),
    ...contribution('contribution_pratiques'),
    ...contribution('contribution_ists'),
    ...contribution('contribution_parcours'),
    textField(
      'freins',
      SUIVI_QUESTIONS.freins,
      'D',
      'Quels freins avez-vous identifiés ?',
      'Peu de disponibilités des parents le soir',
    ),
    textField(
      'leviers',
      SUIVI_QUESTIONS.leviers,
      'D',
      'Quels leviers avez-vous identifiés ?',
      'Le relais des écoles',
    ),
    textField(
      'pistes',
      SUIVI_QUESTIONS.pistes,
      'D',
      'Quelles pistes d’amélioration proposez-vous ?',
      'Ateliers le samedi matin',
    ),
  ];
  if (kind === 'annuel') {
    fields.push(
      {
        id: 'reconduction',
        label: 'Proposition de reconduction',
        section: 'E',
        question: 'Que proposez-vous pour l’action l’an prochain ?',
        help: 'Le bilan annuel, deux mois avant l’échéance, décide « la reconduction ou non d’une action » (convention, article 4.4).',
        example: 'Reconduire l’action',
        required: true,
        options: RENEWAL_OPTIONS,
        parse: (value: string): Parsed<string> => {
          const parsed = parseChoice(value, RENEWAL_OPTIONS);
          if (!parsed.ok) return parsed;
          const option = RENEWAL_OPTIONS.find((candidate) => candidate.id === parsed.value.id)!;
          return { ok: true, value: option.id, echo: option.label };
        },
        schema: z.enum(['reconduire', 'adapter', 'arreter']),
        format: (value: string) => RENEWAL_OPTIONS.find((option) => option.id === value)?.label ?? value,
        aliases: ['reconduction', 'renouvellement'],
      } satisfies FieldDef<string>,
      textField(
        'reconduction_justification',
        'Justification de la proposition',
        'E',
        'Pourquoi cette proposition ?',
        'Forte demande des familles',
      ),
    );
  }
  return {
    id: SUIVI_FORM_ID,
    title: kind === 'annuel' ? 'bilan annuel' : 'suivi trimestriel',
    sections: [
      { id: 'B', title: 'Mise en œuvre et résultats' },
      { id: 'C', title: 'Contribution de l’action' },
      { id: 'D', title: 'Freins, leviers, pistes' },
      ...(kind === 'annuel' ? [{ id: 'E', title: 'Reconduction' }] : []),
    ],
    fields,
  };
}
