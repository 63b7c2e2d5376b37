import { Paragraph } from 'docx';
import { ficheWarnings } from '../features/fiches/form.ts';
import { type Fiche, STATUS_LABELS } from '../features/fiches/model.ts';
import { formatDay } from '../features/fiches/view.ts';
import {
  COLON,
  footer,
  heading,
  labelValueTable,
  note,
  packDocument,
  paragraph,
  portrait,
  text,
} from './docx-kit.ts';
import { article2Lines, otherLines } from './fiche-layout.ts';

/** A fiche-action as a Word document: the guide's Article 2 table, then objectives, budget and indicators. */
export function ficheDocx(fiche: Fiche): Promise<Buffer> {
  const meta = [
    ['Collectivité', fiche.collectivite.name],
    ['Statut', STATUS_LABELS[fiche.status]],
    ['Version', `${fiche.version} du ${formatDay(fiche.updatedAt)}`],
  ];
  const warnings = ficheWarnings(fiche.values);
  const children = [
    new Paragraph({ text: `Fiche-action n° ${fiche.number}`, style: 'Title' }),
    new Paragraph({ text: fiche.title, style: 'Heading2', spacing: { before: 0, after: 120 } }),
    paragraph(
      meta.flatMap(([label, value], index) => [
        text(`${index > 0 ? '   ·   ' : ''}${label}${COLON}`, { bold: true }),
        text(value!),
      ]),
    ),
    heading('Descriptif de l’action'),
    paragraph([text('Tableau de l’article 2 de la convention de partenariat.', { italics: true })], {
      keepNext: true,
    }),
    labelValueTable(article2Lines(fiche.values)),
    heading('Programme, objectifs, budget et évaluation'),
    labelValueTable(otherLines(fiche.values)),
    ...(warnings.length > 0
      ? [heading('Points d’attention', 2), ...warnings.map((warning) => note([text(warning)]))]
      : []),
  ];
  return packDocument({
    title: `Fiche-action n° ${fiche.number} · ${fiche.title}`,
    description: `${fiche.collectivite.name}, fiche-action n° ${fiche.number}, version ${fiche.version}`,
    sections: [
      {
        properties: portrait,
        footers: { default: footer(`Fiche-action n° ${fiche.number} · version ${fiche.version}`) },
        children,
      },
    ],
  });
}
