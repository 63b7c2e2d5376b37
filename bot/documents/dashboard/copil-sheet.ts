import type ExcelJS from 'exceljs';
import type { Fiche } from '../../features/fiches/model.ts';
import { ficheLabel, ficheText, type IndicatorKind, indicatorsOf } from './fiche-cells.ts';
import { fitRowHeight, printSetup, setText, styleHeader, titleRow } from './sheet-kit.ts';

/**
 * The guide's second table (Fiche 3), for the comité de pilotage: one row per action, its indicators of
 * processus, d'activité and de résultats with their valeur prévisionnelle, its résultats attendus, and the
 * sources et méthodes to gather each indicator.
 */

export const COPIL_SHEET = 'COPIL – indicateurs';

const KINDS: IndicatorKind[] = ['indicateurs_processus', 'indicateurs_activite', 'indicateurs_resultat'];

const COLUMNS = [
  { header: 'Intitulés des actions', width: 34 },
  { header: 'Indicateurs de processus', width: 36 },
  { header: 'Indicateurs d’activité', width: 36 },
  { header: 'Indicateurs de résultats', width: 36 },
  { header: 'Résultats attendus', width: 40 },
  { header: 'Sources et méthodes à mobiliser', width: 40 },
];
const HEADER_ROW = 3;

const bullets = (lines: string[]) =>
  lines.length > 0 ? lines.map((line) => `• ${line}`).join('\n') : undefined;

export function copilSheet(
  workbook: ExcelJS.Workbook,
  input: { collectivite: { name: string }; fiches: Fiche[] },
) {
  const sheet = workbook.addWorksheet(COPIL_SHEET, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: HEADER_ROW }],
  });
  sheet.columns = COLUMNS.map((column) => ({ width: column.width }));
  titleRow(sheet, 1, `Tableau de bord du comité de pilotage — ${input.collectivite.name}`, COLUMNS.length);
  titleRow(sheet, 2, 'Indicateurs par action, avec leur valeur prévisionnelle', COLUMNS.length, 10);
  const header = sheet.getRow(HEADER_ROW);
  header.values = COLUMNS.map((column) => column.header);
  styleHeader(header, 1, COLUMNS.length);
  header.height = 22;

  const fiches = [...input.fiches].sort((a, b) => a.number - b.number);
  fiches.forEach((fiche, index) => {
    const row = sheet.getRow(HEADER_ROW + 1 + index);
    setText(row.getCell(1), ficheLabel(fiche), { bold: true });
    KINDS.forEach((kind, position) => {
      const lines = indicatorsOf(fiche, kind).map((indicator) =>
        indicator.cible ? `${indicator.libelle}\u00a0: ${indicator.cible}` : indicator.libelle,
      );
      setText(row.getCell(2 + position), bullets(lines));
    });
    setText(row.getCell(5), ficheText(fiche, 'resultats_attendus'));
    const sources = KINDS.flatMap((kind) => indicatorsOf(fiche, kind))
      .filter((indicator) => indicator.source)
      .map((indicator) => `${indicator.libelle}\u00a0: ${indicator.source}`);
    setText(row.getCell(6), bullets(sources));
    fitRowHeight(sheet, row, 2);
  });
  printSetup(sheet, `${HEADER_ROW}:${HEADER_ROW}`);
}
