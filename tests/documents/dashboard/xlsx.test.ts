import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { exampleDashboard, exampleTasks } from '../../../bot/documents/dashboard/example.ts';
import { STATUS_STYLES } from '../../../bot/documents/dashboard/tasks.ts';
import { type DashboardXlsxInput, dashboardXlsx } from '../../../bot/documents/dashboard/xlsx.ts';
import { PHASES, type Suivi, type Task } from '../../../bot/features/dashboard/model.ts';

const NBSP = '\u00a0';
const argb = (hex: string) => `FF${hex.slice(1)}`;

async function reopened(input: Partial<DashboardXlsxInput> = {}) {
  const bytes = await dashboardXlsx({ ...exampleDashboard(), ...input });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return { bytes, workbook };
}

/** The rows of a sheet as arrays of cell values, from row `from` on (1-based columns kept). */
function rows(sheet: ExcelJS.Worksheet, from: number): ExcelJS.CellValue[][] {
  const result: ExcelJS.CellValue[][] = [];
  for (let number = from; number <= sheet.rowCount; number += 1) {
    const row = sheet.getRow(number);
    result.push(Array.from({ length: sheet.columnCount }, (_, index) => row.getCell(index + 1).value));
  }
  return result;
}

function rowOf(sheet: ExcelJS.Worksheet, firstCell: string): ExcelJS.Row {
  for (let number = 1; number <= sheet.rowCount; number += 1) {
    if (sheet.getRow(number).getCell(1).value === firstCell) return sheet.getRow(number);
  }
  throw new Error(`no row starts with ${firstCell}`);
}

const fillOf = (cell: ExcelJS.Cell) =>
  cell.fill?.type === 'pattern' ? (cell.fill.fgColor?.argb ?? undefined) : undefined;

