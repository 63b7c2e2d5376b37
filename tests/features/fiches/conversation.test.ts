import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../bot/core/handle-turn.ts';
import type { Reply } from '../../../bot/core/types.ts';
import { type DocumentRef, verifyDocumentLink } from '../../../bot/documents/links.ts';
import { renderDocument } from '../../../bot/features/fiches/exports.ts';
import { FEATURES } from '../../../bot/features/index.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../../bot/store/database.ts';
import { makeIncoming } from '../../fixtures/incoming.ts';
import { createCapturingLogger } from '../../support/capture-logger.ts';
import { openFixtureKnowledgeBase } from '../../support/fixture-knowledge-base.ts';

const ADMIN = { name: 'test' };
let database: Database;
let knowledge: Awaited<ReturnType<typeof openFixtureKnowledgeBase>>;
const now = new Date('2026-11-29T10:00:00Z');
let collectivite: { id: string; name: string };

function newCore() {
  const { logger } = createCapturingLogger();
  return createCore({
    knowledge,
    repositories: database.repositories,
    publicUrl: 'https://boussole.test',
    logger,
    clock: () => now,
    features: FEATURES,
  });
}

/** A Slack user in their direct conversation with the bot. */
function person(userId: string, core = newCore()) {
  const say = async (text: string): Promise<Reply> =>
    core.handleTurn(
      makeIncoming({
        channel: 'slack',
        workspaceId: 'T1',
        conversationId: `D-${userId}`,
        userId,
        text,
        conversationReference: { channel: `D-${userId}` },
      }),
    );
  const click = async (actionId: string, value: string): Promise<Reply> =>
    core.handleTurn(
      makeIncoming({
        channel: 'slack',
        workspaceId: 'T1',
        conversationId: `D-${userId}`,
        userId,
        text: '',
        action: { id: actionId, value },
      }),
    );
  return { say, click };
}

async function addPerson(
  email: string,
  userId: string,
  role: 'referent' | 'coordinateur' | 'admin',
  collectiviteId?: string,
) {
  const { directory } = database.repositories;
  const created = await directory.createPerson({ displayName: email.split('@')[0]!, email }, ADMIN);
  await directory.grant({ personId: created.id, role, collectiviteId }, ADMIN);
  await database.repositories.identities.upsert({
    channel: 'slack',
    workspaceId: 'T1',
    externalUserId: userId,
  });
  await directory.linkIdentity(
    { channel: 'slack', workspaceId: 'T1', externalUserId: userId },
    created.id,
    ADMIN,
  );
  return created;
}

beforeAll(async () => {
  [database, knowledge] = await Promise.all([
    openDatabase({ dataDir: inMemoryDataDir }),
    openFixtureKnowledgeBase({ sources: 'corpus' }),
  ]);
  collectivite = await database.repositories.directory.createCollectivite(
    { name: 'Commune de Testville', kind: 'commune', code: '77999' },
    ADMIN,
  );
  await addPerson('camille@exemple.org', 'U-REF', 'referent', collectivite.id);
  await addPerson('dominique@exemple.org', 'U-COORD', 'coordinateur', collectivite.id);
  await addPerson('alex@exemple.org', 'U-ADMIN', 'admin');
}, 120_000);

afterAll(async () => {
  await database?.close();
  await knowledge?.dispose();
});

const fieldOf = (reply: Reply) => reply.form?.fieldId;

