import { readValue } from './engine.ts';
import type { FieldContext, FormDef, FormValues } from './types.ts';

/**
 * Filling a form from a text the person pasted (with an LLM) or a Word file: what was read is a proposal,
 * checked field by field with the form's own parsers and schemas, shown, and saved only once accepted.
 */

/** What a reader found for each field: the words of the text, and whether it is sure. */
export type RawReading = Record<string, { valeur: string; certain: boolean } | null | undefined>;

export interface FieldExtractor {
  /** Reads `text` for the fields of `form`; throws (LlmUnavailableError) when the service fails or refuses. */
  extract(form: FormDef, text: string, context: { today: string }): Promise<RawReading>;
}

export interface Proposal {
  values: FormValues;
  /** What was understood, in French, in form order. */
  understood: { fieldId: string; label: string; echo: string; unsure: boolean }[];
  /** Values the form refused (an impossible date, an amount that is not one): never kept. */
  rejected: { fieldId: string; label: string; value: string; message: string }[];
  source: 'llm' | 'word';
}

/** Runs each read value through its field's parser and schema: nothing invented survives validation. */
export function proposalFrom(
  form: FormDef,
  reading: RawReading,
  context: Omit<FieldContext, 'values'>,
  source: Proposal['source'],
): Proposal {
  const proposal: Proposal = { values: {}, understood: [], rejected: [], source };
  for (const field of form.fields) {
    const read = reading[field.id];
    const text = read?.valeur?.trim();
    if (!read || !text) continue;
    const checked = readValue(field, text, { ...context, values: proposal.values });
    if (!checked.ok) {
      proposal.rejected.push({
        fieldId: field.id,
        label: field.label,
        value: text,
        message: checked.message,
      });
      continue;
    }
    if (field.askIf && !field.askIf({ ...proposal.values, [field.id]: checked.value })) continue;
    proposal.values[field.id] = checked.value;
    proposal.understood.push({
      fieldId: field.id,
      label: field.label,
      echo: checked.echo,
      unsure: !read.certain,
    });
  }
  // A dependent field read before its condition was known: keep it only if the condition now holds.
  for (const field of form.fields) {
    if (field.askIf && proposal.values[field.id] !== undefined && !field.askIf(proposal.values)) {
      delete proposal.values[field.id];
      proposal.understood = proposal.understood.filter((item) => item.fieldId !== field.id);
    }
  }
  return proposal;
}