describe('the tableau de bord sheet', () => {
  it('has the three sheets, the guide’s header and one column per month the tasks span', async () => {
    const { bytes, workbook } = await reopened();
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      'Tableau de bord',
      'COPIL – indicateurs',
      'Suivi T2 2027',
    ]);
    const sheet = workbook.getWorksheet('Tableau de bord')!;
    const header = rows(sheet, 4)[0]!;
    expect(header.slice(0, 5)).toEqual([
      'ÉTAPES',
      'QUI ? Responsable',
      'Date début',
      'Date fin',
      'Livrables ?',
    ]);
    // From the first task's start (January 2027) to the last one's end (November 2028).
    expect(header.slice(5)).toHaveLength(23);
    expect(header[5]).toBe('janv. 2027');
    expect(header[6]).toBe('févr. 2027');
    expect(header.at(-1)).toBe('nov. 2028');
    expect(sheet.getCell('A1').value).toBe('Tableau de bord — Commune de Démoville (démo)');
    expect(sheet.getCell('A2').value).toBe('Situation au 15 juin 2027');
  });

  it('lists the phases in the guide’s order, each followed by its tasks, and reopens with the same rows', async () => {
    const { workbook } = await reopened();
    const sheet = workbook.getWorksheet('Tableau de bord')!;
    const firstCells = rows(sheet, 5).map((row) => row[0]);
    const phaseRows = PHASES.map((phase) => firstCells.indexOf(phase.label));
    expect(phaseRows.every((index) => index >= 0)).toBe(true);
    expect([...phaseRows].sort((a, b) => a - b)).toEqual(phaseRows);
    const tasks = exampleTasks();
    expect(firstCells.filter((cell) => typeof cell === 'string' && /^\d+\. /.test(cell))).toHaveLength(
      tasks.length,
    );
    for (const task of tasks) {
      const row = rowOf(sheet, `${task.number}. ${task.values.intitule}`);
      const phaseIndex = PHASES.findIndex((phase) => phase.id === task.values.phase);
      // Under its own phase's band, above the next one.
      expect(row.number - 5).toBeGreaterThan(phaseRows[phaseIndex]!);
      if (phaseIndex < PHASES.length - 1) expect(row.number - 5).toBeLessThan(phaseRows[phaseIndex + 1]!);
      expect(row.getCell(2).value ?? null).toBe(task.values.responsable?.nom ?? null);
      expect(row.getCell(5).value ?? null).toBe(task.values.livrables ?? null);
    }
    const phaseBand = sheet.getRow(phaseRows[0]! + 5);
    expect(phaseBand.getCell(1).font?.bold).toBe(true);
    expect(fillOf(phaseBand.getCell(1))).toBe('FFDCE6F1');
  });

  it('writes the dates as real Excel dates, shown dd/mm/yyyy', async () => {
    const { workbook } = await reopened();
    const row = rowOf(workbook.getWorksheet('Tableau de bord')!, '1. Rencontres avec les acteurs concernés');
    expect(row.getCell(3).value).toEqual(new Date(Date.UTC(2027, 0, 4)));
    expect(row.getCell(4).value).toEqual(new Date(Date.UTC(2027, 1, 26)));
    expect(row.getCell(3).numFmt).toBe('dd/mm/yyyy');
    const undated = rowOf(workbook.getWorksheet('Tableau de bord')!, '5. Charte graphique de la coopérative');
    expect(undated.getCell(3).value ?? null).toBeNull();
  });

  it('draws each task’s months as a bar, ▶ then X, in the colour of its state, late ones in red', async () => {
    const { workbook } = await reopened();
    const sheet = workbook.getWorksheet('Tableau de bord')!;
    const header = rows(sheet, 4)[0]!;
    const column = (label: string) => header.indexOf(label) + 1;
    const bar = (row: ExcelJS.Row) =>
      header.slice(5).map((_, index) => {
        const cell = row.getCell(6 + index);
        return cell.value ? `${cell.value}${fillOf(cell) ?? ''}` : '';
      });

    // En cours, its end (4 June 2027) before today (15 June): late, in red, its end date in red too.
    const late = rowOf(sheet, '9. Rédaction du diagnostic local de santé');
    const red = argb(STATUS_STYLES.en_retard.fill);
    expect(late.getCell(column('mai 2027')).value).toBe('▶');
    expect(late.getCell(column('juin 2027')).value).toBe('X');
    expect(fillOf(late.getCell(column('mai 2027')))).toBe(red);
    expect(fillOf(late.getCell(column('juin 2027')))).toBe(red);
    expect(bar(late).filter((cell) => cell !== '')).toEqual([`▶${red}`, `X${red}`]);
    expect(late.getCell(4).font?.color?.argb).toBe(red);

    // Done over three months, in green.
    const done = rowOf(sheet, '6. Données quantitatives (INSEE, CPAM, ORS)');
    const green = argb(STATUS_STYLES.fait.fill);
    expect(bar(done).filter((cell) => cell !== '')).toEqual([`▶${green}`, `X${green}`, `X${green}`]);
    // Dropped, in grey; a one-day task is a single ▶; an undated one has no bar.
    const dropped = rowOf(sheet, '7. Questionnaire en ligne aux habitants');
    expect(fillOf(dropped.getCell(column('avr. 2027')))).toBe(argb(STATUS_STYLES.abandonne.fill));
    const milestone = rowOf(sheet, '4. Validation des orientations-communication');
    expect(bar(milestone).filter((cell) => cell !== '')).toEqual([`▶${green}`]);
    expect(bar(rowOf(sheet, '5. Charte graphique de la coopérative')).every((cell) => cell === '')).toBe(
      true,
    );
    // The phase band has ▶ in the month its first task starts.
    expect(rowOf(sheet, 'Diagnostic').getCell(column('mars 2027')).value).toBe('▶');
  });

  it('derives « en retard » from today: the same task before its end date is in progress, in blue', async () => {
    const { workbook } = await reopened({ today: '2027-06-04' });
    const sheet = workbook.getWorksheet('Tableau de bord')!;
    const header = rows(sheet, 4)[0]!;
    const task = rowOf(sheet, '9. Rédaction du diagnostic local de santé');
    expect(fillOf(task.getCell(header.indexOf('mai 2027') + 1))).toBe(argb(STATUS_STYLES.en_cours.fill));
  });

  it('keeps a band and « À compléter… » for the phases without tasks, as the guide’s example', async () => {
    const prefiguration = exampleTasks().filter((task) => task.values.phase === 'prefiguration');
    const { workbook } = await reopened({ tasks: prefiguration });
    const firstCells = rows(workbook.getWorksheet('Tableau de bord')!, 5).map((row) => row[0]);
    expect(firstCells.filter((cell) => cell === 'À compléter…')).toHaveLength(PHASES.length - 1);
    expect(firstCells.indexOf('Diagnostic')).toBe(firstCells.indexOf('À compléter…') - 1);
  });

  it('has a legend, frozen panes, set widths, a merged title and a landscape page one page wide', async () => {
    const { workbook } = await reopened();
    const sheet = workbook.getWorksheet('Tableau de bord')!;
    expect(rows(sheet, 3)[0]!.slice(1, 6)).toEqual(['fait', 'en cours', 'à faire', 'en retard', 'abandonné']);
    expect(fillOf(sheet.getCell('E3'))).toBe(argb(STATUS_STYLES.en_retard.fill));
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 5, ySplit: 4 });
    expect(sheet.getColumn(1).width).toBeGreaterThan(40);
    expect(sheet.getColumn(6).width).toBe(10);
    expect(sheet.getCell('C1').isMerged).toBe(true);
    expect(sheet.getCell('C1').master.address).toBe('A1');
    expect(sheet.pageSetup).toMatchObject({
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    });
  });

  it('spans today’s month when no task has a date', async () => {
    const undated: Task[] = exampleTasks().filter((task) => !task.values.debut && !task.values.fin);
    const { workbook } = await reopened({ tasks: undated });
    expect(rows(workbook.getWorksheet('Tableau de bord')!, 4)[0]!.slice(5)).toEqual(['juin 2027']);
  });
});

