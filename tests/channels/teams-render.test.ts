import { describe, expect, it } from 'vitest';
import { citationName, renderTeamsReply } from '../../bot/channels/teams-render.ts';
import type { Reply } from '../../bot/core/types.ts';
import type { Citation } from '../../knowledge/types.ts';

const PUBLIC_URL = 'https://boussole.example.org';

function citation(n: number, fields: Partial<Citation> = {}): Citation {
  return {
    n,
    document: 'guide-cooperative',
    title: 'Guide de la Coopérative',
    section: 'Fiches pratiques › Convention de partenariat',
    anchor: 'convention-de-partenariat',
    passageId: `guide-cooperative:${n}`,
    snippet: 'Une convention de partenariat précise les objectifs communs.',
    ...fields,
  };
}

function reply(fields: Partial<Reply> = {}): Reply {
  return {
    text: 'Rédigez-la avec les partenaires [1].',
    citations: [citation(1)],
    aiGenerated: false,
    feedback: true,
    ...fields,
  };
}

describe('renderTeamsReply', () => {
  it('keeps the [n] markers and puts one schema.org Message entity with the citations', () => {
    const message = renderTeamsReply(reply(), PUBLIC_URL);
    expect(message.text).toBe('Rédigez-la avec les partenaires [1].');
    expect(message.entities).toEqual([
      {
        type: 'https://schema.org/Message',
        '@type': 'Message',
        '@context': 'https://schema.org',
        '@id': '',
        citation: [
          {
            '@type': 'Claim',
            position: 1,
            appearance: {
              '@type': 'DigitalDocument',
              name: 'Guide de la Coopérative › Fiches pratiques › Convention de partenariat',
              abstract: 'Une convention de partenariat précise les objectifs communs.',
              url: `${PUBLIC_URL}/sources/guide-cooperative?passage=guide-cooperative%3A1#convention-de-partenariat`,
            },
          },
        ],
      },
    ]);
  });

  it('adds the AI label only when an LLM wrote the text', () => {
    expect(renderTeamsReply(reply({ aiGenerated: true }), PUBLIC_URL).entities[0]?.additionalType).toEqual([
      'AIGeneratedContent',
    ]);
    expect(renderTeamsReply(reply(), PUBLIC_URL).entities[0]).not.toHaveProperty('additionalType');
  });

  it('caps citations at 20, names at 80 characters and abstracts at 160', () => {
    const many = Array.from({ length: 25 }, (_, i) => citation(i + 1, { snippet: 'x'.repeat(400) }));
    const [entity] = renderTeamsReply(reply({ citations: many }), PUBLIC_URL).entities;
    expect(entity?.citation).toHaveLength(20);
    expect(entity?.citation.map((c) => c.position)).toEqual(many.slice(0, 20).map((c) => c.n));
    expect(entity?.citation.every((c) => c.appearance.abstract.length <= 160)).toBe(true);
  });

  it('shortens a long name by the title, keeping the most specific section', () => {
    const name = citationName({
      title: 'Guide de la Coopérative d’acteurs : santé et territoires, édition francilienne complète',
      section: 'Fiches pratiques › Contractualisation › Convention de partenariat',
    });
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^Guide de la Coopérative.*… › Convention de partenariat$/);
  });

  it('sets the feedback loop flag from the reply', () => {
    expect(renderTeamsReply(reply(), PUBLIC_URL).channelData.feedbackLoopEnabled).toBe(true);
    expect(renderTeamsReply(reply({ feedback: false }), PUBLIC_URL).channelData.feedbackLoopEnabled).toBe(
      false,
    );
  });

  it('sends no entity for a plain reply without citations', () => {
    expect(renderTeamsReply(reply({ citations: [], text: 'Bonjour' }), PUBLIC_URL).entities).toEqual([]);
  });

  it('renders choices as Action.Submit buttons of an Adaptive Card 1.5 carrying actionId and value', () => {
    const message = renderTeamsReply(
      reply({
        choices: [
          { label: 'Voir les passages', actionId: 'show_passages', value: 'guide-cooperative:1' },
          { label: 'Annuler', actionId: 'cancel', style: 'danger' },
        ],
      }),
      PUBLIC_URL,
    );
    expect(message.attachments).toEqual([
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: expect.objectContaining({
          type: 'AdaptiveCard',
          version: '1.5',
          actions: [
            {
              type: 'Action.Submit',
              title: 'Voir les passages',
              data: { actionId: 'show_passages', value: 'guide-cooperative:1' },
            },
            { type: 'Action.Submit', title: 'Annuler', style: 'destructive', data: { actionId: 'cancel' } },
          ],
        }),
      },
    ]);
    expect(renderTeamsReply(reply(), PUBLIC_URL)).not.toHaveProperty('attachments');
  });
});
