import { describe, expect, it } from 'vitest';
import { parseFunding, parseMilestones, parseStaffing } from '../../../bot/core/french/index.ts';

const today = '2026-11-29';
const euros = (value: string) => value.replace(/ (?=\d{3}\b)/g, '\u202f').replace(/ €/g, '\u00a0€');

describe('parseFunding', () => {
  const cases: [string, { funder: string; amount: number }[]][] = [
    [
      'ARS 10 000 €, commune 5 000 €, CAF 2k€',
      [
        { funder: 'ARS', amount: 10000 },
        { funder: 'commune', amount: 5000 },
        { funder: 'CAF', amount: 2000 },
      ],
    ],
    [
      '10 000 € de l’ARS et 5 000 € de la ville',
      [
        { funder: 'ARS', amount: 10000 },
        { funder: 'ville', amount: 5000 },
      ],
    ],
    [
      'ARS : 10 000 €\nCommune : 5 000 €\nCAF : 2 000 €',
      [
        { funder: 'ARS', amount: 10000 },
        { funder: 'Commune', amount: 5000 },
        { funder: 'CAF', amount: 2000 },
      ],
    ],
    [
      '- ARS : 12k€\n- Fondation de France : 3 000 euros',
      [
        { funder: 'ARS', amount: 12000 },
        { funder: 'Fondation de France', amount: 3000 },
      ],
    ],
    [
      'ARS 2 500,50 €, ville 1 000 €',
      [
        { funder: 'ARS', amount: 2500.5 },
        { funder: 'ville', amount: 1000 },
      ],
    ],
    ['Conseil départemental et CAF : 10 000 €', [{ funder: 'Conseil départemental et CAF', amount: 10000 }]],
    ['la commune apporte 5 000 €', [{ funder: 'commune', amount: 5000 }]],
    ['5 000 € financés par la Fondation de France', [{ funder: 'Fondation de France', amount: 5000 }]],
    [
      'FIR (ARS) : 15 000 € ; mairie annexe : 3 000 €',
      [
        { funder: 'FIR (ARS)', amount: 15000 },
        { funder: 'mairie annexe', amount: 3000 },
      ],
    ],
  ];
  it.each(cases)('%j', (text, value) => {
    expect(parseFunding(text)).toMatchObject({ ok: true, value });
  });

  it('echoes each line and the total', () => {
    expect(parseFunding('ARS 10 000 €, commune 5 000 €, CAF 2k€')).toEqual({
      ok: true,
      value: [
        { funder: 'ARS', amount: 10000 },
        { funder: 'commune', amount: 5000 },
        { funder: 'CAF', amount: 2000 },
      ],
      echo: euros('ARS : 10 000 € ; commune : 5 000 € ; CAF : 2 000 € — total : 17 000 €'),
    });
  });

  it('checks a stated total against the sum without listing it as a funder', () => {
    expect(parseFunding('ARS 10 000 €, commune 5 000 €, total 16 000 €')).toMatchObject({
      ok: true,
      value: [
        { funder: 'ARS', amount: 10000 },
        { funder: 'commune', amount: 5000 },
      ],
      warnings: [euros('Le total annoncé (16 000 €) ne correspond pas à la somme des montants (15 000 €).')],
    });
  });

  const refusals: [string, string][] = [
    ['ARS 10 000 €, commune', 'Je n’ai pas trouvé de montant pour « commune ».'],
    ['10 000 €', euros('Pour 10 000 €, indiquez le financeur.')],
    ['ARS et commune', 'Je n’ai trouvé aucun montant.'],
  ];
  it.each(refusals)('refuses %j', (text, start) => {
    const parsed = parseFunding(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message.startsWith(start)).toBe(true);
    expect(!parsed.ok && parsed.message).toMatch(/par exemple « ARS 10 000 €, commune 5 000 € »\.$/);
  });

  it('refuses a negative amount, naming the line', () => {
    const parsed = parseFunding('ARS -5 000 €');
    expect(!parsed.ok && parsed.message).toMatch(
      /^Pour « ARS -5 000 € » : Un montant ne peut pas être négatif\./,
    );
  });
});

