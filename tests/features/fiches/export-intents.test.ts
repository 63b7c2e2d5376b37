import { describe, expect, it } from 'vitest';
import { type ExportIntent, parseExportIntent } from '../../../bot/features/fiches/export-intents.ts';

describe('document requests in French', () => {
  const cases: [string, ExportIntent][] = [
    ['exporter la fiche 7 en Word', { kind: 'export', ref: { number: 7 }, format: 'docx' }],
    [
      'Exporte la fiche-action n° 12 au format .docx',
      { kind: 'export', ref: { number: 12 }, format: 'docx' },
    ],
    ['fiche 7 en markdown', { kind: 'export', ref: { number: 7 }, format: 'md' }],
    ['La fiche 3 en MD', { kind: 'export', ref: { number: 3 }, format: 'md' }],
    ['télécharger la fiche', { kind: 'export', format: 'docx' }],
    ['TELECHARGER LA FICHE 4', { kind: 'export', ref: { number: 4 }, format: 'docx' }],
    ['envoie-moi la fiche 7 en word stp', { kind: 'export', ref: { number: 7 }, format: 'docx' }],
    ['je voudrais télécharger ma fiche en markdown', { kind: 'export', format: 'md' }],
    ['version Word de la fiche 3', { kind: 'export', ref: { number: 3 }, format: 'docx' }],
    ['exporte en markdown', { kind: 'export', format: 'md' }],
    ['rédige la convention', { kind: 'convention' }],
    ['Redige la convention de partenariat', { kind: 'convention' }],
    [
      'rédige la convention du programme « Bien manger à Démoville »',
      { kind: 'convention', programme: 'Bien manger à Démoville' },
    ],
    [
      'Peux-tu rédiger la convention de la coopérative d’acteurs de Démoville ?',
      { kind: 'convention', programme: 'coopérative d’acteurs de Démoville' },
    ],
    [
      'REDIGER LA CONVENTION POUR LE PROGRAMME Santé mentale, merci',
      { kind: 'convention', programme: 'Santé mentale' },
    ],
    ['prépare le projet de convention', { kind: 'convention' }],
    ['génère-moi la convention', { kind: 'convention' }],
  ];
  it.each(cases)('%s', (text, intent) => {
    expect(parseExportIntent(text)).toEqual(intent);
  });

  it.each([
    'comment rédiger une convention de partenariat ?',
    'rédiger une convention',
    'qui signe la convention ?',
    'c’est quoi une convention de partenariat',
    'télécharger',
    'exporter des données',
    'voir la fiche 7',
    'nouvelle fiche-action',
    'la fiche 7 est-elle validée ?',
    '',
  ])('« %s » is not a document request', (text) => {
    expect(parseExportIntent(text)).toBeUndefined();
  });
});
