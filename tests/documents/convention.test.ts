import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conventionDocx } from '../../bot/documents/convention-docx.ts';
import { CONVENTION } from '../../bot/documents/convention-text.ts';
import { conventionFiches, exampleFiche, exampleValues } from '../../bot/documents/example-fiche.ts';
import { readDocx, tablesOf } from '../../bot/documents/read-docx.ts';
import type { Fiche } from '../../bot/features/fiches/model.ts';
import { foldAccents } from '../../knowledge/text/normalize.ts';

const NOW = new Date('2027-01-15T09:00:00Z');
const values = exampleValues();
const PROGRAMME = values.programme as string;

async function draft(fiches: Fiche[], pending: Fiche[] = []) {
  const bytes = await conventionDocx({
    programme: PROGRAMME,
    collectiviteName: 'Démoville',
    fiches,
    pending,
    now: NOW,
  });
  const blocks = await readDocx(bytes);
  const paragraphs = blocks.flatMap((block) => (block.kind === 'paragraph' ? [block.text] : []));
  return { blocks, paragraphs, tables: tablesOf(blocks) };
}

const article2Tables = (tables: string[][][][]) =>
  tables.filter((rows) => rows[0]?.[0]?.[0]?.startsWith('Identification de l’action'));

/** The paragraphs' positions: each heading must come after the one before. */
function indexOfEach(paragraphs: string[], texts: string[]): number[] {
  return texts.map((text) => paragraphs.findIndex((paragraph) => paragraph.startsWith(text)));
}

const fiche = (number: number, overrides: Record<string, unknown>) =>
  exampleFiche({
    id: `fiche-${number}`,
    number,
    title: String(overrides.intitule ?? values.intitule),
    values: { ...values, ...overrides },
  });

