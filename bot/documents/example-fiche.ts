import { isAsked, readValue } from '../core/forms/engine.ts';
import type { FormValues } from '../core/forms/types.ts';
import { FICHE_FORM } from '../features/fiches/form.ts';
import type { Fiche } from '../features/fiches/model.ts';

/**
 * A complete fiche-action made of the form's own examples, each read by its field's parser: what the bench
 * exports, and a realistic fiche for tests. No invented data: every value is an example the form shows.
 */
export function exampleValues(today = '2026-11-29'): FormValues {
  const values: FormValues = {};
  for (const field of FICHE_FORM.fields) {
    if (!isAsked(field, values)) continue;
    const read = readValue(field, field.example, { today, values });
    if (!read.ok) throw new Error(`the example of ${field.id} does not parse: ${read.message}`);
    values[field.id] = read.value;
  }
  return values;
}

export function exampleFiche(overrides: Partial<Fiche> & { values?: FormValues } = {}): Fiche {
  const values = overrides.values ?? exampleValues();
  const date = new Date('2026-11-29T10:00:00Z');
  return {
    id: 'fiche-exemple',
    collectivite: { id: 'demoville', name: 'Démoville' },
    number: 7,
    programme: values.programme as string | undefined,
    title: (values.intitule as string | undefined) ?? 'Nouvelle fiche-action',
    status: 'validee',
    version: 3,
    createdBy: { name: 'Camille Martin' },
    createdAt: date,
    updatedAt: date,
    ...overrides,
    values,
  };
}

/** Validated actions of one programme (twelve by default), each with its own title and promoteur. */
export function conventionFiches(count = 12): Fiche[] {
  const values = exampleValues();
  return Array.from({ length: count }, (_, index) => {
    const number = index + 1;
    return exampleFiche({
      id: `fiche-${number}`,
      number,
      title: `${values.intitule} (${number})`,
      values: {
        ...values,
        intitule: `${values.intitule} (${number})`,
        promoteur: `${values.promoteur} ${number}`,
      },
    });
  });
}
