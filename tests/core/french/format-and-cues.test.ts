import { describe, expect, it } from 'vitest';
import {
  extractValueAfterCue,
  formatCount,
  formatDate,
  formatEtp,
  formatEuros,
  formatPeriod,
  parseAmount,
  parseDate,
} from '../../../bot/core/french/index.ts';

describe('formatting', () => {
  it('writes dates and periods the French way', () => {
    expect(formatDate('2027-03-01')).toBe('1er mars 2027');
    expect(formatDate('2027-08-15')).toBe('15 août 2027');
    expect(formatDate('2027-03-01', { weekday: true })).toBe('lundi 1er mars 2027');
    expect(formatPeriod('2027-03-01', '2027-11-30', { byDay: true })).toBe('du 1er mars au 30 novembre 2027');
    expect(formatPeriod('2027-03-15', '2027-11-30')).toBe('du 15 mars au 30 novembre 2027');
    expect(formatPeriod('2027-03-01', '2027-06-30')).toBe('de mars à juin 2027');
    expect(formatPeriod('2027-04-01', '2027-08-31')).toBe('d’avril à août 2027');
    expect(formatPeriod('2027-09-01', '2028-06-30')).toBe('de septembre 2027 à juin 2028');
    expect(formatPeriod('2027-03-01', '2027-03-31')).toBe('mars 2027');
    expect(formatPeriod('2027-01-01', '2027-12-31')).toBe('l’année 2027');
    expect(formatPeriod('2027-03-15', '2027-03-30')).toBe('du 15 au 30 mars 2027');
    expect(formatPeriod('2027-12-01', '2028-03-30')).toBe('du 1er décembre 2027 au 30 mars 2028');
    expect(formatPeriod('2027-03-15', '2027-03-15')).toBe('le 15 mars 2027');
  });

  it('writes euros, ETP and counts as fr-FR does', () => {
    expect(formatEuros(12000)).toBe('12\u202f000\u00a0€');
    expect(formatEuros(12000)).toBe(
      new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', minimumFractionDigits: 0 }).format(
        12000,
      ),
    );
    expect(formatEuros(2500.5)).toBe('2\u202f500,50\u00a0€');
    expect(formatEuros(0)).toBe('0\u00a0€');
    expect(formatEtp(0.5)).toBe('0,5\u00a0ETP');
    expect(formatEtp(2)).toBe('2\u00a0ETP');
    expect(formatEtp(0.33)).toBe('0,33\u00a0ETP');
    expect(formatCount({ value: 40, approximate: false })).toBe('40');
    expect(formatCount({ value: 1200, approximate: true })).toBe('environ 1\u202f200');
    expect(formatCount({ value: 40, approximate: true, min: 30, max: 50 })).toBe('entre 30 et 50');
    expect(formatCount({ value: 100, approximate: true, min: 100 })).toBe('plus de 100');
  });
});

describe('extractValueAfterCue', () => {
  const cases: [string, string | undefined][] = [
    ['en fait le budget est de 15 000 €', '15 000 €'],
    ['En fait, le budget est de 15 000 €.', '15 000 €'],
    ['finalement plutôt 12 000 €', '12 000 €'],
    ['non, c’est plutôt mars 2027', 'mars 2027'],
    ["non c'est 0,5 ETP", '0,5 ETP'],
    ['le budget : 15 000 €', '15 000 €'],
    ['budget = 15 000', '15 000'],
    ['correction : la date de début = 1er mars 2027', '1er mars 2027'],
    ['oups je me suis trompé, c’est 40 participants', '40 participants'],
    ['la date de fin sera le 30 juin 2027', 'le 30 juin 2027'],
    ['le public devient : jeunes et parents', 'jeunes et parents'],
    ['en fait 0,5 ETP', '0,5 ETP'],
    ['15 000 €', undefined],
    ['jeunes, parents', undefined],
  ];
  it.each(cases)('%j → %j', (text, value) => {
    expect(extractValueAfterCue(text)).toBe(value);
  });

  it('hands the engine a value the field parsers read', () => {
    const amount = extractValueAfterCue('en fait le budget est de 15 000 €');
    expect(parseAmount(amount!)).toMatchObject({ ok: true, value: 15000 });
    const date = extractValueAfterCue('finalement le lancement sera début avril 2027');
    expect(parseDate(date!, { today: '2026-11-29' })).toMatchObject({ ok: true, value: '2027-04-01' });
  });
});
