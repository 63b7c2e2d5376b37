import { describe, expect, it } from 'vitest';
import {
  formBlockId,
  MAX_BLOCKS,
  MAX_SECTION_TEXT,
  parseFeedbackValue,
  parseFormBlockId,
  renderSlackReply,
  splitText,
  toSlackMrkdwn,
} from '../../bot/channels/slack-render.ts';
import type { RecordCard, Reply } from '../../bot/core/types.ts';
import type { Citation } from '../../knowledge/types.ts';

// biome-ignore lint/suspicious/noExplicitAny: rendered JSON, read field by field in the assertions.
type Json = Record<string, any>;

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

  it('reads the form marker back from a block_id, and refuses anything else', () => {
    const marker = { formId: 'fiche_action', fieldId: 'periode', step: 'question' as const, recordId: 'f-1' };
    expect(formBlockId(marker, 3)).toBe('form:fiche_action:periode:question:f-1#3');
    expect(parseFormBlockId(formBlockId(marker, 3))).toEqual(marker);
    expect(parseFormBlockId('form:fiche_action::recap:#0')).toEqual({
      formId: 'fiche_action',
      step: 'recap',
    });
    for (const other of [undefined, 'b1', 'form:fiche_action:periode:autre:#0', 'form:x:y:question:z'])
      expect(parseFormBlockId(other)).toBeUndefined();
  });
});

describe('Block Kit record cards', () => {
  const card = (sections: number, value: string): RecordCard => ({
    title: `Fiche-action n° 7 · ${'Très long intitulé '.repeat(12)}`,
    subtitle: 'Commune de Démoville (démo) · brouillon · version 3',
    sections: Array.from({ length: sections }, (_, index) => ({
      id: `s${index}`,
      title: `Section ${index}`,
      fields: [
        { label: 'Contenu', value },
        { label: 'Budget', value: '', missing: true },
        { label: 'Partenaires', value: '' },
      ],
      edit: { label: 'Modifier', actionId: 'form', value: `cmd:edit:f${index}` },
    })),
    actions: [{ label: 'Soumettre', actionId: 'fiche', value: 'submit:7', style: 'primary' }],
  });
  const form = { formId: 'fiche_action', step: 'recap' as const, recordId: 'f-7' };

  it('draws a header, a section per card section with « à compléter » and its edit button, then the actions', () => {
    const { blocks } = renderSlackReply(
      reply('*Récapitulatif*', { card: card(2, 'Des ateliers & <rien>'), form }),
      'x',
    );
    const [text, header, subtitle, first] = blocks as Json[];
    expect(text!.text.text).toBe('*Récapitulatif*');
    expect(header!.type).toBe('header');
    expect(header!.text.text.length).toBeLessThanOrEqual(150);
    expect(subtitle!.elements[0].text).toBe('Commune de Démoville (démo) · brouillon · version 3');
    expect(first!.text.text).toBe(
      '*Section 0*\n*Contenu* : Des ateliers &amp; &lt;rien&gt;\n*Budget* : _à compléter_\n*Partenaires* : —',
    );
    expect(first!.accessory).toMatchObject({
      type: 'button',
      value: 'cmd:edit:f0',
      text: { text: 'Modifier' },
    });
    const actions = blocks.filter((block) => block.type === 'actions') as Json[];
    expect(
      actions.flatMap((block) => block.elements.map((button: { value: string }) => button.value)),
    ).toEqual(['submit:7', 'guide:1']);
    const actionIds = blocks.flatMap((block: Json) => [
      ...(block.elements ?? []).map((element: { action_id?: string }) => element.action_id),
      block.accessory?.action_id,
    ]);
    const buttonIds = actionIds.filter((id) => id !== undefined && id !== 'feedback');
    expect(new Set(buttonIds).size).toBe(buttonIds.length);
    expect(blocks.every((block, index) => block.block_id === formBlockId(form, index))).toBe(true);
  });

  it('splits a 10,000-character answer over sections, and cuts a card past 50 blocks with a French note', () => {
    const long = renderSlackReply(reply('Récap', { card: card(1, 'mot '.repeat(2_500)), form }), 'x');
    const pieces = long.blocks.filter((block) => block.type === 'section') as Section[];
    expect(pieces.length).toBeGreaterThan(4);
    for (const piece of pieces) expect(piece.text!.text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    expect(
      pieces
        .map((piece) => piece.text!.text)
        .join(' ')
        .split('mot').length - 1,
    ).toBe(2_500);

    const huge = renderSlackReply(reply('Récap', { card: card(60, 'court'), form }), 'x');
    expect(huge.blocks).toHaveLength(MAX_BLOCKS);
    const note = huge.blocks.findLast(
      (block) => block.type === 'context' && JSON.stringify(block).includes('ne tient pas'),
    );
    expect(JSON.stringify(note)).toMatch(/demandez « voir la fiche » ou exportez-la en Word/);
    expect(huge.blocks.slice(-3).map((block) => block.type)).toEqual([
      'context',
      'actions',
      'context_actions',
    ]);
  });
});