describe('parseStaffing', () => {
  const cases: [string, { structure: string; etp: number }[]][] = [
    [
      '0,5 ETP CCAS, un mi-temps pour l’association Horizon',
      [
        { structure: 'CCAS', etp: 0.5 },
        { structure: 'association Horizon', etp: 0.5 },
      ],
    ],
    [
      'CCAS : 0,3 ETP ; mairie : 0,2',
      [
        { structure: 'CCAS', etp: 0.3 },
        { structure: 'mairie', etp: 0.2 },
      ],
    ],
    [
      'CCAS 0,5 ETP et centre social 1 jour par semaine',
      [
        { structure: 'CCAS', etp: 0.5 },
        { structure: 'centre social', etp: 0.2 },
      ],
    ],
    [
      '- Mairie : 1 ETP\n- Association Horizon : 7h/semaine',
      [
        { structure: 'Mairie', etp: 1 },
        { structure: 'Association Horizon', etp: 0.2 },
      ],
    ],
  ];
  it.each(cases)('%j', (text, value) => {
    expect(parseStaffing(text)).toMatchObject({ ok: true, value });
  });

  it('echoes each structure with its reading and the total', () => {
    expect(parseStaffing('CCAS : 0,3 ETP ; mairie : un mi-temps')).toMatchObject({
      echo: 'CCAS : 0,3\u00a0ETP ; mairie : 0,5\u00a0ETP (mi-temps) — total : 0,8\u00a0ETP',
    });
  });

  const refusals: [string, RegExp][] = [
    ['0,5 ETP', /^Pour 0,5\u00a0ETP \(mi-temps\), indiquez la structure\./],
    ['CCAS : 80 ETP', /^Pour « CCAS : 80 ETP » : 80\u00a0ETP, c’est plus que les 50 ETP/],
    ['CCAS, mairie', /^Je n’ai trouvé aucun temps de travail\./],
    ['CCAS 0,5 ETP, mairie', /^Je n’ai pas trouvé de temps de travail pour « mairie »\./],
  ];
  it.each(refusals)('refuses %j', (text, message) => {
    const parsed = parseStaffing(text);
    expect(!parsed.ok && parsed.message).toMatch(message);
  });
});

describe('parseMilestones', () => {
  const cases: [string, { label: string; date: string }[]][] = [
    [
      'lancement en mars 2027 ; comité de pilotage le 15/06/2027 ; bilan fin 2027',
      [
        { label: 'lancement', date: '2027-03-01' },
        { label: 'comité de pilotage', date: '2027-06-15' },
        { label: 'bilan', date: '2027-12-31' },
      ],
    ],
    [
      '- Lancement : 1er mars 2027\n- COPIL : 15 juin 2027\n- Bilan : décembre 2027',
      [
        { label: 'Lancement', date: '2027-03-01' },
        { label: 'COPIL', date: '2027-06-15' },
        { label: 'Bilan', date: '2027-12-01' },
      ],
    ],
    [
      'lancement en mars 2027, bilan en décembre',
      [
        { label: 'lancement', date: '2027-03-01' },
        { label: 'bilan', date: '2027-12-01' },
      ],
    ],
    [
      'recrutement des animateurs avant fin janvier 2027 et premiers ateliers mi-février',
      [
        { label: 'recrutement des animateurs avant', date: '2027-01-31' },
        { label: 'premiers ateliers', date: '2027-02-15' },
      ],
    ],
    ['Forum santé le 2 avril 2027', [{ label: 'Forum santé', date: '2027-04-02' }]],
    [
      'lancement (1er septembre 2027)\ncomité de pilotage (15 janvier 2028)',
      [
        { label: 'lancement', date: '2027-09-01' },
        { label: 'comité de pilotage', date: '2028-01-15' },
      ],
    ],
  ];
  it.each(cases)('%j', (text, value) => {
    expect(parseMilestones(text, { today })).toMatchObject({ ok: true, value });
  });

  it('echoes each step with its date and what the vague ones meant', () => {
    expect(
      parseMilestones('lancement en mars 2027 ; comité de pilotage le 15/06/2027 ; bilan fin 2027', {
        today,
      }),
    ).toMatchObject({
      echo: 'lancement : 1er mars 2027 (mars 2027) ; comité de pilotage : 15 juin 2027 ; bilan : 31 décembre 2027 (fin 2027)',
    });
  });

  const refusals: [string, RegExp][] = [
    [
      'réunion le 31/02/2027',
      /^Le 31 février 2027 n’existe pas \(février 2027 n’a que 28 jours\)\. Indiquez chaque étape avec sa date/,
    ],
    ['lancement bientôt', /^Je n’ai trouvé aucune date\./],
    ['lancement en mars 2027 ; bilan', /^Je n’ai pas trouvé de date pour « bilan »\./],
    ['15/06/2027', /^Donnez un nom à l’étape du 15 juin 2027\./],
  ];
  it.each(refusals)('refuses %j', (text, message) => {
    const parsed = parseMilestones(text, { today });
    expect(!parsed.ok && parsed.message).toMatch(message);
  });
});
