import { describe, expect, it } from 'vitest';
import {
  nameFromSentence,
  parseAmount,
  parseCount,
  parseDate,
  parseEtp,
  parseFunding,
  parseList,
  parsePeriod,
  parseQuarter,
  parseStaffing,
  parseYesNo,
  parseYesNoPartial,
} from '../../../bot/core/french/index.ts';

// Phrasings seen in free answers (bench/french-answers.ts measures them on a larger fixture).
const context = { today: '2026-11-30' };

describe('free answers: periods told as a start and an end', () => {
  it.each([
    ['ça démarre en mars 2027 et ça se termine fin novembre', '2027-03-01', '2027-11-30'],
    ['ça commence le 3 mars 2027, ça finit le 30 juin 2027', '2027-03-03', '2027-06-30'],
    ['démarrage en février 2027, fin prévue en décembre 2027', '2027-02-01', '2027-12-31'],
  ])('« %s »', (text, start, end) => {
    expect(parsePeriod(text, context)).toMatchObject({ ok: true, value: { start, end } });
  });

  it('still refuses two dates with no word saying which ends', () => {
    expect(parsePeriod('mars 2027 ou juin 2027', context)).toMatchObject({ ok: false });
  });
});

describe('free answers: working time per person', () => {
  it.each([
    ['deux animatrices à mi-temps', 1],
    ['trois personnes à temps plein', 3],
    ['une personne à 80%', 0.8],
    ['2 agents à 50 %', 1],
  ])('« %s » → %s ETP', (text, etp) => {
    expect(parseEtp(text)).toMatchObject({ ok: true, value: etp });
  });

  it('echoes the multiplication so the person can check it', () => {
    expect(parseEtp('deux animatrices à mi-temps')).toMatchObject({
      echo: expect.stringMatching(/\(2 × mi-temps\)$/),
    });
  });

  it('gives the structure its total in a staffing answer', () => {
    expect(parseStaffing('deux animatrices à mi-temps au centre social')).toMatchObject({
      ok: true,
      value: [{ structure: 'centre social', etp: 1 }],
    });
  });
});

describe('free answers: ranges and vague quantities are refused, not guessed', () => {
  it('refuses an amount range', () => {
    const parsed = parseAmount('entre 5 000 et 6 000 euros');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/^« entre 5 000 et 6 000 euros » donne deux montants/);
  });

  it('still reads an amount with a year after it', () => {
    expect(parseAmount('de 12 000 € en 2027')).toMatchObject({ ok: true, value: 12000 });
  });

  it('refuses « des centaines » as a head count', () => {
    const parsed = parseCount('des centaines');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain('Il me faut un nombre entier, même approximatif');
  });

  it('keeps « deux centaines » and « une centaine »', () => {
    expect(parseCount('deux centaines')).toMatchObject({ ok: true, value: { value: 200 } });
    expect(parseCount('une centaine')).toMatchObject({ ok: true, value: { value: 100 } });
  });
});

describe('free answers: vague answers get the existing French re-prompts', () => {
  it.each(['bientôt', 'ça dépend'])('« %s »', (text) => {
    const messages = [
      [parseDate(text, context), 'Je n’ai pas reconnu de date'],
      [parsePeriod(text, context), 'Je n’ai pas reconnu de période'],
      [parseAmount(text), 'Je n’ai pas reconnu de montant'],
      [parseEtp(text), 'Je n’ai pas reconnu de temps de travail'],
      [parseCount(text), 'Je n’ai pas reconnu de nombre'],
      [parseYesNo(text), 'Je n’ai pas compris'],
      [parseYesNoPartial(text), 'Je n’ai pas compris'],
    ] as const;
    for (const [parsed, message] of messages) {
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).toContain(message);
    }
  });
});

describe('free answers: lists and yes/no in sentences', () => {
  it.each([
    ['la mission locale et le PIJ', ['la mission locale', 'le PIJ']],
    [
      'l’école Jean Jaurès, le collège Pasteur, ainsi que la PMI',
      ['l’école Jean Jaurès', 'le collège Pasteur', 'la PMI'],
    ],
    ['CAF, PMI, etc.', ['CAF', 'PMI']],
    ['prévention et promotion de la santé', ['prévention et promotion de la santé']],
    ['Maison des jeunes et de la culture', ['Maison des jeunes et de la culture']],
  ])('« %s »', (text, items) => {
    expect(parseList(text)).toMatchObject({ ok: true, value: items });
  });

  it.each([
    ['je ne pense pas', false],
    ['pas pour l’instant', false],
    ['pas pour le moment', false],
  ])('« %s » → %s', (text, value) => {
    expect(parseYesNo(text)).toMatchObject({ ok: true, value });
  });

  it('names the funder of « le reste »', () => {
    expect(parseFunding('10 000 € de l’ARS et le reste (5 000) par la mairie')).toMatchObject({
      ok: true,
      value: [
        { funder: 'ARS', amount: 10000 },
        { funder: 'mairie', amount: 5000 },
      ],
    });
  });
});

