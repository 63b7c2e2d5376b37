import { AlignmentType, Paragraph, type ParagraphChild, TextRun } from 'docx';
import { normalizeForMatch } from '../../knowledge/text/normalize.ts';
import { formatEuros } from '../core/french/index.ts';
import {
  arsAmount,
  CONVENTION_THRESHOLD_EUROS,
  type FundingLine,
  type Indicator,
  type Partner,
  perYear,
} from '../features/fiches/form.ts';
import { type Fiche, STATUS_LABELS } from '../features/fiches/model.ts';
import { formatDay } from '../features/fiches/view.ts';
import { CONVENTION } from './convention-text.ts';
import {
  blank,
  footer,
  gridTable,
  heading,
  LANDSCAPE_CONTENT_WIDTH,
  labelValueTable,
  landscape,
  missing,
  note,
  packDocument,
  paragraph,
  portrait,
  signatureTable,
  text,
} from './docx-kit.ts';
import { article2Lines, rowContent } from './fiche-layout.ts';

/**
 * « Rédige la convention »: the validated fiches of one programme assembled into a draft convention de
 * partenariat on the guide's model (heading, préambule, articles 1 to 5, one Article 2 table per action,
 * signatures), with the blanks the coordinator fills marked « [à compléter : …] ».
 */

export interface ConventionInput {
  programme: string;
  collectiviteName: string;
  /** The programme's validated fiches; the actions follow their numbers. */
  fiches: Fiche[];
  /** Fiches of the programme not validated yet: left out, and named in the note. */
  pending?: Fiche[];
  now?: Date;
}

/** Distinct names, compared without accents or case, in their first spelling. */
function distinct(names: (string | undefined)[]): string[] {
  const seen = new Map<string, string>();
  for (const name of names) {
    const trimmed = name?.trim();
    if (!trimmed) continue;
    const key = normalizeForMatch(trimmed);
    if (!seen.has(key)) seen.set(key, trimmed);
  }
  return [...seen.values()];
}

const promoteurOf = (fiche: Fiche) => fiche.values.promoteur as string | undefined;
const partnersOf = (fiche: Fiche) => (fiche.values.partenaires as Partner[] | undefined) ?? [];

export const conventionPromoteurs = (fiches: Fiche[]) => distinct(fiches.map(promoteurOf));

/** The parties after the ARS, one « Et » each: every promoteur, then every partner structure. */
export const conventionParties = (fiches: Fiche[]) =>
  distinct([
    ...fiches.map(promoteurOf),
    ...fiches.flatMap((fiche) => partnersOf(fiche).map((partner) => partner.structure)),
  ]);

/** Article 1's objectives: each objectif spécifique once, with the objectifs opérationnels under it. */
export function conventionObjectives(fiches: Fiche[]): { specifique: string; operationnels: string[] }[] {
  const specifiques = distinct(fiches.map((fiche) => fiche.values.objectif_specifique as string | undefined));
  return specifiques.map((specifique) => ({
    specifique,
    operationnels: distinct(
      fiches
        .filter(
          (fiche) =>
            normalizeForMatch(String(fiche.values.objectif_specifique ?? '')) ===
            normalizeForMatch(specifique),
        )
        .map((fiche) => fiche.values.objectif_operationnel as string | undefined),
    ),
  }));
}

/** The ARS's yearly share, by fiche and for the programme, against the guide's 23 000 € a year. */
export function arsFunding(fiches: Fiche[]) {
  const byFiche = fiches.map((fiche) => ({
    fiche,
    yearly: Math.round(
      perYear(arsAmount(fiche.values.financements as FundingLine[] | undefined), fiche.values),
    ),
  }));
  const total = byFiche.reduce((sum, entry) => sum + entry.yearly, 0);
  const above = byFiche.filter((entry) => entry.yearly >= CONVENTION_THRESHOLD_EUROS);
  return { byFiche, total, above, classic: total >= CONVENTION_THRESHOLD_EUROS };
}

