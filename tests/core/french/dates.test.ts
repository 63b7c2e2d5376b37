import { describe, expect, it } from 'vitest';
import {
  parseDate,
  parsePeriod,
  parseQuarter,
  quarterById,
  quarterOf,
  quartersBetween,
} from '../../../bot/core/french/index.ts';

// A Sunday: « lundi prochain » is the next day, « la semaine prochaine » starts then too.
const today = '2026-11-29';

describe('parseDate', () => {
  const cases: [string, 'start' | 'end', string][] = [
    ['15/03/2027', 'start', '2027-03-15'],
    ['15-03-27', 'start', '2027-03-15'],
    ['15.03.2027', 'start', '2027-03-15'],
    ['15 / 03 / 2027', 'start', '2027-03-15'],
    ['1/3/27', 'start', '2027-03-01'],
    ['2027-03-15', 'start', '2027-03-15'],
    ['1er mars 2027', 'start', '2027-03-01'],
    ['premier mars 2027', 'start', '2027-03-01'],
    ['le 1er Mars 2027', 'end', '2027-03-01'],
    ['LE 15 MARS 2027', 'start', '2027-03-15'],
    ['15 fevrier 2027', 'start', '2027-02-15'],
    ['15 aout 2027', 'start', '2027-08-15'],
    ['15 sept. 2027', 'start', '2027-09-15'],
    ['15 sept 2027', 'start', '2027-09-15'],
    ['1er dec 2027', 'start', '2027-12-01'],
    ['15 septembr 2027', 'start', '2027-09-15'],
    ['3 fevier 2027', 'start', '2027-02-03'],
    ['15 mars 28', 'start', '2028-03-15'],
    ['quinze mars 2027', 'start', '2027-03-15'],
    ['mardi 2 mars 2027', 'start', '2027-03-02'],
    ['15 mars', 'start', '2027-03-15'],
    ['29 novembre', 'start', '2026-11-29'],
    ['28 novembre', 'start', '2027-11-28'],
    ['à partir du 1er mars', 'start', '2027-03-01'],
    ['le lancement est prévu le 3 avril 2027 à la mairie', 'start', '2027-04-03'],
    ['le 15/03/2027 à 14h', 'start', '2027-03-15'],
    ['mars 2027', 'start', '2027-03-01'],
    ['mars 2027', 'end', '2027-03-31'],
    ['en février 2028', 'end', '2028-02-29'],
    ['mars', 'start', '2027-03-01'],
    ['début juin 2027', 'start', '2027-06-01'],
    ['debut juin 2027', 'end', '2027-06-01'],
    ['mi-juin 2027', 'start', '2027-06-15'],
    ['mi juin 2027', 'end', '2027-06-15'],
    ['fin juin 2027', 'start', '2027-06-30'],
    ['fin juin', 'end', '2027-06-30'],
    ['fin 2027', 'start', '2027-12-31'],
    ['début 2027', 'end', '2027-01-01'],
    ['mi-2027', 'start', '2027-07-01'],
    ["fin d'année", 'end', '2026-12-31'],
    ["fin de l'année prochaine", 'end', '2027-12-31'],
    ['2027', 'start', '2027-01-01'],
    ['en 2027', 'end', '2027-12-31'],
    ['T2 2027', 'start', '2027-04-01'],
    ['T2 2027', 'end', '2027-06-30'],
    ['rentrée 2027', 'start', '2027-09-01'],
    ['rentrée de septembre 2027', 'start', '2027-09-01'],
    ['courant avril', 'end', '2027-04-30'],
    ['fin du mois', 'start', '2026-11-30'],
    ['début du mois prochain', 'start', '2026-12-01'],
    ['03/2027', 'start', '2027-03-01'],
    ['12/2027', 'end', '2027-12-31'],
    ['au plus tard le 30 juin 2027', 'start', '2027-06-30'],
    ['le 31/12', 'start', '2026-12-31'],
    ['à la rentrée', 'start', '2027-09-01'],
    ['demain', 'start', '2026-11-30'],
    ['après-demain', 'start', '2026-12-01'],
    ['apres demain', 'start', '2026-12-01'],
    ["aujourd'hui", 'start', '2026-11-29'],
    ['dans trois semaines', 'start', '2026-12-20'],
    ['dans 3 semaines', 'start', '2026-12-20'],
    ['dans 15 jours', 'start', '2026-12-14'],
    ["d'ici 2 semaines", 'start', '2026-12-13'],
    ['dans six mois', 'start', '2027-05-29'],
    ['dans un an', 'start', '2027-11-29'],
    ['la semaine prochaine', 'start', '2026-11-30'],
    ['la semaine prochaine', 'end', '2026-12-06'],
    ['semaine prochaine', 'start', '2026-11-30'],
    ['le mois prochain', 'start', '2026-12-01'],
    ['le mois prochain', 'end', '2026-12-31'],
    ['lundi prochain', 'start', '2026-11-30'],
    ['vendredi', 'start', '2026-12-04'],
  ];
  it.each(cases)('%s (%s) → %s', (text, bias, expected) => {
    const parsed = parseDate(text, { today, bias });
    expect(parsed).toMatchObject({ ok: true, value: expected });
  });

  it('counts weekdays and weeks from the given today, not the clock', () => {
    // A Wednesday.
    const wednesday = '2027-01-13';
    expect(parseDate('lundi prochain', { today: wednesday })).toMatchObject({ value: '2027-01-18' });
    expect(parseDate('la semaine prochaine', { today: wednesday })).toMatchObject({ value: '2027-01-18' });
    expect(parseDate('demain', { today: wednesday })).toMatchObject({ value: '2027-01-14' });
    expect(parseDate('15 mars', { today: '2027-04-01' })).toMatchObject({ value: '2028-03-15' });
  });

  it('echoes what it understood, with the vague part named', () => {
    const echo = (text: string, bias: 'start' | 'end' = 'start') => {
      const parsed = parseDate(text, { today, bias });
      return parsed.ok ? parsed.echo : parsed.message;
    };
    expect(echo('1er mars 2027')).toBe('1er mars 2027');
    expect(echo('mars 2027')).toBe('1er mars 2027 (premier jour de mars 2027)');
    expect(echo('avril 2027', 'end')).toBe('30 avril 2027 (dernier jour d’avril 2027)');
    expect(echo('fin juin 2027')).toBe('30 juin 2027 (fin juin 2027)');
    expect(echo('mi-juin 2027')).toBe('15 juin 2027 (mi-juin 2027)');
    expect(echo('T2 2027')).toBe('1er avril 2027 (premier jour du 2e trimestre 2027)');
    expect(echo('2027', 'end')).toBe('31 décembre 2027 (dernier jour de l’année 2027)');
    expect(echo('été 2027')).toBe('1er juin 2027 (premier jour de l’été 2027)');
    expect(echo('demain')).toBe('lundi 30 novembre 2026');
    expect(echo('la semaine prochaine')).toBe(
      'lundi 30 novembre 2026 (premier jour de la semaine du 30 novembre 2026)',
    );
  });

  it('keeps the chosen end of a period given for a date, and says so', () => {
    const parsed = parseDate('du 1er mars au 30 juin 2027', { today, bias: 'end' });
    expect(parsed).toMatchObject({ ok: true, value: '2027-06-30' });
    expect(parsed.ok && parsed.warnings).toEqual([
      'Vous avez donné une période (du 1er mars au 30 juin 2027) : j’ai retenu sa date de fin.',
    ]);
  });

  const impossible: [string, string][] = [
    ['31/02/2027', 'Le 31 février 2027 n’existe pas (février 2027 n’a que 28 jours).'],
    ['29/02/2027', 'Le 29 février 2027 n’existe pas (février 2027 n’a que 28 jours).'],
    ['30 février', 'Le 30 février n’existe pas (février n’a que 29 jours).'],
    ['le 31 avril 2027', 'Le 31 avril 2027 n’existe pas (avril 2027 n’a que 30 jours).'],
    ['32/01/2027', 'Le 32 janvier 2027 n’existe pas (janvier 2027 n’a que 31 jours).'],
    ['15/13/2027', 'Le 15/13/2027 n’existe pas (il n’y a pas de mois 13).'],
    ['2027-02-30', 'Le 30 février 2027 n’existe pas (février 2027 n’a que 28 jours).'],
    ['31/06', 'Le 31 juin n’existe pas (juin n’a que 30 jours).'],
  ];
  it.each(impossible)('refuses the impossible date %s, naming it', (text, start) => {
    const parsed = parseDate(text, { today });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toBe(
      `${start} Indiquez une date comme « 15 mars 2027 » ou « 15/03/2027 ».`,
    );
  });

  it('accepts 29 February in a leap year', () => {
    expect(parseDate('29/02/2028', { today })).toMatchObject({ ok: true, value: '2028-02-29' });
  });

  const nonsense = ['blabla', 'je ne sais pas encore', '', 'bientôt', 'asap', 'à 10h', 'le 3', '42'];
  it.each(nonsense)('refuses %j with an example', (text) => {
    const parsed = parseDate(text, { today });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(
      /^Je n’ai pas reconnu de date dans « .* »\. Indiquez une date comme « 15 mars 2027 »/,
    );
  });

  it('refuses two unrelated dates', () => {
    const parsed = parseDate('le 3 mars 2027 ou le 4 avril 2027', { today });
    expect(!parsed.ok && parsed.message).toMatch(
      /^J’ai trouvé plusieurs dates dans « le 3 mars 2027 ou le 4 avril 2027 » : indiquez-en une seule\./,
    );
  });

  it('rejects a today that is not an ISO date (a programming error)', () => {
    expect(() => parseDate('demain', { today: '29/11/2026' })).toThrow(/today/);
  });
});

