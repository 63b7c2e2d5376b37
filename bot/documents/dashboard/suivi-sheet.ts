import type ExcelJS from 'exceljs';
import { SUIVI_QUESTIONS, type Suivi } from '../../features/dashboard/model.ts';
import type { Fiche } from '../../features/fiches/model.ts';
import { ficheLabel, ficheText, type IndicatorKind, indicatorsOf, publicsText } from './fiche-cells.ts';
import { BORDERS, fitRowHeight, printSetup, setText, solid, styleHeader, titleRow } from './sheet-kit.ts';

/**
 * The guide's « Tableau de suivi des actions par les acteurs » (Fiche 5) for one period, the quarterly
 * report to the ARS: one row per action, A from the fiche, B to D from the suivi in the guide's own answer
 * labels (« OUI / NON / En partie », « Partiellement »…). An action without a suivi keeps its row, marked
 * « suivi manquant ».
 */

/** « 2027-T2 » → « T2 2027 », « 2027-A » → « bilan annuel 2027 ». */
export function periodLabel(period: string): string {
  const quarter = /^(\d{4})-T([1-4])$/.exec(period);
  if (quarter) return `T${quarter[2]} ${quarter[1]}`;
  const year = /^(\d{4})-A$/.exec(period);
  if (year) return `bilan annuel ${year[1]}`;
  throw new Error(
    `Période « ${period} » non reconnue : attendu « 2027-T2 » pour un trimestre ou « 2027-A » pour le bilan annuel.`,
  );
}

export const suiviSheetName = (period: string) => `Suivi ${periodLabel(period)}`;

const YES_NO_PARTIAL: Record<string, string> = { oui: 'OUI', non: 'NON', en_partie: 'En partie' };
const OBJECTIVES: Record<string, string> = { oui: 'OUI', non: 'NON', en_partie: 'Partiellement' };
const CONTRIBUTION: Record<string, string> = { oui: 'Oui', non: 'Non', en_partie: 'Partiellement' };
const RENEWAL: Record<string, string> = {
  reconduire: 'Reconduire l’action',
  adapter: 'Reconduire en l’adaptant',
  arreter: 'Arrêter l’action',
};

export const SUIVI_STATES = { soumis: 'soumis', brouillon: 'brouillon', missing: 'suivi manquant' } as const;
const MISSING_FILL = '#F8CBAD';

interface RowSource {
  fiche?: Fiche;
  suivi?: Suivi;
}

interface Column {
  group: string;
  header: string;
  width: number;
  value: (source: RowSource) => string | undefined;
}

/** A suivi's text value; an unknown answer id is shown as written rather than lost. */
function answer(suivi: Suivi | undefined, id: string, labels?: Record<string, string>): string | undefined {
  const value = suivi?.values[id];
  if (value === undefined || value === null || value === '') return undefined;
  const text = String(value);
  return labels?.[text] ?? text;
}