describe('free answers: quarters, counts and separators', () => {
  it.each([
    ['le trimestre prochain', '2027-T1'],
    ['ce trimestre', '2026-T4'],
    ['premier trimestre de l’année prochaine', '2027-T1'],
  ])('« %s » → %s', (text, id) => {
    expect(parseQuarter(text, context)).toMatchObject({ ok: true, value: { id } });
  });

  it.each([
    ['une trentaine à une quarantaine', { value: 35, approximate: true, min: 30, max: 40 }],
    ['une petite dizaine', { value: 10, approximate: true }],
    ['50 maximum', { value: 50, approximate: true, max: 50 }],
    ['3 classes de CM2, soit à peu près 75 élèves', { value: 75, approximate: true }],
  ])('« %s »', (text, count) => {
    expect(parseCount(text)).toMatchObject({ ok: true, value: count });
  });

  it('reads « une journée par semaine » as a day, not as 1 ETP', () => {
    expect(parseEtp('une journée par semaine')).toMatchObject({ ok: true, value: 0.2 });
  });

  it('splits a numbering typed on one line, not a decimal', () => {
    expect(parseList('1. la CAF 2. la PMI 3. le CMP')).toMatchObject({
      value: ['la CAF', 'la PMI', 'le CMP'],
    });
    expect(parseList('1. ateliers 2.5 heures')).toMatchObject({ value: ['ateliers 2.5 heures'] });
  });

  it('splits on a spaced « + » and a spaced « / »', () => {
    expect(parseList('CCAS + centre social + CAF')).toMatchObject({
      value: ['CCAS', 'centre social', 'CAF'],
    });
    expect(parseFunding('ARS 6000 € / Ville 4000 €')).toMatchObject({
      ok: true,
      value: [
        { funder: 'ARS', amount: 6000 },
        { funder: 'Ville', amount: 4000 },
      ],
    });
  });
});

describe('free answers: vague wording stays refused', () => {
  it('refuses « après l’été » as a date', () => {
    const parsed = parseDate('après l’été', context);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain('ne dit pas quel jour');
  });

  it('refuses two alternative amounts', () => {
    expect(parseAmount('10 000 ou 12 000 €')).toMatchObject({ ok: false });
  });

  it('refuses « un grand nombre » as a count', () => {
    expect(parseCount('un grand nombre')).toMatchObject({ ok: false });
    expect(parseCount('un certain nombre de familles')).toMatchObject({ ok: false });
  });

  it('reads « pour la plupart » as « en partie »', () => {
    expect(parseYesNoPartial('oui, pour la plupart')).toMatchObject({ ok: true, value: 'en_partie' });
  });

  it('splits a list on a spaced slash', () => {
    expect(parseList('Atelier nutrition / atelier sommeil / atelier écrans')).toMatchObject({
      value: ['Atelier nutrition', 'atelier sommeil', 'atelier écrans'],
    });
  });
});

describe('nameFromSentence', () => {
  it.each([
    ['c’est le centre social qui porte', 'Centre social'],
    ['C’est la mairie qui pilote l’action', 'Mairie'],
    ['L’action est portée par le CCAS de Démoville.', 'CCAS de Démoville'],
    ['portée par l’association Bouge ta santé', 'Association Bouge ta santé'],
    ['Centre social Les Tilleuls', 'Centre social Les Tilleuls'],
    ['La Maison des jeunes', 'La Maison des jeunes'],
  ])('« %s » → « %s »', (text, name) => {
    expect(nameFromSentence(text)).toBe(name);
  });
});

describe('free answers: numbers that are not the value', () => {
  it('does not read the 2 of « CM2 » as a count', () => {
    expect(parseCount('tous les élèves de CM2')).toMatchObject({ ok: false });
    expect(parseCount('environ 40 élèves de CM2')).toMatchObject({ ok: true, value: { value: 40 } });
  });

  it('does not read « un jour sur deux » as 2 ETP', () => {
    expect(parseEtp('un jour sur deux')).toMatchObject({ ok: false });
  });

  it('refuses « avant juin » and « avant l’été », keeps « avant le 30 juin »', () => {
    const options = { ...context, bias: 'end' as const };
    expect(parseDate('avant juin', options)).toMatchObject({ ok: false });
    expect(parseDate('avant l’été', options)).toMatchObject({ ok: false });
    expect(parseDate('avant le 30 juin', options)).toMatchObject({ ok: true, value: '2027-06-30' });
    expect(parseDate('avant fin juin 2027', options)).toMatchObject({ ok: true, value: '2027-06-30' });
  });
});

describe('free answers: funding entries', () => {
  it('refuses an entry holding two amounts rather than losing a funder', () => {
    const parsed = parseFunding('total 15 000 € : ARS 10 000, ville 5 000');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain('j’ai trouvé plusieurs montants');
  });
});

describe('free answers: working-time ranges', () => {
  it.each(['2 à 3 jours par mois', 'deux ou trois heures par semaine'])('refuses « %s »', (text) => {
    const parsed = parseEtp(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain('donne une fourchette');
  });
});
