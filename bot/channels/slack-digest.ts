import type { KnownBlock } from '@slack/types';
import type { Digest, DigestItem } from '../features/digest/model.ts';
import { type DigestSection, digestOutline } from '../features/digest/view.ts';
import { MAX_BLOCKS, MAX_SECTION_TEXT, type SlackMessage, splitText } from './slack-render.ts';

/**
 * The weekly digest as Slack messages within Block Kit's limits: at most 50 blocks a message and 3,000
 * characters a section. A long digest goes out as a few messages; past that, the rest is on its web page.
 */

/** More than this many messages would flood a channel: the rest is linked. */
export const MAX_DIGEST_MESSAGES = 4;
/** Lines shown per list; the rest is on the web page. */
export const MAX_ITEMS = 8;
const MAX_HEADER = 150;

const escapeMrkdwn = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const itemLine = (item: DigestItem) =>
  item.url
    ? `• <${item.url}|${escapeMrkdwn(item.text).replace(/\|/g, '¦')}>`
    : `• ${escapeMrkdwn(item.text)}`;

const header = (text: string): KnownBlock => ({
  type: 'header',
  text: { type: 'plain_text', text: text.length > MAX_HEADER ? `${text.slice(0, MAX_HEADER - 1)}…` : text },
});

function sectionBlocks(section: DigestSection): KnownBlock[] {
  const body = section.groups
    .map((group) => `*${escapeMrkdwn(group.label)}*\n${group.items.map(itemLine).join('\n')}`)
    .join('\n\n');
  return [
    header(section.title),
    { type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(section.summary) }] },
    ...splitText(body || `_${escapeMrkdwn(section.empty ?? '')}_`, MAX_SECTION_TEXT).map(
      (piece): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: piece } }),
    ),
    { type: 'divider' },
  ];
}

/**
 * `images: false` links the charts instead of showing them: Slack refuses a whole message whose image it
 * cannot download, as when PUBLIC_URL is not reachable from the internet.
 */
export function digestBlocks(digest: Digest, options: { images?: boolean } = {}): SlackMessage[] {
  const outline = digestOutline(digest, { maxItems: MAX_ITEMS });
  const alt = (index: number) =>
    `Avancement des tâches par collectivité${digest.charts.length > 1 ? ` (${index + 1}/${digest.charts.length})` : ''}`;
  const charts: KnownBlock[] =
    options.images === false
      ? digest.charts.length > 0
        ? [
            {
              type: 'context',
              elements: digest.charts.slice(0, 10).map((url, index) => ({
                type: 'mrkdwn' as const,
                text: `<${url}|${alt(index)}>`,
              })),
            },
          ]
        : []
      : digest.charts.map(
          (url, index): KnownBlock => ({ type: 'image', image_url: url, alt_text: alt(index) }),
        );
  const opening: KnownBlock[] = [
    header(outline.title),
    { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(outline.intro) } },
    ...charts,
  ];
  const chunks = [
    opening,
    ...outline.sections.map(sectionBlocks),
    ...(outline.knowledge ? [sectionBlocks(outline.knowledge)] : []),
  ];
  const footer: KnownBlock = {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `<${digest.url}|Ouvrir ce digest sur le web>` }],
  };
  const more: KnownBlock = {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: `_La suite est trop longue pour Slack :_ <${digest.url}|lire le digest complet sur le web>.`,
    },
  };

  const messages: KnownBlock[][] = [[]];
  let cut = false;
  for (const chunk of chunks) {
    // A section is never split across messages unless it alone exceeds one.
    for (const [index, block] of chunk.entries()) {
      const current = messages[messages.length - 1]!;
      const room = MAX_BLOCKS - 1 - current.length;
      const wholeFits = index > 0 || chunk.length <= room || chunk.length > MAX_BLOCKS - 1;
      if (current.length > 0 && (room <= 0 || !wholeFits)) {
        if (messages.length === MAX_DIGEST_MESSAGES) {
          cut = true;
          break;
        }
        messages.push([]);
      }
      messages[messages.length - 1]!.push(block);
    }
    if (cut) break;
  }
  const last = messages[messages.length - 1]!;
  last.push(cut ? more : footer);
  const total = messages.length;
  return messages.map((blocks, index) => ({
    text: total > 1 ? `${outline.title} (${index + 1}/${total})` : outline.title,
    blocks,
  }));
}
