import { parisDay } from '../../core/calendar.ts';
import type { Repositories } from '../../core/ports.ts';
import type { DocumentFile } from '../../documents/files.ts';
import { type ChartRef, documentLink } from '../../documents/links.ts';
import { documentLinkSecret } from '../fiches/documents.ts';
import type { DigestDeps, DigestLinks } from './build.ts';
import type { IsoWeek } from './model.ts';

/** The web chat's pages a digest links to; each asks the person to sign in and checks they may read it. */
export const RECORD_PATHS = { fiche: 'fiches', task: 'taches', suivi: 'suivis' } as const;

export function digestPagePath(week?: IsoWeek): string {
  return week ? `/digest/${week}` : '/digest';
}

/**
 * The digest's reads over the repositories, its links on the public URL, and its charts as signed links
 * (the document links' secret, valid a week), made again from the tasks when opened.
 */
export function digestDeps(
  repositories: Repositories,
  publicUrl: string,
  clock: () => Date = () => new Date(),
): DigestDeps {
  const base = publicUrl.replace(/\/+$/, '');
  // Read once: the secret never changes once created.
  let secret: Promise<string> | undefined;
  const links: DigestLinks = {
    record: (kind, id) => `${base}/${RECORD_PATHS[kind]}/${encodeURIComponent(id)}`,
    page: (week) => `${base}${digestPagePath(week)}`,
    async chart(collectiviteIds) {
      secret ??= documentLinkSecret({ repositories });
      const key = await secret.catch((error: unknown) => {
        secret = undefined;
        throw error;
      });
      return documentLink(base, { kind: 'progress', collectiviteIds }, key, { now: clock() }).url;
    },
  };
  return { ...repositories, links };
}

/** GET of a chart link: the tasks of its collectivités as they are now, as a PNG. */
export async function progressChartDocument(
  ref: ChartRef,
  repositories: Pick<Repositories, 'activity' | 'directory'>,
  now: Date = new Date(),
): Promise<DocumentFile | undefined> {
  const wanted = new Set(ref.collectiviteIds);
  const collectivites = (await repositories.directory.listCollectivites())
    .filter((collectivite) => wanted.has(collectivite.id))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  if (collectivites.length === 0) return undefined;
  const progress = await repositories.activity.taskProgress(
    collectivites.map((c) => c.id),
    parisDay(now),
  );
  const rows = collectivites.map((collectivite) => ({
    collectivite: collectivite.name,
    ...(progress.get(collectivite.id) ?? { done: 0, inProgress: 0, late: 0, todo: 0 }),
  }));
  // Vega and resvg are loaded at the first chart, not at start-up.
  const { progressChartPng } = await import('../../documents/dashboard/progress.ts');
  const chart = await progressChartPng(rows);
  return { bytes: chart.png, fileName: 'avancement-des-taches.png', contentType: 'image/png' };
}