describe('parsePeriod', () => {
  const cases: [string, string, string][] = [
    ['du 1er mars au 30 novembre 2027', '2027-03-01', '2027-11-30'],
    ['Du 1er mars au 30 novembre 2027', '2027-03-01', '2027-11-30'],
    ['du 1 mars au 30 nov 2027', '2027-03-01', '2027-11-30'],
    ['du 01/03/2027 au 30/11/2027', '2027-03-01', '2027-11-30'],
    ['01/03/2027 - 30/11/2027', '2027-03-01', '2027-11-30'],
    ['01/03/2027-30/11/2027', '2027-03-01', '2027-11-30'],
    ['du 15/03/2027 au 30/06', '2027-03-15', '2027-06-30'],
    ['du 15 au 30 mars 2027', '2027-03-15', '2027-03-30'],
    ['15-30 mars 2027', '2027-03-15', '2027-03-30'],
    ['du 1er décembre au 30 mars 2028', '2027-12-01', '2028-03-30'],
    ['du 30 novembre au 1er mars 2027', '2026-11-30', '2027-03-01'],
    ['entre le 1er mars et le 30 juin 2027', '2027-03-01', '2027-06-30'],
    ['de septembre 2027 à juin 2028', '2027-09-01', '2028-06-30'],
    ['de septembre 2027 a juin 2028', '2027-09-01', '2028-06-30'],
    ['septembre 2027 - juin 2028', '2027-09-01', '2028-06-30'],
    ['de sept 2027 à juin 2028', '2027-09-01', '2028-06-30'],
    ['de mars à juin 2027', '2027-03-01', '2027-06-30'],
    ['mars-juin 2027', '2027-03-01', '2027-06-30'],
    ['entre avril et juillet 2027', '2027-04-01', '2027-07-31'],
    ['de novembre 2027 à février', '2027-11-01', '2028-02-29'],
    ['de novembre à février 2028', '2027-11-01', '2028-02-29'],
    ['de mars 2027 jusqu’à fin juin 2028', '2027-03-01', '2028-06-30'],
    ['de début mars à fin juin 2027', '2027-03-01', '2027-06-30'],
    ['de mi-mars à mi-juin 2027', '2027-03-15', '2027-06-15'],
    ['du 15 mars à fin juin 2027', '2027-03-15', '2027-06-30'],
    ['de la rentrée 2027 à juin 2028', '2027-09-01', '2028-06-30'],
    ['T2 2027', '2027-04-01', '2027-06-30'],
    ['t2 2027', '2027-04-01', '2027-06-30'],
    ['Q3 2027', '2027-07-01', '2027-09-30'],
    ['2e trimestre 2027', '2027-04-01', '2027-06-30'],
    ['2ème trimestre 2027', '2027-04-01', '2027-06-30'],
    ['deuxième trimestre 2027', '2027-04-01', '2027-06-30'],
    ['le dernier trimestre 2027', '2027-10-01', '2027-12-31'],
    ['au premier trimestre 2028', '2028-01-01', '2028-03-31'],
    ['S1 2027', '2027-01-01', '2027-06-30'],
    ['S2 2027', '2027-07-01', '2027-12-31'],
    ['premier semestre 2027', '2027-01-01', '2027-06-30'],
    ['second semestre 2027', '2027-07-01', '2027-12-31'],
    ['l’année scolaire 2027-2028', '2027-09-01', '2028-06-30'],
    ["l'annee scolaire 2027/2028", '2027-09-01', '2028-06-30'],
    ['année scolaire 2027-28', '2027-09-01', '2028-06-30'],
    ['mars 2027', '2027-03-01', '2027-03-31'],
    ['en mars 2027', '2027-03-01', '2027-03-31'],
    ['courant mars 2027', '2027-03-01', '2027-03-31'],
    ['2027', '2027-01-01', '2027-12-31'],
    ['toute l’année 2027', '2027-01-01', '2027-12-31'],
    ['2027-2028', '2027-01-01', '2028-12-31'],
    ['2027 → 2028', '2027-01-01', '2028-12-31'],
    ['de 2027 à 2029', '2027-01-01', '2029-12-31'],
    ['03/2027 - 11/2027', '2027-03-01', '2027-11-30'],
    ['T3-T4 2027', '2027-07-01', '2027-12-31'],
    ['du T2 au T4 2027', '2027-04-01', '2027-12-31'],
    ['de mars 2027 pour une durée de 2 ans', '2027-03-01', '2029-02-28'],
    ['du lundi 1er mars au vendredi 30 avril 2027', '2027-03-01', '2027-04-30'],
    ['l’année prochaine', '2027-01-01', '2027-12-31'],
    ['été 2027', '2027-06-01', '2027-08-31'],
    ['à l’automne 2027', '2027-09-01', '2027-11-30'],
    ['pendant 6 mois à partir de mars 2027', '2027-03-01', '2027-08-31'],
    ['sur six mois à compter du 15 mars 2027', '2027-03-15', '2027-09-14'],
    ['à partir du 1er septembre 2027 pendant un an', '2027-09-01', '2028-08-31'],
    ['à partir du 15 mars 2027 pendant un an et demi', '2027-03-15', '2028-09-14'],
    ['3 semaines à partir du 1er mars 2027', '2027-03-01', '2027-03-21'],
    ['le 15 mars 2027', '2027-03-15', '2027-03-15'],
  ];
  it.each(cases)('%s → %s / %s', (text, start, end) => {
    expect(parsePeriod(text, { today })).toMatchObject({ ok: true, value: { start, end } });
  });

  const echoes: [string, string][] = [
    ['du 1er mars au 30 novembre 2027', 'du 1er mars au 30 novembre 2027'],
    ['01/03/2027 - 30/11/2027', 'du 1er mars au 30 novembre 2027'],
    ['de mars à juin 2027', 'de mars à juin 2027'],
    ['de septembre 2027 à juin 2028', 'de septembre 2027 à juin 2028'],
    ['entre avril et juillet 2027', 'd’avril à juillet 2027'],
    ['T2 2027', 'd’avril à juin 2027 (2e trimestre 2027)'],
    ['S1 2027', 'de janvier à juin 2027 (1er semestre 2027)'],
    [
      'l’année scolaire 2027-2028',
      'de septembre 2027 à juin 2028 (année scolaire 2027-2028, comptée du 1er septembre au 30 juin)',
    ],
    ['mars 2027', 'mars 2027'],
    ['2027', 'l’année 2027'],
    ['pendant 6 mois à partir de mars 2027', 'de mars à août 2027 (6 mois)'],
    ['du 1er décembre au 30 mars 2028', 'du 1er décembre 2027 au 30 mars 2028'],
    ['du 15 au 30 mars 2027', 'du 15 au 30 mars 2027'],
    ['de mi-mars à fin juin 2027', 'du 15 mars au 30 juin 2027 (mi-mars 2027 ; fin juin 2027)'],
    ['le 15 mars 2027', 'le 15 mars 2027'],
  ];
  it.each(echoes)('echoes %s as « %s »', (text, echo) => {
    expect(parsePeriod(text, { today })).toMatchObject({ ok: true, echo });
  });

  const refusals: [string, RegExp][] = [
    [
      'de juin 2028 à mars 2027',
      /^La fin \(31 mars 2027\) est avant le début \(1er juin 2028\)\. Indiquez le début puis la fin/,
    ],
    ['du 30/11/2027 au 01/03/2027', /^La fin \(1er mars 2027\) est avant le début \(30 novembre 2027\)/],
    ['du 01/03/2027 au 31/02/2028', /^Le 31 février 2028 n’existe pas \(février 2028 n’a que 29 jours\)\./],
    ['à partir de mars 2027', /^Il manque la fin de la période : j’ai compris un début \(1er mars 2027\)\./],
    ['dès septembre 2027', /^Il manque la fin de la période/],
    ['de janvier 2027 à', /^Il manque la fin de la période : j’ai compris un début \(1er janvier 2027\)\./],
    ["jusqu'à fin 2027", /^Il manque le début de la période : j’ai compris une fin \(31 décembre 2027\)\./],
    ['fin 2027', /^« fin 2027 » est une date plutôt qu’une période : indiquez le début et la fin\./],
    ['le 3 mars, le 4 avril et le 5 mai 2027', /^J’ai trouvé plus de deux dates/],
    [
      'le 3 mars 2027 ou le 4 avril 2027',
      /^J’ai trouvé deux dates sans comprendre laquelle commence la période/,
    ],
    [
      'quand on aura le budget',
      /^Je n’ai pas reconnu de période dans « quand on aura le budget »\. Indiquez une période comme/,
    ],
    ['T5 2027', /^Le T5 n’existe pas \(une année a 4 trimestres\)\. Indiquez une période comme/],
    ['S3 2027', /^Le S3 n’existe pas \(une année a 2 semestres\)\./],
    [
      'année scolaire 2027-2029',
      /^L’année scolaire 2027-2029 n’existe pas \(elle court sur deux années qui se suivent, comme 2027-2028\)\./,
    ],
  ];
  it.each(refusals)('refuses %s with a precise message', (text, message) => {
    const parsed = parsePeriod(text, { today });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(message);
  });
});