describe('the COPIL sheet', () => {
  it('has the guide’s columns and one row per action with its indicators, targets and sources', async () => {
    const { workbook } = await reopened();
    const sheet = workbook.getWorksheet('COPIL – indicateurs')!;
    const [header, ...actions] = rows(sheet, 3);
    expect(header).toEqual([
      'Intitulés des actions',
      'Indicateurs de processus',
      'Indicateurs d’activité',
      'Indicateurs de résultats',
      'Résultats attendus',
      'Sources et méthodes à mobiliser',
    ]);
    expect(actions.map((row) => row[0])).toEqual([
      'Ateliers cuisine et santé pour les familles (1) (fiche n° 1)',
      'Ateliers cuisine et santé pour les familles (2) (fiche n° 2)',
      'Ateliers cuisine et santé pour les familles (3) (fiche n° 3)',
    ]);
    const [, processus, activite, resultat, attendus, sources] = actions[0] as string[];
    expect(processus).toBe(`• Réunions du comité de pilotage tenues${NBSP}: 3 par an`);
    expect(activite).toBe(`• Nombre d’ateliers réalisés${NBSP}: 10\n• familles participantes${NBSP}: 40`);
    expect(resultat).toBe(`• Part des familles déclarant cuisiner plus de légumes${NBSP}: 60 %`);
    expect(attendus).toBe(
      'Les familles connaissent les repères nutritionnels et cuisinent davantage de produits frais',
    );
    expect(sources).toContain(`• Nombre d’ateliers réalisés${NBSP}: feuilles d’émargement`);
    expect(sheet.getCell('B4').alignment?.wrapText).toBe(true);
  });
});

