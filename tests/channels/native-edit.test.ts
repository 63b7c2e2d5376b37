import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebSessions } from '../../bot/channels/web-session.ts';
import { seedDemo } from '../../bot/cli/admin-demo.ts';
import { readValue } from '../../bot/core/forms/engine.ts';
import type { NativeForm } from '../../bot/core/forms/native.ts';
import type { ChannelName } from '../../bot/core/types.ts';
import { exampleValues } from '../../bot/documents/example-fiche.ts';
import { FICHE_FORM } from '../../bot/features/fiches/form.ts';
import type { Fiche } from '../../bot/features/fiches/model.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../bot/store/database.ts';
import { FAKE_TEAM_ID, type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api.ts';
import { type FakeTeamsConnector, startFakeTeamsConnector } from '../support/fake-teams-connector.ts';
import { eventBody, formBody, postToSlackEndpoint } from '../support/slack-requests.ts';
import { SIGNING_SECRET, startTestServer, type TestServer } from '../support/test-server.ts';
import { TENANT, USER } from './teams-harness.ts';

/**
 * A recap section edited in each channel's own form, through the real protocols against one running server
 * on PGlite: a Slack modal (signed block_actions, views.open then views.update on the fake Web API, signed
 * view_submission answered with errors or closed), a Teams Adaptive Card (activities on /api/messages, the
 * replies on the fake Bot Connector) and the web's inline form (/api/form with the session cookie). Each lands
 * as one new version, with the conversation's own messages for refused values.
 */

const ADMIN = { name: 'test' };
const SLACK_USER = 'U0CAMILLE';
const SLACK_OTHER = 'U0DOMINIQUE';
const DM = 'D0CAMILLE';

let database: Database;
let server: TestServer<Database['repositories']>;
let slack: FakeSlackApi;
let teams: FakeTeamsConnector;
const people = { camille: '', dominique: '', sacha: '' };
let eventCounter = 0;

/** The conversation's own message for a refused budget. */
const budgetMessage = (text: string) => {
  const read = readValue(FICHE_FORM.fields.find((field) => field.id === 'budget')!, text, {
    today: '2026-11-29',
    values: {},
  });
  if (read.ok) throw new Error(`${text} is a valid budget`);
  return read.message;
};

async function link(channel: ChannelName, workspaceId: string, externalUserId: string, personId: string) {
  await database.repositories.identities.upsert({ channel, workspaceId, externalUserId });
  await database.repositories.directory.linkIdentity(
    { channel, workspaceId, externalUserId },
    personId,
    ADMIN,
  );
}

const demoville = async () =>
  (await database.repositories.directory.listCollectivites()).find((c) =>
    c.name.startsWith('Commune de Démoville'),
  )!;

async function newFiche(): Promise<Fiche> {
  return database.repositories.fiches.create({
    collectiviteId: (await demoville()).id,
    values: exampleValues(),
    changes: [],
    author: { name: 'test' },
  });
}

const stored = async (fiche: Fiche) => (await database.repositories.fiches.get(fiche.id))!;

beforeAll(async () => {
  database = await openDatabase({ dataDir: inMemoryDataDir });
  await seedDemo(database.repositories.directory, ADMIN);
  const { directory } = database.repositories;
  people.camille = (await directory.findPerson('camille.referente@exemple.org'))!.id;
  people.dominique = (await directory.findPerson('dominique.referent@exemple.org'))!.id;
  people.sacha = (await directory.findPerson('sacha.coordination@exemple.org'))!.id;
  await link('slack', FAKE_TEAM_ID, SLACK_USER, people.camille);
  await link('slack', FAKE_TEAM_ID, SLACK_OTHER, people.dominique);
  await link('teams', TENANT, USER.aadObjectId, people.camille);
  [slack, teams] = await Promise.all([startFakeSlackApi(), startFakeTeamsConnector()]);
  server = await startTestServer({ repositories: database.repositories, slackApiUrl: `${slack.url}/api/` });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await Promise.all([slack?.close(), teams?.close()]);
  await database?.close();
});

describe('a section edited in a Slack modal', () => {
  const endpoint = () => `${server.baseUrl}/slack/events`;
  const sendPayload = (payload: Record<string, unknown>) =>
    postToSlackEndpoint(
      endpoint(),
      SIGNING_SECRET,
      formBody({ payload: JSON.stringify(payload) }),
      'application/x-www-form-urlencoded',
    );
  type View = {
    id: string;
    title: { text: string };
    blocks: { type: string; block_id?: string; element?: Record<string, unknown>; text?: { text: string } }[];
    private_metadata: string;
    callback_id: string;
    submit?: { text: string };
  };
  const submission = (view: View, values: Record<string, Record<string, unknown>>, userId = SLACK_USER) => ({
    type: 'view_submission',
    team: { id: FAKE_TEAM_ID, domain: 'test' },
    user: { id: userId, username: 'camille', team_id: FAKE_TEAM_ID },
    api_app_id: 'A0BOUSSOLE',
    token: 'legacy',
    trigger_id: '222.333',
    view: { ...view, team_id: FAKE_TEAM_ID, state: { values } },
  });
  /** The view's state as Slack sends it: each input's action_id, with the value typed. */
  const state = (view: View, typed: Record<string, Record<string, unknown>>) =>
    Object.fromEntries(
      Object.entries(typed).map(([blockId, value]) => {
        const block = view.blocks.find((candidate) => candidate.block_id === blockId)!;
        const element = block.element as { type: string; action_id: string };
        return [blockId, { [element.action_id]: { type: element.type, ...value } }];
      }),
    );

  /** A recap section's « Modifier » clicked: the modal Slack was asked to show once filled. */
  const openModal = async (fiche: Fiche, sectionId: string) => {
    const before = slack.callsTo('views.update').length;
    await sendPayload({
      type: 'block_actions',
      team: { id: FAKE_TEAM_ID, domain: 'test' },
      user: { id: SLACK_USER, username: 'camille', team_id: FAKE_TEAM_ID },
      api_app_id: 'A0BOUSSOLE',
      token: 'legacy',
      trigger_id: `trigger-${sectionId}`,
      container: { type: 'message', message_ts: '1800000000.000009', channel_id: DM, is_ephemeral: false },
      channel: { id: DM, name: 'directmessage' },
      message: { type: 'message', ts: '1800000000.000009', text: 'récap' },
      actions: [
        {
          type: 'button',
          block_id: 'section_edit',
          action_id: 'edit_section#card-0',
          value: `${FICHE_FORM.id}|${fiche.id}|${sectionId}|${(await stored(fiche)).version}`,
          action_ts: '1700000000.2',
        },
      ],
    });
    const update = (await slack.waitFor('views.update', before + 1))[before]!;
    return { ...(update.body.view as View), id: update.body.view_id as string };
  };

  it('opens the modal at once from the recap button, then fills it; refused values come back under their inputs; a valid one is saved and the recap posted', async () => {
    const fiche = await newFiche();
    const ts = `1700100${String(++eventCounter).padStart(3, '0')}.000100`;
    const dm = {
      type: 'message',
      channel_type: 'im',
      channel: DM,
      user: SLACK_USER,
      text: `reprendre la fiche ${fiche.number}`,
      ts,
      event_ts: ts,
      team: FAKE_TEAM_ID,
    };
    await postToSlackEndpoint(
      endpoint(),
      SIGNING_SECRET,
      eventBody(`Ev${ts}`, dm, FAKE_TEAM_ID),
      'application/json',
    );
    const [recap] = await slack.waitFor('chat.postMessage');
    // The recap card's sections, each with its « Modifier » button (the section edit control).
    const buttons = (recap!.body.blocks as { block_id?: string; accessory?: Record<string, string> }[])
      .map((block) => ({ blockId: block.block_id, button: block.accessory }))
      .filter((entry) => entry.button?.action_id?.startsWith('edit_section#'));
    expect(buttons.map((entry) => entry.button!.value!.split('|')[2])).toEqual(
      FICHE_FORM.sections.map((section) => section.id),
    );
    const { blockId, button: moyens } = buttons.find((entry) => entry.button!.value!.includes('|moyens|'))!;

    const clickedAt = Date.now();
    const clicked = await sendPayload({
      type: 'block_actions',
      team: { id: FAKE_TEAM_ID, domain: 'test' },
      user: { id: SLACK_USER, username: 'camille', team_id: FAKE_TEAM_ID },
      api_app_id: 'A0BOUSSOLE',
      token: 'legacy',
      trigger_id: '111.222',
      container: { type: 'message', message_ts: '1800000000.000001', channel_id: DM, is_ephemeral: false },
      channel: { id: DM, name: 'directmessage' },
      message: { type: 'message', ts: '1800000000.000001', text: 'récap' },
      actions: [{ ...moyens, block_id: blockId, action_ts: '1700000000.1', type: 'button' }],
    });
    expect(clicked.status).toBe(200);
    const [open] = await slack.waitFor('views.open');
    expect(open!.body.trigger_id).toBe('111.222');
    // Well within the trigger_id's 3 s (measured here: a few tens of milliseconds).
    expect(open!.at - clickedAt).toBeLessThan(1_000);
    const [update] = await slack.waitFor('views.update');
    // Opened first, filled after: the trigger_id is spent before the database is read.
    expect(slack.calls.indexOf(open!)).toBeLessThan(slack.calls.indexOf(update!));
    const opened = open!.body.view as View;
    const view = { ...(update!.body.view as View), id: update!.body.view_id as string };
    expect(update!.body.view_id).toMatch(/^V/);
    expect(opened.blocks[0]?.text?.text).toBe('Chargement de la section…');
    expect(view.title.text).toBe(`Fiche n° ${fiche.number} · Moyens`);
    expect(view.submit?.text).toBe('Enregistrer');
    expect(view.blocks.filter((block) => block.type === 'input').map((block) => block.block_id)).toEqual([
      'moyens_humains',
      'budget',
      'financements',
    ]);
    const budgetInput = view.blocks.find((block) => block.block_id === 'budget')!.element!;
    expect(budgetInput).toMatchObject({ type: 'plain_text_input' });
    expect(String(budgetInput.initial_value).replace(/[\u00a0\u202f]/g, ' ')).toBe('12 000 €');
    // The modal keeps only the form reference and where to post the recap.
    expect(JSON.parse(view.private_metadata)).toEqual({
      r: `${FICHE_FORM.id}|${fiche.id}|moyens|${fiche.version}`,
      c: DM,
      t: '1800000000.000001',
    });

    const refused = await sendPayload(
      submission(view, state(view, { budget: { value: 'beaucoup' }, financements: { value: null } })),
    );
    expect(refused.status).toBe(200);
    expect(await refused.json()).toEqual({
      response_action: 'errors',
      errors: { budget: budgetMessage('beaucoup') },
    });
    expect((await stored(fiche)).version).toBe(fiche.version);

    const saved = await sendPayload(submission(view, state(view, { budget: { value: '15 000 €' } })));
    expect(saved.status).toBe(200);
    expect(await saved.text()).toBe('');
    const after = await stored(fiche);
    expect(after.version).toBe(fiche.version + 1);
    expect(after.values.budget).toBe(15_000);
    const history = await database.repositories.fiches.history(fiche.id);
    expect(history.at(-1)).toMatchObject({
      author: { personId: people.camille },
      changes: [{ fieldId: 'budget' }],
    });
    const [, posted] = await slack.waitFor('chat.postMessage', 2);
    expect(posted!.body.channel).toBe(DM);
    expect(String(posted!.body.text)).toContain('✓ Section « Moyens » enregistrée');

    // The same modal, submitted again: the fiche moved on, nothing is saved, the modal says why.
    const stale = await sendPayload(submission(view, state(view, { budget: { value: '9 000 €' } })));
    const staleView = (await stale.json()) as { response_action: string; view: View };
    expect(staleView.response_action).toBe('update');
    expect(staleView.view.blocks[0]?.text?.text).toContain('Entre-temps');
    expect((await stored(fiche)).values.budget).toBe(15_000);

    // A référent of another collectivité submitting that modal changes nothing.
    const forged = await sendPayload(
      submission(view, state(view, { budget: { value: '1 €' } }), SLACK_OTHER),
    );
    const forgedView = (await forged.json()) as { response_action: string; view: View };
    expect(forgedView.response_action).toBe('update');
    expect(forgedView.view.submit).toBeUndefined();
    expect((await stored(fiche)).version).toBe(after.version);
  });

  it('fits every section of a full fiche, long texts included, in Slack’s modal limits', async () => {
    const contenu = `${'Dix ateliers de deux heures, animés par une diététicienne. '.repeat(60)}`.slice(
      0,
      3_990,
    );
    const fiche = await database.repositories.fiches.create({
      collectiviteId: (await demoville()).id,
      values: { ...exampleValues(), contenu },
      changes: [],
      author: { name: 'test' },
    });
    for (const { id: sectionId } of FICHE_FORM.sections) {
      const view = await openModal(fiche, sectionId);
      expect(view.title.text.length, sectionId).toBeLessThanOrEqual(24);
      expect(view.blocks.length, sectionId).toBeLessThanOrEqual(100);
      expect(view.private_metadata.length).toBeLessThanOrEqual(3_000);
      for (const block of view.blocks) {
        const element = (block.element ?? {}) as {
          initial_value?: string;
          options?: { text: { text: string } }[];
        };
        expect(element.initial_value?.length ?? 0, block.block_id).toBeLessThanOrEqual(3_000);
        for (const option of element.options ?? []) expect(option.text.text.length).toBeLessThanOrEqual(75);
      }
    }
    // The 3,990-character contenu is shown, not put in an input it would not fit: it is kept as it is.
    const contenuView = await openModal(fiche, 'contenu');
    expect(contenuView.blocks.some((block) => block.block_id === 'contenu')).toBe(false);
    expect(contenuView.blocks.map((block) => block.text?.text ?? '').join('\n')).toContain(
      'trop long pour ce formulaire Slack',
    );
    const saved = await sendPayload(submission(contenuView, {}));
    expect(saved.status).toBe(200);
    expect((await stored(fiche)).values.contenu).toBe(contenu);
  });

  it('reads a multiple choice, a « précisez » field and a period from the modal’s selects and date pickers', async () => {
    const fiche = await newFiche();
    const publicView = await openModal(fiche, 'public');
    const publics = publicView.blocks.find((block) => block.block_id === 'publics')!.element!;
    expect(publics).toMatchObject({ type: 'multi_static_select', max_selected_items: 3 });
    expect((publics.initial_options as { value: string }[]).map((option) => option.value)).toEqual(
      fiche.values.publics,
    );
    const option = (id: string) => (publics.options as { value: string }[]).find((item) => item.value === id);
    const missing = await sendPayload(
      submission(
        publicView,
        state(publicView, {
          publics: { selected_options: [option('seniors'), option('autre')] },
          publics_autre: { value: null },
        }),
      ),
    );
    expect(await missing.json()).toEqual({
      response_action: 'errors',
      errors: {
        publics_autre:
          '« Autre public cible, précisez » est indispensable à la fiche : il ne peut pas rester vide.',
      },
    });
    const saved = await sendPayload(
      submission(
        publicView,
        state(publicView, {
          publics: { selected_options: [option('seniors'), option('autre')] },
          publics_autre: { value: 'aidants familiaux' },
          territoire: {
            selected_option: (
              publicView.blocks.find((block) => block.block_id === 'territoire')!.element!.options as {
                value: string;
              }[]
            ).find((item) => item.value === 'quartier'),
          },
        }),
      ),
    );
    expect(saved.status).toBe(200);
    expect((await stored(fiche)).values).toMatchObject({
      publics: ['seniors', 'autre'],
      publics_autre: 'aidants familiaux',
      territoire: ['quartier'],
    });

    const calendar = await openModal(fiche, 'calendrier');
    expect(
      calendar.blocks
        .filter((block) => block.element?.type === 'datepicker')
        .map((block) => [block.block_id, block.element!.initial_date]),
    ).toEqual([
      ['periode', '2027-09-01'],
      ['periode__fin', '2028-06-30'],
    ]);
    const backwards = await sendPayload(
      submission(
        calendar,
        state(calendar, {
          periode: { selected_date: '2027-11-30' },
          periode__fin: { selected_date: '2027-03-01' },
        }),
      ),
    );
    expect(((await backwards.json()) as { errors: Record<string, string> }).errors.periode).toMatch(
      /^La fin \(1er mars 2027\) est avant le début/,
    );
    await sendPayload(
      submission(
        calendar,
        state(calendar, {
          periode: { selected_date: '2027-03-01' },
          periode__fin: { selected_date: '2027-11-30' },
        }),
      ),
    );
    expect((await stored(fiche)).values.periode).toEqual({ debut: '2027-03-01', fin: '2027-11-30' });
  });
});

describe('a section edited in a Teams Adaptive Card', () => {
  let activityCounter = 0;
  const post = (fields: Record<string, unknown>) =>
    fetch(`${server.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: `native-${++activityCounter}`,
        channelId: 'msteams',
        serviceUrl: teams.url,
        timestamp: new Date().toISOString(),
        locale: 'fr-FR',
        from: USER,
        recipient: { id: '28:boussole-bot', name: 'Boussole' },
        conversation: { id: 'a:1personal-camille', conversationType: 'personal', tenantId: TENANT },
        channelData: { tenant: { id: TENANT } },
        ...fields,
      }),
    });
  // biome-ignore lint/suspicious/noExplicitAny: Adaptive Card JSON, asserted field by field.
  type Card = { version: string; body: any[]; actions: any[] };
  const lastCard = async (count: number): Promise<{ text: string; card?: Card }> => {
    const calls = await teams.waitFor((call) => call.body.type === 'message', count);
    const body = calls[count - 1]!.body;
    return { text: body.text, card: body.attachments?.[0]?.content };
  };

  /** A section's edit control in the recap card: an Action.Submit somewhere in its layout. */
  const editOf = (card: Card, sectionId: string): { data: { actionId: string; value: string } } => {
    const found: { type?: string; data?: { actionId: string; value: string } }[] = [];
    JSON.stringify(card, (_key, value) => {
      if (value?.type === 'Action.Submit' && value.data?.actionId === 'edit_section') found.push(value);
      return value;
    });
    return found.find((action) => action.data!.value.split('|')[2] === sectionId) as {
      data: { actionId: string; value: string };
    };
  };

  it('sends the section’s form with its current values, reads the values back, shows refused ones under their inputs, then saves', async () => {
    const fiche = await newFiche();
    expect((await post({ text: `reprendre la fiche ${fiche.number}` })).status).toBe(200);
    const recap = await lastCard(1);
    const moyens = editOf(recap.card!, 'moyens');
    expect(moyens.data).toEqual({
      actionId: 'edit_section',
      value: `${FICHE_FORM.id}|${fiche.id}|moyens|${fiche.version}`,
    });

    // Teams posts an Action.Submit as a message whose value is the button's data.
    await post({ text: undefined, value: moyens.data });
    const form = (await lastCard(2)).card!;
    expect(form.version).toBe('1.5');
    const inputs = form.body.filter((item: { type: string }) => item.type.startsWith('Input.'));
    expect(inputs.map((input: { id: string; type: string }) => [input.id, input.type])).toEqual([
      ['t:moyens_humains', 'Input.Text'],
      ['t:budget', 'Input.Text'],
      ['t:financements', 'Input.Text'],
    ]);
    expect(inputs[1].value.replace(/[\u00a0\u202f]/g, ' ')).toBe('12 000 €');
    const submit = form.actions[0];
    expect(submit).toMatchObject({ type: 'Action.Submit', title: 'Enregistrer' });

    // The inputs come back merged into the submit's data.
    await post({
      text: undefined,
      value: {
        ...submit.data,
        't:moyens_humains': inputs[0].value,
        't:budget': 'à définir',
        't:financements': inputs[2].value,
      },
    });
    const refused = (await lastCard(3)).card!;
    const budgetIndex = refused.body.findIndex((item: { id?: string }) => item.id === 't:budget');
    expect(refused.body.find((item: { id?: string }) => item.id === 't:budget').value).toBe('à définir');
    expect(
      refused.body.slice(budgetIndex).find((item: { color?: string }) => item.color === 'Attention').text,
    ).toBe(`⚠️ ${budgetMessage('à définir')}`);
    expect((await stored(fiche)).version).toBe(fiche.version);

    await post({ text: undefined, value: { ...submit.data, 't:budget': '18 000 €' } });
    const saved = await lastCard(4);
    expect(saved.text).toContain('✓ Section « Moyens » enregistrée');
    const after = await stored(fiche);
    expect(after).toMatchObject({ version: fiche.version + 1, values: { budget: 18_000 } });

    // A choice and a period, read back from Input.ChoiceSet and Input.Date.
    const publicEdit = editOf(saved.card!, 'calendrier');
    await post({ text: undefined, value: publicEdit.data });
    const calendrier = (await lastCard(5)).card!;
    const dates = calendrier.body.filter((item: { type: string }) => item.type === 'Input.Date');
    expect(dates.map((input: { id: string; value: string }) => [input.id, input.value])).toEqual([
      ['d:periode:debut', '2027-09-01'],
      ['d:periode:fin', '2028-06-30'],
    ]);
    await post({
      text: undefined,
      value: {
        ...calendrier.actions[0].data,
        'd:periode:debut': '2027-03-01',
        'd:periode:fin': '2027-11-30',
      },
    });
    expect((await lastCard(6)).text).toContain('✓ Section « Calendrier » enregistrée');
    expect((await stored(fiche)).values.periode).toEqual({ debut: '2027-03-01', fin: '2027-11-30' });
  });
});

describe('a section edited in the web chat’s inline form', () => {
  let cookie: string;
  const conversationId = 'conv-native-web';
  const userId = 'navigateur-native';
  const submit = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    fetch(`${server.baseUrl}/api/form`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, ...headers },
      body: JSON.stringify({ conversationId, userId, ...body }),
    });

  beforeAll(async () => {
    const sessions = createWebSessions({ config: server.config, repositories: database.repositories });
    const setCookie = await sessions.openCookie(people.camille);
    cookie = setCookie.split(';')[0]!;
  });

  it('describes the section for the signed-in référent, refuses with the same messages, saves one version', async () => {
    const fiche = await newFiche();
    const chat = await fetch(`${server.baseUrl}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ conversationId, userId, text: `reprendre la fiche ${fiche.number}` }),
    });
    const recap = (await chat.json()) as {
      card: { sections: { id: string; edit: { actionId: string; value: string } }[] };
    };
    const edit = recap.card.sections.find((section) => section.id === 'moyens')!.edit;
    expect(edit.actionId).toBe('edit_section');

    const query = new URLSearchParams({ conversationId, userId, ref: edit.value });
    const opened = await fetch(`${server.baseUrl}/api/form?${query}`, { headers: { cookie } });
    expect(opened.status).toBe(200);
    const { form } = (await opened.json()) as { form: NativeForm };
    expect(form.fields.map((field) => field.id)).toEqual(['moyens_humains', 'budget', 'financements']);

    const refused = await submit({ ref: form.ref, values: { budget: 'beaucoup' } });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({
      status: 'invalid',
      errors: { budget: budgetMessage('beaucoup') },
    });

    const saved = await submit({ ref: form.ref, values: { budget: '21 000 €' } });
    expect(saved.status).toBe(200);
    const body = (await saved.json()) as {
      status: string;
      reply: { text: string; card: { subtitle: string } };
    };
    expect(body.status).toBe('saved');
    expect(body.reply.card.subtitle).toContain(`version ${fiche.version + 1}`);
    expect((await stored(fiche)).values.budget).toBe(21_000);

    // The fiche open in this conversation goes on from the new version: no « entre-temps » about one's own form.
    const again = await fetch(`${server.baseUrl}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ conversationId, userId, text: 'récap' }),
    });
    const recapAgain = (await again.json()) as { text: string; card: { subtitle: string } };
    expect(recapAgain.text).not.toContain('Entre-temps');
    expect(recapAgain.card.subtitle).toContain(`version ${fiche.version + 1}`);

    // Stale: the same form again.
    const stale = await submit({ ref: form.ref, values: { budget: '5 000 €' } });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { message: string }).message).toContain('Entre-temps');
  });

  it('lets no visitor, coordinator or other site change a fiche', async () => {
    const fiche = await newFiche();
    const ref = `${FICHE_FORM.id}|${fiche.id}|moyens|${fiche.version}`;
    const visitor = await fetch(`${server.baseUrl}/api/form`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId, userId, ref, values: { budget: '1 €' } }),
    });
    expect(visitor.status).toBe(403);
    const sessions = createWebSessions({ config: server.config, repositories: database.repositories });
    const coordinator = (await sessions.openCookie(people.sacha)).split(';')[0]!;
    const asCoordinator = await submit({ ref, values: { budget: '1 €' } }, { cookie: coordinator });
    expect(asCoordinator.status).toBe(403);
    expect(((await asCoordinator.json()) as { error: string }).error).toMatch(
      /seuls les référents de Commune de Démoville/,
    );
    const foreign = await submit({ ref, values: { budget: '1 €' } }, { origin: 'https://ailleurs.example' });
    expect(foreign.status).toBe(403);
    expect((await stored(fiche)).version).toBe(fiche.version);
  });
});