describe('quarters', () => {
  it('gives the quarter of a day with its bounds', () => {
    expect(quarterOf('2027-08-15')).toEqual({
      id: '2027-T3',
      year: 2027,
      quarter: 3,
      start: '2027-07-01',
      end: '2027-09-30',
    });
    expect(quarterOf('2028-02-29')).toMatchObject({ id: '2028-T1', end: '2028-03-31' });
    expect(quarterById('2027-T4')).toMatchObject({ start: '2027-10-01', end: '2027-12-31' });
    expect(quarterById('2027-T5')).toBeUndefined();
  });

  it('lists the quarters a period touches', () => {
    expect(quartersBetween('2027-03-01', '2027-11-30').map((quarter) => quarter.id)).toEqual([
      '2027-T1',
      '2027-T2',
      '2027-T3',
      '2027-T4',
    ]);
    expect(quartersBetween('2027-09-01', '2028-06-30').map((quarter) => quarter.id)).toEqual([
      '2027-T3',
      '2027-T4',
      '2028-T1',
      '2028-T2',
    ]);
    expect(quartersBetween('2027-05-10', '2027-05-20').map((quarter) => quarter.id)).toEqual(['2027-T2']);
  });

  const typed: [string, string][] = [
    ['T3 2027', '2027-T3'],
    ['3e trimestre 2027', '2027-T3'],
    ['troisième trimestre 2027', '2027-T3'],
    ['le 1er trimestre 2028', '2028-T1'],
    ['2e trimestre', '2027-T2'],
  ];
  it.each(typed)('parses the quarter %s', (text, id) => {
    expect(parseQuarter(text, { today })).toMatchObject({ ok: true, value: { id } });
  });

  it('echoes a quarter with its months, and refuses what is not one', () => {
    expect(parseQuarter('T3 2027', { today })).toMatchObject({
      echo: '3e trimestre 2027 (de juillet à septembre 2027)',
    });
    const month = parseQuarter('mars 2027', { today });
    expect(!month.ok && month.message).toBe(
      '« mars 2027 » n’est pas un trimestre entier (mars 2027). Indiquez un trimestre comme « T3 2027 » ou « 3e trimestre 2027 ».',
    );
  });
});