describe('the suivi sheet of the period', () => {
  async function suiviRows(input: Partial<DashboardXlsxInput> = {}) {
    const { workbook } = await reopened(input);
    const sheet = workbook.worksheets[2]!;
    const [groups, header, ...actions] = rows(sheet, 3);
    return { sheet, groups: groups!, header: header!, actions };
  }
  const cell = (header: ExcelJS.CellValue[], row: ExcelJS.CellValue[], label: string, nth = 0) => {
    const indexes = header.flatMap((value, index) => (value === label ? [index] : []));
    return row[indexes[nth]!];
  };

  it('has a row per action, A from the fiche, B to D in the guide’s answer labels', async () => {
    const { header, actions } = await suiviRows();
    expect(actions).toHaveLength(3);
    const [submitted] = actions as [ExcelJS.CellValue[]];
    expect(cell(header, submitted, 'Intitulé de l’action')).toBe(
      'Ateliers cuisine et santé pour les familles (1) (fiche n° 1)',
    );
    expect(cell(header, submitted, 'État du suivi')).toBe('soumis');
    expect(cell(header, submitted, 'Objectif opérationnel auquel se rattache l’action')).toBe(
      'Proposer 10 ateliers cuisine par an aux familles du quartier des Tilleuls',
    );
    expect(cell(header, submitted, 'Nombre de bénéficiaires ciblés')).toBe('environ 60');
    expect(cell(header, submitted, 'Territoire d’intervention')).toBe('Commune');
    expect(cell(header, submitted, 'Les ressources ont été mobilisées comme prévu')).toBe('OUI');
    expect(cell(header, submitted, 'Les groupes cibles ont été atteints comme prévu')).toBe('En partie');
    expect(cell(header, submitted, 'Si non ou partiellement, pourquoi ?', 1)).toBe(
      'Peu de pères aux ateliers du samedi',
    );
    expect(cell(header, submitted, 'Les objectifs cibles ont été atteints')).toBe('Partiellement');
    expect(cell(header, submitted, 'Indicateurs d’activité (réalisé / prévu)')).toBe(
      `Nombre d’ateliers réalisés${NBSP}: 8 / 10\nfamilles participantes${NBSP}: 31 / 40`,
    );
    expect(cell(header, submitted, 'Indicateurs de résultats (réalisé / prévu)')).toBe(
      `Part des familles déclarant cuisiner plus de légumes${NBSP}: 55 % / 60 %`,
    );
    expect(cell(header, submitted, '… améliorer la dynamique de coopération')).toBe('Oui');
    expect(cell(header, submitted, '… l’amélioration du parcours de santé des bénéficiaires')).toBe('Non');
    expect(cell(header, submitted, 'Sur quels aspects ?', 2)).toBe(
      'Participation des habitants du quartier prioritaire',
    );
    expect(cell(header, submitted, 'Pistes d’amélioration')).toBe('Un atelier le mercredi après-midi');
  });

  it('keeps an empty row marked « suivi manquant » for an action without a suivi', async () => {
    const { sheet, header, actions } = await suiviRows();
    const missing = actions[2]!;
    expect(cell(header, missing, 'État du suivi')).toBe('suivi manquant');
    expect(cell(header, missing, 'Territoire d’intervention')).toBe('Commune');
    const fromB = header.indexOf('Les ressources ont été mobilisées comme prévu');
    expect(missing.slice(fromB).every((value) => value === null)).toBe(true);
    expect(fillOf(sheet.getCell(7, 2))).toBe('FFF8CBAD');
    expect(cell(header, actions[1]!, 'État du suivi')).toBe('brouillon');
    expect(cell(header, actions[1]!, 'Les ressources ont été mobilisées comme prévu')).toBe('NON');
  });

  it('groups the columns under merged A, B, C and D headers', async () => {
    const { sheet, groups } = await suiviRows();
    expect([...new Set(groups.filter((value) => value !== null))]).toEqual([
      'A. L’action',
      'B. Mise en œuvre',
      'C. Est-ce que l’action a contribué à…',
      'D. Analyse',
    ]);
    expect(sheet.getCell(3, 2).isMerged).toBe(true);
    expect(sheet.getCell(3, 2).master.address).toBe('A3');
  });

  it('leaves out the suivis of other periods, and adds the renewal for the annual bilan', async () => {
    const other: Suivi = { ...exampleDashboard().suivis[0]!, period: '2027-T1' };
    const quarter = await suiviRows({ suivis: [other] });
    expect(quarter.actions.map((row) => cell(quarter.header, row, 'État du suivi'))).toEqual([
      'suivi manquant',
      'suivi manquant',
      'suivi manquant',
    ]);
    const annual: Suivi = {
      ...other,
      period: '2027-A',
      kind: 'annuel',
      values: { reconduction: 'adapter', reconduction_justification: 'Plus de créneaux le mercredi' },
    };
    const bilan = await suiviRows({ suivis: [annual], period: '2027-A' });
    expect(bilan.sheet.name).toBe('Suivi bilan annuel 2027');
    expect(cell(bilan.header, bilan.actions[0]!, 'Proposition de reconduction')).toBe(
      'Reconduire en l’adaptant',
    );
    expect(cell(bilan.header, bilan.actions[0]!, 'Justification')).toBe('Plus de créneaux le mercredi');
  });

  it('keeps a suivi whose fiche was not given, and refuses an unknown period in French', async () => {
    const orphan: Suivi = { ...exampleDashboard().suivis[0]!, ficheId: 'fiche-disparue' };
    const { header, actions } = await suiviRows({ suivis: [orphan] });
    expect(cell(header, actions.at(-1)!, 'Intitulé de l’action')).toBe('Fiche introuvable (fiche-disparue)');
    expect(cell(header, actions.at(-1)!, 'État du suivi')).toBe('soumis');
    await expect(dashboardXlsx({ ...exampleDashboard(), period: 'T2' })).rejects.toThrow(
      'Période « T2 » non reconnue',
    );
  });
});
