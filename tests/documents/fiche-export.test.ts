import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { exampleFiche, exampleValues } from '../../bot/documents/example-fiche.ts';
import { readDocx, tablesOf } from '../../bot/documents/read-docx.ts';
import { exportFiche } from '../../bot/features/fiches/exports.ts';
import { ficheMarkdown } from '../../bot/features/fiches/view.ts';

const NBSP = '\u00a0';
const euros = (text: string) => text.replace(/ (?=\d{3}\b)/g, '\u202f').replace(/ €/g, `${NBSP}€`);
/** A label | value line as the documents write it: « Libellé : valeur », non-breaking space before the colon. */
const labelled = (label: string, value: string) => `${label}${NBSP}: ${value}`;

async function exported(values = exampleValues()) {
  const file = await exportFiche(exampleFiche({ values }), 'docx');
  const blocks = await readDocx(file.bytes);
  return { file, blocks, tables: tablesOf(blocks) };
}

describe('the Word export of a fiche-action', () => {
  it('names the file in French and types it as a Word document', async () => {
    const { file } = await exported();
    expect(file.fileName).toBe('fiche-action-7-ateliers-cuisine-et-santé-pour-les-familles.docx');
    expect(file.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  });

  it('opens with the title, then the collectivité, status and version', async () => {
    const { blocks } = await exported();
    const paragraphs = blocks.flatMap((block) => (block.kind === 'paragraph' ? [block] : []));
    expect(paragraphs[0]).toEqual({ kind: 'paragraph', text: 'Fiche-action n° 7', style: 'Title' });
    expect(paragraphs[1]?.text).toBe('Ateliers cuisine et santé pour les familles');
    expect(paragraphs[2]?.text).toBe(
      `${labelled('Collectivité', 'Démoville')}   ·   ${labelled('Statut', 'validée')}   ·   ${labelled('Version', '3 du 29 novembre 2026')}`,
    );
  });

  it('lays out the guide’s Article 2 table: its seven rows in order, each field as the recap writes it', async () => {
    const { tables } = await exported();
    const article2 = tables[0]!;
    expect(article2.map((row) => row[0])).toEqual([
      ['Identification de l’action et promoteur référent'],
      ['Contenu de l’action'],
      ['Calendrier prévisionnel'],
      ['Modes d’intervention'],
      ['Public cible'],
      ['Lieux précis de réalisation de l’action'],
      ['Moyens humains mobilisés par l’action (ETP)'],
    ]);
    expect(article2.map((row) => row[1])).toEqual([
      [
        labelled('Intitulé de l’action', 'Ateliers cuisine et santé pour les familles'),
        labelled('Promoteur référent', 'Centre social Les Tilleuls'),
        labelled('Personne référente', 'Camille Martin, coordinatrice du centre social'),
        labelled('Niveau de la personne référente', 'Opérationnel'),
        `Partenaires et leur rôle${NBSP}:`,
        'CCAS (orientation des familles)',
        'PMI (animation d’un atelier)',
      ],
      [
        'Dix ateliers de deux heures animés par une diététicienne et une animatrice du centre social, suivis d’un repas partagé…',
      ],
      [
        labelled('Période', 'de septembre 2027 à juin 2028'),
        `Étapes clés${NBSP}:`,
        'lancement (1er septembre 2027)',
        'comité de pilotage (15 janvier 2028)',
        'bilan (30 juin 2028)',
      ],
      ['Ateliers collectifs, Aller-vers'],
      [
        labelled('Publics', 'Parents et familles, Habitants des quartiers prioritaires'),
        labelled('Nombre de bénéficiaires ciblés', 'environ 60'),
        labelled('Territoire d’intervention', 'Commune'),
      ],
      ['centre social Les Tilleuls', 'école élémentaire Jean-Moulin'],
      [`centre social : 0,5${NBSP}ETP`, `CCAS : 0,25${NBSP}ETP`],
    ]);
  });

  it('puts objectives, budget, indicators and résultats attendus in a second table, by group', async () => {
    const { tables } = await exported();
    const other = tables[1]!;
    expect(other.map((row) => row.map((cell) => cell.join('\n')))).toEqual([
      ['Programme et objectifs'],
      ['Programme', 'Coopérative d’acteurs en promotion de la santé de Démoville 2027-2029'],
      ['Objectif général', 'Réduire les inégalités sociales de santé liées à l’alimentation à Démoville'],
      ['Objectif spécifique', 'Améliorer l’accès des familles à une alimentation équilibrée'],
      ['Objectif opérationnel', 'Proposer 10 ateliers cuisine par an aux familles du quartier des Tilleuls'],
      [
        'Objectif stratégique du PRS3 (axe 6)',
        '1. Mettre en synergie des politiques favorables à la santé pour chaque territoire',
      ],
      ['Budget et financements'],
      ['Budget total', euros('12 000 €')],
      ['Financements', euros('ARS (FIR) : 8 000 €\nville : 3 000 €\nCAF : 1 000 €')],
      ['Évaluation (tableau de bord du comité de pilotage)'],
      [
        'Indicateurs de processus',
        'Réunions du comité de pilotage tenues : 3 par an (source : comptes rendus)',
      ],
      [
        'Indicateurs d’activité',
        'Nombre d’ateliers réalisés : 10 (source : feuilles d’émargement)\nfamilles participantes : 40',
      ],
      [
        'Indicateurs de résultat',
        'Part des familles déclarant cuisiner plus de légumes : 60 % (source : questionnaire en fin d’atelier)',
      ],
      [
        'Résultats attendus',
        'Les familles connaissent les repères nutritionnels et cuisinent davantage de produits frais',
      ],
    ]);
  });

  it('shows « à compléter » for every missing value, and the guide’s warning on a fiche without result indicator', async () => {
    const { tables, file } = await exported({
      intitule: 'Forum santé',
      periode: { debut: '2027-04-02', fin: '2027-04-02' },
    });
    const cells = tables.flatMap((rows) => rows.map((row) => row.map((cell) => cell.join('\n'))));
    expect(cells).toContainEqual([
      'Identification de l’action et promoteur référent',
      [
        labelled('Intitulé de l’action', 'Forum santé'),
        labelled('Promoteur référent', 'à compléter'),
        labelled('Personne référente', 'à compléter'),
        labelled('Niveau de la personne référente', 'à compléter'),
        labelled('Partenaires et leur rôle', 'à compléter'),
      ].join('\n'),
    ]);
    expect(cells).toContainEqual([
      'Calendrier prévisionnel',
      `${labelled('Période', 'le 2 avril 2027')}\n${labelled('Étapes clés', 'à compléter')}`,
    ]);
    expect(cells).toContainEqual(['Contenu de l’action', 'à compléter']);
    expect(cells).toContainEqual(['Budget total', 'à compléter']);
    // « Autre public cible, précisez » applies only after « autre »: not shown at all here.
    expect(cells.flat().join('\n')).not.toContain('Autre public cible');
    const { value: text } = await mammoth.extractRawText({ buffer: Buffer.from(file.bytes) });
    expect(text).toContain('Points d’attention');
    expect(text).toContain('Le guide demande au moins un indicateur de résultat');
  });
});

describe('the Markdown export', () => {
  it('is « voir la fiche »’s Markdown, as a file', async () => {
    const fiche = exampleFiche();
    const file = await exportFiche(fiche, 'md');
    expect(file.fileName).toBe('fiche-action-7-ateliers-cuisine-et-santé-pour-les-familles.md');
    expect(file.contentType).toBe('text/markdown; charset=utf-8');
    expect(new TextDecoder().decode(file.bytes)).toBe(`${ficheMarkdown(fiche)}\n`);
  });
});
