import { distance } from 'fastest-levenshtein';
import { normalizeForMatch } from '../../knowledge/text/normalize.ts';
import { fieldOf, isAsked, readValue } from '../core/forms/engine.ts';
import type { FieldContext, FormValues } from '../core/forms/types.ts';
import { FICHE_FORM } from '../features/fiches/form.ts';
import { MISSING_TEXT } from './docx-kit.ts';
import { ARTICLE_2_ROWS, SUB_LABELS } from './fiche-layout.ts';
import { readDocx, tablesOf } from './read-docx.ts';

/**
 * A Word fiche laid out like the guide's Article 2 table (label | value rows, in any order) read into the
 * form's values without an LLM: each row is matched to a field by its label, loosely (accents, case,
 * numbering, typos), and its text goes through that field's own parser and schema, as in the
 * conversation. Nothing is saved here: the caller shows what was understood and asks for confirmation.
 */

export interface WordImport {
  values: FormValues;
  understood: { fieldId: string; label: string; echo: string }[];
  /** Rows matched to a field whose value the field refused, with the field's own French message. */
  rejected: { label: string; value: string; message: string }[];
  /** Rows whose label names no field. */
  unknownRows: { label: string; value: string }[];
  /** The guide's warnings on the values read (23 000 €, indicators after the start…). */
  warnings: string[];
}

export type WordImportResult = ({ ok: true } & WordImport) | { ok: false; message: string };

/** Larger files are not fiches; reading them would only hold the server up. */
export const MAX_WORD_BYTES = 10 * 1024 * 1024;

interface Candidate {
  words: string;
  fieldIds: string[];
  /** Short aliases (« ou », « rh ») match only a whole label. */
  exactOnly: boolean;
}

