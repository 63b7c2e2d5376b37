import type { Citation } from '../../knowledge/types.ts';

/** The link to a cited passage in the source viewer. Every renderer uses this one function. */
export function sourceUrl(
  publicUrl: string,
  citation: Pick<Citation, 'document' | 'passageId' | 'anchor'>,
): string {
  const base = publicUrl.replace(/\/+$/, '');
  return `${base}/sources/${encodeURIComponent(citation.document)}?passage=${encodeURIComponent(citation.passageId)}#${encodeURIComponent(citation.anchor)}`;
}

/** "[2]" markers in the text, as found. */
const CITATION_MARKER = /\[(\d{1,2})\]/g;

/**
 * Replaces every [n] marker that has a citation with `link(citation, marker)`; other text goes
 * through `escape`, so each renderer keeps its own escaping rules.
 */
export function linkCitationMarkers(
  text: string,
  citations: Citation[],
  link: (citation: Citation, marker: string) => string,
  escapePlain: (plain: string) => string = (plain) => plain,
): string {
  const byNumber = new Map(citations.map((citation) => [citation.n, citation]));
  let result = '';
  let last = 0;
  for (const match of text.matchAll(CITATION_MARKER)) {
    const citation = byNumber.get(Number(match[1]));
    if (!citation) continue;
    result += escapePlain(text.slice(last, match.index)) + link(citation, match[0]);
    last = match.index + match[0].length;
  }
  return result + escapePlain(text.slice(last));
}

/** "Guide › Fiches pratiques › Convention" as shown next to a numbered citation. */
export function citationLabel(citation: Pick<Citation, 'title' | 'section'>): string {
  return citation.section ? `${citation.title} › ${citation.section}` : citation.title;
}
