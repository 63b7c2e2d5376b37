import type { Alignment, Border, Borders, Cell, Fill, Font, PaperSize, Row, Worksheet } from 'exceljs';

/** The look the three sheets share: fills, borders, header cells, rows tall enough for wrapped text. */

export const INK = '#1F2D3D';
export const HEADER = '#1F3A5F';
export const MUTED = '#6B7785';

const argb = (hex: string) => `FF${hex.replace('#', '').toUpperCase()}`;

export const solid = (hex: string): Fill => ({
  type: 'pattern',
  pattern: 'solid',
  fgColor: { argb: argb(hex) },
});

export const font = (options: {
  color?: string;
  bold?: boolean;
  italic?: boolean;
  size?: number;
}): Partial<Font> => ({
  name: 'Calibri',
  size: options.size ?? 10,
  color: { argb: argb(options.color ?? INK) },
  ...(options.bold ? { bold: true } : {}),
  ...(options.italic ? { italic: true } : {}),
});

const line: Partial<Border> = { style: 'thin', color: { argb: argb('#C9D1DB') } };
export const BORDERS: Partial<Borders> = { top: line, left: line, bottom: line, right: line };

export const WRAP: Partial<Alignment> = { wrapText: true, vertical: 'top' };
export const CENTER: Partial<Alignment> = { horizontal: 'center', vertical: 'middle' };

/** Dark header cells, white bold text, wrapped and centred. */
export function styleHeader(row: Row, fromColumn: number, toColumn: number, fill = HEADER): void {
  for (let column = fromColumn; column <= toColumn; column += 1) {
    const cell = row.getCell(column);
    cell.fill = solid(fill);
    cell.font = font({ color: '#FFFFFF', bold: true });
    cell.alignment = { ...CENTER, wrapText: true };
    cell.border = BORDERS;
  }
}

export function setText(
  cell: Cell,
  value: string | undefined,
  style: { bold?: boolean; color?: string } = {},
) {
  cell.value = value ?? null;
  cell.font = font(style);
  cell.alignment = WRAP;
  cell.border = BORDERS;
}

const POINTS_PER_LINE = 13.5;

/**
 * Excel keeps a generated row's height and does not grow it for wrapped text: the height is estimated from
 * each cell's lines at its column's width (at 10 pt, a column unit holds about 1.3 characters).
 */
export function fitRowHeight(sheet: Worksheet, row: Row, minimum = 1): void {
  let lines = minimum;
  row.eachCell((cell, column) => {
    if (typeof cell.value !== 'string' || cell.value === '') return;
    const width = sheet.getColumn(column).width ?? 10;
    const perLine = Math.max(1, Math.floor(width * 1.3));
    const count = cell.value
      .split('\n')
      .reduce((sum, text) => sum + Math.max(1, Math.ceil(text.length / perLine)), 0);
    lines = Math.max(lines, count);
  });
  row.height = Math.max(15, lines * POINTS_PER_LINE + 3);
}

/** A title row: large bold text in the first cell, merged over `span` columns. */
export function titleRow(sheet: Worksheet, rowNumber: number, text: string, span: number, size = 14): Row {
  const row = sheet.getRow(rowNumber);
  row.getCell(1).value = text;
  row.getCell(1).font = font({ bold: size > 11, size, color: size > 11 ? HEADER : MUTED });
  row.getCell(1).alignment = { vertical: 'middle' };
  if (span > 1) sheet.mergeCells(rowNumber, 1, rowNumber, span);
  row.height = size > 11 ? 24 : 16;
  return row;
}

/** Landscape, fit to the width of one A4 page unless told, the header rows repeated on each page. */
export function printSetup(
  sheet: Worksheet,
  headerRows: string,
  options: { paper?: 'A4' | 'A3'; pagesWide?: number; titleColumns?: string } = {},
): void {
  sheet.pageSetup = {
    // Excel's paper codes: 9 is A4, 8 is A3 (which exceljs's type omits).
    paperSize: (options.paper === 'A3' ? 8 : 9) as PaperSize,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: options.pagesWide ?? 1,
    fitToHeight: 0,
    printTitlesRow: headerRows,
    ...(options.titleColumns ? { printTitlesColumn: options.titleColumns } : {}),
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
  };
}
