import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { digestBlocks, MAX_DIGEST_MESSAGES } from '../../bot/channels/slack-digest.ts';
import { digestCard, MAX_CARD_BYTES } from '../../bot/channels/teams-digest.ts';
import type { CollectiviteDigest, Digest, DigestItem } from '../../bot/features/digest/model.ts';

const URL = 'https://boussole.test';
const item = (text: string, path: string): DigestItem => ({ text, url: `${URL}/${path}` });

function part(name: string, items = 1): CollectiviteDigest {
  const many = (label: string, path: string) =>
    Array.from({ length: items }, (_, i) =>
      item(`${label} n° ${i + 1} « Action de prévention ${i + 1} »`, `${path}/${i}`),
    );
  return {
    collectivite: { id: `id-${name}`, name },
    fiches: { created: many('Fiche', 'fiches'), changed: [], submitted: [], validated: [], returned: [] },
    tasks: { done: [], late: many('Tâche', 'taches'), dueSoon: [] },
    suivis: { submitted: [], due: [], missing: [], freins: [] },
    progress: { done: 2, inProgress: 1, late: items, todo: 3 },
  };
}

function digest(
  collectivites: CollectiviteDigest[],
  knowledge: Digest['knowledge'] = { unanswered: [], downvoted: [] },
): Digest {
  return {
    week: '2026-W48',
    person: { id: 'p1', name: 'Claire Coordination' },
    audience: 'coordinateur',
    generatedAt: new Date('2026-11-30T08:00:00Z'),
    late: false,
    range: { from: '2026-11-23', to: '2026-11-29' },
    quarter: '2026-T4',
    url: `${URL}/digest/2026-W48`,
    charts: [`${URL}/documents/jeton.signature`],
    collectivites,
    knowledge,
  };
}

const sectionTexts = (blocks: KnownBlock[]) =>
  blocks.flatMap((block) => (block.type === 'section' && block.text ? [block.text.text] : []));

describe('the digest in Slack', () => {
  it('lays out a short digest in one message: title, chart, each collectivité, links escaped', () => {
    const risky = part('Avon');
    risky.fiches.returned = [item('Fiche n° 3 « <b>Jardins</b> & co | bis »', 'fiches/3')];
    const [message, ...rest] = digestBlocks(
      digest([risky], { unanswered: ['Quel <budget> ?'], downvoted: [{ question: 'Q ?', answer: 'R.' }] }),
    );
    expect(rest).toEqual([]);
    expect(message!.text).toBe('Digest hebdomadaire – semaine 48 (du 23 au 29 novembre 2026)');
    expect(message!.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Digest hebdomadaire – semaine 48 (du 23 au 29 novembre 2026)' },
    });
    expect(message!.blocks).toContainEqual({
      type: 'image',
      image_url: `${URL}/documents/jeton.signature`,
      alt_text: 'Avancement des tâches par collectivité',
    });
    const text = sectionTexts(message!.blocks).join('\n');
    expect(text).toContain(`*Fiches créées*\n• <${URL}/fiches/0|Fiche n° 1 « Action de prévention 1 »>`);
    expect(text).toContain(`• <${URL}/fiches/3|Fiche n° 3 « &lt;b&gt;Jardins&lt;/b&gt; &amp; co ¦ bis »>`);
    expect(text).toContain('• Quel &lt;budget&gt; ?');
    expect(message!.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `<${URL}/digest/2026-W48|Ouvrir ce digest sur le web>` }],
    });
  });

  it('keeps within 50 blocks a message and 3,000 characters a section, and links the rest', () => {
    const messages = digestBlocks(
      digest(Array.from({ length: 100 }, (_, i) => part(`Commune ${i + 1}`, 30))),
    );
    expect(messages).toHaveLength(MAX_DIGEST_MESSAGES);
    for (const message of messages) {
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      for (const text of sectionTexts(message.blocks)) expect(text.length).toBeLessThanOrEqual(3_000);
    }
    expect(messages.map((m) => m.text)).toEqual(
      [1, 2, 3, 4].map((n) => `Digest hebdomadaire – semaine 48 (du 23 au 29 novembre 2026) (${n}/4)`),
    );
    expect(sectionTexts(messages.at(-1)!.blocks).at(-1)).toContain(
      `<${URL}/digest/2026-W48|lire le digest complet sur le web>`,
    );
  });

  it('links the chart instead of showing it when asked (Slack refuses images it cannot download)', () => {
    const [message] = digestBlocks(digest([part('Avon')]), { images: false });
    expect(message!.blocks.some((block) => block.type === 'image')).toBe(false);
    expect(message!.blocks).toContainEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `<${URL}/documents/jeton.signature|Avancement des tâches par collectivité>` },
      ],
    });
  });

  it('shows the first 8 lines of a list and links the rest to the web page', () => {
    const [message] = digestBlocks(digest([part('Avon', 30)]));
    const text = sectionTexts(message!.blocks).join('\n');
    expect(text).toContain('Fiche n° 8 « Action de prévention 8 »');
    expect(text).not.toContain('Fiche n° 9 ');
    expect(text).toContain(`• <${URL}/digest/2026-W48|… et 22 autres, sur la page web>`);
  });

  it('splits a digest a little too long for one message between collectivités', () => {
    const messages = digestBlocks(digest(Array.from({ length: 14 }, (_, i) => part(`Commune ${i + 1}`))));
    expect(messages).toHaveLength(2);
    // A collectivité starts with its header, never cut from its lists.
    expect(messages[1]!.blocks[0]).toMatchObject({ type: 'header' });
    const headers = messages.flatMap((m) => m.blocks.filter((b) => b.type === 'header'));
    expect(headers).toHaveLength(15);
  });
});

describe('the digest in Teams', () => {
  it('is one Adaptive Card 1.5 with a container per collectivité, linked items and the web page', () => {
    const attachment = digestCard(digest([part('Avon'), part('Bréau')]));
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = attachment.content as {
      version: string;
      body: { type: string; items?: { text: string }[]; url?: string }[];
      actions: unknown[];
    };
    expect(card.version).toBe('1.5');
    expect(card.body.find((element) => element.type === 'Image')?.url).toBe(
      `${URL}/documents/jeton.signature`,
    );
    const containers = card.body.filter((element) => element.type === 'Container');
    expect(containers.map((c) => c.items![0]!.text)).toEqual(['Avon', 'Bréau']);
    expect(containers[0]!.items!.map((i) => i.text)).toContain(
      `- [Fiche n° 1 « Action de prévention 1 »](${URL}/fiches/0)`,
    );
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Ouvrir sur le web', url: `${URL}/digest/2026-W48` },
    ]);
  });

  it('escapes Markdown in names and stays under Teams’ size limit, linking what does not fit', () => {
    const named = part('Saint-*Fargeau* [77]');
    const card = digestCard(
      digest([named, ...Array.from({ length: 100 }, (_, i) => part(`Commune ${i + 1}`, 30))]),
    );
    const json = JSON.stringify(card.content);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(json).toContain('Saint-\\\\*Fargeau\\\\* \\\\[77\\\\]');
    expect(json).toMatch(
      /\d+ autre\(s\) partie\(s\) trop longues pour Teams : \[lire le digest complet sur le web\]/,
    );
  });
});
