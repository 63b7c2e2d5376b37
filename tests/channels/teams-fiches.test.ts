import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../bot/cli/admin-demo.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../bot/store/database.ts';
import {
  type ConnectorCall,
  type FakeTeamsConnector,
  startFakeTeamsConnector,
} from '../support/fake-teams-connector.ts';
import {
  cancelSecondDraft,
  draftScriptedFiche,
  type FicheDriver,
  SCRIPTED_FICHE,
  type ScriptReply,
} from '../support/fiche-script.ts';
import { openFixtureKnowledgeBase } from '../support/fixture-knowledge-base.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { BOT, TENANT } from './teams-harness.ts';

/**
 * Fiches-actions through /api/messages: Bot Framework activities in, the Bot Connector (a fake speaking its
 * REST API) out, on a real (in-memory PGlite) database and the knowledge base built from the project's
 * sources. Each person is matched by the e-mail of their Teams member record; the test follows the form by
 * the activity's channelData.
 */

type SubmitAction = {
  type: string;
  title: string;
  data?: { actionId: string; value?: string };
  url?: string;
};
type CardElement = Record<string, unknown> & { type: string; actions?: SubmitAction[] };
interface TeamsReply extends ScriptReply {
  call: ConnectorCall;
  card?: { version: string; body: CardElement[]; actions: SubmitAction[] };
}

const ADMIN = { name: 'test' };
const CAMILLE = { id: '29:camille', name: 'Camille Démo', aadObjectId: 'aad-camille' };
const DOMINIQUE = { id: '29:dominique', name: 'Dominique Démo', aadObjectId: 'aad-dominique' };
const STRANGER = { id: '29:inconnu', name: 'Personne Inconnue', aadObjectId: 'aad-inconnu' };
const NOT_MEMBER = { id: '29:absent', name: 'Absent du tenant', aadObjectId: 'aad-absent' };
type Account = typeof CAMILLE;

let database: Database;
let knowledge: Awaited<ReturnType<typeof openFixtureKnowledgeBase>>;
let connector: FakeTeamsConnector;
let server: TestServer<Database['repositories']>;
let activityCounter = 0;

const start = () => startTestServer({ knowledge, repositories: database.repositories });

beforeAll(async () => {
  [database, knowledge, connector] = await Promise.all([
    openDatabase({ dataDir: inMemoryDataDir }),
    openFixtureKnowledgeBase({ sources: 'corpus' }),
    startFakeTeamsConnector(),
  ]);
  await seedDemo(database.repositories.directory, ADMIN);
  connector.setMember(CAMILLE.id, { ...CAMILLE, email: 'camille.referente@exemple.org' });
  connector.setMember(DOMINIQUE.id, {
    ...DOMINIQUE,
    email: '',
    userPrincipalName: 'dominique.referent@exemple.org',
  });
  connector.setMember(STRANGER.id, { ...STRANGER, email: 'personne@ailleurs.example' });
  server = await start();
}, 120_000);

afterAll(async () => {
  await server?.close();
  await connector?.close();
  await database?.close();
  await knowledge?.dispose();
});

const conversationOf = (account: Account) => `a:1personal-${account.aadObjectId}`;
const repliesTo = (account: Account) =>
  connector.messages().filter((call) => call.conversationId === conversationOf(account));

