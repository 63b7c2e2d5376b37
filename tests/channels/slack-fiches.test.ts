import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFormBlockId } from '../../bot/channels/slack-render.ts';
import { seedDemo } from '../../bot/cli/admin-demo.ts';
import type { FormMarker } from '../../bot/core/types.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../bot/store/database.ts';
import {
  FAKE_BOT_USER_ID,
  FAKE_TEAM_ID,
  type FakeSlackApi,
  startFakeSlackApi,
} from '../support/fake-slack-api.ts';
import {
  cancelSecondDraft,
  draftScriptedFiche,
  type FicheDriver,
  SCRIPTED_FICHE,
  type ScriptReply,
} from '../support/fiche-script.ts';
import { openFixtureKnowledgeBase } from '../support/fixture-knowledge-base.ts';
import { eventBody, formBody, postToSlackEndpoint } from '../support/slack-requests.ts';
import { SIGNING_SECRET, startTestServer, type TestServer } from '../support/test-server.ts';

/**
 * Fiches-actions through the Slack endpoint: signed events and clicks in, the Web API (a fake speaking Slack's
 * protocol) out, on a real (in-memory PGlite) database and the knowledge base built from the project's
 * sources. Each person is matched by the e-mail users.info gives; the test follows the form by block_id.
 */

type Button = { type: string; action_id: string; value?: string; text: { text: string } };
type Block = {
  type: string;
  block_id?: string;
  text?: { type: string; text: string };
  elements?: (Button & { text?: unknown })[];
  accessory?: Button;
};
interface SlackReply extends ScriptReply {
  method: 'chat.postMessage' | 'chat.postEphemeral';
  blocks: Block[];
  threadTs?: string;
}

const ADMIN = { name: 'test' };
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** Slack accounts, each in its own direct conversation with the app. */
const CAMILLE = { user: 'U0CAMILLE', channel: 'D0CAMILLE', email: 'camille.referente@exemple.org' };
const DOMINIQUE = { user: 'U0DOMINIQUE', channel: 'D0DOMINIQUE', email: 'dominique.referent@exemple.org' };
const STRANGER = { user: 'U0INCONNU', channel: 'D0INCONNU', email: 'personne@ailleurs.example' };
const NO_EMAIL = { user: 'U0SANSMAIL', channel: 'D0SANSMAIL' };
type Account = { user: string; channel: string };

let database: Database;
let knowledge: Awaited<ReturnType<typeof openFixtureKnowledgeBase>>;
let fake: FakeSlackApi;
let server: TestServer<Database['repositories']>;
let eventCounter = 0;

const start = () =>
  startTestServer({ knowledge, repositories: database.repositories, slackApiUrl: `${fake.url}/api/` });

beforeAll(async () => {
  [database, knowledge, fake] = await Promise.all([
    openDatabase({ dataDir: inMemoryDataDir }),
    openFixtureKnowledgeBase({ sources: 'corpus' }),
    startFakeSlackApi(),
  ]);
  await seedDemo(database.repositories.directory, ADMIN);
  for (const account of [CAMILLE, DOMINIQUE, STRANGER]) fake.setUser(account.user, { email: account.email });
  fake.setUser(NO_EMAIL.user, {});
  server = await start();
}, 120_000);

afterAll(async () => {
  await server?.close();
  await fake?.close();
  await database?.close();
  await knowledge?.dispose();
});

/** Slack sends &, < and > encoded in message text. */
const slackEncoded = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const repliesIn = (channel: string) =>
  fake.calls.filter(
    (call) =>
      (call.method === 'chat.postMessage' || call.method === 'chat.postEphemeral') &&
      call.body.channel === channel,
  );

/** The marker of a message: every one of its blocks carries the same, with its own index. */
function markerOf(blocks: Block[]): FormMarker | undefined {
  const markers = blocks.map((block) => parseFormBlockId(block.block_id));
  expect(new Set(markers.map((marker) => JSON.stringify(marker ?? null))).size).toBeLessThanOrEqual(1);
  if (markers[0]) expect(new Set(blocks.map((block) => block.block_id)).size).toBe(blocks.length);
  return markers[0];
}

