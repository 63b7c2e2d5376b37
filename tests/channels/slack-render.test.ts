import { describe, expect, it } from 'vitest';
import {
  MAX_BLOCKS,
  MAX_SECTION_TEXT,
  parseFeedbackValue,
  renderSlackReply,
  splitText,
  toSlackMrkdwn,
} from '../../bot/channels/slack-render.ts';
import type { Reply } from '../../bot/core/types.ts';
import type { Citation } from '../../knowledge/types.ts';

const citation = (n: number): Citation => ({
  n,
  document: 'guide',
  title: 'Guide',
  section: `Section ${n}`,
  anchor: `s-${n}`,
  passageId: `guide:${n}`,
  snippet: '',
});

const reply = (text: string, extra: Partial<Reply> = {}): Reply => ({
  text,
  citations: [citation(1)],
  aiGenerated: false,
  feedback: true,
  interactionId: 'int-7',
  choices: [{ label: 'Voir les passages', actionId: 'show_passages', value: 'guide:1' }],
  ...extra,
});

type Section = { type: string; text?: { text: string } };

describe('Block Kit rendering', () => {
  it('splits a 20,000-character answer into sections under 3,000 characters, keeping every word', () => {
    const text = `${'Une phrase de méthode assez longue pour remplir la réponse. '.repeat(333)}[1]`;
    expect(text.length).toBeGreaterThan(19_900);
    const { blocks } = renderSlackReply(reply(text), 'https://b.test');
    const sections = blocks.filter((b) => b.type === 'section') as Section[];
    expect(sections.length).toBeGreaterThan(6);
    expect(blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    for (const section of sections) expect(section.text!.text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    const joined = sections.map((s) => s.text!.text).join(' ');
    expect(joined.split(/\s+/).length).toBe(text.trim().split(/\s+/).length);
    expect(joined).toContain('<https://b.test/sources/guide?passage=guide%3A1#s-1|[1]>');
  });

  it('stays within 50 blocks for an answer longer than 50 sections can hold, saying it was cut', () => {
    const { blocks } = renderSlackReply(reply('mot '.repeat(60_000)), 'https://b.test');
    expect(blocks).toHaveLength(MAX_BLOCKS);
    const sections = blocks.filter((b) => b.type === 'section') as Section[];
    expect(sections.at(-1)!.text!.text).toMatch(/réponse tronquée/);
    expect(blocks.slice(-3).map((b) => b.type)).toEqual(['context', 'actions', 'context_actions']);
  });

  it('lists at most 10 citations per context block', () => {
    const citations = Array.from({ length: 12 }, (_, i) => citation(i + 1));
    const { blocks } = renderSlackReply(reply('Texte [1] [12]', { citations }), 'https://b.test');
    const contexts = blocks.filter((b) => b.type === 'context') as { elements: unknown[] }[];
    expect(contexts.map((c) => c.elements.length)).toEqual([10, 2]);
  });

  it('has no feedback block without an interaction id, and always a fallback text', () => {
    const message = renderSlackReply(
      reply('', { interactionId: undefined, choices: undefined, citations: [] }),
      'x',
    );
    expect(message.blocks.some((b) => b.type === 'context_actions')).toBe(false);
    expect(message.text.length).toBeGreaterThan(0);
  });

  it('escapes Slack control characters and converts Markdown emphasis and links', () => {
    expect(toSlackMrkdwn('**Gras** & <b> [site](https://a.fr)')).toBe(
      '*Gras* &amp; &lt;b&gt; <https://a.fr|site>',
    );
  });

  it('cuts on paragraph boundaries first', () => {
    expect(splitText(`${'a'.repeat(20)}\n\n${'b'.repeat(20)}`, 30)).toEqual(['a'.repeat(20), 'b'.repeat(20)]);
  });

  it('reads feedback values back', () => {
    expect(parseFeedbackValue('int-7:down')).toEqual({ interactionId: 'int-7', rating: 'down' });
    expect(parseFeedbackValue('int-7')).toEqual({ interactionId: 'int-7' });
  });
});
