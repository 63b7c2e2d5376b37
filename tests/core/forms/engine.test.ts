import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isSideQuestion, parseFormCommand } from '../../../bot/core/forms/commands.ts';
import { COMMAND_VALUE, missingRequired, startForm, stepForm } from '../../../bot/core/forms/engine.ts';
import type { FieldDef, FormDef, FormState, Parsed, StepResult } from '../../../bot/core/forms/types.ts';

const text = (value: string): Parsed<string> =>
  value.trim()
    ? { ok: true, value: value.trim(), echo: value.trim() }
    : { ok: false, message: 'Réponse vide.' };

function euros(value: string): Parsed<number> {
  const match = /(\d[\d\s]*)\s*(k)?/i.exec(value);
  if (!match) return { ok: false, message: 'Indiquez un montant en euros, par exemple « 12 000 € ».' };
  const amount = Number(match[1]!.replace(/\s/g, '')) * (match[2] ? 1000 : 1);
  return { ok: true, value: amount, echo: `${amount} €` };
}

const field = (overrides: Partial<FieldDef> & Pick<FieldDef, 'id' | 'label'>): FieldDef => ({
  section: 'identification',
  question: `${overrides.label} ?`,
  help: `Aide sur ${overrides.label}.`,
  example: 'exemple',
  required: true,
  parse: text,
  schema: z.string().min(1),
  format: String,
  aliases: [],
  ...overrides,
});

const form: FormDef = {
  id: 'test',
  title: 'fiche de test',
  sections: [
    { id: 'identification', title: 'Identification' },
    { id: 'moyens', title: 'Moyens' },
  ],
  fields: [
    field({ id: 'intitule', label: 'Intitulé de l’action', aliases: ['intitulé', 'titre'], maxLength: 50 }),
    field({
      id: 'public',
      label: 'Public cible',
      aliases: ['public'],
      options: [
        { id: 'jeunes', label: 'Jeunes' },
        { id: 'autre', label: 'Autre' },
      ],
      parse: (value) =>
        /autre/i.test(value)
          ? { ok: true, value: 'autre', echo: 'Autre' }
          : /jeune/i.test(value)
            ? { ok: true, value: 'jeunes', echo: 'Jeunes' }
            : { ok: false, message: 'Choisissez un public.' },
    }),
    field({
      id: 'public_autre',
      label: 'Autre public, précisez',
      askIf: (values) => values.public === 'autre',
    }),
    field({
      id: 'budget',
      label: 'Budget',
      section: 'moyens',
      aliases: ['budget', 'montant'],
      parse: euros,
      schema: z.number().positive(),
      format: (value) => `${value} €`,
      warn: (value) => ((value as number) >= 23_000 ? ['Convention classique requise.'] : []),
    }),
    field({
      id: 'partenaires',
      label: 'Partenaires',
      section: 'moyens',
      required: false,
      aliases: ['partenaires'],
    }),
  ],
};

const context = { today: '2026-11-29' };

/** Replays a conversation from a fresh form: each text in turn; returns every step. */
function replay(inputs: string[], start: FormState = startForm(form).state): StepResult[] {
  const steps: StepResult[] = [];
  let state = start;
  for (const input of inputs) {
    const step = stepForm(form, state, { kind: 'text', text: input }, context);
    steps.push(step);
    state = step.state;
  }
  return steps;
}

const last = <T>(items: T[]): T => items[items.length - 1]!;
const asked = (step: StepResult) => step.state.cursor;

