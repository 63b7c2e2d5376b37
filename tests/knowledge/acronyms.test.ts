import { describe, expect, it } from 'vitest';
import { QueryAnalyzer } from '../../knowledge/query.ts';
import {
  buildAcronymTable,
  extractAcronymDefinitions,
  FIELD_ACRONYMS,
} from '../../knowledge/text/acronyms.ts';
import { analyze } from '../../knowledge/text/french-analyzer.ts';

describe('extractAcronymDefinitions', () => {
  it('finds "long form (ACRONYM)" and keeps only the words the acronym spells', () => {
    const text = 'Dans ce cadre, le Contrat local de santé (CLS) est signé par les partenaires.';
    expect(extractAcronymDefinitions(text)).toEqual([['CLS', 'Contrat local de santé']]);
  });

  it('skips linking words and accepts accents and plurals in the long form', () => {
    const text =
      'Les ateliers santé ville (ASV) et les établissements publics de coopération intercommunale (EPCI).';
    expect(extractAcronymDefinitions(text)).toEqual([
      ['ASV', 'ateliers santé ville'],
      ['EPCI', 'établissements publics de coopération intercommunale'],
    ]);
  });

  it('ignores parentheses that are not the acronym of the words before them', () => {
    const text =
      'Le guide (2018) est publié par la mairie (ARS) ; voir la réunion (voir annexe) et le projet (Meaux).';
    expect(extractAcronymDefinitions(text)).toEqual([]);
  });

  it('adds definitions found in texts to the field table without duplicating a known long form', () => {
    const table = buildAcronymTable([
      'Le Contrat Local de Santé (CLS) et le Programme de réussite éducative (PRE).',
    ]);
    expect(table.get('PRE')).toEqual(['Programme de réussite éducative']);
    expect(table.get('CLS')).toEqual(FIELD_ACRONYMS.CLS);
  });
});

describe('acronym expansion of a question', () => {
  const analyzer = new QueryAnalyzer({ acronyms: FIELD_ACRONYMS });

  it('gives an acronym question the terms of its long form, weighing less than the words typed', () => {
    const { terms } = analyzer.analyze("c'est quoi un CLS ?");
    expect(terms.get('cls')).toBe(1);
    for (const longFormTerm of analyze('contrat local de santé')) {
      const weight = terms.get(longFormTerm);
      expect(weight).toBeGreaterThan(0);
      expect(weight).toBeLessThan(1);
    }
  });

  it('gives a long-form question its acronym, weighing less than the words typed', () => {
    const { terms } = analyzer.analyze('Qui signe le contrat local de santé ?');
    const weight = terms.get('cls');
    expect(weight).toBeGreaterThan(0);
    expect(weight).toBeLessThan(1);
    expect(terms.get(analyze('contrat')[0]!)).toBe(1);
  });

  it('expands an acronym typed in lowercase when it is long enough not to be a word', () => {
    expect(analyzer.analyze('le cls de Meaux').terms.has(analyze('contrat')[0]!)).toBe(true);
  });

  it('expands "CA" only in capitals: "ca" in lowercase is the word "ça"', () => {
    const cooperative = analyze('coopérative')[0]!;
    expect(analyzer.analyze('Qui anime la CA ?').terms.has(cooperative)).toBe(true);
    expect(analyzer.analyze('ca sert à quoi ?').terms.has(cooperative)).toBe(false);
  });

  it('adds nothing to a question without acronyms nor long forms', () => {
    const { terms } = analyzer.analyze('Quel tableau de bord pour le suivi ?');
    expect([...terms.values()].every((weight) => weight === 1)).toBe(true);
  });
});
