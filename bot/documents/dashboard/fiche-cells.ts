import { fieldOf, hasValue } from '../../core/forms/engine.ts';
import { FICHE_FORM, type Indicator } from '../../features/fiches/form.ts';
import type { Fiche } from '../../features/fiches/model.ts';
import { valueLines } from '../../features/fiches/view.ts';

/** A fiche's values as the sheets write them: each field through its own French display. */

/** The field's value as text, one line per item of a list; undefined when the fiche has none. */
export function ficheText(fiche: Fiche, fieldId: string): string | undefined {
  if (!hasValue(fiche.values, fieldId)) return undefined;
  return valueLines(fieldOf(FICHE_FORM, fieldId), fiche.values[fieldId]).join('\n');
}

/** « Parents et familles, Autre (précisez) : aidants familiaux ». */
export function publicsText(fiche: Fiche): string | undefined {
  const publics = ficheText(fiche, 'publics');
  const other = ficheText(fiche, 'publics_autre');
  return publics && other ? `${publics}\u00a0: ${other}` : publics;
}

export type IndicatorKind = 'indicateurs_processus' | 'indicateurs_activite' | 'indicateurs_resultat';

export function indicatorsOf(fiche: Fiche, kind: IndicatorKind): Indicator[] {
  const value = fiche.values[kind];
  return Array.isArray(value)
    ? value.filter((item): item is Indicator => typeof item?.libelle === 'string')
    : [];
}

/** « Ateliers cuisine et santé (fiche n° 7) ». */
export const ficheLabel = (fiche: Pick<Fiche, 'number' | 'title'>) =>
  `${fiche.title} (fiche n° ${fiche.number})`;
