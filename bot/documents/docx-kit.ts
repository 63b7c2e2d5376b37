import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  type ISectionOptions,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';

/**
 * The look shared by Boussole's Word documents: A4, 2 cm margins, Arial (Liberation Sans in LibreOffice),
 * French language for the spelling checker, label | value tables in the guide's layout.
 */

const NAVY = '1F3864';
const LABEL_FILL = 'DCE6F2';
const GROUP_FILL = 'B8CCE4';
const MISSING_COLOR = 'B45F06';
const BORDER_COLOR = '8EAADB';

/** A4 in twips, with 2 cm margins. */
export const PAGE = { width: 11_906, height: 16_838, margin: 1_134 } as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
export const LANDSCAPE_CONTENT_WIDTH = PAGE.height - 2 * PAGE.margin;

/** What a missing value reads as, in every document and in the Word import. */
export const MISSING_TEXT = 'à compléter';

/** Non-breaking space before « : », as French typography wants. */
export const COLON = '\u00a0: ';

export const text = (value: string, options: { bold?: boolean; italics?: boolean } = {}) =>
  new TextRun({ text: value, ...options });

/** « à compléter », for a value the fiche does not give yet. */
export const missing = () => new TextRun({ text: MISSING_TEXT, italics: true, color: MISSING_COLOR });

/** « [à compléter : lieu] »: a blank the coordinator fills before signing, highlighted so none is missed. */
export const blank = (what?: string) =>
  new TextRun({
    text: what ? `[${MISSING_TEXT}${COLON}${what}]` : `[${MISSING_TEXT}]`,
    italics: true,
    highlight: 'yellow',
  });

export const paragraph = (children: ParagraphChild[] | string, options: { keepNext?: boolean } = {}) =>
  new Paragraph({ children: typeof children === 'string' ? [text(children)] : children, ...options });

const BULLETS = 'puces';

/** A list item with a small bullet, indented just enough to fit in a table cell. */
export const bulleted = (children: ParagraphChild[] | string) =>
  new Paragraph({
    children: typeof children === 'string' ? [text(children)] : children,
    numbering: { reference: BULLETS, level: 0 },
    spacing: { after: 40 },
  });

export const heading = (value: string, level: 1 | 2 = 1) =>
  new Paragraph({ text: value, style: level === 1 ? 'Heading1' : 'Heading2', keepNext: true });

const border = { style: BorderStyle.SINGLE, size: 4, color: BORDER_COLOR };
const noBorder = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const CELL_MARGINS = { top: 70, bottom: 70, left: 110, right: 110 };

export type TableLine =
  /** A row of the guide's tables: the label, shaded, and its value. */
  | { label: string; content: Paragraph[] }
  /** A heading row across the table, grouping the rows below it. */
  | { group: string };

/** A two-column label | value table, as the guide's Article 2 table. */
export function labelValueTable(lines: TableLine[], width = CONTENT_WIDTH): Table {
  const labelWidth = Math.round(width * 0.3);
  const widths = [labelWidth, width - labelWidth];
  const rows = lines.map((line) =>
    'group' in line
      ? new TableRow({
          cantSplit: true,
          children: [
            new TableCell({
              columnSpan: 2,
              width: { size: width, type: WidthType.DXA },
              shading: { type: ShadingType.CLEAR, fill: GROUP_FILL, color: 'auto' },
              margins: CELL_MARGINS,
              children: [new Paragraph({ children: [text(line.group, { bold: true })], keepNext: true })],
            }),
          ],
        })
      : new TableRow({
          children: [
            new TableCell({
              width: { size: widths[0]!, type: WidthType.DXA },
              shading: { type: ShadingType.CLEAR, fill: LABEL_FILL, color: 'auto' },
              margins: CELL_MARGINS,
              verticalAlign: VerticalAlign.TOP,
              children: [new Paragraph({ children: [text(line.label, { bold: true })] })],
            }),
            new TableCell({
              width: { size: widths[1]!, type: WidthType.DXA },
              margins: CELL_MARGINS,
              children: line.content.length > 0 ? line.content : [new Paragraph('')],
            }),
          ],
        }),
  );
  return new Table({
    width: { size: width, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: {
      top: border,
      bottom: border,
      left: border,
      right: border,
      insideHorizontal: border,
      insideVertical: border,
    },
    rows,
  });
}

/** A table with a header row (the guide's COPIL table). */
export function gridTable(header: string[], body: Paragraph[][][], width: number): Table {
  const columnWidth = Math.floor(width / header.length);
  const widths = header.map(() => columnWidth);
  const cell = (children: Paragraph[], shaded: boolean) =>
    new TableCell({
      width: { size: columnWidth, type: WidthType.DXA },
      margins: CELL_MARGINS,
      ...(shaded ? { shading: { type: ShadingType.CLEAR, fill: LABEL_FILL, color: 'auto' } } : {}),
      children: children.length > 0 ? children : [new Paragraph('')],
    });
  return new Table({
    width: { size: columnWidth * header.length, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: {
      top: border,
      bottom: border,
      left: border,
      right: border,
      insideHorizontal: border,
      insideVertical: border,
    },
    rows: [
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: header.map((label) => cell([paragraph([text(label, { bold: true })])], true)),
      }),
      ...body.map((cells) => new TableRow({ children: cells.map((children) => cell(children, false)) })),
    ],
  });
}