/** Waits for the next reply in `channel` after the `before` first ones, and reads it back. */
async function nextReply(channel: string, before: number): Promise<SlackReply> {
  const deadline = Date.now() + 10_000;
  while (repliesIn(channel).length <= before) {
    if (Date.now() > deadline) throw new Error(`no reply in ${channel}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const call = repliesIn(channel)[before]!;
  const blocks = (call.body.blocks ?? []) as Block[];
  expect(blocks.length).toBeLessThanOrEqual(50);
  for (const block of blocks) expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3_000);
  return {
    method: call.method as SlackReply['method'],
    blocks,
    threadTs: call.body.thread_ts as string | undefined,
    form: markerOf(blocks),
    text: blocks.map((block) => block.text?.text ?? '').join('\n'),
    sources: blocks
      .filter((block) => block.type === 'context')
      .flatMap((block) => block.elements ?? [])
      .filter((element) => String(element.text).includes('/sources/')).length,
  };
}

/** A direct message to the app, or a mention in a channel's thread when `threadTs` is given. */
async function say(account: Account, text: string, options: { channel?: string; threadTs?: string } = {}) {
  const channel = options.channel ?? account.channel;
  const ts = `1800000${String(++eventCounter).padStart(3, '0')}.000100`;
  const event = options.threadTs
    ? {
        type: 'app_mention',
        text: `<@${FAKE_BOT_USER_ID}> ${slackEncoded(text)}`,
        thread_ts: options.threadTs,
      }
    : { type: 'message', channel_type: 'im', text: slackEncoded(text) };
  const before = repliesIn(channel).length;
  const response = await postToSlackEndpoint(
    `${server.baseUrl}/slack/events`,
    SIGNING_SECRET,
    eventBody(
      `Ev${ts.replace('.', '')}`,
      { ...event, user: account.user, channel, ts, event_ts: ts },
      FAKE_TEAM_ID,
    ),
    'application/json',
  );
  expect(response.status).toBe(200);
  return nextReply(channel, before);
}

const buttonsOf = (reply: SlackReply): Button[] =>
  reply.blocks.flatMap((block) => [
    ...(block.type === 'actions' ? (block.elements ?? []) : []),
    ...(block.accessory ? [block.accessory] : []),
  ]);

/** A click as Slack posts it: a signed block_actions payload naming the button, its block and message. */
async function press(account: Account, button: Pick<Button, 'action_id' | 'value'>, blockId = 'b') {
  const before = repliesIn(account.channel).length;
  const payload = {
    type: 'block_actions',
    team: { id: FAKE_TEAM_ID, domain: 'test' },
    user: { id: account.user, username: 'personne', team_id: FAKE_TEAM_ID },
    api_app_id: 'A0BOUSSOLE',
    token: 'legacy',
    trigger_id: '123.456',
    container: { type: 'message', message_ts: '1800000000.000001', channel_id: account.channel },
    channel: { id: account.channel, name: 'directmessage' },
    message: { type: 'message', ts: '1800000000.000001', text: 'question' },
    actions: [{ type: 'button', block_id: blockId, action_ts: '1800000000.1', ...button }],
  };
  const response = await postToSlackEndpoint(
    `${server.baseUrl}/slack/events`,
    SIGNING_SECRET,
    formBody({ payload: JSON.stringify(payload) }),
    'application/x-www-form-urlencoded',
  );
  expect(response.status).toBe(200);
  return nextReply(account.channel, before);
}

interface ModalView {
  id: string;
  blocks: { block_id?: string; element?: { type: string; action_id: string } }[];
  private_metadata: string;
}

/** The section edit button clicked: the modal opened with views.open, then filled with views.update. */
async function openModal(account: Account, button: Pick<Button, 'action_id' | 'value'>, blockId: string) {
  const before = fake.callsTo('views.update').length;
  const response = await postToSlackEndpoint(
    `${server.baseUrl}/slack/events`,
    SIGNING_SECRET,
    formBody({
      payload: JSON.stringify({
        type: 'block_actions',
        team: { id: FAKE_TEAM_ID, domain: 'test' },
        user: { id: account.user, username: 'personne', team_id: FAKE_TEAM_ID },
        api_app_id: 'A0BOUSSOLE',
        token: 'legacy',
        trigger_id: '123.456',
        container: { type: 'message', message_ts: '1800000000.000001', channel_id: account.channel },
        channel: { id: account.channel, name: 'directmessage' },
        message: { type: 'message', ts: '1800000000.000001', text: 'récap' },
        actions: [{ type: 'button', block_id: blockId, action_ts: '1800000000.1', ...button }],
      }),
    }),
    'application/x-www-form-urlencoded',
  );
  expect(response.status).toBe(200);
  const update = (await fake.waitFor('views.update', before + 1))[before]!;
  return { ...(update.body.view as ModalView), id: String(update.body.view_id) };
}

/** The modal submitted (view_submission) with these values in its inputs' state; the reply is the new recap. */
async function submitModal(account: Account, view: ModalView, values: Record<string, string | string[]>) {
  const state: Record<string, Record<string, Record<string, unknown>>> = {};
  const put = (blockId: string, value: Record<string, unknown>) => {
    const element = view.blocks.find((block) => block.block_id === blockId)!.element!;
    state[blockId] = { [element.action_id]: { type: element.type, ...value } };
  };
  for (const [fieldId, value] of Object.entries(values)) {
    const type = view.blocks.find((block) => block.block_id === fieldId)?.element?.type;
    if (type === 'datepicker') {
      put(fieldId, { selected_date: value[0] });
      put(`${fieldId}__fin`, { selected_date: value[1] });
    } else if (type === 'multi_static_select')
      put(fieldId, { selected_options: [value].flat().map((id) => ({ value: id })) });
    else if (type === 'static_select') put(fieldId, { selected_option: { value: [value].flat()[0] } });
    else put(fieldId, { value });
  }
  const before = repliesIn(account.channel).length;
  const response = await postToSlackEndpoint(
    `${server.baseUrl}/slack/events`,
    SIGNING_SECRET,
    formBody({
      payload: JSON.stringify({
        type: 'view_submission',
        team: { id: FAKE_TEAM_ID, domain: 'test' },
        user: { id: account.user, username: 'personne', team_id: FAKE_TEAM_ID },
        api_app_id: 'A0BOUSSOLE',
        token: 'legacy',
        trigger_id: '123.457',
        view: { ...view, team_id: FAKE_TEAM_ID, state: { values: state } },
      }),
    }),
    'application/x-www-form-urlencoded',
  );
  expect(response.status).toBe(200);
  // Accepted: Slack closes the modal (an empty answer), and the recap comes in the conversation.
  expect(await response.text()).toBe('');
  return nextReply(account.channel, before);
}

function driver(account: Account): FicheDriver<SlackReply> {
  return {
    say: (text) => say(account, text),
    async click(reply, label) {
      const button = buttonsOf(reply).find((candidate) =>
        typeof label === 'string' ? candidate.text.text === label : label.test(candidate.text.text),
      );
      expect(button, `button « ${label} » in ${JSON.stringify(buttonsOf(reply))}`).toBeDefined();
      return press(account, button!);
    },
    async editSection(reply, sectionId, values) {
      const section = reply.blocks.find(
        (block) => block.accessory && block.text?.text.startsWith(`*${sectionTitles[sectionId]}*`),
      );
      expect(section?.accessory?.text.text).toBe('Modifier');
      return submitModal(account, await openModal(account, section!.accessory!, section!.block_id!), values);
    },
    async restart() {
      await server.close();
      server = await start();
    },
  };
}

const sectionTitles: Record<string, string> = { calendrier: 'Calendrier', public: 'Public et territoire' };

const fichesOf = (collectiviteName: string) =>
  database.repositories.directory
    .findCollectivite(collectiviteName)
    .then((collectivite) => database.repositories.fiches.list({ collectiviteIds: [collectivite!.id] }));

const personOf = (email: string) =>
  database.repositories.directory.findPerson(email).then((person) => person!.id);

describe('drafting a fiche-action in Slack', () => {
  it('drafts a whole fiche in a direct conversation, the person matched by the e-mail users.info gives', async () => {
    const recap = await draftScriptedFiche(driver(CAMILLE));

    // users.info was asked once, and the account is now Camille's.
    expect(fake.callsTo('users.info').filter((call) => call.body.user === CAMILLE.user)).toHaveLength(1);
    const actor = await database.repositories.directory.actorByIdentity({
      channel: 'slack',
      workspaceId: FAKE_TEAM_ID,
      externalUserId: CAMILLE.user,
    });
    expect(actor?.personId).toBe(await personOf(CAMILLE.email));

    // The recap as Block Kit: header, subtitle, a section per card section with its « Modifier » button.
    const [fiche] = await fichesOf('Commune de Démoville (démo)');
    expect(recap.form).toEqual({ formId: 'fiche_action', step: 'recap', recordId: fiche!.id });
    expect(recap.blocks[0]?.block_id).toBe(`form:fiche_action::recap:${fiche!.id}#0`);
    const header = recap.blocks.find((block) => block.type === 'header');
    expect(header?.text).toMatchObject({
      type: 'plain_text',
      text: 'Fiche-action n° 1 · Ateliers cuisine & santé <familles>',
    });
    const calendrier = recap.blocks.find((block) => block.text?.text.startsWith('*Calendrier*'));
    expect(calendrier?.text?.text).toBe(
      '*Calendrier*\n*Calendrier prévisionnel* : de mars à novembre 2027\n*Étapes clés* : —',
    );
    // Its « Modifier » opens the section's modal (native-edit.test.ts).
    expect(calendrier?.accessory?.value).toMatch(
      new RegExp(`^fiche_action\\|${fiche!.id}\\|calendrier\\|\\d+$`),
    );
    expect(calendrier?.accessory?.action_id).toMatch(/^edit_section#/);
    const identification = recap.blocks.find((block) => block.text?.text.startsWith('*Identification*'));
    expect(identification?.text?.text).toContain('Ateliers cuisine &amp; santé &lt;familles&gt;');
    expect(buttonsOf(recap).map((button) => button.text.text)).toContain('Soumettre à la coordination');

    expect(fiche!.values).toEqual(SCRIPTED_FICHE);
    expect(fiche!.status).toBe('brouillon');
    const history = await database.repositories.fiches.history(fiche!.id);
    expect(new Set(history.map((version) => version.author.personId))).toEqual(
      new Set([await personOf(CAMILLE.email)]),
    );
  });

  it('uploads the fiche in Word into the thread, and keeps its signed link in the text', async () => {
    const thread = '1800000999.000100';
    const uploadsBefore = fake.uploads.length;
    const reply = await say(CAMILLE, 'exporter la fiche 1 en Word', {
      channel: 'C0PROJETS',
      threadTs: thread,
    });
    expect(reply.threadTs).toBe(thread);
    expect(reply.text).toMatch(/<https:\/\/boussole\.test\/documents\/[^|]+\|fiche-action-1-[^>]+\.docx>/);
    await fake.waitFor('files.completeUploadExternal');
    const [request] = fake.callsTo('files.getUploadURLExternal');
    expect(request?.body).toMatchObject({ filename: expect.stringMatching(/^fiche-action-1-.+\.docx$/) });
    const upload = fake.uploads[uploadsBefore]!;
    expect(Number(request?.body.length)).toBe(upload.bytes.length);
    expect(upload.bytes.subarray(0, 2).toString()).toBe('PK');
    const [complete] = fake.callsTo('files.completeUploadExternal');
    expect(complete?.body).toMatchObject({ channel_id: 'C0PROJETS', thread_ts: thread });
    expect(complete?.body.files).toEqual([{ id: upload.fileId, title: upload.filename }]);
    // The link itself serves the same document.
    const link = /<(https:\/\/boussole\.test\/documents\/[^|]+)\|/.exec(reply.text)![1]!;
    const download = await fetch(`${server.baseUrl}${new URL(link).pathname}`);
    expect(download.headers.get('content-type')).toBe(DOCX);
  });

  it('cancels a second draft after confirmation, keeping nothing of it', async () => {
    await cancelSecondDraft(driver(CAMILLE));
    const titles = (await fichesOf('Commune de Démoville (démo)')).map((fiche) => fiche.title);
    expect(titles).not.toContain('Marche santé seniors');
  });
});

