import { describe, expect, it } from 'vitest';
import { analyze, isStopword, term, words } from '../../knowledge/text/french-analyzer.ts';
import { foldAccents, normalizeForMatch, stripControlCharacters } from '../../knowledge/text/normalize.ts';

describe('words', () => {
  it('removes the elided article or pronoun, with a straight or a curly apostrophe', () => {
    expect(words("l'évaluation d’impact qu'on mène")).toEqual(['évaluation', 'impact', 'on', 'mène']);
  });

  it('keeps case and accents, which acronyms and the stemmer need', () => {
    expect(words('Le CLS de Meaux, signé en 2023.')).toEqual([
      'Le',
      'CLS',
      'de',
      'Meaux',
      'signé',
      'en',
      '2023',
    ]);
  });
});

describe('analyze', () => {
  it('folds accents so that a word typed without them finds the same term', () => {
    expect(analyze('évaluation coopérative élus')).toEqual(analyze('evaluation cooperative elus'));
    expect(analyze('Évaluation').join(' ')).not.toMatch(/[éèêàç]/);
  });

  it('drops French stop words and the words of a question', () => {
    const terms = analyze(
      "Quels sont les objectifs d'une convention ? Comment la faire, pourquoi et quand ?",
    );
    expect(terms).toEqual([term('objectifs'), term('convention')]);
    for (const word of ['les', 'quels', 'comment', 'pourquoi', 'quand', 'est', 'une']) {
      expect(isStopword(word)).toBe(true);
    }
  });

  it("drops elided stop words: only the topic of \"qu'est-ce que c'est l'évaluation\" is left", () => {
    expect(analyze("Qu'est-ce que c'est, l'évaluation ?")).toEqual([term('évaluation')]);
  });

  it('gives inflections of a word the same stem', () => {
    expect(term('coopératives')).toBe(term('coopérative'));
    expect(term('Coopératives')).toBe(term('coopérative'));
    expect(term('évaluer')).toBe(term('évaluation'));
    expect(term('évaluations')).toBe(term('évalué'));
    expect(term('partenaires')).toBe(term('partenaire'));
    expect(term('convention')).not.toBe(term('coopérative'));
  });

  it('keeps acronyms whole: ARS stays "ars" and does not become a stem like "ar"', () => {
    expect(analyze('ARS')).toEqual(['ars']);
    expect(analyze('CLS et CLSM')).toEqual(['cls', 'clsm']);
    expect(term('ars', new Set(['ars']))).toBe('ars');
    expect(analyze('la ARS ars', new Set(['ars']))).toEqual(['ars', 'ars']);
  });

  it('keeps "CA" in capitals as an acronym but drops the word "ca" in lowercase', () => {
    expect(analyze('Le CA du territoire')).toContain('ca');
    expect(analyze('ca marche comment ?')).not.toContain('ca');
    expect(analyze('ça marche comment ?')).not.toContain('ca');
  });

  it('keeps numbers as they are', () => {
    expect(analyze('PRS 2023 axe 6')).toEqual(['prs', '2023', term('axe'), '6']);
  });
});

describe('normalizeForMatch', () => {
  it('lowercases, removes accents, turns punctuation into spaces and collapses spaces', () => {
    expect(normalizeForMatch("  L'Évaluation — d’impact : œuvre !!  Santé\n\tIDF ")).toBe(
      'l evaluation d impact oeuvre sante idf',
    );
  });

  it('makes two spellings of the same phrase equal', () => {
    expect(normalizeForMatch('Contrat Local de Santé (CLS)')).toBe(
      normalizeForMatch('contrat local de sante cls'),
    );
  });

  it('folds ligatures through foldAccents', () => {
    expect(foldAccents('Œuvre, cœur, Æ')).toBe('OEuvre, coeur, AE');
  });
});

describe('stripControlCharacters', () => {
  it('removes control and invisible formatting characters but keeps line breaks and tabs', () => {
    const dirty = 'a\u0000b\u0007c\nd\te\u200bf\u200eg\u2028h\u001bi';
    expect(stripControlCharacters(dirty)).toBe('abc\nd\tefghi');
  });

  it('leaves ordinary French text untouched', () => {
    const text = 'Élus, « partenaires » et référents : 12 % !';
    expect(stripControlCharacters(text)).toBe(text);
  });
});
