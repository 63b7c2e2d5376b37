import { describe, expect, it } from 'vitest';
import { citationName, renderTeamsReply } from '../../bot/channels/teams-render.ts';
import type { Reply } from '../../bot/core/types.ts';
import type { Citation } from '../../knowledge/types.ts';

// biome-ignore lint/suspicious/noExplicitAny: rendered JSON, read field by field in the assertions.
type Json = Record<string, any>;

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

  it('names the form and field in channelData, and draws a record card with a FactSet per section', () => {
    const form = { formId: 'fiche_action', step: 'recap' as const, recordId: 'f-7' };
    const message = renderTeamsReply(
      reply({
        form,
        citations: [],
        card: {
          title: 'Fiche-action n° 7 · Ateliers',
          subtitle: 'Commune de Démoville (démo) · brouillon · version 3',
          sections: [
            {
              id: 'calendrier',
              title: 'Calendrier',
              fields: [
                { label: 'Période', value: 'x'.repeat(2_000) },
                { label: 'Budget', value: '', missing: true },
              ],
              edit: { label: 'Modifier', actionId: 'form', value: 'cmd:edit:periode' },
            },
          ],
        },
        choices: [{ label: 'Plus tard', actionId: 'form', value: 'cmd:pause' }],
        files: [
          {
            fileName: 'fiche-action-7.docx',
            contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
            url: 'https://boussole.example.org/documents/jeton',
            expiresAt: new Date(),
          },
        ],
      }),
      PUBLIC_URL,
    );
    expect(message.channelData).toEqual({ feedbackLoopEnabled: true, boussole: { form } });
    const card = message.attachments![0]!.content as { body: Json[]; actions: unknown[] };
    expect(card.body[0]).toMatchObject({
      type: 'TextBlock',
      text: 'Fiche-action n° 7 · Ateliers',
      size: 'Large',
    });
    const section = card.body[2]!;
    expect(section.columns).toBeUndefined();
    expect(section.items[0].columns[1].items[0]).toEqual({
      type: 'ActionSet',
      actions: [
        { type: 'Action.Submit', title: 'Modifier', data: { actionId: 'form', value: 'cmd:edit:periode' } },
      ],
    });
    const [period, budget] = section.items[1].facts;
    expect(period.value.length).toBeLessThanOrEqual(600);
    expect(period.value.endsWith('…')).toBe(true);
    expect(budget).toEqual({ title: 'Budget', value: '_à compléter_' });
    expect(card.actions).toEqual([
      { type: 'Action.Submit', title: 'Plus tard', data: { actionId: 'form', value: 'cmd:pause' } },
      {
        type: 'Action.OpenUrl',
        title: 'Télécharger fiche-action-7.docx',
        url: 'https://boussole.example.org/documents/jeton',
      },
    ]);
    expect(renderTeamsReply(reply(), PUBLIC_URL).channelData).toEqual({ feedbackLoopEnabled: true });
  });
});