describe('form engine', () => {
  it('asks the first field, then each field in order, and ends on the recap', () => {
    const first = startForm(form);
    expect(first.messages).toEqual([{ kind: 'question', fieldId: 'intitule', current: undefined }]);
    const steps = replay(['Ateliers cuisine', 'les jeunes', '12 000', 'CCAS, centre social']);
    expect(steps.map(asked)).toEqual([
      { kind: 'field', fieldId: 'public' },
      { kind: 'field', fieldId: 'budget' },
      { kind: 'field', fieldId: 'partenaires' },
      { kind: 'recap' },
    ]);
    expect(last(steps).state.values).toEqual({
      intitule: 'Ateliers cuisine',
      public: 'jeunes',
      budget: 12000,
      partenaires: 'CCAS, centre social',
    });
    expect(steps[0]!.changes).toEqual([
      { fieldId: 'intitule', before: undefined, after: 'Ateliers cuisine' },
    ]);
  });

  it('asks a conditional field only when its condition holds, and drops it when it stops holding', () => {
    const steps = replay(['Ateliers', 'autre', 'les aidants', 'en fait le public c’est les jeunes']);
    expect(steps[1]!.state.cursor).toEqual({ kind: 'field', fieldId: 'public_autre' });
    expect(steps[2]!.state.values.public_autre).toBe('les aidants');
    const corrected = last(steps);
    expect(corrected.state.values.public).toBe('jeunes');
    expect(corrected.state.values).not.toHaveProperty('public_autre');
    expect(corrected.changes.map((change) => change.fieldId).sort()).toEqual(['public', 'public_autre']);
  });

  it('re-asks an invalid answer with the parser’s message, keeps count, and hints after two failures', () => {
    const steps = replay(['Ateliers', 'jeunes', 'beaucoup', 'je sais pas trop']);
    expect(steps[2]!.messages[0]).toMatchObject({ kind: 'invalid', fieldId: 'budget', attempts: 1 });
    expect(steps[2]!.state.cursor).toEqual({ kind: 'field', fieldId: 'budget' });
    expect(
      last(steps).messages.some((message) => message.kind === 'notice' && /aide/.test(message.text)),
    ).toBe(true);
  });

  it('goes back along the path, shows the current value, then continues where it was', () => {
    const steps = replay(['Ateliers', 'jeunes', 'retour']);
    expect(last(steps).messages).toEqual([{ kind: 'question', fieldId: 'public', current: 'jeunes' }]);
    const resumed = replay(['autre', 'les aidants'], last(steps).state);
    expect(last(resumed).state.cursor).toEqual({ kind: 'field', fieldId: 'budget' });
  });

  it('passes optional fields only', () => {
    const required = replay(['passer']);
    expect(required[0]!.state.cursor).toEqual({ kind: 'field', fieldId: 'intitule' });
    expect(required[0]!.messages[0]).toMatchObject({ kind: 'notice' });
    const optional = replay(['Ateliers', 'jeunes', '5000', 'passer']);
    expect(last(optional).state.cursor).toEqual({ kind: 'recap' });
    expect(last(optional).state.skipped).toEqual(['partenaires']);
  });

  it('understands a one-sentence correction of an earlier answer and stays on the current question', () => {
    const steps = replay(['Ateliers', 'jeunes', '10 000', 'en fait le budget est de 15 000 €']);
    const step = last(steps);
    expect(step.state.values.budget).toBe(15000);
    expect(step.state.cursor).toEqual({ kind: 'field', fieldId: 'partenaires' });
    expect(step.messages[0]).toEqual({ kind: 'saved', fieldId: 'budget', echo: '15000 €', correction: true });
    expect(step.changes).toEqual([{ fieldId: 'budget', before: 10000, after: 15000 }]);
  });

  it('edits a field from the recap and comes back to the recap', () => {
    const done = replay(['Ateliers', 'jeunes', '5000', 'passer']);
    const steps = replay(['modifier le budget', '30k'], last(done).state);
    expect(steps[0]!.state.cursor).toEqual({ kind: 'field', fieldId: 'budget' });
    expect(last(steps).state.cursor).toEqual({ kind: 'recap' });
    expect(last(steps).messages).toContainEqual({ kind: 'warning', text: 'Convention classique requise.' });
  });

  it('asks before cancelling, and resumes when the person says no', () => {
    const steps = replay(['Ateliers', 'annuler', 'non']);
    expect(steps[1]!.messages).toEqual([{ kind: 'confirm_cancel' }]);
    expect(last(steps).state.cursor).toEqual({ kind: 'field', fieldId: 'public' });
    const confirmed = replay(['annuler', 'oui']);
    expect(last(confirmed).effect).toEqual({ kind: 'cancel' });
    const byButton = stepForm(
      form,
      confirmed[0]!.state,
      { kind: 'choice', value: `${COMMAND_VALUE}cancel` },
      context,
    );
    expect(byButton.effect).toEqual({ kind: 'cancel' });
  });

  it('hands a methodology question to the caller and asks the same field again', () => {
    const steps = replay(['Ateliers', 'jeunes', 'c’est quoi un indicateur d’activité ?']);
    expect(last(steps).effect).toEqual({
      kind: 'side_question',
      question: 'c’est quoi un indicateur d’activité ?',
    });
    expect(last(steps).state.cursor).toEqual({ kind: 'field', fieldId: 'budget' });
    expect(last(steps).changes).toEqual([]);
  });

  it('keeps an overlong answer up to the field’s limit and says so', () => {
    const long = 'a'.repeat(10_000);
    const step = replay([long])[0]!;
    expect(step.state.values.intitule).toBe('a'.repeat(50));
    expect(step.messages[0]).toMatchObject({ kind: 'notice' });
    expect((step.messages[0] as { text: string }).text).toMatch(/10\u202f000 caractères/);
  });

  it('takes a button’s option id as the option’s answer', () => {
    const first = replay(['Ateliers']);
    const step = stepForm(form, last(first).state, { kind: 'choice', value: 'jeunes' }, context);
    expect(step.state.values.public).toBe('jeunes');
  });

  it('lists required fields still missing', () => {
    const steps = replay(['Ateliers', 'autre']);
    expect(missingRequired(form, last(steps).state.values).map((missing) => missing.id)).toEqual([
      'public_autre',
      'budget',
    ]);
  });

  it('pauses on « plus tard » without changing anything', () => {
    const steps = replay(['Ateliers', 'plus tard']);
    expect(last(steps).effect).toEqual({ kind: 'pause' });
    expect(last(steps).changes).toEqual([]);
  });
});

