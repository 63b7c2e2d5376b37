import { expect } from 'vitest';
import type { FormMarker } from '../../bot/core/types.ts';

/**
 * One whole fiche-action drafted in conversation, the same on every channel: each channel's test drives it
 * through its own protocol (Slack events and clicks, Teams activities) and follows it by the form markers the
 * replies carry (Slack block_id, Teams channelData), never by their French.
 */

/** A reply as a channel test reads it back from the platform's fake. */
export interface ScriptReply {
  /** The marker the channel carried: read from block_id or channelData. */
  form?: FormMarker;
  /** The reply's text as the platform shows it. */
  text: string;
  /** How many sources the reply cites (Slack context elements, Teams citation entities). */
  sources: number;
}

export interface FicheDriver<R extends ScriptReply> {
  say(text: string): Promise<R>;
  /** Clicks the reply's button whose label matches. */
  click(reply: R, label: string | RegExp): Promise<R>;
  /**
   * Edits a section of the reply's card in the channel's own form (a Slack modal, a Teams card): opens it with
   * the section's edit control and submits these values (text, option ids, or a period's first and last days).
   * The reply is the recap posted once the section is saved.
   */
  editSection(reply: R, sectionId: string, values: Record<string, string | string[]>): Promise<R>;
  /** Stops the server and starts a new one on the same database. */
  restart(): Promise<void>;
}

/** What the scripted conversation leaves in the database, every value normalized. */
export const SCRIPTED_FICHE = {
  programme: 'Coopérative d’acteurs de Démoville 2027-2029',
  intitule: 'Ateliers cuisine & santé <familles>',
  promoteur: 'Centre social Les Tilleuls',
  contact: 'Camille Martin, coordinatrice',
  partenaires: [{ structure: 'CCAS', role: 'orientation des familles' }],
  objectif_general: 'Réduire les inégalités de santé liées à l’alimentation',
  objectif_specifique: 'Améliorer l’accès des familles à une alimentation équilibrée',
  objectif_operationnel: 'Proposer 10 ateliers cuisine par an',
  objectif_prs: ['os1'],
  contenu: 'Dix ateliers de deux heures animés par une diététicienne.',
  modes_intervention: ['ateliers'],
  periode: { debut: '2027-09-01', fin: '2028-06-30' },
  publics: ['familles', 'qpv'],
  nb_beneficiaires: { valeur: 60, approximatif: true },
  territoire: ['commune'],
  lieux: ['centre social Les Tilleuls', 'école Jean-Moulin'],
  moyens_humains: [{ structure: 'centre social', etp: 0.5 }],
  budget: 15000,
  financements: [
    { financeur: 'ARS', montant: 10000 },
    { financeur: 'ville', montant: 5000 },
  ],
  indicateurs_activite: [{ libelle: 'Nombre d’ateliers', cible: '10', source: 'émargements' }],
  indicateurs_resultat: [
    { libelle: 'Part des familles qui cuisinent des légumes', cible: '60 %', source: 'questionnaire' },
  ],
  resultats_attendus: 'Les familles cuisinent plus de produits frais',
};

const expectAsked = (reply: ScriptReply, fieldId: string) =>
  expect(reply.form, reply.text).toMatchObject({ formId: 'fiche_action', fieldId, step: 'question' });

/**
 * The conversation: a `retour`, a `passer` clicked, a methodology question answered with its sources then the
 * field asked again, a server restart between two answers, an impossible date re-asked, a correction of the
 * budget in one sentence, then a `modifier` from the recap card and one typed. Returns the first recap.
 */