/** A label as compared: no accents, case, punctuation or numbering (« Identification de l’action 3 »). */
const normalizeLabel = (label: string) =>
  normalizeForMatch(label)
    .replace(/\b\d+\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

function candidatesFor(fieldIds: string[]): Candidate[] {
  return fieldIds.flatMap((id) => {
    const field = fieldOf(FICHE_FORM, id);
    const names = [field.label, SUB_LABELS[id], ...field.aliases].filter((name) => name !== undefined);
    return names.map((name) => {
      const words = normalizeLabel(name);
      return { words, fieldIds: [id], exactOnly: words.length < 4 };
    });
  });
}

/** Every label a row may carry: the Article 2 rows first (they hold several fields), then each field's names. */
const ROW_CANDIDATES: Candidate[] = [
  ...ARTICLE_2_ROWS.map((row) => ({
    words: normalizeLabel(row.label),
    fieldIds: row.fields,
    exactOnly: false,
  })),
  ...candidatesFor(FICHE_FORM.fields.map((field) => field.id)),
];

const startsWithWords = (text: string, prefix: string) => text === prefix || text.startsWith(`${prefix} `);

/**
 * The fields a label names: the same words; else a name the label starts with (« Budget prévisionnel »),
 * the longest; else a label that starts a name of one field only; else a name one or two typos away.
 */
function matchLabel(label: string, candidates: Candidate[]): string[] | undefined {
  const words = normalizeLabel(label);
  if (words === '') return undefined;
  const exact = candidates.find((candidate) => candidate.words === words);
  if (exact) return exact.fieldIds;
  const loose = candidates.filter((candidate) => !candidate.exactOnly);
  const prefixes = loose
    .filter((candidate) => startsWithWords(words, candidate.words))
    .sort((a, b) => b.words.length - a.words.length);
  if (prefixes[0]) return prefixes[0].fieldIds;
  const extended = loose.filter((candidate) => startsWithWords(candidate.words, words));
  const targets = new Set(extended.map((candidate) => candidate.fieldIds.join()));
  if (words.length >= 6 && targets.size === 1) return extended[0]!.fieldIds;
  const close = loose
    .filter((candidate) => candidate.words.length >= 6)
    .map((candidate) => ({ candidate, distance: distance(words, candidate.words) }))
    .filter((entry) => entry.distance <= Math.max(1, Math.floor(entry.candidate.words.length / 10)))
    .sort((a, b) => a.distance - b.distance);
  return close[0]?.candidate.fieldIds;
}

/** A cell that says nothing yet: empty, « à compléter », « [à compléter : …] », a dash. */
function isBlank(value: string): boolean {
  const words = normalizeForMatch(value);
  return words === '' || startsWithWords(words, normalizeForMatch(MISSING_TEXT));
}

/** « Intitulé de l’action : Ateliers… » → the label and the rest, when the label is short enough to be one. */
function splitLabelled(line: string): { label: string; rest: string } | undefined {
  const colon = line.indexOf(':');
  if (colon <= 0 || colon > 80) return undefined;
  return { label: line.slice(0, colon), rest: line.slice(colon + 1).trim() };
}

/** The guide's own example: « consultations avancées - Centre de soins… (CSAPA de…) » is action - promoteur. */
const ACTION_DASH_PROMOTEUR = /^(.+?)\s+[-–—]\s+(.+)$/;

interface RawValue {
  fieldId: string;
  label: string;
  lines: string[];
}

/**
 * The values a row gives. A row of one field takes its whole cell; a row of several fields (the Article 2
 * rows) reads « Libellé : valeur » lines, the lines after one belonging to it (a list), and lines before
 * any label belonging to the row's first field.
 */
function rowValues(label: string, fieldIds: string[], lines: string[]): RawValue[] {
  if (fieldIds.length === 1) return [{ fieldId: fieldIds[0]!, label, lines }];
  const members = candidatesFor(fieldIds);
  const values: RawValue[] = [];
  let current: RawValue | undefined;
  for (const line of lines) {
    const labelled = splitLabelled(line);
    const fieldIdsOfLabel = labelled && matchLabel(labelled.label, members);
    if (labelled && fieldIdsOfLabel) {
      current = { fieldId: fieldIdsOfLabel[0]!, label: labelled.label.trim(), lines: [labelled.rest] };
      values.push(current);
      continue;
    }
    if (!current) {
      const guideShape = fieldIds.includes('promoteur') ? ACTION_DASH_PROMOTEUR.exec(line) : null;
      if (guideShape && values.length === 0) {
        values.push({ fieldId: 'promoteur', label, lines: [guideShape[2]!] });
        current = { fieldId: fieldIds[0]!, label, lines: [guideShape[1]!] };
      } else {
        current = { fieldId: fieldIds[0]!, label, lines: [line] };
      }
      values.push(current);
      continue;
    }
    current.lines.push(line);
  }
  return values;
}

/** Reads label | value tables (rows of cells of lines, as readDocx gives them) into the form's values. */
export function importTables(
  tables: string[][][][],
  context: Pick<FieldContext, 'today' | 'lookups'>,
): WordImport {
  const raw = new Map<string, RawValue>();
  const rejected: WordImport['rejected'] = [];
  const unknownRows: WordImport['unknownRows'] = [];
  for (const rows of tables) {
    for (const cells of rows) {
      const nonEmpty = cells.filter((cell) => cell.length > 0);
      if (nonEmpty.length < 2) continue;
      const label = nonEmpty[0]!.join(' ');
      const lines = nonEmpty.slice(1).flat();
      const fieldIds = matchLabel(label, ROW_CANDIDATES);
      if (!fieldIds) {
        if (!isBlank(lines.join(' '))) unknownRows.push({ label, value: lines.join('\n') });
        continue;
      }
      for (const value of rowValues(label, fieldIds, lines)) {
        const text = value.lines.join('\n').trim();
        if (isBlank(text)) continue;
        if (raw.has(value.fieldId)) {
          rejected.push({
            label: value.label,
            value: text,
            message: `« ${fieldOf(FICHE_FORM, value.fieldId).label} » figure déjà plus haut dans le document : j’ai gardé la première valeur.`,
          });
          continue;
        }
        raw.set(value.fieldId, { ...value, lines: [text] });
      }
    }
  }

  // In the form's order, so each field sees the ones before it (the period before the budget's warning).
  const values: FormValues = {};
  const understood: WordImport['understood'] = [];
  const warnings: string[] = [];
  for (const field of FICHE_FORM.fields) {
    const found = raw.get(field.id);
    if (!found) continue;
    const text = found.lines[0]!;
    const read = readValue(field, text, { ...context, values });
    if (!read.ok) {
      rejected.push({ label: found.label, value: text, message: read.message });
      continue;
    }
    values[field.id] = read.value;
    understood.push({ fieldId: field.id, label: field.label, echo: read.echo });
    warnings.push(...read.notices, ...read.warnings);
    for (const [otherId, otherValue] of Object.entries(read.also)) {
      if (!raw.has(otherId) && values[otherId] === undefined) values[otherId] = otherValue;
    }
  }
  for (const field of FICHE_FORM.fields) {
    if (values[field.id] === undefined || isAsked(field, values)) continue;
    const found = raw.get(field.id);
    delete values[field.id];
    const index = understood.findIndex((entry) => entry.fieldId === field.id);
    if (index >= 0) understood.splice(index, 1);
    rejected.push({
      label: found?.label ?? field.label,
      value: found?.lines[0] ?? '',
      message: `« ${field.label} » ne s’applique que si « Autre » est choisi.`,
    });
  }
  return { values, understood, rejected, unknownRows, warnings };
}

/** A Word fiche (.docx bytes) read into the form's values; nothing is saved. */
export async function importWordFiche(
  bytes: Uint8Array,
  context: Pick<FieldContext, 'today' | 'lookups'>,
): Promise<WordImportResult> {
  if (bytes.byteLength > MAX_WORD_BYTES) {
    return {
      ok: false,
      message: `Ce fichier fait plus de ${MAX_WORD_BYTES / 1024 / 1024} Mo : une fiche-action tient en quelques pages. Envoyez le document Word de la fiche seule.`,
    };
  }
  let tables: string[][][][];
  try {
    tables = tablesOf(await readDocx(bytes));
  } catch {
    return {
      ok: false,
      message:
        'Je n’arrive pas à lire ce fichier : il me faut un document Word au format .docx (dans Word, « Enregistrer sous » › « Document Word »).',
    };
  }
  if (tables.length === 0) {
    return {
      ok: false,
      message:
        'Je ne trouve aucun tableau dans ce document. La fiche doit être présentée comme le tableau de l’article 2 de la convention : une ligne par rubrique, le libellé à gauche et la valeur à droite.',
    };
  }
  return { ok: true, ...importTables(tables, context) };
}