/** Signature blocks, two by row, without borders. */
export function signatureTable(blocks: Paragraph[][], width = CONTENT_WIDTH): Table {
  const half = Math.floor(width / 2);
  const rows: TableRow[] = [];
  for (let index = 0; index < blocks.length; index += 2) {
    const pair = [blocks[index]!, blocks[index + 1] ?? [new Paragraph('')]];
    rows.push(
      new TableRow({
        cantSplit: true,
        children: pair.map(
          (children) =>
            new TableCell({
              width: { size: half, type: WidthType.DXA },
              margins: { top: 120, bottom: 1_200, left: 110, right: 110 },
              children,
            }),
        ),
      }),
    );
  }
  return new Table({
    width: { size: half * 2, type: WidthType.DXA },
    columnWidths: [half, half],
    layout: TableLayoutType.FIXED,
    borders: {
      top: noBorder,
      bottom: noBorder,
      left: noBorder,
      right: noBorder,
      insideHorizontal: noBorder,
      insideVertical: noBorder,
    },
    rows,
  });
}

/** A shaded note for the coordinator, to remove before sending. */
export const note = (children: ParagraphChild[]) =>
  new Paragraph({
    children,
    shading: { type: ShadingType.CLEAR, fill: 'FFF2CC', color: 'auto' },
    border: { left: { style: BorderStyle.SINGLE, size: 18, color: 'BF9000', space: 6 } },
    spacing: { after: 80 },
  });

export function footer(label: string): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.RIGHT,
        children: [
          new TextRun({
            size: 16,
            color: '595959',
            children: [`${label} · page `, PageNumber.CURRENT, ' sur ', PageNumber.TOTAL_PAGES],
          }),
        ],
      }),
    ],
  });
}

export const portrait = { page: { size: { width: PAGE.width, height: PAGE.height }, margin: marginAll() } };
export const landscape = {
  page: {
    size: { width: PAGE.width, height: PAGE.height, orientation: 'landscape' as const },
    margin: marginAll(),
  },
};

function marginAll() {
  return { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin };
}

/** The document, styled, packed to bytes. */
export async function packDocument(options: {
  title: string;
  description: string;
  sections: ISectionOptions[];
}): Promise<Buffer> {
  const document = new Document({
    creator: 'Boussole',
    title: options.title,
    description: options.description,
    styles: {
      default: {
        document: {
          run: { font: 'Arial', size: 20, language: { value: 'fr-FR' } },
          paragraph: { spacing: { after: 60, line: 264 } },
        },
        title: {
          run: { font: 'Arial', size: 36, bold: true, color: NAVY },
          paragraph: { spacing: { after: 60 } },
        },
        heading1: {
          run: { font: 'Arial', size: 26, bold: true, color: NAVY },
          paragraph: { spacing: { before: 320, after: 120 }, keepNext: true },
        },
        heading2: {
          run: { font: 'Arial', size: 22, bold: true, color: NAVY },
          paragraph: { spacing: { before: 200, after: 80 }, keepNext: true },
        },
      },
    },
    numbering: {
      config: [
        {
          reference: BULLETS,
          levels: [
            {
              level: 0,
              format: LevelFormat.BULLET,
              text: '•',
              alignment: AlignmentType.LEFT,
              style: { paragraph: { indent: { left: 284, hanging: 227 } } },
            },
          ],
        },
      ],
    },
    sections: options.sections,
  });
  return Packer.toBuffer(document);
}
