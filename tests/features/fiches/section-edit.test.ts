import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormSender } from '../../../bot/core/core.ts';
import { readValue } from '../../../bot/core/forms/engine.ts';
import { type NativeForm, parseFormRef } from '../../../bot/core/forms/native.ts';
import { createCore } from '../../../bot/core/handle-turn.ts';
import { exampleValues } from '../../../bot/documents/example-fiche.ts';
import { FICHE_FORM } from '../../../bot/features/fiches/form.ts';
import type { Fiche } from '../../../bot/features/fiches/model.ts';
import { FEATURES } from '../../../bot/features/index.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../../bot/store/database.ts';
import { makeIncoming } from '../../fixtures/incoming.ts';
import { createCapturingLogger } from '../../support/capture-logger.ts';
import { createTestKnowledgeBase } from '../../support/test-knowledge-base.ts';

/**
 * A fiche's section edited in a native form, through the core as every channel calls it: the fields
 * described with their current values as typed, each submitted value read by its field's own parser (the
 * conversation's messages), one new version on the version opened, rights and stale versions.
 */

const ADMIN = { name: 'test' };
const now = new Date('2026-11-29T10:00:00Z');
let database: Database;
let collectivite: { id: string; name: string };
let other: { id: string; name: string };
const core = () =>
  createCore({
    knowledge: createTestKnowledgeBase(),
    repositories: database.repositories,
    publicUrl: 'https://boussole.test',
    logger: createCapturingLogger().logger,
    clock: () => now,
    features: FEATURES,
  });

const sender = (userId: string): FormSender => ({
  channel: 'slack',
  workspaceId: 'T1',
  conversationId: `D-${userId}`,
  userId,
  isDirect: true,
});

async function addPerson(
  email: string,
  userId: string,
  role: 'referent' | 'coordinateur',
  collectiviteId: string,
) {
  const { directory, identities } = database.repositories;
  const created = await directory.createPerson({ displayName: email.split('@')[0]!, email }, ADMIN);
  await directory.grant({ personId: created.id, role, collectiviteId }, ADMIN);
  await identities.upsert({ channel: 'slack', workspaceId: 'T1', externalUserId: userId });
  await directory.linkIdentity(
    { channel: 'slack', workspaceId: 'T1', externalUserId: userId },
    created.id,
    ADMIN,
  );
}

async function newFiche(): Promise<Fiche> {
  return database.repositories.fiches.create({
    collectiviteId: collectivite.id,
    values: exampleValues(),
    changes: [],
    author: { name: 'test' },
  });
}

/** French numbers use narrow no-break spaces: compared here as plain spaces. */
const plain = (text: string | undefined) => text?.replace(/[\u00a0\u202f]/g, ' ');

const refOf = (fiche: Fiche, sectionId: string) =>
  `${FICHE_FORM.id}|${fiche.id}|${sectionId}|${fiche.version}`;

async function open(userId: string, ref: string): Promise<NativeForm> {
  const opened = await core().openForm(sender(userId), ref);
  if (!opened.ok) throw new Error(opened.message);
  return opened.form;
}

beforeAll(async () => {
  database = await openDatabase({ dataDir: inMemoryDataDir });
  const { directory } = database.repositories;
  collectivite = await directory.createCollectivite({ name: 'Commune de Testville', kind: 'commune' }, ADMIN);
  other = await directory.createCollectivite({ name: 'Commune d’Ailleurs', kind: 'commune' }, ADMIN);
  await addPerson('camille@exemple.org', 'U-REF', 'referent', collectivite.id);
  await addPerson('sacha@exemple.org', 'U-COORD', 'coordinateur', collectivite.id);
  await addPerson('eden@exemple.org', 'U-OTHER', 'referent', other.id);
}, 60_000);

afterAll(async () => {
  await database?.close();
});

