import { describe, expect, it } from 'vitest';
import { parseAmount, parseCount, parseEtp } from '../../../bot/core/french/index.ts';
import { parseNumberWords } from '../../../bot/core/french/numbers.ts';

describe('parseNumberWords', () => {
  const cases: [string, number][] = [
    ['zero', 0],
    ['un', 1],
    ['dix-sept', 17],
    ['vingt et un', 21],
    ['vingt-deux', 22],
    ['soixante-dix', 70],
    ['soixante et onze', 71],
    ['soixante-dix-neuf', 79],
    ['quatre-vingts', 80],
    ['quatre-vingt-douze', 92],
    ['quatre vingt dix neuf', 99],
    ['septante-cinq', 75],
    ['nonante', 90],
    ['cent', 100],
    ['trois cents', 300],
    ['cent vingt', 120],
    ['mille', 1000],
    ['deux mille cinq cents', 2500],
    ['quinze mille', 15000],
    ['cent cinquante mille', 150000],
    ['un million', 1_000_000],
    ['deux millions trois cent mille', 2_300_000],
    ['un million et demi', 1_500_000],
    ['deux et demi', 2.5],
  ];
  it.each(cases)('%s → %d', (words, value) => {
    expect(parseNumberWords(words)).toBe(value);
  });

  it.each(['deux trois', 'cent cent', 'mille mille', 'vingt trente', 'bonjour'])('refuses %s', (words) => {
    expect(parseNumberWords(words)).toBeUndefined();
  });
});

