import mammoth from 'mammoth';

/**
 * A Word document as blocks of text, in order: paragraphs, and tables as rows of cells of lines. Read with
 * mammoth's document model (its `transformDocument` hook), so no office suite and no HTML re-parsing.
 */

export type DocxBlock =
  | { kind: 'paragraph'; text: string; style?: string }
  /** Rows, then cells, then the lines of each cell (one per paragraph or line break). */
  | { kind: 'table'; rows: string[][][] };

/** The parts of mammoth's document model this reader walks. */
interface Element {
  type: string;
  children?: Element[];
  value?: string;
  styleName?: string | null;
}

function textOf(element: Element): string {
  switch (element.type) {
    case 'text':
      return element.value ?? '';
    case 'tab':
      return '\t';
    case 'break':
      return '\n';
    case 'noteReference':
    case 'commentReference':
    case 'image':
      return '';
    default:
      return (element.children ?? []).map(textOf).join('');
  }
}

/** The lines of a cell: its paragraphs, their line breaks, and the paragraphs of any table nested in it. */
function cellLines(cell: Element): string[] {
  return (cell.children ?? []).flatMap((child) => {
    if (child.type === 'table') {
      return (child.children ?? []).flatMap((row) => (row.children ?? []).flatMap(cellLines));
    }
    return textOf(child)
      .split('\n')
      .map((line) => line.replace(/[ \t]+/g, ' ').trim())
      .filter((line) => line !== '');
  });
}

function blocksOf(elements: Element[]): DocxBlock[] {
  return elements.flatMap((element): DocxBlock[] => {
    if (element.type === 'table') {
      const rows = (element.children ?? [])
        .filter((row) => row.type === 'tableRow')
        .map((row) => (row.children ?? []).filter((cell) => cell.type === 'tableCell').map(cellLines));
      return [{ kind: 'table', rows }];
    }
    if (element.type === 'paragraph') {
      const text = textOf(element).trim();
      return text === ''
        ? []
        : [{ kind: 'paragraph', text, ...(element.styleName ? { style: element.styleName } : {}) }];
    }
    return blocksOf(element.children ?? []);
  });
}

/** Throws mammoth's error when the bytes are not a Word document. */
export async function readDocx(bytes: Uint8Array): Promise<DocxBlock[]> {
  let blocks: DocxBlock[] = [];
  await mammoth.convertToHtml(
    { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
    {
      transformDocument: (document: Element) => {
        blocks = blocksOf(document.children ?? []);
        return document;
      },
    },
  );
  return blocks;
}

export const tablesOf = (blocks: DocxBlock[]) =>
  blocks.flatMap((block) => (block.kind === 'table' ? [block.rows] : []));