export async function draftScriptedFiche<R extends ScriptReply>(driver: FicheDriver<R>): Promise<R> {
  let reply = await driver.say('nouvelle fiche-action');
  expectAsked(reply, 'programme');
  reply = await driver.say('Coopérative d’acteurs de Démoville 2027-2029');
  expectAsked(reply, 'intitule');
  reply = await driver.say('Ateliers cuisine et santé');
  expectAsked(reply, 'promoteur');
  reply = await driver.say('retour');
  expectAsked(reply, 'intitule');
  reply = await driver.say('Ateliers cuisine & santé <familles>');
  expectAsked(reply, 'promoteur');
  reply = await driver.say('Centre social Les Tilleuls');
  reply = await driver.say('Camille Martin, coordinatrice');
  expectAsked(reply, 'contact_niveau');
  reply = await driver.click(reply, 'Passer');
  expectAsked(reply, 'partenaires');
  reply = await driver.say('CCAS : orientation des familles');
  reply = await driver.say('Réduire les inégalités de santé liées à l’alimentation');
  expectAsked(reply, 'objectif_specifique');

  reply = await driver.say('c’est quoi un objectif spécifique ?');
  expect(reply.sources).toBeGreaterThan(0);
  expectAsked(reply, 'objectif_specifique');

  await driver.restart();
  reply = await driver.say('Améliorer l’accès des familles à une alimentation équilibrée');
  expectAsked(reply, 'objectif_operationnel');
  reply = await driver.say('Proposer 10 ateliers cuisine par an');
  expectAsked(reply, 'objectif_prs');
  reply = await driver.click(reply, /^1\. /);
  expectAsked(reply, 'contenu');
  reply = await driver.say('Dix ateliers de deux heures animés par une diététicienne.');
  reply = await driver.say('ateliers collectifs');
  expectAsked(reply, 'periode');

  reply = await driver.say('du 31/02/2027 au 30/06/2027');
  expectAsked(reply, 'periode');
  reply = await driver.say('du 1er mars au 30 novembre 2027');
  for (const answer of [
    'passer',
    'parents et habitants des quartiers prioritaires',
    'une soixantaine',
    'commune',
    'centre social Les Tilleuls',
    'centre social : 0,5 ETP',
    '10 000 €',
  ]) {
    reply = await driver.say(answer);
  }
  expectAsked(reply, 'financements');
  reply = await driver.say('en fait le budget est de 15 000 €');
  expect(reply.text).toMatch(/15\s000/);
  expectAsked(reply, 'financements');
  for (const answer of [
    'ARS 10 000 €, ville 5 000 €',
    'passer',
    'Nombre d’ateliers : 10 (source : émargements)',
    'Part des familles qui cuisinent des légumes : 60 % (source : questionnaire)',
    'Les familles cuisinent plus de produits frais',
  ]) {
    reply = await driver.say(answer);
  }
  expect(reply.form).toMatchObject({ formId: 'fiche_action', step: 'recap' });
  expect(reply.form?.fieldId).toBeUndefined();
  const recap = reply;

  // The Calendrier section in the channel's own form, then a field by name in the conversation.
  reply = await driver.editSection(recap, 'calendrier', { periode: ['2027-09-01', '2028-06-30'] });
  expect(reply.form?.step).toBe('recap');
  expect(reply.text).toContain('Section « Calendrier » enregistrée');
  reply = await driver.say('modifier les lieux');
  expectAsked(reply, 'lieux');
  reply = await driver.say('centre social Les Tilleuls ; école Jean-Moulin');
  expect(reply.form?.step).toBe('recap');
  return recap;
}

/** A second draft cancelled after confirmation: nothing of it is kept. */
export async function cancelSecondDraft<R extends ScriptReply>(driver: FicheDriver<R>): Promise<void> {
  let reply = await driver.say('nouvelle fiche-action : Marche santé seniors');
  expectAsked(reply, 'programme');
  reply = await driver.say('annuler');
  expect(reply.form?.step).toBe('confirm');
  reply = await driver.click(reply, 'Oui, annuler');
  expect(reply.form?.step).toBe('closed');
  reply = await driver.say('Comment évaluer une action ?');
  expect(reply.form).toBeUndefined();
  expect(reply.sources).toBeGreaterThan(0);
}
