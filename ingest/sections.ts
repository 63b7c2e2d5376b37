import { marked, type Token, type Tokens } from 'marked';

/** A run of content under one heading, with the headings above it. */
export interface Section {
  path: string[];
  blocks: Block[];
}

/** A unit the chunker never cuts in the middle unless it is too long on its own. */
export type Block =
  | { kind: 'text'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; header: string; rows: string[] };

function inlineText(raw: string): string {
  return raw
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\n]+)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, '$1')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/** A heading is a title: a long line that happens to start with "#" is cut, as it heads every passage below. */
const MAX_HEADING_CHARS = 200;

function headingText(raw: string): string {
  const text = inlineText(raw);
  return text.length <= MAX_HEADING_CHARS ? text : `${text.slice(0, MAX_HEADING_CHARS - 1).trimEnd()}…`;
}

function listItems(list: Tokens.List, depth = 0): string[] {
  const items: string[] = [];
  for (const item of list.items) {
    const own = item.tokens
      .filter((token) => token.type !== 'list')
      .map((token) => inlineText('text' in token ? String(token.text) : token.raw))
      .join(' ')
      .trim();
    if (own) items.push(`${'  '.repeat(depth)}- ${own}`);
    for (const nested of item.tokens.filter((token): token is Tokens.List => token.type === 'list')) {
      items.push(...listItems(nested, depth + 1));
    }
  }
  return items;
}

function tableRow(cells: Tokens.TableCell[]): string {
  return `| ${cells.map((cell) => inlineText(cell.text)).join(' | ')} |`;
}

function toBlock(token: Token): Block | undefined {
  switch (token.type) {
    case 'paragraph':
    case 'text':
    case 'code':
      return { kind: 'text', text: inlineText(token.text) };
    case 'blockquote':
      return { kind: 'text', text: inlineText(token.text) };
    case 'list':
      return { kind: 'list', items: listItems(token as Tokens.List) };
    case 'table': {
      const table = token as Tokens.Table;
      return { kind: 'table', header: tableRow(table.header), rows: table.rows.map(tableRow) };
    }
    case 'html':
      return inlineText(token.raw) ? { kind: 'text', text: inlineText(token.raw) } : undefined;
    default:
      return undefined;
  }
}

/** Splits Markdown into sections along its headings; each knows its heading path. */
export function splitIntoSections(markdown: string): Section[] {
  const sections: Section[] = [{ path: [], blocks: [] }];
  const headingStack: { depth: number; text: string }[] = [];
  for (const token of marked.lexer(markdown)) {
    if (token.type === 'heading') {
      const heading = token as Tokens.Heading;
      while (headingStack.length > 0 && headingStack[headingStack.length - 1]!.depth >= heading.depth) {
        headingStack.pop();
      }
      headingStack.push({ depth: heading.depth, text: headingText(heading.text) });
      sections.push({ path: headingStack.map((entry) => entry.text), blocks: [] });
      continue;
    }
    const block = toBlock(token);
    const empty =
      !block || (block.kind === 'text' && !block.text) || (block.kind === 'list' && !block.items.length);
    if (!empty) sections[sections.length - 1]!.blocks.push(block!);
  }
  return mergeTinySections(sections.filter((section) => section.blocks.length > 0));
}

/** A section with a line or two (a form's title, "Entre … et …") is no passage on its own. */
const TINY_SECTION_CHARS = 150;

function blockLength(block: Block): number {
  return block.kind === 'text'
    ? block.text.length
    : block.kind === 'list'
      ? block.items.join(' ').length
      : 200;
}

/** Folds each tiny section, heading included, into the start of the section that follows it. */
function mergeTinySections(sections: Section[]): Section[] {
  const result: Section[] = [];
  let carried: Block[] = [];
  sections.forEach((section, index) => {
    const blocks = [...carried, ...section.blocks];
    const size = blocks.reduce((sum, block) => sum + blockLength(block), 0);
    if (size < TINY_SECTION_CHARS && index < sections.length - 1) {
      const heading = section.path[section.path.length - 1];
      carried = heading ? [{ kind: 'text', text: heading }, ...blocks] : blocks;
    } else {
      result.push({ path: section.path, blocks });
      carried = [];
    }
  });
  return result;
}
