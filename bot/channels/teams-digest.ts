import type { Attachment } from '@microsoft/agents-activity';
import type { Digest, DigestItem } from '../features/digest/model.ts';
import { type DigestSection, digestOutline } from '../features/digest/view.ts';

/**
 * The weekly digest as one Adaptive Card 1.5, sent proactively by the delivery. Teams refuses cards over
 * about 28 KB: sections that would not fit are left to the digest's web page, which the card links to.
 */

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
/** Below Teams' limit on a message, with room for the activity around the card. */
export const MAX_CARD_BYTES = 24_000;
/** Lines shown per list; the rest is on the web page. */
export const MAX_ITEMS = 8;

/** TextBlock markdown: brackets, emphasis and list markers in names must stay text. */
const escapeMarkdown = (text: string) => text.replace(/([\\[\]*_`#>])/g, '\\$1');

const itemLine = (item: DigestItem) =>
  item.url ? `- [${escapeMarkdown(item.text)}](${item.url})` : `- ${escapeMarkdown(item.text)}`;

type Element = Record<string, unknown>;

function sectionContainer(section: DigestSection): Element {
  const items: Element[] = [
    { type: 'TextBlock', text: escapeMarkdown(section.title), size: 'Medium', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: escapeMarkdown(section.summary), isSubtle: true, spacing: 'None', wrap: true },
  ];
  if (section.empty) items.push({ type: 'TextBlock', text: escapeMarkdown(section.empty), wrap: true });
  for (const group of section.groups) {
    items.push(
      { type: 'TextBlock', text: escapeMarkdown(group.label), weight: 'Bolder', wrap: true },
      { type: 'TextBlock', text: group.items.map(itemLine).join('\n'), spacing: 'Small', wrap: true },
    );
  }
  return { type: 'Container', separator: true, spacing: 'Medium', items };
}

export function digestCard(digest: Digest): Attachment {
  const outline = digestOutline(digest, { maxItems: MAX_ITEMS });
  const body: Element[] = [
    { type: 'TextBlock', text: escapeMarkdown(outline.title), size: 'Large', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: escapeMarkdown(outline.intro), wrap: true },
    ...digest.charts.map((url) => ({
      type: 'Image',
      url,
      size: 'Stretch',
      altText: 'Avancement des tâches par collectivité',
    })),
  ];
  const card = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions: [{ type: 'Action.OpenUrl', title: 'Ouvrir sur le web', url: digest.url }],
  };
  const sections = [...outline.sections, ...(outline.knowledge ? [outline.knowledge] : [])];
  let size = Buffer.byteLength(JSON.stringify(card));
  for (const [index, section] of sections.entries()) {
    const container = sectionContainer(section);
    const added = Buffer.byteLength(JSON.stringify(container)) + 1;
    if (size + added > MAX_CARD_BYTES) {
      body.push({
        type: 'TextBlock',
        text: `${sections.length - index} autre(s) partie(s) trop longues pour Teams : [lire le digest complet sur le web](${digest.url}).`,
        wrap: true,
        separator: true,
      });
      break;
    }
    body.push(container);
    size += added;
  }
  return { contentType: ADAPTIVE_CARD, content: card };
}