describe('drafting a fiche-action in conversation', () => {
  it('tells someone with no membership who can add them, and still answers their questions', async () => {
    const stranger = person('U-NOBODY');
    const reply = await stranger.say('nouvelle fiche-action');
    expect(reply.text).toMatch(/référent ou coordinateur/);
    expect(reply.text).toContain('alex@exemple.org');
    expect(reply.form).toBeUndefined();
    const answer = await stranger.say('Comment rédiger une convention de partenariat ?');
    expect(answer.citations.length).toBeGreaterThan(0);
  });

  it('walks a référent through a whole fiche with retour, passer, a side question, a correction, a restart and modifier', async () => {
    let referent = person('U-REF');
    let reply = await referent.say('nouvelle fiche-action');
    expect(reply.text).toContain('Commune de Testville');
    expect(fieldOf(reply)).toBe('programme');

    reply = await referent.say('Coopérative d’acteurs de Testville 2027-2029');
    expect(fieldOf(reply)).toBe('intitule');
    reply = await referent.say('Ateliers cuisine et santé');
    reply = await referent.say('retour');
    expect(fieldOf(reply)).toBe('intitule');
    expect(reply.text).toContain('Réponse actuelle : Ateliers cuisine et santé');
    reply = await referent.say('Ateliers cuisine et santé pour les familles');
    expect(fieldOf(reply)).toBe('promoteur');
    reply = await referent.say('Centre social Les Tilleuls');
    reply = await referent.say('Camille Martin, coordinatrice');
    expect(fieldOf(reply)).toBe('contact_niveau');
    reply = await referent.say('passer');
    expect(fieldOf(reply)).toBe('partenaires');
    reply = await referent.say('CCAS : orientation des familles');
    reply = await referent.say('Réduire les inégalités de santé liées à l’alimentation');

    // A methodology question mid-form is answered from the guide, then the same field is asked again.
    reply = await referent.say('c’est quoi un objectif spécifique ?');
    expect(reply.citations.length).toBeGreaterThan(0);
    expect(reply.text).toContain('On reprend la fiche-action');
    expect(fieldOf(reply)).toBe('objectif_specifique');

    // The server restarts: a new core on the same database resumes the draft.
    referent = person('U-REF', newCore());
    reply = await referent.say('Améliorer l’accès des familles à une alimentation équilibrée');
    expect(fieldOf(reply)).toBe('objectif_operationnel');
    for (const answer of [
      'Proposer 10 ateliers cuisine par an',
      '1',
      'Dix ateliers de deux heures animés par une diététicienne.',
      'ateliers collectifs',
    ]) {
      reply = await referent.say(answer);
    }
    expect(fieldOf(reply)).toBe('periode');
    reply = await referent.say('du 31/02/2027 au 30/06/2027');
    expect(fieldOf(reply)).toBe('periode');
    expect(reply.text).toMatch(/31 février/);
    reply = await referent.say('du 1er mars au 30 novembre 2027');
    expect(reply.text).toContain('1er mars');
    for (const answer of [
      'passer',
      'parents et habitants des quartiers prioritaires',
      'une soixantaine',
      'commune',
      'centre social Les Tilleuls',
      'centre social : 0,5 ETP',
      '10 000 €',
    ]) {
      reply = await referent.say(answer);
    }
    expect(fieldOf(reply)).toBe('financements');
    reply = await referent.say('en fait le budget est de 15 000 €');
    expect(reply.text).toMatch(/15\s000/);
    expect(fieldOf(reply)).toBe('financements');
    for (const answer of [
      'ARS 10 000 €, ville 5 000 €',
      'passer',
      'Nombre d’ateliers : 10 (source : émargements)',
      'Part des familles qui cuisinent des légumes : 60 % (source : questionnaire)',
      'Les familles cuisinent plus de produits frais',
    ]) {
      reply = await referent.say(answer);
    }
    expect(reply.form?.step).toBe('recap');
    expect(reply.card?.sections.map((section) => section.title)).toContain('Calendrier');
    reply = await referent.say('modifier les lieux');
    expect(fieldOf(reply)).toBe('lieux');
    reply = await referent.say('centre social Les Tilleuls ; école Jean-Moulin');
    expect(reply.form?.step).toBe('recap');

    const [fiche] = await database.repositories.fiches.list({ collectiviteIds: [collectivite.id] });
    expect(fiche).toBeDefined();
    expect(fiche!.values).toMatchObject({
      intitule: 'Ateliers cuisine et santé pour les familles',
      periode: { debut: '2027-03-01', fin: '2027-11-30' },
      budget: 15000,
      lieux: ['centre social Les Tilleuls', 'école Jean-Moulin'],
      nb_beneficiaires: { valeur: 60, approximatif: true },
    });
    expect(fiche!.values).not.toHaveProperty('contact_niveau');
    expect(fiche!.status).toBe('brouillon');
    const history = await database.repositories.fiches.history(fiche!.id);
    expect(history.length).toBe(fiche!.version);

    // Submitted from the recap's button, then validated by the coordinator.
    const submit = reply.choices?.find((choice) => choice.label.startsWith('Soumettre'));
    expect(submit).toBeDefined();
    reply = await referent.click(submit!.actionId, submit!.value!);
    expect(reply.text).toMatch(/soumise/);
    const coordinator = person('U-COORD');
    reply = await coordinator.say(`valider la fiche ${fiche!.number}`);
    expect(reply.text).toMatch(/validée/);
    expect((await database.repositories.fiches.get(fiche!.id))!.status).toBe('validee');

    // The fiche in Word and the draft convention come as signed links that rebuild the document.
    const secret = await database.repositories.settings.getOrCreateSecret('document-links');
    for (const [request, name] of [
      [`exporter la fiche ${fiche!.number} en Word`, /^fiche-action-\d+-ateliers.*\.docx$/],
      ['rédige la convention', /^convention-partenariat-.*\.docx$/],
    ] as const) {
      reply = await coordinator.say(request);
      const [file] = reply.files ?? [];
      expect(file?.fileName).toMatch(name);
      const token = new URL(file!.url).pathname.split('/').pop()!;
      const check = verifyDocumentLink(token, secret, now);
      expect(check.ok).toBe(true);
      const rendered = await renderDocument(
        (check as { ref: DocumentRef }).ref,
        database.repositories.fiches,
      );
      expect(rendered?.bytes.length).toBeGreaterThan(5_000);
    }
  });

  it('cancels a second draft after confirmation, keeping nothing of it', async () => {
    const referent = person('U-REF');
    await referent.say('nouvelle fiche-action : Marche santé seniors');
    const before = await database.repositories.fiches.list({ collectiviteIds: [collectivite.id] });
    expect(before.map((fiche) => fiche.title)).toContain('Marche santé seniors');
    let reply = await referent.say('annuler');
    expect(reply.form?.step).toBe('confirm');
    reply = await referent.say('oui');
    expect(reply.text).toMatch(/abandonné/);
    const after = await database.repositories.fiches.list({ collectiviteIds: [collectivite.id] });
    expect(after.map((fiche) => fiche.title)).not.toContain('Marche santé seniors');
    reply = await referent.say('Comment évaluer une action ?');
    expect(reply.form).toBeUndefined();
  });

  it('keeps coordinators from editing and référents of other collectivités from seeing', async () => {
    const other = await database.repositories.directory.createCollectivite(
      { name: 'Commune de Autreville', kind: 'commune' },
      ADMIN,
    );
    await addPerson('sam@exemple.org', 'U-OTHER', 'referent', other.id);
    const outsider = person('U-OTHER');
    const reply = await outsider.say('voir la fiche 1');
    expect(reply.text).toMatch(/Je ne trouve pas/);
    const coordinator = person('U-COORD');
    const edit = await coordinator.say('reprendre la fiche 1');
    expect(edit.text).toMatch(/seuls les référents/);
  });

  it('never lets a form opened by one person be answered by another under the same conversation key', async () => {
    const referent = await database.repositories.directory.findPerson('camille@exemple.org');
    const key = {
      channel: 'slack' as const,
      workspaceId: 'T1',
      conversationId: 'D-U-COORD',
      threadKey: '',
      userKey: 'U-COORD',
    };
    await database.repositories.formSessions.save({
      key,
      personId: referent!.id,
      formId: 'fiche_action',
      createdRecord: false,
      context: { collectivite },
      state: {
        formId: 'fiche_action',
        values: {},
        cursor: { kind: 'field', fieldId: 'programme' },
        path: [],
        skipped: [],
        attempts: 0,
        backToRecap: false,
      },
      revision: 0,
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    const reply = await person('U-COORD').say('Programme piraté');
    expect(reply.text).toMatch(/ouvert par quelqu’un d’autre/);
    expect(
      await database.repositories.fiches.list({ collectiviteIds: [collectivite.id] }),
    ).not.toContainEqual(expect.objectContaining({ programme: 'Programme piraté' }));
  });
});