describe('parseAmount', () => {
  const cases: [string, number][] = [
    ['12 000 €', 12000],
    ['12000€', 12000],
    ['12 000 euros', 12000],
    ['12\u202f000\u00a0€', 12000],
    ['12.000 €', 12000],
    ['12k€', 12000],
    ['12 k€', 12000],
    ['12K€', 12000],
    ['12 ke', 12000],
    ['12 keur', 12000],
    ['12 k euros', 12000],
    ['8 500 euros', 8500],
    ['8500 EUR', 8500],
    ['EUR 300', 300],
    ['€ 300', 300],
    ['1,5 M€', 1_500_000],
    ['1.5 million d’euros', 1_500_000],
    ["1,5 millions d'euros", 1_500_000],
    ['deux millions', 2_000_000],
    ['un million et demi d’euros', 1_500_000],
    ['15000', 15000],
    ['quinze mille euros', 15000],
    ['Quinze mille €', 15000],
    ['12 mille euros', 12000],
    ['mille euros', 1000],
    ['trois cent cinquante euros', 350],
    ['2 500,50 €', 2500.5],
    ['2500,5€', 2500.5],
    ['15 000,00 €', 15000],
    ['15.000,00 €', 15000],
    ['15 000 € HT', 15000],
    ['450 k€', 450000],
    ['12,5k€', 12500],
    ['€15000', 15000],
    ['le budget est de 15 000 €', 15000],
    ['en fait le budget est de 15 000 € au total', 15000],
    ['environ 23 000 euros par an', 23000],
    ['on a 15 000 € pour 2027', 15000],
    ['15000 en 2027', 15000],
    ['budget prévisionnel : 45 000 € TTC', 45000],
    ['0 €', 0],
  ];
  it.each(cases)('%s → %d', (text, value) => {
    expect(parseAmount(text)).toMatchObject({ ok: true, value });
  });

  it('echoes with the French grouping and the euro sign as fr-FR Intl writes them', () => {
    expect(parseAmount('12k€')).toEqual({ ok: true, value: 12000, echo: '12\u202f000\u00a0€' });
    expect(parseAmount('2 500,5 €')).toMatchObject({ echo: '2\u202f500,50\u00a0€' });
    expect(parseAmount('1,5 M€')).toMatchObject({ echo: '1\u202f500\u202f000\u00a0€' });
  });

  const refusals: [string, RegExp][] = [
    [
      '-500 €',
      /^Un montant ne peut pas être négatif\. Indiquez un montant en euros, par exemple « 12 000 € »/,
    ],
    ['moins 500 euros', /^Un montant ne peut pas être négatif\./],
    ['beaucoup', /^Je n’ai pas reconnu de montant dans « beaucoup »\. Indiquez un montant en euros/],
    ['on ne sait pas encore', /^Je n’ai pas reconnu de montant/],
    ['', /^Je n’ai pas reconnu de montant/],
    ['20 %', /^Un pourcentage n’est pas un montant\./],
    [
      '10 000 € + 5 000 €',
      /^J’ai trouvé plusieurs montants \(10\u202f000\u00a0€, 5\u202f000\u00a0€\) : indiquez-en un seul, par exemple le total\./,
    ],
    ['entre 10 et 20', /^J’ai trouvé plusieurs montants/],
  ];
  it.each(refusals)('refuses %j', (text, message) => {
    const parsed = parseAmount(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(message);
  });
});

describe('parseEtp', () => {
  const cases: [string, number, string][] = [
    ['0,3 ETP', 0.3, '0,3\u00a0ETP'],
    ['0.3 etp', 0.3, '0,3\u00a0ETP'],
    ['2 ETP', 2, '2\u00a0ETP'],
    ['1,5 équivalent temps plein', 1.5, '1,5\u00a0ETP'],
    ['0,5', 0.5, '0,5\u00a0ETP (mi-temps)'],
    ['un mi-temps', 0.5, '0,5\u00a0ETP (mi-temps)'],
    ['mi temps', 0.5, '0,5\u00a0ETP (mi-temps)'],
    ['Mi-Temps', 0.5, '0,5\u00a0ETP (mi-temps)'],
    ['un demi-poste', 0.5, '0,5\u00a0ETP (mi-temps)'],
    ['un demi ETP', 0.5, '0,5\u00a0ETP (mi-temps)'],
    ['2 mi-temps', 1, '1\u00a0ETP (2 mi-temps)'],
    ['un quart temps', 0.25, '0,25\u00a0ETP (quart temps)'],
    ['quart-temps', 0.25, '0,25\u00a0ETP (quart temps)'],
    ['un quart de temps', 0.25, '0,25\u00a0ETP (quart temps)'],
    ['trois quarts temps', 0.75, '0,75\u00a0ETP (trois quarts temps)'],
    ['3/4 temps', 0.75, '0,75\u00a0ETP (3/4 de temps plein)'],
    ['un temps plein', 1, '1\u00a0ETP (temps plein)'],
    ['temps complet', 1, '1\u00a0ETP (temps plein)'],
    ['2 temps pleins', 2, '2\u00a0ETP (2 temps pleins)'],
    ['20 %', 0.2, '0,2\u00a0ETP (20 % d’un temps plein)'],
    ['80%', 0.8, '0,8\u00a0ETP (80 % d’un temps plein)'],
    ['50 % d’un ETP', 0.5, '0,5\u00a0ETP (50 % d’un temps plein)'],
    ['1 jour par semaine', 0.2, '0,2\u00a0ETP (1 jour par semaine, sur une base de 5 jours)'],
    ['un jour par semaine', 0.2, '0,2\u00a0ETP (1 jour par semaine, sur une base de 5 jours)'],
    ['2 jours/semaine', 0.4, '0,4\u00a0ETP (2 jours par semaine, sur une base de 5 jours)'],
    ['2j/sem', 0.4, '0,4\u00a0ETP (2 jours par semaine, sur une base de 5 jours)'],
    ['2,5 jours par semaine', 0.5, '0,5\u00a0ETP (2,5 jours par semaine, sur une base de 5 jours)'],
    ['deux jours et demi par semaine', 0.5, '0,5\u00a0ETP (2,5 jours par semaine, sur une base de 5 jours)'],
    [
      'une demi-journée par semaine',
      0.1,
      '0,1\u00a0ETP (1 demi-journée par semaine, sur une base de 5 jours)',
    ],
    ['7 heures par semaine', 0.2, '0,2\u00a0ETP (7 h par semaine, sur une base de 35 h)'],
    ['7h/semaine', 0.2, '0,2\u00a0ETP (7 h par semaine, sur une base de 35 h)'],
    ['7 h hebdo', 0.2, '0,2\u00a0ETP (7 h par semaine, sur une base de 35 h)'],
    ['17h30 par semaine', 0.5, '0,5\u00a0ETP (17,5 h par semaine, sur une base de 35 h)'],
    ['35 heures par semaine', 1, '1\u00a0ETP (35 h par semaine, sur une base de 35 h)'],
    ['2 jours par mois', 0.09, '0,09\u00a0ETP (2 jours par mois, sur une base de 5 jours par semaine)'],
    ['1607 heures par an', 1, '1\u00a0ETP (1\u202f607 h par an, sur une base de 1 607 h)'],
    ['environ 0,5 ETP sur le projet', 0.5, '0,5\u00a0ETP (mi-temps)'],
  ];
  it.each(cases)('%s → %d', (text, value, echo) => {
    expect(parseEtp(text)).toMatchObject({ ok: true, value, echo });
  });

  it('rounds to the hundredth and says so', () => {
    expect(parseEtp('un tiers temps')).toEqual({
      ok: true,
      value: 0.33,
      echo: '0,33\u00a0ETP (tiers temps)',
      warnings: ['Arrondi à 0,33\u00a0ETP.'],
    });
  });

  const refusals: [string, RegExp][] = [
    [
      '60 ETP',
      /^60\u00a0ETP, c’est plus que les 50 ETP qu’une action peut mobiliser : vérifiez le chiffre\. Indiquez un temps de travail comme « 0,5 ETP »/,
    ],
    ['200', /^200\u00a0ETP, c’est plus que les 50 ETP/],
    ['-0,5 ETP', /^Un temps de travail ne peut pas être négatif\./],
    [
      'personne',
      /^Je n’ai pas reconnu de temps de travail dans « personne »\. Indiquez un temps de travail comme « 0,5 ETP », « un mi-temps » ou « 1 jour par semaine »\./,
    ],
    [
      '0,5 ETP et 0,3 ETP',
      /^J’ai trouvé plusieurs temps de travail dans « 0,5 ETP et 0,3 ETP » : indiquez-en un seul, ou le total\./,
    ],
  ];
  it.each(refusals)('refuses %j', (text, message) => {
    const parsed = parseEtp(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(message);
  });
});

describe('parseCount', () => {
  const cases: [string, { value: number; approximate: boolean; min?: number; max?: number }, string][] = [
    ['40', { value: 40, approximate: false }, '40'],
    ['40 élèves', { value: 40, approximate: false }, '40'],
    ['1 200', { value: 1200, approximate: false }, '1\u202f200'],
    ['1200 habitants', { value: 1200, approximate: false }, '1\u202f200'],
    ['trois cents', { value: 300, approximate: false }, '300'],
    ['vingt et un', { value: 21, approximate: false }, '21'],
    ['quatre-vingt-douze familles', { value: 92, approximate: false }, '92'],
    ['deux mille cinq cents', { value: 2500, approximate: false }, '2\u202f500'],
    ['environ 40', { value: 40, approximate: true }, 'environ 40'],
    ['40 environ', { value: 40, approximate: true }, 'environ 40'],
    ['à peu près 40', { value: 40, approximate: true }, 'environ 40'],
    ['~40', { value: 40, approximate: true }, 'environ 40'],
    ['une quarantaine', { value: 40, approximate: true }, 'environ 40'],
    ['une soixantaine', { value: 60, approximate: true }, 'environ 60'],
    ['une centaine', { value: 100, approximate: true }, 'environ 100'],
    ['une cinquantaine de familles', { value: 50, approximate: true }, 'environ 50'],
    ['deux centaines', { value: 200, approximate: true }, 'environ 200'],
    ['un millier', { value: 1000, approximate: true }, 'environ 1\u202f000'],
    ['plus de 100', { value: 100, approximate: true, min: 100 }, 'plus de 100'],
    ['au moins 100', { value: 100, approximate: true, min: 100 }, 'plus de 100'],
    ['100+', { value: 100, approximate: true, min: 100 }, 'plus de 100'],
    ['moins de 50', { value: 50, approximate: true, max: 50 }, 'moins de 50'],
    ['entre 30 et 50', { value: 40, approximate: true, min: 30, max: 50 }, 'entre 30 et 50'],
    ['30 à 50', { value: 40, approximate: true, min: 30, max: 50 }, 'entre 30 et 50'],
    ['30-50', { value: 40, approximate: true, min: 30, max: 50 }, 'entre 30 et 50'],
    ['de 30 à 45 personnes', { value: 38, approximate: true, min: 30, max: 45 }, 'entre 30 et 45'],
  ];
  it.each(cases)('%s', (text, value, echo) => {
    expect(parseCount(text)).toMatchObject({ ok: true, value, echo });
  });

  it('keeps the first number of a longer answer and says so', () => {
    expect(parseCount('120 jeunes de 15 à 25 ans')).toEqual({
      ok: true,
      value: { value: 120, approximate: false },
      echo: '120',
      warnings: ['J’ai retenu le premier nombre donné (120).'],
    });
  });

  const refusals: [string, RegExp][] = [
    [
      'beaucoup',
      /^Je n’ai pas reconnu de nombre dans « beaucoup »\. Indiquez un nombre comme « 40 », « environ 40 »/,
    ],
    [
      'quelques dizaines',
      /^Il me faut un nombre entier, même approximatif : « quelques dizaines » ne suffit pas\./,
    ],
    ['40,5', /^Il me faut un nombre entier/],
    ['-3', /^Un nombre ne peut pas être négatif\./],
    ['20 %', /^Un pourcentage n’est pas un nombre de personnes ou de séances\./],
  ];
  it.each(refusals)('refuses %j', (text, message) => {
    const parsed = parseCount(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(message);
  });
});

describe('long answers', () => {
  // A 10,000-character answer must not make a regular expression backtrack for seconds.
  it.each([
    ['parseEtp', parseEtp],
    ['parseCount', parseCount],
    ['parseAmount', parseAmount],
  ] as const)('%s reads a long run of digits in linear time', (_name, parse) => {
    const started = performance.now();
    parse('0'.repeat(10_000));
    parse(`${'1 '.repeat(5_000)}`);
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});