describe('who sees and changes nothing in Slack', () => {
  const snapshot = async () => {
    const [fiche] = await fichesOf('Commune de Démoville (démo)');
    return { fiche, versions: (await database.repositories.fiches.history(fiche!.id)).length };
  };

  async function expectNothingSeen(account: Account, noRights: boolean) {
    const before = await snapshot();
    const ficheId = before.fiche!.id;
    const uploads = fake.uploads.length;
    const replies: SlackReply[] = [];
    for (const text of ['mes fiches', 'voir la fiche 1', 'reprendre la fiche 1', 'soumettre la fiche 1']) {
      const reply = await say(account, text);
      if (noRights) expect(reply.text).toMatch(/il faut être inscrit comme référent ou coordinateur/);
      replies.push(reply);
    }
    replies.push(await say(account, 'exporter la fiche 1 en Word'));
    for (const value of ['view', 'resume', 'submit', 'history'].map((verb) => `${verb}:${ficheId}`))
      replies.push(await press(account, { action_id: 'fiche#0', value }));
    replies.push(await press(account, { action_id: 'form#0', value: 'cmd:edit:budget' }));
    replies.push(await say(account, 'nouvelle fiche-action'));
    for (const reply of replies) {
      const shown = JSON.stringify(reply.blocks);
      expect(shown).not.toContain('Ateliers cuisine');
      expect(shown).not.toContain(ficheId);
      expect(shown).not.toContain('/documents/');
      expect(reply.form?.recordId).not.toBe(ficheId);
    }
    expect(fake.uploads.length).toBe(uploads);
    const after = await snapshot();
    expect(after.fiche).toEqual(before.fiche);
    expect(after.versions).toBe(before.versions);
  }

  it('a référent of another collectivité, matched by e-mail', async () => {
    await expectNothingSeen(DOMINIQUE, false);
    const actor = await database.repositories.directory.actorByIdentity({
      channel: 'slack',
      workspaceId: FAKE_TEAM_ID,
      externalUserId: DOMINIQUE.user,
    });
    expect(actor?.personId).toBe(await personOf(DOMINIQUE.email));
  });

  it('a person the directory does not know, and an account whose e-mail Slack does not give', async () => {
    await expectNothingSeen(STRANGER, true);
    await expectNothingSeen(NO_EMAIL, true);
    expect(fake.callsTo('users.info').map((call) => call.body.user)).toEqual(
      expect.arrayContaining([STRANGER.user, NO_EMAIL.user]),
    );
  });
});