describe('a section of a fiche in a native form', () => {
  it('describes every field of the section with its current value as the person would type it', async () => {
    const fiche = await newFiche();
    const form = await open('U-REF', refOf(fiche, 'moyens'));
    expect(form.title).toBe(`Fiche-action n° ${fiche.number} · Moyens`);
    expect(parseFormRef(form.ref)).toEqual({
      formId: FICHE_FORM.id,
      recordId: fiche.id,
      sectionId: 'moyens',
      version: fiche.version,
    });
    expect(form.fields.map((field) => [field.id, field.kind, field.required])).toEqual([
      ['moyens_humains', 'long_text', true],
      ['budget', 'amount', true],
      ['financements', 'long_text', false],
    ]);
    expect(form.fields[1]?.label).toBe('Budget total');
    expect(plain(form.fields[1]?.value)).toBe('12 000 €');
    // The text shown reads back, through the field's parser, to the value stored.
    const context = { today: '2026-11-29', values: fiche.values };
    for (const sectionId of FICHE_FORM.sections.map((section) => section.id)) {
      for (const field of (await open('U-REF', refOf(fiche, sectionId))).fields) {
        if (field.kind === 'choice' || field.kind === 'period' || field.value === '') continue;
        const read = readValue(
          FICHE_FORM.fields.find((candidate) => candidate.id === field.id)!,
          field.value,
          context,
        );
        expect(read.ok && read.value, field.id).toEqual(fiche.values[field.id]);
      }
    }
    const publics = await open('U-REF', refOf(fiche, 'public'));
    expect(publics.fields.find((field) => field.id === 'publics')).toMatchObject({
      kind: 'choice',
      multiple: true,
      maxChoices: 3,
      selected: fiche.values.publics,
    });
    expect(publics.fields.find((field) => field.id === 'publics_autre')?.condition).toBe(
      'Seulement si « Autre (précisez) » est choisi dans « Public cible ».',
    );
    const calendrier = await open('U-REF', refOf(fiche, 'calendrier'));
    expect(calendrier.fields[0]).toMatchObject({
      kind: 'period',
      period: { start: '2027-09-01', end: '2028-06-30' },
    });
  });

  it('refuses values with the conversation’s own messages, saves nothing, then saves one version', async () => {
    const fiche = await newFiche();
    const ref = refOf(fiche, 'moyens');
    const refused = await core().submitForm(sender('U-REF'), ref, {
      budget: 'beaucoup',
      moyens_humains: '',
    });
    expect(refused.kind).toBe('invalid');
    if (refused.kind !== 'invalid') return;
    const budget = FICHE_FORM.fields.find((field) => field.id === 'budget')!;
    const conversation = readValue(budget, 'beaucoup', { today: '2026-11-29', values: {} });
    expect(refused.errors).toEqual({
      budget: !conversation.ok && conversation.message,
      moyens_humains: '« Moyens humains (ETP) » est indispensable à la fiche : il ne peut pas rester vide.',
    });
    // What was typed stays in the form sent back.
    expect(refused.form.fields.find((field) => field.id === 'budget')?.value).toBe('beaucoup');
    expect((await database.repositories.fiches.get(fiche.id))?.version).toBe(fiche.version);

    const saved = await core().submitForm(sender('U-REF'), ref, {
      moyens_humains: 'centre social : 0,5 ETP ; CCAS : 0,1 ETP',
      budget: '15k€',
      financements: '',
    });
    expect(saved.kind).toBe('saved');
    if (saved.kind !== 'saved') return;
    const stored = (await database.repositories.fiches.get(fiche.id))!;
    expect(stored.version).toBe(fiche.version + 1);
    expect(stored.values.budget).toBe(15_000);
    expect(stored.values.financements).toBeUndefined();
    expect(stored.values.moyens_humains).toEqual([
      { structure: 'centre social', etp: 0.5 },
      { structure: 'CCAS', etp: 0.1 },
    ]);
    const history = await database.repositories.fiches.history(fiche.id);
    const last = history.at(-1)!;
    expect(last.author.name).toBe('camille');
    expect(last.changes.map((change) => change.fieldId).sort()).toEqual([
      'budget',
      'financements',
      'moyens_humains',
    ]);
    expect(saved.reply.text).toContain('✓ Section « Moyens » enregistrée');
    expect(plain(saved.reply.text)).toContain('• Budget total : 12 000 € → 15 000 €');
    expect(saved.reply.form).toEqual({ formId: FICHE_FORM.id, step: 'recap', recordId: fiche.id });
    expect(saved.reply.card?.subtitle).toContain(`version ${stored.version}`);
    expect(saved.reply.card?.sections.find((section) => section.id === 'moyens')?.edit?.value).toBe(
      refOf(stored, 'moyens'),
    );
  });

  it('reads choices and periods with the same parsers, and « autre » asks for its precision', async () => {
    const fiche = await newFiche();
    let ref = refOf(fiche, 'public');
    const tooMany = await core().submitForm(sender('U-REF'), ref, {
      publics: ['enfants', 'jeunes', 'familles', 'seniors'],
    });
    expect(tooMany.kind === 'invalid' && tooMany.errors.publics).toMatch(
      /^3 choix au plus : vous en avez donné 4\./,
    );
    const precision = await core().submitForm(sender('U-REF'), ref, { publics: ['seniors', 'autre'] });
    expect(precision.kind === 'invalid' && precision.errors).toEqual({
      publics_autre:
        '« Autre public cible, précisez » est indispensable à la fiche : il ne peut pas rester vide.',
    });
    const saved = await core().submitForm(sender('U-REF'), ref, {
      publics: ['seniors', 'autre'],
      publics_autre: 'aidants familiaux',
      territoire: ['quartier'],
    });
    expect(saved.kind).toBe('saved');
    let stored = (await database.repositories.fiches.get(fiche.id))!;
    expect(stored.values).toMatchObject({
      publics: ['seniors', 'autre'],
      publics_autre: 'aidants familiaux',
      territoire: ['quartier'],
    });

    ref = refOf(stored, 'calendrier');
    const backwards = await core().submitForm(sender('U-REF'), ref, {
      periode: ['2027-11-30', '2027-03-01'],
    });
    expect(backwards.kind === 'invalid' && backwards.errors.periode).toMatch(
      /^La fin \(1er mars 2027\) est avant le début/,
    );
    const period = await core().submitForm(sender('U-REF'), ref, { periode: ['2027-03-01', '2027-11-30'] });
    expect(period.kind).toBe('saved');
    stored = (await database.repositories.fiches.get(fiche.id))!;
    expect(stored.values.periode).toEqual({ debut: '2027-03-01', fin: '2027-11-30' });

    // Unchanged inputs change nothing: no new version.
    const form = await open('U-REF', refOf(stored, 'calendrier'));
    const again = await core().submitForm(sender('U-REF'), form.ref, {
      periode: [form.fields[0]!.period!.start!, form.fields[0]!.period!.end!],
      etapes: form.fields[1]!.value,
    });
    expect(again.kind === 'saved' && again.reply.text).toMatch(
      /^Rien n’a changé dans la section « Calendrier »/,
    );
    expect((await database.repositories.fiches.get(fiche.id))!.version).toBe(stored.version);
  });

  it('lets only the référents of the fiche’s collectivité change it', async () => {
    const fiche = await newFiche();
    const ref = refOf(fiche, 'moyens');
    const coordinator = await core().openForm(sender('U-COORD'), ref);
    expect(coordinator).toEqual({
      ok: false,
      message: `Vous pouvez consulter la fiche n° ${fiche.number} « ${fiche.title} », mais seuls les référents de Commune de Testville la modifient.`,
    });
    for (const userId of ['U-COORD', 'U-OTHER', 'U-NOBODY']) {
      const submitted = await core().submitForm(sender(userId), ref, { budget: '1 €' });
      expect(submitted.kind, userId).toBe('refused');
    }
    const forged = await core().submitForm(sender('U-REF'), `${FICHE_FORM.id}|${fiche.id}|nulle-part|1`, {});
    expect(forged.kind).toBe('refused');
    expect((await database.repositories.fiches.get(fiche.id))!.version).toBe(fiche.version);
  });

  it('reports a fiche changed since the form opened, keeps what was typed, and saves nothing', async () => {
    const fiche = await newFiche();
    const form = await open('U-REF', refOf(fiche, 'moyens'));
    const first = await core().submitForm(sender('U-REF'), form.ref, { budget: '20 000 €' });
    expect(first.kind).toBe('saved');
    const stale = await core().submitForm(sender('U-REF'), form.ref, { budget: '9 000 €' });
    expect(stale.kind).toBe('conflict');
    if (stale.kind !== 'conflict') return;
    expect(plain(stale.message)).toMatch(
      /^ℹ️ Entre-temps, vous \(dans une autre conversation ou un formulaire\) a modifié la fiche : Budget total \(12 000 € → 20 000 €\)\. Rien n’est enregistré/,
    );
    expect(stale.form.version).toBe(fiche.version + 1);
    expect(plain(stale.form.fields.find((field) => field.id === 'budget')?.value)).toBe('9 000 €');
    expect((await database.repositories.fiches.get(fiche.id))!.values.budget).toBe(20_000);
  });

  it('sent as a message where no native form exists, the edit control asks the section’s first field', async () => {
    const fiche = await newFiche();
    const reply = await core().handleTurn(
      makeIncoming({
        channel: 'slack',
        workspaceId: 'T1',
        conversationId: 'D-U-REF',
        userId: 'U-REF',
        text: '',
        action: { id: 'edit_section', value: refOf(fiche, 'moyens') },
      }),
    );
    expect(reply.form).toMatchObject({ formId: FICHE_FORM.id, recordId: fiche.id });
    const edit = await core().handleTurn(
      makeIncoming({
        channel: 'slack',
        workspaceId: 'T1',
        conversationId: 'D-U-REF',
        userId: 'U-REF',
        text: '',
        action: { id: 'edit_section', value: refOf(fiche, 'moyens') },
      }),
    );
    expect(edit.form).toMatchObject({ step: 'question', fieldId: 'moyens_humains' });
  });
});
