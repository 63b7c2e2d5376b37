import { Document, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import { describe, expect, it } from 'vitest';
import { exampleFiche, exampleValues } from '../../bot/documents/example-fiche.ts';
import { importWordFiche } from '../../bot/documents/word-import.ts';
import { exportFiche } from '../../bot/features/fiches/exports.ts';

const context = { today: '2026-11-29' };

/** A Word fiche as a référent makes one: a table of label | value rows, the value cell with its paragraphs. */
function wordFiche(rows: [string, ...string[]][], before: Paragraph[] = []): Promise<Buffer> {
  const table = new Table({
    rows: rows.map(
      ([label, ...lines]) =>
        new TableRow({
          children: [
            new TableCell({ children: [new Paragraph(label)] }),
            new TableCell({
              children: lines.length > 0 ? lines.map((line) => new Paragraph(line)) : [new Paragraph('')],
            }),
          ],
        }),
    ),
  });
  return Packer.toBuffer(new Document({ sections: [{ children: [...before, table] }] }));
}

describe('the Word import of a fiche-action', () => {
  it('reads back an exported fiche to the same values (round trip)', async () => {
    const values = {
      ...exampleValues(),
      publics: ['seniors', 'autre'],
      publics_autre: 'aidants familiaux',
      contenu: 'Dix ateliers de deux heures.\nUn repas partagé après chaque atelier.',
    };
    const file = await exportFiche(exampleFiche({ values }), 'docx');
    const imported = await importWordFiche(file.bytes, context);
    expect(imported).toMatchObject({ ok: true, rejected: [], unknownRows: [] });
    if (!imported.ok) return;
    expect(imported.values).toEqual(values);
    expect(imported.understood.map((entry) => entry.fieldId).sort()).toEqual(Object.keys(values).sort());
  });

  it('matches messy labels loosely, parses each value with its field, and lists what it refused or did not know', async () => {
    const bytes = await wordFiche(
      [
        ['Rubrique', 'Description'],
        ['Identification de l’action 1 et promoteur référent', 'Atelier mémoire – CCAS de Démoville'],
        ['Contenu', 'Douze séances de stimulation cognitive.', 'Animées par une neuropsychologue.'],
        [
          'Calendrier previsionnel',
          'Période : du 32 mars 2027 au 30 juin 2027',
          'Étapes clés : lancement le 1er mars 2027',
        ],
        [
          'PUBLIC CIBLE',
          'personnes agees ; autre : aidants familiaux',
          'Nombre de beneficiaires : une trentaine',
        ],
        ['Lieux de réalisation', 'Résidence autonomie Les Lilas'],
        ['Moyens humains (ETP)', 'CCAS : 0,3 ETP'],
        ['Budget prévisionnel', '8 500 euros'],
        ['Financements', 'ARS 6000 €, ville 2500 €'],
        ['Territoire', 'la lune'],
        ['Observations', 'RAS'],
        ['Date de la prochaine réunion', ''],
        ['Indicateurs d’activite', 'Nombre de séances : 12 (source : émargement)'],
        ['Intitulé', 'Un autre titre'],
      ],
      [new Paragraph('Fiche-action du CCAS')],
    );
    const imported = await importWordFiche(bytes, context);
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.values).toEqual({
      intitule: 'Atelier mémoire',
      promoteur: 'CCAS de Démoville',
      contenu: 'Douze séances de stimulation cognitive.\nAnimées par une neuropsychologue.',
      etapes: [{ libelle: 'lancement', date: '2027-03-01' }],
      publics: ['seniors', 'autre'],
      publics_autre: 'aidants familiaux',
      nb_beneficiaires: { valeur: 30, approximatif: true },
      lieux: ['Résidence autonomie Les Lilas'],
      moyens_humains: [{ structure: 'CCAS', etp: 0.3 }],
      budget: 8500,
      financements: [
        { financeur: 'ARS', montant: 6000 },
        { financeur: 'ville', montant: 2500 },
      ],
      indicateurs_activite: [{ libelle: 'Nombre de séances', cible: '12', source: 'émargement' }],
    });
    expect(imported.understood.map((entry) => entry.fieldId)).toEqual([
      'intitule',
      'promoteur',
      'contenu',
      'etapes',
      'publics',
      'nb_beneficiaires',
      'lieux',
      'moyens_humains',
      'budget',
      'financements',
      'indicateurs_activite',
    ]);
    expect(imported.understood.find((entry) => entry.fieldId === 'publics')?.echo).toBe(
      'Personnes âgées, Autre (précisez)',
    );
    expect(imported.rejected).toEqual([
      {
        label: 'Intitulé',
        value: 'Un autre titre',
        message:
          '« Intitulé de l’action » figure déjà plus haut dans le document : j’ai gardé la première valeur.',
      },
      { label: 'Période', value: 'du 32 mars 2027 au 30 juin 2027', message: expect.stringContaining('32') },
      {
        label: 'Territoire',
        value: 'la lune',
        message: expect.stringContaining('Je n’ai pas reconnu « la lune »'),
      },
    ]);
    expect(imported.unknownRows).toEqual([
      { label: 'Rubrique', value: 'Description' },
      { label: 'Observations', value: 'RAS' },
    ]);
  });

  it('warns as the conversation does: 23 000 € a year from the ARS asks for a convention « classique »', async () => {
    const bytes = await wordFiche([
      ['Calendrier prévisionnel', 'de janvier à décembre 2027'],
      ['Financements', 'ARS : 30 000 €'],
    ]);
    const imported = await importWordFiche(bytes, context);
    expect(imported.ok && imported.warnings).toEqual([expect.stringContaining('convention « classique »')]);
  });

  it('refuses, in French, a file that is not a Word document or holds no table', async () => {
    expect(await importWordFiche(new TextEncoder().encode('pas un docx'), context)).toEqual({
      ok: false,
      message: expect.stringContaining('document Word au format .docx'),
    });
    const noTable = await Packer.toBuffer(
      new Document({ sections: [{ children: [new Paragraph('Intitulé : Forum santé')] }] }),
    );
    expect(await importWordFiche(noTable, context)).toEqual({
      ok: false,
      message: expect.stringContaining('aucun tableau'),
    });
  });
});
