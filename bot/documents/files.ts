import { foldAccents } from '../../knowledge/text/normalize.ts';

/** A document ready to send: its bytes, its French file name and its content type. */
export interface DocumentFile {
  bytes: Uint8Array;
  /** « fiche-action-7-ateliers-cuisine-et-santé.docx »: lower case, hyphens, accents kept. */
  fileName: string;
  contentType: string;
}

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const MARKDOWN_TYPE = 'text/markdown; charset=utf-8';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const PNG_TYPE = 'image/png';

const MAX_SLUG = 60;

/** « Ateliers cuisine & santé (2027) » → « ateliers-cuisine-santé-2027 », cut at a word within 60 characters. */
function slug(text: string): string {
  const words = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((word) => word !== '');
  let result = '';
  for (const word of words) {
    const next = result ? `${result}-${word}` : word;
    if (next.length > MAX_SLUG) break;
    result = next;
  }
  return result || words[0]?.slice(0, MAX_SLUG) || '';
}

/** A file name from its parts: « fiche-action », « 7 », the title; with its extension. */
export function fileName(parts: (string | number)[], extension: string): string {
  return `${parts
    .map((part) => slug(String(part)))
    .filter((part) => part !== '')
    .join('-')}.${extension}`;
}

/** RFC 5987 percent-encoding: encodeURIComponent leaves ' ( ) * unescaped, which the attribute may not hold. */
const encodeRfc5987 = (value: string) =>
  encodeURIComponent(value).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * `attachment; filename="fiche-action-7-sante.docx"; filename*=UTF-8''fiche-action-7-sant%C3%A9.docx`: an
 * ASCII name for old clients, the French one for the others (RFC 6266). express's res.attachment sends
 * « é » as a Latin-1 byte instead, so the header is written here.
 */
export function contentDisposition(name: string): string {
  const ascii = foldAccents(name)
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}