const list = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} et ${items.at(-1)}`;

const ficheRef = (fiche: Fiche) => `n° ${fiche.number} « ${fiche.title} »`;

function fundingNote(fiches: Fiche[]): ParagraphChild[] {
  const funding = arsFunding(fiches);
  const label = text('Engagement financier. ', { bold: true });
  if (funding.total === 0) {
    return [
      label,
      text(
        `Aucune fiche n’indique de financement de l’ARS (ligne « ARS » ou « FIR » des financements) : l’engagement reste à préciser. Le guide prévoit : « ${CONVENTION.funding.below} » et « ${CONVENTION.funding.above} »`,
      ),
    ];
  }
  const detail =
    funding.above.length > 0
      ? ` (dont ${list(funding.above.map((entry) => `${formatEuros(entry.yearly)} pour la fiche ${ficheRef(entry.fiche)}`))})`
      : '';
  const share = `La part de l’ARS atteint ${formatEuros(funding.total)} par an pour le programme${detail}.`;
  if (funding.classic || funding.above.length > 0) {
    return [
      label,
      text(
        `${share} À partir de 23 000 € par an, une convention « classique » est requise en plus de cette convention de partenariat ; le guide : « ${CONVENTION.funding.above} »`,
      ),
    ];
  }
  return [
    label,
    text(
      `${share} En dessous de 23 000 € par an, une décision d’attribution de subvention suffit ; le guide : « ${CONVENTION.funding.below} »`,
    ),
  ];
}

function coordinationNotes(input: ConventionInput, now: Date): Paragraph[] {
  const numbers = input.fiches.map((fiche) => `n° ${fiche.number}`);
  const notes: ParagraphChild[][] = [
    [
      text('Projet de convention, note pour la coordination (à retirer avant signature). ', { bold: true }),
      text(
        `Préparé par Boussole le ${formatDay(now)} à partir ${input.fiches.length > 1 ? `des ${input.fiches.length} fiches-actions validées` : 'de la fiche-action validée'} du programme « ${input.programme} » (${input.collectiviteName}) : ${list(numbers)}. Complétez les passages surlignés, et ajoutez si besoin les logos des partenaires en tête.`,
      ),
    ],
  ];
  if (input.pending && input.pending.length > 0) {
    notes.push([
      text('Fiches non validées. ', { bold: true }),
      text(
        `Absentes de ce projet : ${list(input.pending.map((fiche) => `${ficheRef(fiche)} (${STATUS_LABELS[fiche.status]})`))}.`,
      ),
    ]);
  }
  notes.push(fundingNote(input.fiches));
  return notes.map((children) => note(children));
}

const body = (children: ParagraphChild[] | string) =>
  new Paragraph({
    children: typeof children === 'string' ? [text(children)] : children,
    alignment: AlignmentType.JUSTIFIED,
    spacing: { after: 120 },
  });

function preamble(fiches: Fiche[]): Paragraph[] {
  const general = distinct(fiches.map((fiche) => fiche.values.objectif_general as string | undefined));
  const goal =
    general.length > 0
      ? [text(` (objectif général : ${general.map((goal) => `« ${goal} »`).join(' ; ')}).`)]
      : [text(' (objectif général).')];
  return [
    heading(CONVENTION.preamble.title, 2),
    // The model's « Description de quelques éléments du diagnostic + raison d’être de la CA ».
    body([blank('éléments du diagnostic et raison d’être de la coopérative d’acteurs')]),
    body([text(`${CONVENTION.preamble.mobilise} `), blank(), ...goal]),
    body([
      text(`${CONVENTION.preamble.commit} `),
      blank('thème du programme'),
      text(` ${CONVENTION.preamble.approach}`),
    ]),
  ];
}

function article1(input: ConventionInput): Paragraph[] {
  const numbered = (label: string, value: string, level: number) =>
    new Paragraph({
      children: [text(`${label}\t`, { bold: level === 0 }), text(value)],
      indent: { left: 567 + level * 567, hanging: level === 0 ? 397 : 567 },
      tabStops: [{ type: 'left', position: 567 + level * 567 }],
      spacing: { after: 60 },
    });
  const objectives = conventionObjectives(input.fiches).flatMap((objective, index) => [
    numbered(`${index + 1}.`, objective.specifique, 0),
    ...objective.operationnels.map((operationnel, subIndex) =>
      numbered(`${index + 1}.${subIndex + 1}.`, operationnel, 1),
    ),
  ]);
  return [
    heading(CONVENTION.article1.title),
    body(`${CONVENTION.article1.object} « ${input.programme} ».`),
    body(CONVENTION.article1.objectives),
    ...(objectives.length > 0 ? objectives : [body([blank('objectifs spécifiques et opérationnels')])]),
  ];
}

function article2(fiches: Fiche[]) {
  return [
    heading(CONVENTION.article2.title),
    ...fiches.flatMap((fiche, index) => [
      heading(`Action ${index + 1} – ${fiche.title}`, 2),
      paragraph(
        [
          text(
            `Fiche-action n° ${fiche.number}, version ${fiche.version} du ${formatDay(fiche.updatedAt)}.`,
            {
              italics: true,
            },
          ),
        ],
        { keepNext: true },
      ),
      labelValueTable(article2Lines(fiche.values, index + 1)),
    ]),
  ];
}

function article4(fiches: Fiche[]): Paragraph[] {
  const promoteurs = conventionPromoteurs(fiches);
  const { steering, meetings, quarterly, annual } = CONVENTION.article4;
  return [
    heading(CONVENTION.article4.title),
    heading(steering.title, 2),
    body([text(`${steering.committee} `), blank(), text('.')]),
    body(
      promoteurs.length > 0
        ? `${steering.members} ${list(promoteurs)}.`
        : [text(`${steering.members} `), blank('liste des promoteurs'), text('.')],
    ),
    body(steering.purpose),
    heading(meetings.title, 2),
    body(meetings.text),
    body(meetings.indicators),
    body([text('Les indicateurs retenus pour chaque action figurent en annexe.', { italics: true })]),
    heading(quarterly.title, 2),
    body(quarterly.text),
    heading(annual.title, 2),
    body(annual.text),
  ];
}

function signatures(fiches: Fiche[]) {
  const { signatures: words } = CONVENTION;
  const blocks = [
    [paragraph([text(`${words.delegate} `), blank('département')]), paragraph(words.agency)],
    ...conventionParties(fiches).map((party) => [
      paragraph([text(party, { bold: true })]),
      paragraph([blank('nom et qualité du signataire')]),
    ]),
  ];
  return [
    new Paragraph({
      children: [text('À '), blank('lieu'), text(', le '), blank('date')],
      spacing: { before: 240, after: 120 },
    }),
    heading(words.title, 2),
    signatureTable(blocks),
  ];
}

const COPIL_COLUMNS = [
  'Intitulés des actions',
  'Indicateurs de processus',
  'Indicateurs d’activité',
  'Indicateurs de résultats',
  'Résultats attendus',
  'Sources et méthodes à mobiliser',
];

/** The guide's COPIL dashboard (Fiche 5), one row per action: the indicators set before the start (art. 4.2). */
function indicatorsAnnex(fiches: Fiche[]) {
  const rows = fiches.map((fiche, index) => {
    const indicators = ['indicateurs_processus', 'indicateurs_activite', 'indicateurs_resultat'].flatMap(
      (id) => (fiche.values[id] as Indicator[] | undefined) ?? [],
    );
    const sources = distinct(indicators.map((indicator) => indicator.source));
    return [
      [paragraph([text(`Action ${index + 1} « ${fiche.title} »`, { bold: true })])],
      rowContent(['indicateurs_processus'], fiche.values),
      rowContent(['indicateurs_activite'], fiche.values),
      rowContent(['indicateurs_resultat'], fiche.values),
      rowContent(['resultats_attendus'], fiche.values),
      sources.length > 0 ? sources.map((source) => paragraph(source)) : [paragraph([missing()])],
    ];
  });
  return [
    heading('Annexe – Tableau de bord : suivi général des indicateurs retenus et résultats attendus'),
    gridTable(COPIL_COLUMNS, rows, LANDSCAPE_CONTENT_WIDTH),
  ];
}

/** The draft convention as a Word document. */
export function conventionDocx(input: ConventionInput): Promise<Buffer> {
  const now = input.now ?? new Date();
  const fiches = [...input.fiches].sort((a, b) => a.number - b.number);
  const parties = conventionParties(fiches);
  const footerLabel = `Projet de convention · ${input.programme}`;
  const opening = [
    new Paragraph({
      children: [new TextRun({ text: `${CONVENTION.title} « ${input.programme} »`, size: 30 })],
      style: 'Title',
      alignment: AlignmentType.CENTER,
      spacing: { before: 240, after: 360 },
    }),
    paragraph([text(CONVENTION.between, { bold: true })]),
    body(CONVENTION.ars),
    ...parties.flatMap((party) => [
      paragraph([text(CONVENTION.and, { bold: true })]),
      body([text(`${party}, `), blank('adresse, représenté par nom et qualité')]),
    ]),
    body(CONVENTION.parties),
    paragraph([text(CONVENTION.agreed, { bold: true })]),
  ];
  return packDocument({
    title: `${CONVENTION.title} « ${input.programme} »`,
    description: `Projet de convention de partenariat, ${input.collectiviteName}, ${fiches.length} actions`,
    sections: [
      {
        properties: portrait,
        footers: { default: footer(footerLabel) },
        children: [
          ...coordinationNotes({ ...input, fiches }, now),
          ...opening,
          ...preamble(fiches),
          ...article1({ ...input, fiches }),
          ...article2(fiches),
          heading(CONVENTION.article3.title),
          body(CONVENTION.article3.text),
          ...article4(fiches),
          heading(CONVENTION.article5.title),
          ...CONVENTION.article5.paragraphs.map((paragraph) => body(paragraph)),
          ...signatures(fiches),
        ],
      },
      {
        properties: landscape,
        footers: { default: footer(footerLabel) },
        children: indicatorsAnnex(fiches),
      },
    ],
  });
}
