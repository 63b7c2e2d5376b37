import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebSessions } from '../../bot/channels/web-session.ts';
import { seedDemo } from '../../bot/cli/admin-demo.ts';
import { exampleFiche } from '../../bot/documents/example-fiche.ts';
import { exportFiche } from '../../bot/features/fiches/exports.ts';
import { type Database, inMemoryDataDir, openDatabase } from '../../bot/store/database.ts';
import { FAKE_TEAM_ID, type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api.ts';
import { type FakeTeamsConnector, startFakeTeamsConnector } from '../support/fake-teams-connector.ts';
import { eventBody, postToSlackEndpoint } from '../support/slack-requests.ts';
import { SIGNING_SECRET, startTestServer, type TestServer } from '../support/test-server.ts';
import { TENANT, USER } from './teams-harness.ts';

/**
 * A Word fiche sent in each channel reaches the Word import: the web chat's upload (POST /api/chat/file),
 * a Teams file attachment (its pre-authenticated downloadUrl) and a Slack file_share message (url_private,
 * fetched with the bot token), each answered with what was understood and nothing saved.
 */

const ADMIN = { name: 'test' };
const UNDERSTOOD = 'Voici ce que j’ai compris de votre fichier Word — *rien n’est encore enregistré* :';

let database: Database;
let server: TestServer<Database['repositories']>;
let slack: FakeSlackApi;
let teams: FakeTeamsConnector;
let files: Server;
let filesUrl: string;
let docx: Uint8Array;
const downloads: { path: string; headers: IncomingHttpHeaders }[] = [];
let camille = '';

beforeAll(async () => {
  database = await openDatabase({ dataDir: inMemoryDataDir });
  const { directory, identities } = database.repositories;
  await seedDemo(directory, ADMIN);
  camille = (await directory.findPerson('camille.referente@exemple.org'))!.id;
  for (const [channel, workspaceId, externalUserId] of [
    ['slack', FAKE_TEAM_ID, 'U0CAMILLE'],
    ['teams', TENANT, USER.aadObjectId],
  ] as const) {
    await identities.upsert({ channel, workspaceId, externalUserId });
    await directory.linkIdentity({ channel, workspaceId, externalUserId }, camille, ADMIN);
  }
  docx = (await exportFiche(exampleFiche(), 'docx')).bytes;
  // Where Teams and Slack keep the shared files.
  files = createServer((req, res) => {
    downloads.push({ path: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(docx);
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  [slack, teams] = await Promise.all([startFakeSlackApi(), startFakeTeamsConnector()]);
  server = await startTestServer({ repositories: database.repositories, slackApiUrl: `${slack.url}/api/` });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await Promise.all([slack?.close(), teams?.close()]);
  await new Promise((resolve) => files?.close(resolve));
  await database?.close();
});

describe('a Word fiche sent as a file', () => {
  it('is read from the web chat’s upload, and a file over 10 Mo is refused in French', async () => {
    const sessions = createWebSessions({ config: server.config, repositories: database.repositories });
    const cookie = (await sessions.openCookie(camille)).split(';')[0]!;
    const upload = (body: Uint8Array, name = 'Fiche « cuisine ».docx') =>
      fetch(`${server.baseUrl}/api/chat/file?conversationId=conv-upload&userId=navigateur`, {
        method: 'POST',
        headers: {
          cookie,
          'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          'x-file-name': encodeURIComponent(name),
        },
        // A copy on its own ArrayBuffer, as fetch's body types want.
        body: new Uint8Array(body),
      });
    const response = await upload(docx);
    expect(response.status).toBe(200);
    const reply = (await response.json()) as { text: string; form: { step: string } };
    expect(reply.text).toContain(UNDERSTOOD);
    expect(reply.text).toContain('✓ *Intitulé de l’action* : Ateliers cuisine et santé pour les familles');
    expect(reply.form.step).toBe('confirm');

    const tooLarge = await upload(new Uint8Array(10 * 1024 * 1024 + 1));
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { error: string }).error).toMatch(/^Ce fichier dépasse 10 Mo/);
  });

  it('is downloaded from a Teams file attachment', async () => {
    const response = await fetch(`${server.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: 'upload-1',
        channelId: 'msteams',
        serviceUrl: teams.url,
        from: USER,
        recipient: { id: '28:boussole-bot', name: 'Boussole' },
        conversation: { id: 'a:1personal-camille', conversationType: 'personal', tenantId: TENANT },
        channelData: { tenant: { id: TENANT } },
        text: '',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.teams.file.download.info',
            contentUrl: 'https://exemple.sharepoint.com/personal/camille/Documents/fiche.docx',
            name: 'fiche.docx',
            content: {
              downloadUrl: `${filesUrl}/teams/fiche.docx?jeton=abc`,
              uniqueId: 'u1',
              fileType: 'docx',
            },
          },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const [message] = await teams.waitFor((call) => call.body.type === 'message');
    expect(message!.body.text).toContain(UNDERSTOOD);
    expect(downloads.some((download) => download.path === '/teams/fiche.docx?jeton=abc')).toBe(true);
  });

  it('is downloaded from a Slack file_share message with the bot token', async () => {
    const ts = '1700200000.000100';
    const event = {
      type: 'message',
      subtype: 'file_share',
      channel_type: 'im',
      channel: 'D0CAMILLE',
      user: 'U0CAMILLE',
      text: '',
      ts,
      event_ts: ts,
      team: FAKE_TEAM_ID,
      files: [
        {
          id: 'F0FICHE',
          name: 'fiche.docx',
          mimetype: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          url_private: `${filesUrl}/slack/fiche.docx`,
        },
      ],
    };
    const response = await postToSlackEndpoint(
      `${server.baseUrl}/slack/events`,
      SIGNING_SECRET,
      eventBody('EvUPLOAD', event, FAKE_TEAM_ID),
      'application/json',
    );
    expect(response.status).toBe(200);
    const [posted] = await slack.waitFor('chat.postMessage');
    expect(String(posted!.body.text)).toContain('Voici ce que j’ai compris de votre fichier Word');
    const download = downloads.find((candidate) => candidate.path === '/slack/fiche.docx');
    expect(download?.headers.authorization).toBe('Bearer xoxb-test');
  });
});
