import { describe, expect, it } from 'vitest';
import { missingRequired, startForm, stepForm } from '../../../bot/core/forms/engine.ts';
import type { FormState, StepResult } from '../../../bot/core/forms/types.ts';
import { FICHE_FORM, ficheWarnings, parseIndicators } from '../../../bot/features/fiches/form.ts';

const context = { today: '2026-11-29', lookups: { programmes: [] } };

function replay(inputs: string[], start: FormState = startForm(FICHE_FORM).state): StepResult[] {
  const steps: StepResult[] = [];
  let state = start;
  for (const text of inputs) {
    const step = stepForm(FICHE_FORM, state, { kind: 'text', text }, context);
    steps.push(step);
    state = step.state;
  }
  return steps;
}

const last = <T>(items: T[]) => items[items.length - 1]!;

/** One référent's answers, in the order the form asks, typed as people type them. */
const ANSWERS = [
  'Coopérative d’acteurs de Démoville 2027-2029',
  'Ateliers cuisine et santé pour les familles',
  'Centre social Les Tilleuls',
  'Camille Martin, coordinatrice du centre social',
  'opérationnel',
  'CCAS : orientation des familles ; PMI (animation d’un atelier)',
  'Réduire les inégalités sociales de santé liées à l’alimentation',
  'Améliorer l’accès des familles à une alimentation équilibrée',
  'Proposer 10 ateliers cuisine par an aux familles du quartier',
  '1',
  'Dix ateliers de deux heures animés par une diététicienne, suivis d’un repas partagé.',
  'ateliers collectifs et aller-vers',
  'du 1er mars au 30 novembre 2027',
  'lancement en mars 2027 ; comité de pilotage le 15/06/2027 ; bilan fin novembre 2027',
  'parents et habitants des quartiers prioritaires',
  'une soixantaine',
  'commune',
  'centre social Les Tilleuls ; école Jean-Moulin',
  'centre social : 0,5 ETP ; CCAS : un quart temps',
  '12k€',
  'ARS 8 000 €, ville 3 000 €, CAF 1 000 €',
  'Réunions du comité de pilotage : 3 (source : comptes rendus)',
  'Nombre d’ateliers réalisés : 10 (source : feuilles d’émargement)',
  'Part des familles qui cuisinent plus de légumes : 60 % (source : questionnaire)',
  'Les familles connaissent les repères nutritionnels',
];