/** « Nombre d’ateliers réalisés : 8 ateliers / 10 », the fiche's indicator at the same position. */
function achieved(
  source: RowSource,
  kind: IndicatorKind,
  valueId: string,
  label: string,
): string | undefined {
  if (!source.suivi) return undefined;
  const planned = source.fiche ? indicatorsOf(source.fiche, kind) : [];
  const lines: string[] = [];
  for (let position = 1; position <= Math.max(3, planned.length); position += 1) {
    const indicator = planned[position - 1];
    const reached = position <= 3 ? answer(source.suivi, `${valueId}_${position}`) : undefined;
    if (!indicator && reached === undefined) continue;
    lines.push(
      `${indicator?.libelle ?? `${label} ${position}`}\u00a0: ${reached ?? '—'} / ${indicator?.cible ?? '—'}`,
    );
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}

const fromFiche = (fieldId: string) => (source: RowSource) =>
  source.fiche ? ficheText(source.fiche, fieldId) : undefined;

function stateOf(source: RowSource): string {
  return source.suivi ? SUIVI_STATES[source.suivi.status] : SUIVI_STATES.missing;
}

const A = 'A. L’action';
const B = 'B. Mise en œuvre';
const C = 'C. Est-ce que l’action a contribué à…';
const D = 'D. Analyse';

const WHY = 'Si non ou partiellement, pourquoi ?';

const COLUMNS: Column[] = [
  {
    group: A,
    header: 'Intitulé de l’action',
    width: 32,
    value: (source) =>
      source.fiche ? ficheLabel(source.fiche) : `Fiche introuvable (${source.suivi?.ficheId ?? '?'})`,
  },
  { group: A, header: 'État du suivi', width: 13, value: stateOf },
  {
    group: A,
    header: 'Objectif opérationnel auquel se rattache l’action',
    width: 32,
    value: fromFiche('objectif_operationnel'),
  },
  { group: A, header: 'Objectifs poursuivis', width: 30, value: fromFiche('objectif_specifique') },
  { group: A, header: 'Résultats attendus', width: 30, value: fromFiche('resultats_attendus') },
  {
    group: A,
    header: 'Publics cibles',
    width: 24,
    value: (source) => (source.fiche ? publicsText(source.fiche) : undefined),
  },
  { group: A, header: 'Nombre de bénéficiaires ciblés', width: 14, value: fromFiche('nb_beneficiaires') },
  { group: A, header: 'Territoire d’intervention', width: 16, value: fromFiche('territoire') },
  ...(['ressources', 'groupes_cibles', 'realisation'] as const).flatMap((id): Column[] => [
    {
      group: B,
      header: SUIVI_QUESTIONS[id],
      width: 16,
      value: (source) => answer(source.suivi, id, YES_NO_PARTIAL),
    },
    { group: B, header: WHY, width: 30, value: (source) => answer(source.suivi, `${id}_pourquoi`) },
  ]),
  {
    group: B,
    header: SUIVI_QUESTIONS.objectifs,
    width: 16,
    value: (source) => answer(source.suivi, 'objectifs', OBJECTIVES),
  },
  {
    group: B,
    header: 'Justifiez, éléments clés',
    width: 30,
    value: (source) => answer(source.suivi, 'objectifs_justification'),
  },
  {
    group: B,
    header: 'Indicateurs d’activité (réalisé / prévu)',
    width: 36,
    value: (source) =>
      achieved(source, 'indicateurs_activite', 'indicateur_activite', 'Indicateur d’activité'),
  },
  {
    group: B,
    header: 'Indicateurs de résultats (réalisé / prévu)',
    width: 36,
    value: (source) =>
      achieved(source, 'indicateurs_resultat', 'indicateur_resultat', 'Indicateur de résultat'),
  },
  ...(
    [
      'contribution_cooperation',
      'contribution_pratiques',
      'contribution_ists',
      'contribution_parcours',
    ] as const
  ).flatMap((id): Column[] => [
    {
      group: C,
      header: SUIVI_QUESTIONS[id].replace('L’action a contribué à ', '… '),
      width: 18,
      value: (source) => answer(source.suivi, id, CONTRIBUTION),
    },
    {
      group: C,
      header: 'Sur quels aspects ?',
      width: 30,
      value: (source) => answer(source.suivi, `${id}_aspects`),
    },
  ]),
  ...(['freins', 'leviers', 'pistes'] as const).map(
    (id): Column => ({
      group: D,
      header: SUIVI_QUESTIONS[id],
      width: 32,
      value: (source) => answer(source.suivi, id),
    }),
  ),
];

const RENEWAL_COLUMNS: Column[] = [
  {
    group: 'Bilan annuel',
    header: 'Proposition de reconduction',
    width: 20,
    value: (source) => answer(source.suivi, 'reconduction', RENEWAL),
  },
  {
    group: 'Bilan annuel',
    header: 'Justification',
    width: 32,
    value: (source) => answer(source.suivi, 'reconduction_justification'),
  },
];

const GROUP_FILLS: Record<string, string> = {
  [A]: '#1F3A5F',
  [B]: '#2F5D8C',
  [C]: '#3C7A89',
  [D]: '#5B6B7F',
  'Bilan annuel': '#6B5B8C',
};

const GROUP_ROW = 3;
const HEADER_ROW = 4;

/** One row per action of the fiches (by number), then any suivi of the period whose fiche was not given. */
function rowSources(fiches: Fiche[], suivis: Suivi[]): RowSource[] {
  const byFiche = new Map(suivis.map((suivi) => [suivi.ficheId, suivi]));
  const sorted = [...fiches].sort((a, b) => a.number - b.number);
  const known = new Set(sorted.map((fiche) => fiche.id));
  return [
    ...sorted.map((fiche) => ({ fiche, suivi: byFiche.get(fiche.id) })),
    ...suivis.filter((suivi) => !known.has(suivi.ficheId)).map((suivi) => ({ suivi })),
  ];
}

export function suiviSheet(
  workbook: ExcelJS.Workbook,
  input: { collectivite: { name: string }; fiches: Fiche[]; suivis: Suivi[]; period: string },
) {
  const label = periodLabel(input.period);
  const annual = input.period.endsWith('-A');
  const columns = annual ? [...COLUMNS, ...RENEWAL_COLUMNS] : COLUMNS;
  const sheet = workbook.addWorksheet(suiviSheetName(input.period), {
    views: [{ state: 'frozen', xSplit: 1, ySplit: HEADER_ROW }],
  });
  sheet.columns = columns.map((column) => ({ width: column.width }));
  titleRow(sheet, 1, `Suivi des actions — ${label} — ${input.collectivite.name}`, 8);
  titleRow(sheet, 2, 'Tableau de suivi des actions par les acteurs (guide, Fiche 5)', 8, 10);

  const groups = sheet.getRow(GROUP_ROW);
  let start = 1;
  columns.forEach((column, index) => {
    const next = columns[index + 1];
    if (next?.group === column.group) return;
    groups.getCell(start).value = column.group;
    styleHeader(groups, start, index + 1, GROUP_FILLS[column.group]);
    if (index + 1 > start) sheet.mergeCells(GROUP_ROW, start, GROUP_ROW, index + 1);
    start = index + 2;
  });
  groups.height = 20;
  const header = sheet.getRow(HEADER_ROW);
  header.values = columns.map((column) => column.header);
  columns.forEach((column, index) => {
    styleHeader(header, index + 1, index + 1, GROUP_FILLS[column.group]);
  });
  fitRowHeight(sheet, header, 3);

  const suivis = input.suivis.filter((suivi) => suivi.period === input.period);
  rowSources(input.fiches, suivis).forEach((source, index) => {
    const row = sheet.getRow(HEADER_ROW + 1 + index);
    columns.forEach((column, position) => {
      setText(row.getCell(position + 1), column.value(source), { bold: position === 0 });
    });
    if (!source.suivi) {
      const state = row.getCell(2);
      state.fill = solid(MISSING_FILL);
      state.font = { ...state.font, bold: true };
      state.border = BORDERS;
    }
    fitRowHeight(sheet, row, 2);
  });
  // Thirty columns: on A3, three pages wide, the action's title repeated on each.
  printSetup(sheet, `${GROUP_ROW}:${HEADER_ROW}`, { paper: 'A3', pagesWide: 3, titleColumns: 'A:A' });
}
