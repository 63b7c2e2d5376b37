import { parisDay } from '../../core/calendar.ts';
import type { Repositories } from '../../core/ports.ts';
import type { TurnOutcome } from '../../core/routes.ts';
import { type DocumentFile, fileName, PNG_TYPE, XLSX_TYPE } from '../../documents/files.ts';
import type { DocumentRef } from '../../documents/links.ts';
import { link } from '../fiches/documents.ts';
import { formatWhen } from '../fiches/view.ts';
import { type DashboardDeps, plain } from './conversation.ts';
import { periodName, periodOf } from './view.ts';

/**
 * « exporte le tableau de bord », « gantt »: the Excel workbook (tasks, COPIL table, the quarter's suivis)
 * and the Gantt picture, sent as signed links and made again from the database at each download.
 */

type DashboardRef = Extract<DocumentRef, { kind: 'dashboard' }>;

/** The document as it is now, for the collectivité of the ref; undefined once the collectivité is gone. */
export async function renderDashboard(
  ref: DashboardRef,
  repositories: Pick<Repositories, 'directory' | 'tasks' | 'fiches' | 'suivis'>,
  now: Date,
): Promise<DocumentFile | undefined> {
  const collectivite = await repositories.directory.findCollectivite(ref.collectiviteId);
  if (!collectivite) return undefined;
  const today = parisDay(now);
  const tasks = await repositories.tasks.list({ collectiviteIds: [collectivite.id] });
  // exceljs and Vega take seconds to load: only the first download waits for them, not every start.
  const { dashboardXlsx, ganttPng } = await import('../../documents/dashboard/index.ts');
  if (ref.format === 'png') {
    const picture = await ganttPng({ collectivite, tasks, today });
    return {
      bytes: picture.png,
      fileName: fileName(['gantt', collectivite.name, today], 'png'),
      contentType: PNG_TYPE,
    };
  }
  const period = periodOf('trimestriel', today);
  const [fiches, suivis] = await Promise.all([
    repositories.fiches.list({ collectiviteIds: [collectivite.id] }),
    repositories.suivis.list({ collectiviteIds: [collectivite.id], period }),
  ]);
  return {
    bytes: await dashboardXlsx({ collectivite, tasks, fiches, suivis, period, today }),
    fileName: fileName(['tableau-de-bord', collectivite.name, today], 'xlsx'),
    contentType: XLSX_TYPE,
  };
}

export async function exportDashboard(
  deps: DashboardDeps,
  collectivite: { id: string; name: string },
  format: 'xlsx' | 'png',
): Promise<TurnOutcome> {
  const today = parisDay(deps.clock());
  const file = {
    fileName: fileName([format === 'png' ? 'gantt' : 'tableau-de-bord', collectivite.name, today], format),
    contentType: format === 'png' ? PNG_TYPE : XLSX_TYPE,
  };
  const sent = await link(deps, { kind: 'dashboard', collectiviteId: collectivite.id, format }, file);
  const what =
    format === 'png'
      ? 'Le Gantt'
      : `Le tableau de bord en Excel (tâches par phase, tableau du COPIL, suivis du ${periodName(periodOf('trimestriel', today))})`;
  return plain(
    `${what} de ${collectivite.name} : [${file.fileName}](${sent.url})\n_Lien valable jusqu’au ${formatWhen(sent.expiresAt)} ; le document est refait à partir du tableau de bord à chaque téléchargement._`,
    { files: [sent] },
  );
}