/** Posts an activity of `account`'s personal chat; Teams' endpoint answers once the turn is done. */
async function post(account: Account, fields: Record<string, unknown>): Promise<TeamsReply> {
  const before = repliesTo(account).length;
  const activity = {
    type: 'message',
    id: `fiche-${++activityCounter}`,
    channelId: 'msteams',
    serviceUrl: connector.url,
    timestamp: new Date().toISOString(),
    locale: 'fr-FR',
    from: account,
    recipient: BOT,
    conversation: { id: conversationOf(account), conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    ...fields,
  };
  const response = await fetch(`${server.baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  expect(response.status).toBe(200);
  const calls = repliesTo(account);
  expect(calls).toHaveLength(before + 1);
  const call = calls[before]!;
  const card = call.body.attachments?.[0]?.content;
  return {
    call,
    card,
    form: call.body.channelData?.boussole?.form,
    text: call.body.text,
    sources: (call.body.entities ?? []).flatMap((entity: { citation?: unknown[] }) => entity.citation ?? [])
      .length,
  };
}

const say = (account: Account, text: string) => post(account, { text });
/** An Action.Submit as Teams posts it: a message without text whose value is the action's data. */
const submit = (account: Account, data: SubmitAction['data']) => post(account, { value: data });

/** Every Action.Submit of a card: its actions, and those of the ActionSets inside its body. */
function submitActions(card: TeamsReply['card']): SubmitAction[] {
  const inside = (element: unknown): SubmitAction[] => {
    if (typeof element !== 'object' || element === null) return [];
    if (Array.isArray(element)) return element.flatMap(inside);
    const record = element as CardElement;
    return [
      ...(record.type === 'ActionSet' ? (record.actions ?? []) : []),
      ...Object.entries(record)
        .filter(([key]) => key !== 'actions')
        .flatMap(([, value]) => inside(value)),
    ];
  };
  return [...(card?.actions ?? []), ...inside(card?.body ?? [])].filter(
    (action) => action.type === 'Action.Submit',
  );
}

const sectionOf = (reply: TeamsReply, sectionId: string) =>
  reply.card?.body.find((element) => element.id === `section-${sectionId}`);

function driver(account: Account): FicheDriver<TeamsReply> {
  return {
    say: (text) => say(account, text),
    async click(reply, label) {
      const action = submitActions(reply.card).find((candidate) =>
        typeof label === 'string' ? candidate.title === label : label.test(candidate.title),
      );
      expect(action, `button « ${label} » in ${JSON.stringify(reply.card)}`).toBeDefined();
      return submit(account, action!.data);
    },
    async editSection(reply, sectionId, values) {
      const [edit] = submitActions({ version: '1.5', body: [sectionOf(reply, sectionId)!], actions: [] });
      expect(edit?.title).toBe('Modifier');
      // The section's form comes as a card; its inputs come back merged into its submit's data.
      const form = await submit(account, edit!.data);
      const inputs = JSON.stringify(form.card?.body ?? []);
      const data: Record<string, unknown> = { ...form.card!.actions[0]!.data };
      for (const [fieldId, value] of Object.entries(values)) {
        if (inputs.includes(`"d:${fieldId}:debut"`)) {
          data[`d:${fieldId}:debut`] = value[0];
          data[`d:${fieldId}:fin`] = value[1];
        } else if (inputs.includes(`"c:${fieldId}"`)) data[`c:${fieldId}`] = [value].flat().join(',');
        else data[`t:${fieldId}`] = value;
      }
      return submit(account, data as SubmitAction['data']);
    },
    async restart() {
      await server.close();
      server = await start();
    },
  };
}

const fichesOf = (collectiviteName: string) =>
  database.repositories.directory
    .findCollectivite(collectiviteName)
    .then((collectivite) => database.repositories.fiches.list({ collectiviteIds: [collectivite!.id] }));

const actorOf = (account: Account) =>
  database.repositories.directory.actorByIdentity({
    channel: 'teams',
    workspaceId: TENANT,
    externalUserId: account.aadObjectId,
  });

const personOf = (email: string) =>
  database.repositories.directory.findPerson(email).then((person) => person!.id);

describe('drafting a fiche-action in Teams', () => {
  it('drafts a whole fiche in a personal chat, the person matched by the e-mail of their member record', async () => {
    const recap = await draftScriptedFiche(driver(CAMILLE));

    expect(connector.memberLookups).toContainEqual({
      conversationId: conversationOf(CAMILLE),
      userId: CAMILLE.id,
    });
    expect((await actorOf(CAMILLE))?.personId).toBe(await personOf('camille.referente@exemple.org'));

    // The recap as an Adaptive Card 1.5: title, subtitle, a FactSet per section with its edit button.
    const [fiche] = await fichesOf('Commune de Démoville (démo)');
    expect(recap.form).toEqual({ formId: 'fiche_action', step: 'recap', recordId: fiche!.id });
    expect(recap.card?.version).toBe('1.5');
    expect(recap.card?.body[0]).toMatchObject({
      type: 'TextBlock',
      text: 'Fiche-action n° 1 · Ateliers cuisine & santé <familles>',
    });
    const calendrier = sectionOf(recap, 'calendrier');
    expect(JSON.stringify(calendrier)).toContain(
      JSON.stringify({
        type: 'FactSet',
        facts: [
          { title: 'Calendrier prévisionnel', value: 'de mars à novembre 2027' },
          { title: 'Étapes clés', value: '—' },
        ],
      }),
    );
    // Its « Modifier » brings the section's form as a card (native-edit.test.ts).
    expect(submitActions({ version: '1.5', body: [calendrier!], actions: [] })).toEqual([
      {
        type: 'Action.Submit',
        title: 'Modifier',
        data: {
          actionId: 'edit_section',
          value: expect.stringMatching(`^fiche_action\\|${fiche!.id}\\|calendrier\\|`),
        },
      },
    ]);
    expect(recap.card?.actions.map((action) => action.title)).toContain('Soumettre à la coordination');

    expect(fiche!.values).toEqual(SCRIPTED_FICHE);
    const history = await database.repositories.fiches.history(fiche!.id);
    expect(new Set(history.map((version) => version.author.personId))).toEqual(
      new Set([await personOf('camille.referente@exemple.org')]),
    );
  });

  it('sends the fiche in Word as its signed link, in the text and as a download button', async () => {
    const reply = await say(CAMILLE, 'exporter la fiche 1 en Word');
    const link = /\((https:\/\/boussole\.test\/documents\/[^)]+)\)/.exec(reply.text)?.[1];
    expect(link).toBeDefined();
    expect(reply.card?.actions).toContainEqual({
      type: 'Action.OpenUrl',
      title: expect.stringMatching(/^Télécharger fiche-action-1-.+\.docx$/),
      url: link,
    });
    const download = await fetch(`${server.baseUrl}${new URL(link!).pathname}`);
    expect(
      Buffer.from(await download.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });

  it('cancels a second draft after confirmation, keeping nothing of it', async () => {
    await cancelSecondDraft(driver(CAMILLE));
    const titles = (await fichesOf('Commune de Démoville (démo)')).map((fiche) => fiche.title);
    expect(titles).not.toContain('Marche santé seniors');
  });
});

describe('who sees and changes nothing in Teams', () => {
  const snapshot = async () => {
    const [fiche] = await fichesOf('Commune de Démoville (démo)');
    return { fiche, versions: (await database.repositories.fiches.history(fiche!.id)).length };
  };

  async function expectNothingSeen(account: Account, noRights: boolean) {
    const before = await snapshot();
    const ficheId = before.fiche!.id;
    const replies: TeamsReply[] = [];
    for (const text of ['mes fiches', 'voir la fiche 1', 'reprendre la fiche 1', 'soumettre la fiche 1']) {
      const reply = await say(account, text);
      if (noRights) expect(reply.text).toMatch(/il faut être inscrit comme référent ou coordinateur/);
      replies.push(reply);
    }
    replies.push(await say(account, 'exporter la fiche 1 en Word'));
    for (const verb of ['view', 'resume', 'submit', 'history'])
      replies.push(await submit(account, { actionId: 'fiche', value: `${verb}:${ficheId}` }));
    replies.push(await submit(account, { actionId: 'form', value: 'cmd:edit:budget' }));
    replies.push(await say(account, 'nouvelle fiche-action'));
    for (const reply of replies) {
      const shown = JSON.stringify(reply.call.body);
      expect(shown).not.toContain('Ateliers cuisine');
      expect(shown).not.toContain(ficheId);
      expect(shown).not.toContain('/documents/');
      expect(reply.form?.recordId).not.toBe(ficheId);
    }
    const after = await snapshot();
    expect(after.fiche).toEqual(before.fiche);
    expect(after.versions).toBe(before.versions);
  }

  it('a référent of another collectivité, matched by the user principal name', async () => {
    await expectNothingSeen(DOMINIQUE, false);
    expect((await actorOf(DOMINIQUE))?.personId).toBe(await personOf('dominique.referent@exemple.org'));
  });

  it('a person the directory does not know, and one Teams does not list as a member', async () => {
    await expectNothingSeen(STRANGER, true);
    await expectNothingSeen(NOT_MEMBER, true);
    expect(connector.memberLookups.map((lookup) => lookup.userId)).toEqual(
      expect.arrayContaining([STRANGER.id, NOT_MEMBER.id]),
    );
    expect(await actorOf(STRANGER)).toBeUndefined();
  });
});
