import { type Links, Marked, type Token, type Tokens } from 'marked';
import { normalizeForMatch } from '../../knowledge/text/normalize.ts';
import type { Passage, SourceDocument } from '../../knowledge/types.ts';
import { escapeHtml, htmlPage } from './html.ts';

export interface SourceContent {
  document: SourceDocument;
  markdown: string;
  passages: Passage[];
}

interface Section {
  heading?: Tokens.Heading;
  path: string[];
  tokens: Token[];
}

const markdown = new Marked({ gfm: true });
const highlighted = new Marked({
  gfm: true,
  renderer: {
    paragraph({ tokens }) {
      return `<p><mark>${this.parser.parseInline(tokens)}</mark></p>\n`;
    },
  },
});

/** Splits the document at its headings, each section knowing its heading path. */
function sectionsOf(tokens: Token[]): Section[] {
  const sections: Section[] = [{ path: [], tokens: [] }];
  const path: string[] = [];
  for (const token of tokens) {
    if (token.type === 'heading') {
      const heading = token as Tokens.Heading;
      path.splice(heading.depth - 1, path.length, heading.text);
      sections.push({ heading, path: [...path], tokens: [] });
    } else {
      sections.at(-1)!.tokens.push(token);
    }
  }
  return sections;
}

const sameText = (a: string, b: string) => normalizeForMatch(a) === normalizeForMatch(b);

/**
 * The anchor the knowledge base gave this section's passages: the passage whose section path ends
 * like this heading path, the longest match winning. Anchors are never recomputed here.
 */
function anchorOf(path: string[], passages: Passage[]): string | undefined {
  let best: { anchor: string; depth: number } | undefined;
  for (const passage of passages) {
    let depth = 0;
    const own = passage.sectionPath;
    while (depth < Math.min(own.length, path.length) && sameText(own.at(-1 - depth)!, path.at(-1 - depth)!))
      depth++;
    if (depth > 0 && (!best || depth > best.depth)) best = { anchor: passage.anchor, depth };
  }
  return best?.anchor;
}

/** Tokens of the section that belong to the passage; the whole section when no block matches. */
function citedTokens(section: Section, passage: Passage): Set<Token> {
  const passageText = normalizeForMatch(passage.text);
  const content = section.tokens.filter((token) => token.type !== 'space');
  const matching = content.filter((token) => {
    const blockText = normalizeForMatch(token.raw);
    return (
      blockText !== '' && (passageText.includes(blockText.slice(0, 120)) || blockText.includes(passageText))
    );
  });
  return new Set(matching.length > 0 ? matching : content);
}

function renderHeading(heading: Tokens.Heading, anchor: string | undefined): string {
  // The page's h1 is the document title, so the document's own headings start at h2.
  const level = Math.min(heading.depth + 1, 6);
  const id = anchor ? ` id="${escapeHtml(anchor)}"` : '';
  return `<h${level}${id}>${markdown.parseInline(heading.text)}</h${level}>\n`;
}

function renderTokens(tokens: Token[], links: Links, renderer: Marked): string {
  return tokens.length === 0 ? '' : (renderer.parser(Object.assign(tokens, { links })) as string);
}

function renderSection(
  section: Section,
  anchor: string | undefined,
  cited: Set<Token>,
  links: Links,
): string {
  let html = section.heading ? renderHeading(section.heading, anchor) : '';
  let pending: Token[] = [];
  let citedOpen = false;
  for (const token of section.tokens) {
    if (cited.has(token) && !citedOpen) {
      html += `${renderTokens(pending, links, markdown)}<div class="cited-passage" id="passage-cite" tabindex="-1" role="region" aria-label="Passage cité">\n`;
      pending = [];
      citedOpen = true;
    } else if (!cited.has(token) && citedOpen && token.type !== 'space') {
      html += `${renderTokens(pending, links, highlighted)}</div>\n`;
      pending = [];
      citedOpen = false;
    }
    pending.push(token);
  }
  return `${html}${renderTokens(pending, links, citedOpen ? highlighted : markdown)}${citedOpen ? '</div>\n' : ''}`;
}

/** The document's Markdown as HTML: headings carry the passages' anchors, the cited passage is marked. */
export function renderDocumentBody(content: SourceContent, cited: Passage | undefined): string {
  const tokens = markdown.lexer(content.markdown);
  let citedDone = false;
  return sectionsOf(tokens)
    .map((section) => {
      const anchor = section.heading ? anchorOf(section.path, content.passages) : undefined;
      const isCitedSection = !citedDone && cited !== undefined && anchor === cited.anchor;
      citedDone ||= isCitedSection;
      const citedSet = isCitedSection ? citedTokens(section, cited) : new Set<Token>();
      return renderSection(section, anchor, citedSet, tokens.links);
    })
    .join('');
}

function citedNote(passageId: string | undefined, cited: Passage | undefined): string {
  if (cited) {
    return `<p class="cited-note">Le passage cité est surligné, dans la section « ${escapeHtml(cited.section)} ». <a href="#passage-cite">Aller au passage</a></p>`;
  }
  if (passageId) {
    return '<p class="cited-note">Ce passage n’existe plus dans la version actuelle du document ; voici le document entier.</p>';
  }
  return '';
}

/** The source viewer page of one document, with the passage `passageId` highlighted. */
export function renderSourcePage(content: SourceContent, passageId?: string): string {
  const { document } = content;
  const cited = content.passages.find((passage) => passage.id === passageId);
  const body = `<header class="page-header">
<p class="breadcrumb"><a href="/">Boussole</a> › Sources</p>
<h1>${escapeHtml(document.title)}</h1>
<p class="source-meta">${escapeHtml(document.publisher)}, ${escapeHtml(String(document.year))}</p>
${citedNote(passageId, cited)}
</header>
<main class="source-body">
${renderDocumentBody(content, cited)}</main>`;
  return htmlPage({ title: `${document.title} – Boussole`, body, script: '/assets/viewer.js' });
}

export function renderNotFoundPage(documentId: string): string {
  const body = `<header class="page-header"><p class="breadcrumb"><a href="/">Boussole</a> › Sources</p>
<h1>Document introuvable</h1></header>
<main class="source-body"><p>Aucun document « ${escapeHtml(documentId)} » dans le guide. Il a peut-être été retiré ou renommé.</p>
<p><a href="/">Revenir à l’assistant</a></p></main>`;
  return htmlPage({ title: 'Document introuvable – Boussole', body });
}