describe('form commands', () => {
  it.each([
    ['Retour', { kind: 'back' }],
    ['passer', { kind: 'skip' }],
    ['Pas encore défini.', { kind: 'skip' }],
    ['à définir', { kind: 'skip' }],
    ['on ne sait pas encore', { kind: 'skip' }],
    ['récap', { kind: 'recap' }],
    ['Aide', { kind: 'help' }],
    ['annuler', { kind: 'cancel' }],
    ['plus tard', { kind: 'pause' }],
    ['modifier le budget', { kind: 'edit', fieldId: 'budget' }],
    ['changer l’intitulé', { kind: 'edit', fieldId: 'intitule' }],
    ['Finalement le montant c’est 8 000 €', { kind: 'correction', fieldId: 'budget', valueText: '8 000 €' }],
    ['budget : 15k€', { kind: 'correction', fieldId: 'budget', valueText: '15k€' }],
    [
      'en fait, le titre est Ateliers du goût',
      { kind: 'correction', fieldId: 'intitule', valueText: 'Ateliers du goût' },
    ],
  ])('reads « %s »', (input, expected) => {
    expect(parseFormCommand(form, input)).toEqual(expected);
  });

  it('reads answers as answers, even when they mention another field', () => {
    for (const answer of [
      'Ateliers de cuisine pour les familles, avec un budget partagé entre la CAF et la ville',
      '12 000 €',
      'les jeunes du quartier',
    ]) {
      expect(parseFormCommand(form, answer)).toBeUndefined();
    }
  });

  it('tells methodology questions from answers', () => {
    expect(isSideQuestion('c’est quoi un indicateur d’activité ?')).toBe(true);
    expect(isSideQuestion('Comment fixer une valeur cible ?')).toBe(true);
    expect(isSideQuestion('Qu’est-ce qu’un objectif opérationnel')).toBe(true);
    expect(isSideQuestion('Ateliers cuisine')).toBe(false);
    expect(isSideQuestion('12 000 € ?')).toBe(false);
  });
});
