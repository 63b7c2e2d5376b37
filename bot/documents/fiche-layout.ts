import type { Paragraph } from 'docx';
import { fieldOf, hasValue, isAsked } from '../core/forms/engine.ts';
import type { FieldDef, FormValues } from '../core/forms/types.ts';
import { FICHE_FORM } from '../features/fiches/form.ts';
import { valueLines } from '../features/fiches/view.ts';
import { bulleted, COLON, missing, paragraph, type TableLine, text } from './docx-kit.ts';

/**
 * Where each field of a fiche-action sits in the documents: the rows of the guide's Article 2 table
 * (../shared/design/domain-model.md), then what the guide puts elsewhere (objectives, budget, the COPIL
 * table's indicators). The Word export writes these rows and the Word import reads them back.
 */

export interface LayoutRow {
  label: string;
  /** Field ids shown in the row; with several, each is written « Libellé : valeur ». */
  fields: string[];
}

/** The guide's Article 2 table, its seven rows in order. */
export const ARTICLE_2_ROWS: LayoutRow[] = [
  {
    label: 'Identification de l’action et promoteur référent',
    fields: ['intitule', 'promoteur', 'contact', 'contact_niveau', 'partenaires'],
  },
  { label: 'Contenu de l’action', fields: ['contenu'] },
  { label: 'Calendrier prévisionnel', fields: ['periode', 'etapes'] },
  { label: 'Modes d’intervention', fields: ['modes_intervention'] },
  { label: 'Public cible', fields: ['publics', 'publics_autre', 'nb_beneficiaires', 'territoire'] },
  { label: 'Lieux précis de réalisation de l’action', fields: ['lieux'] },
  { label: 'Moyens humains mobilisés par l’action (ETP)', fields: ['moyens_humains'] },
];

/** « Identification de l’action 3 et promoteur référent »: the first row carries the action's number in the convention. */
export const article2Label = (row: LayoutRow, actionNumber?: number) =>
  actionNumber === undefined || row !== ARTICLE_2_ROWS[0]
    ? row.label
    : row.label.replace('de l’action', `de l’action ${actionNumber}`);

/** The fiche's other rows, by group: one label | value row per field, under the field's own label. */
export const OTHER_GROUPS: { title: string; fields: string[] }[] = [
  {
    title: 'Programme et objectifs',
    fields: ['programme', 'objectif_general', 'objectif_specifique', 'objectif_operationnel', 'objectif_prs'],
  },
  { title: 'Budget et financements', fields: ['budget', 'financements'] },
  {
    title: 'Évaluation (tableau de bord du comité de pilotage)',
    fields: ['indicateurs_processus', 'indicateurs_activite', 'indicateurs_resultat', 'resultats_attendus'],
  },
];

/** Inside a row that shows several fields, a shorter label where the field's own repeats the row's. */
export const SUB_LABELS: Record<string, string> = { periode: 'Période', publics: 'Publics' };

export const subLabel = (field: FieldDef) => SUB_LABELS[field.id] ?? field.label;

function fieldParagraphs(field: FieldDef, values: FormValues, labelled: boolean): Paragraph[] {
  const label = labelled ? [text(`${subLabel(field)}${COLON}`, { bold: true })] : [];
  if (!hasValue(values, field.id)) return [paragraph([...label, missing()])];
  const lines = valueLines(field, values[field.id]);
  if (lines.length === 1) return [paragraph([...label, text(lines[0]!)])];
  const items = Array.isArray(values[field.id])
    ? lines.map((line) => bulleted(line))
    : lines.map((line) => paragraph(line));
  return labelled ? [paragraph([text(`${subLabel(field)}\u00a0:`, { bold: true })]), ...items] : items;
}

/** The cell of a row: its fields that apply to this fiche (« précisez » only after « autre »). */
export function rowContent(fieldIds: string[], values: FormValues): Paragraph[] {
  const fields = fieldIds.map((id) => fieldOf(FICHE_FORM, id)).filter((field) => isAsked(field, values));
  return fields.flatMap((field) => fieldParagraphs(field, values, fieldIds.length > 1));
}

export function article2Lines(values: FormValues, actionNumber?: number): TableLine[] {
  return ARTICLE_2_ROWS.map((row) => ({
    label: article2Label(row, actionNumber),
    content: rowContent(row.fields, values),
  }));
}

export function otherLines(values: FormValues): TableLine[] {
  return OTHER_GROUPS.flatMap((group) => [
    { group: group.title },
    ...group.fields.map((id) => ({
      label: fieldOf(FICHE_FORM, id).label,
      content: rowContent([id], values),
    })),
  ]);
}
