import { normalizeForMatch } from '../../../knowledge/text/normalize.ts';
import { DOCX_TYPE, type DocumentFile, fileName, MARKDOWN_TYPE } from '../../documents/files.ts';
import type { DocumentRef } from '../../documents/links.ts';
import type { Fiche, FicheRepository } from './model.ts';
import { ficheMarkdown } from './view.ts';

/** The fiche-action's documents: Word and Markdown exports, and the draft convention of a programme. */

export type ExportFormat = 'docx' | 'md';

/** The fiche as a Word document (the guide's Article 2 table…) or as the Markdown of « voir la fiche ». */
export async function exportFiche(fiche: Fiche, format: ExportFormat): Promise<DocumentFile> {
  const name = fileName(['fiche-action', fiche.number, fiche.title], format);
  if (format === 'md') {
    return {
      bytes: new TextEncoder().encode(`${ficheMarkdown(fiche)}\n`),
      fileName: name,
      contentType: MARKDOWN_TYPE,
    };
  }
  // docx is loaded at the first export rather than at every start.
  const { ficheDocx } = await import('../../documents/fiche-docx.ts');
  return { bytes: await ficheDocx(fiche), fileName: name, contentType: DOCX_TYPE };
}

const programmeOf = (fiche: Fiche) =>
  (fiche.programme ?? (fiche.values.programme as string | undefined))?.trim() || undefined;

const sameProgramme = (a: string, b: string) => normalizeForMatch(a) === normalizeForMatch(b);

export interface ProgrammeFiches {
  programme: string;
  validated: Fiche[];
  /** Fiches of the programme not validated yet (brouillon, soumise, à revoir). */
  pending: Fiche[];
}

/** The programmes these fiches name, in their first spelling, with their fiches by number. */
export function programmesOf(fiches: Fiche[]): ProgrammeFiches[] {
  const programmes: ProgrammeFiches[] = [];
  for (const fiche of [...fiches].sort((a, b) => a.number - b.number)) {
    const name = programmeOf(fiche);
    if (!name) continue;
    let entry = programmes.find((candidate) => sameProgramme(candidate.programme, name));
    if (!entry) {
      entry = { programme: name, validated: [], pending: [] };
      programmes.push(entry);
    }
    (fiche.status === 'validee' ? entry.validated : entry.pending).push(fiche);
  }
  return programmes;
}

export type ProgrammeChoice =
  | { ok: true; programme: string }
  /** `choices`: the programmes to offer as buttons, when there are several. */
  | { ok: false; message: string; choices: string[] };

const fichesCount = (count: number) => `${count} fiche${count > 1 ? 's' : ''} validée${count > 1 ? 's' : ''}`;

/**
 * The programme « rédige la convention [du programme …] » means, among those with validated fiches: the
 * one named (same words, or a part of its title), or the only one.
 */
export function findProgramme(fiches: Fiche[], named?: string): ProgrammeChoice {
  const ready = programmesOf(fiches).filter((entry) => entry.validated.length > 0);
  const names = ready.map((entry) => entry.programme);
  const listed = ready.map((entry) => `« ${entry.programme} » (${fichesCount(entry.validated.length)})`);
  if (ready.length === 0) {
    return {
      ok: false,
      message:
        'Aucune fiche-action validée pour l’instant : la convention rassemble les fiches validées par la coordination. Dites *mes fiches* pour voir où elles en sont.',
      choices: [],
    };
  }
  const wanted = named ? normalizeForMatch(named) : '';
  if (!wanted) {
    if (ready.length === 1) return { ok: true, programme: ready[0]!.programme };
    return {
      ok: false,
      message: `Plusieurs programmes ont des fiches validées : ${listed.join(', ')}. Pour lequel dois-je rédiger la convention ?`,
      choices: names,
    };
  }
  const exact = names.find((name) => normalizeForMatch(name) === wanted);
  if (exact) return { ok: true, programme: exact };
  const partial = names.filter((name) => {
    const words = normalizeForMatch(name);
    return ` ${words} `.includes(` ${wanted} `) || ` ${wanted} `.includes(` ${words} `);
  });
  if (partial.length === 1) return { ok: true, programme: partial[0]! };
  return {
    ok: false,
    message:
      partial.length > 1
        ? `Plusieurs programmes correspondent à « ${named} » : ${partial.map((name) => `« ${name} »`).join(', ')}. Lequel ?`
        : `Je ne trouve pas de programme « ${named} » parmi ceux qui ont des fiches validées : ${listed.join(', ')}.`,
    choices: partial.length > 1 ? partial : names,
  };
}

export type ConventionDraft =
  | { ok: true; file: DocumentFile; actions: number; pending: Fiche[] }
  | { ok: false; message: string };

/**
 * The draft convention de partenariat of one programme of a collectivité, from its validated fiches (the
 * others are named in the draft's note). `fiches` are the collectivité's fiches, any status.
 */
export async function draftConvention(
  fiches: Fiche[],
  programme: string,
  options: { now?: Date } = {},
): Promise<ConventionDraft> {
  const collectivites = new Set(fiches.map((fiche) => fiche.collectivite.id));
  if (collectivites.size > 1) {
    return {
      ok: false,
      message: 'Une convention concerne une seule collectivité : choisissez-en une pour la rédiger.',
    };
  }
  const entry = programmesOf(fiches).find((candidate) => sameProgramme(candidate.programme, programme));
  if (!entry || entry.validated.length === 0) {
    return {
      ok: false,
      message: `Le programme « ${programme} » n’a encore aucune fiche-action validée : la convention rassemble les fiches validées par la coordination.`,
    };
  }
  const { conventionDocx } = await import('../../documents/convention-docx.ts');
  const bytes = await conventionDocx({
    programme: entry.programme,
    collectiviteName: entry.validated[0]!.collectivite.name,
    fiches: entry.validated,
    pending: entry.pending,
    now: options.now,
  });
  return {
    ok: true,
    file: {
      bytes,
      fileName: fileName(['convention-partenariat', entry.programme], 'docx'),
      contentType: DOCX_TYPE,
    },
    actions: entry.validated.length,
    pending: entry.pending,
  };
}

/**
 * What a signed link serves (mountDocuments' `render`): the document made again from the database, or
 * undefined when it no longer exists (a discarded fiche, a programme without validated fiches).
 */
export async function renderDocument(
  ref: DocumentRef,
  fiches: Pick<FicheRepository, 'get' | 'list'>,
): Promise<DocumentFile | undefined> {
  if (ref.kind === 'fiche') {
    const fiche = await fiches.get(ref.ficheId);
    return fiche ? exportFiche(fiche, ref.format) : undefined;
  }
  // The tableau de bord's documents are rendered by its own feature.
  if (ref.kind !== 'convention') return undefined;
  const draft = await draftConvention(
    await fiches.list({ collectiviteIds: [ref.collectiviteId] }),
    ref.programme,
  );
  return draft.ok ? draft.file : undefined;
}