describe('the draft convention de partenariat', () => {
  it('has one Article 2 table per action, twelve for twelve actions, each with the guide’s seven rows', async () => {
    const { tables, paragraphs } = await draft(conventionFiches(12));
    const article2 = article2Tables(tables);
    expect(article2).toHaveLength(12);
    article2.forEach((rows, index) => {
      expect(rows.map((row) => row[0]![0])).toEqual([
        `Identification de l’action ${index + 1} et promoteur référent`,
        'Contenu de l’action',
        'Calendrier prévisionnel',
        'Modes d’intervention',
        'Public cible',
        'Lieux précis de réalisation de l’action',
        'Moyens humains mobilisés par l’action (ETP)',
      ]);
      expect(rows[0]![1]![0]).toBe(
        `Intitulé de l’action\u00a0: Ateliers cuisine et santé pour les familles (${index + 1})`,
      );
    });
    expect(paragraphs.filter((text) => /^Action \d+ – /.test(text))).toHaveLength(12);
  });

  it('follows the guide’s model, in order: heading, parties, préambule, articles 1 to 5, signatures, then the indicators', async () => {
    const { paragraphs, blocks } = await draft(conventionFiches(2));
    const order = indexOfEach(paragraphs, [
      `Convention de partenariat relative à « ${PROGRAMME} »`,
      'Entre :',
      'L’Agence Régionale de Santé Île-de-France (ARS-IDF), représentée par le Délégué départemental',
      'Ci-après dénommées, ensemble les « Parties »',
      'Il est convenu ce qui suit :',
      'Préambule',
      'Article 1 – Objet de la convention',
      'Article 2 – Descriptif des actions du programme',
      'Article 3 – Conditions de détermination des contributions financières',
      'Article 4 – Pilotage et suivi de la coopérative d’acteurs',
      '4.1 Comité de pilotage',
      '4.2 Réunions opérationnelles',
      '4.3 Bilans trimestriels',
      '4.4 Bilan annuel',
      'Article 5 – Durée, modification et résiliation de la convention',
      'À [à compléter\u00a0: lieu], le [à compléter\u00a0: date]',
      'Signatures des parties',
      'Annexe – Tableau de bord',
    ]);
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // One « Et » per distinct structure: both promoteurs, then the partners, each once.
    const start = paragraphs.indexOf('Entre :');
    const parties = paragraphs
      .slice(
        start,
        paragraphs.findIndex((text) => text.startsWith('Ci-après')),
      )
      .filter((_, index, all) => all[index - 1] === 'Et');
    expect(parties).toEqual([
      'Centre social Les Tilleuls 1, [à compléter\u00a0: adresse, représenté par nom et qualité]',
      'Centre social Les Tilleuls 2, [à compléter\u00a0: adresse, représenté par nom et qualité]',
      'CCAS, [à compléter\u00a0: adresse, représenté par nom et qualité]',
      'PMI, [à compléter\u00a0: adresse, représenté par nom et qualité]',
    ]);
    expect(paragraphs).toContain(
      'Ce comité associera Centre social Les Tilleuls 1 et Centre social Les Tilleuls 2.',
    );
    expect(paragraphs).toContain(
      'Cette convention prendra effet à compter de sa signature et perdura un an renouvelable de manière expresse.',
    );
    // Signatures: the Délégué départemental, then each structure.
    const signatures = tablesOf(blocks).at(-2)!;
    expect(signatures.flat().map((cell) => cell[0])).toEqual([
      'Le Délégué départemental de [à compléter\u00a0: département]',
      'Centre social Les Tilleuls 1',
      'Centre social Les Tilleuls 2',
      'CCAS',
      'PMI',
      undefined,
    ]);
  });

  it('fills the préambule and article 1 from the fiches: objectif général, and objectives numbered without repeats', async () => {
    const { paragraphs } = await draft([
      fiche(3, { intitule: 'Ateliers cuisine' }),
      fiche(5, { intitule: 'Forum alimentation', objectif_operationnel: 'Organiser un forum annuel' }),
      fiche(8, {
        intitule: 'Jardins partagés',
        objectif_specifique: 'Développer les jardins partagés',
        objectif_operationnel: 'Ouvrir deux jardins',
      }),
      fiche(9, { intitule: 'Cuisine des jardins', objectif_specifique: 'développer les jardins partagés' }),
    ]);
    expect(paragraphs).toContain(
      '[à compléter\u00a0: éléments du diagnostic et raison d’être de la coopérative d’acteurs]',
    );
    expect(paragraphs).toContain(
      `${CONVENTION.preamble.mobilise} [à compléter] (objectif général : « Réduire les inégalités sociales de santé liées à l’alimentation à Démoville »).`,
    );
    expect(paragraphs).toContain(`${CONVENTION.article1.object} « ${PROGRAMME} ».`);
    const start = paragraphs.indexOf(CONVENTION.article1.objectives);
    expect(paragraphs.slice(start + 1, start + 7)).toEqual([
      '1.\tAméliorer l’accès des familles à une alimentation équilibrée',
      '1.1.\tProposer 10 ateliers cuisine par an aux familles du quartier des Tilleuls',
      '1.2.\tOrganiser un forum annuel',
      '2.\tDévelopper les jardins partagés',
      '2.1.\tOuvrir deux jardins',
      '2.2.\tProposer 10 ateliers cuisine par an aux familles du quartier des Tilleuls',
    ]);
    expect(paragraphs.filter((text) => /^Action \d+ – /.test(text))).toEqual([
      'Action 1 – Ateliers cuisine',
      'Action 2 – Forum alimentation',
      'Action 3 – Jardins partagés',
      'Action 4 – Cuisine des jardins',
    ]);
  });

  it('notes, for the coordinator, the fiches left out and the funding rule: below 23 000 € a year a décision suffices', async () => {
    const { paragraphs } = await draft(
      [fiche(3, {})],
      [exampleFiche({ number: 4, status: 'soumise', title: 'Forum santé' })],
    );
    expect(paragraphs[0]).toContain(
      `Préparé par Boussole le 15 janvier 2027 à partir de la fiche-action validée du programme « ${PROGRAMME} » (Démoville) : n° 3.`,
    );
    expect(paragraphs).toContain(
      'Fiches non validées. Absentes de ce projet : n° 4 « Forum santé » (soumise).',
    );
    const funding = paragraphs.find((text) => text.startsWith('Engagement financier.'));
    expect(funding).toContain('La part de l’ARS atteint 8\u202f000\u00a0€ par an pour le programme.');
    expect(funding).toContain(
      `une décision d’attribution de subvention suffit ; le guide : « ${CONVENTION.funding.below} »`,
    );
  });

  it('requires a convention « classique » when a fiche or the programme reaches 23 000 € a year from the ARS', async () => {
    const period = { debut: '2027-01-01', fin: '2028-12-31' };
    const big = fiche(3, { periode: period, financements: [{ financeur: 'ARS (FIR)', montant: 50_000 }] });
    const { paragraphs } = await draft([big]);
    const funding = paragraphs.find((text) => text.startsWith('Engagement financier.'));
    // 50 000 € over two years: 25 000 € a year.
    expect(funding).toContain(
      'La part de l’ARS atteint 25\u202f000\u00a0€ par an pour le programme (dont 25\u202f000\u00a0€ pour la fiche n° 3',
    );
    expect(funding).toContain(`une convention « classique » est requise`);
    expect(funding).toContain(CONVENTION.funding.above);
    // Three fiches under the threshold each, over it together.
    const { paragraphs: together } = await draft([fiche(3, {}), fiche(4, {}), fiche(5, {})]);
    expect(together.find((text) => text.startsWith('Engagement financier.'))).toContain(
      'atteint 24\u202f000\u00a0€ par an pour le programme. À partir de 23 000 € par an, une convention « classique » est requise',
    );
  });

  it('quotes the guide’s fixed texts word for word (typography aside)', () => {
    const comparable = (text: string) =>
      foldAccents(text)
        .toLowerCase()
        .replace(/[’']/g, "'")
        .replace(/[«»“”"]/g, '"')
        .replace(/"\s+/g, '"')
        .replace(/\s+"/g, '"')
        .replace(/[*\\]/g, '')
        .replace(/\s+/g, ' ');
    const guide = comparable(readFileSync('knowledge/sources/003-guide-cooperative-acteurs.md', 'utf8'));
    const leaves = (value: unknown): string[] =>
      typeof value === 'string' ? [value] : Object.values(value as object).flatMap(leaves);
    const missing = leaves(CONVENTION).filter((text) => !guide.includes(comparable(text)));
    expect(missing).toEqual([]);
  });
});