describe('the fiche-action form', () => {
  it('takes a whole fiche typed in free French, normalized field by field', () => {
    const steps = replay(ANSWERS);
    const invalid = steps.flatMap((step) => step.messages.filter((message) => message.kind === 'invalid'));
    expect(invalid).toEqual([]);
    const { values, cursor } = last(steps).state;
    expect(cursor).toEqual({ kind: 'recap' });
    expect(missingRequired(FICHE_FORM, values)).toEqual([]);
    expect(values).toMatchObject({
      intitule: 'Ateliers cuisine et santé pour les familles',
      contact_niveau: ['operationnel'],
      partenaires: [
        { structure: 'CCAS', role: 'orientation des familles' },
        { structure: 'PMI', role: 'animation d’un atelier' },
      ],
      objectif_prs: ['os1'],
      modes_intervention: ['ateliers', 'aller_vers'],
      periode: { debut: '2027-03-01', fin: '2027-11-30' },
      publics: ['familles', 'qpv'],
      nb_beneficiaires: { valeur: 60, approximatif: true },
      territoire: ['commune'],
      lieux: ['centre social Les Tilleuls', 'école Jean-Moulin'],
      moyens_humains: [
        { structure: 'centre social', etp: 0.5 },
        { structure: 'CCAS', etp: 0.25 },
      ],
      budget: 12000,
      financements: [
        { financeur: 'ARS', montant: 8000 },
        { financeur: 'ville', montant: 3000 },
        { financeur: 'CAF', montant: 1000 },
      ],
      indicateurs_activite: [
        { libelle: 'Nombre d’ateliers réalisés', cible: '10', source: 'feuilles d’émargement' },
      ],
    });
    expect((values.etapes as { date: string }[]).map((step) => step.date)).toEqual([
      '2027-03-01',
      '2027-06-15',
      '2027-11-30',
    ]);
  });

  it('refuses an impossible date and an end before the start, and re-asks the period', () => {
    const before = replay(ANSWERS.slice(0, 12));
    const steps = replay(
      ['du 31/02/2027 au 30/06/2027', 'de juin 2027 à mars 2027', 'T2 2027'],
      last(before).state,
    );
    expect(steps[0]!.messages[0]).toMatchObject({ kind: 'invalid', fieldId: 'periode' });
    expect((steps[0]!.messages[0] as { message: string }).message).toMatch(/31 février/);
    expect(steps[1]!.messages[0]).toMatchObject({ kind: 'invalid', fieldId: 'periode' });
    expect(last(steps).state.values.periode).toEqual({ debut: '2027-04-01', fin: '2027-06-30' });
  });

  it('asks « autre, précisez » only when « autre » is among the publics, and caps them at three', () => {
    const before = replay(ANSWERS.slice(0, 14));
    const tooMany = replay(['enfants, jeunes, parents, élus'], last(before).state);
    expect(tooMany[0]!.messages[0]).toMatchObject({ kind: 'invalid', fieldId: 'publics' });
    const other = replay(['jeunes et autre : aidants familiaux'], last(before).state);
    expect(other[0]!.state.values).toMatchObject({
      publics: ['jeunes', 'autre'],
      publics_autre: 'aidants familiaux',
    });
    expect(other[0]!.state.cursor).toEqual({ kind: 'field', fieldId: 'nb_beneficiaires' });
    const typedLater = replay(['autre', 'aidants familiaux'], last(before).state);
    expect(last(typedLater).state.values).toMatchObject({
      publics: ['autre'],
      publics_autre: 'aidants familiaux',
    });
  });

  it('warns, without blocking, at 23 000 € a year and more', () => {
    const before = replay(ANSWERS.slice(0, 19));
    const step = replay(['30 000 €'], last(before).state)[0]!;
    expect(step.state.values.budget).toBe(30000);
    expect(
      step.messages.some(
        (message) => message.kind === 'warning' && /convention « classique »/.test(message.text),
      ),
    ).toBe(true);
    const small = replay(['12 000 €'], last(before).state)[0]!;
    expect(small.messages.some((message) => message.kind === 'warning')).toBe(false);
  });

  it('warns when indicators are set after the action has started', () => {
    const before = replay(ANSWERS.slice(0, 12));
    const started = replay(
      ['de janvier 2026 à juin 2027', 'passer', ...ANSWERS.slice(14, 21)],
      last(before).state,
    );
    const step = replay(['Réunions du COPIL : 3'], last(started).state)[0]!;
    expect(
      step.messages.some((message) => message.kind === 'warning' && /avant le démarrage/.test(message.text)),
    ).toBe(true);
  });

  it('asks for a résultat indicator on the whole fiche', () => {
    expect(ficheWarnings({})).toHaveLength(1);
    expect(ficheWarnings({ indicateurs_resultat: [{ libelle: 'x' }] })).toEqual([]);
  });

  it('corrects an earlier answer in one sentence', () => {
    const before = replay(ANSWERS.slice(0, 21));
    const step = replay(['en fait le budget est de 15 000 €'], last(before).state)[0]!;
    expect(step.state.values.budget).toBe(15000);
    expect(step.state.cursor).toEqual({ kind: 'field', fieldId: 'indicateurs_processus' });
  });
});

describe('indicators', () => {
  it.each([
    [
      'Nombre d’ateliers : 10 (source : feuilles d’émargement)',
      { libelle: 'Nombre d’ateliers', cible: '10', source: 'feuilles d’émargement' },
    ],
    [
      'Taux de satisfaction - objectif 80 % - source : questionnaire',
      { libelle: 'Taux de satisfaction', cible: '80 %', source: 'questionnaire' },
    ],
    ['Participants aux ateliers', { libelle: 'Participants aux ateliers' }],
    [
      '- Réunions du COPIL = 3 via les comptes rendus',
      { libelle: 'Réunions du COPIL', cible: '3', source: 'les comptes rendus' },
    ],
  ])('reads « %s »', (text, expected) => {
    const parsed = parseIndicators(text);
    expect(parsed.ok && parsed.value).toEqual([expected]);
  });

  it('reads one indicator per line', () => {
    const parsed = parseIndicators('Ateliers : 10\nFamilles : 40');
    expect(parsed.ok && parsed.value.map((indicator) => indicator.libelle)).toEqual(['Ateliers', 'Familles']);
  });
});
