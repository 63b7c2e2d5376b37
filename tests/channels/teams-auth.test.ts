import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveTeamsAuth } from '../../bot/channels/teams-auth.ts';
import { loadConfig } from '../../bot/config.ts';
import { personalMessage, startTeamsHarness, TENANT, type TeamsHarness } from './teams-harness.ts';

const APP_ID = '5a1c9e2b-3f4d-4e6a-8b7c-9d0e1f2a3b4c';

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

const BOT_FRAMEWORK_KEYS = 'https://login.botframework.com/v1/.well-known/keys';
const PUBLISHED_KID = 'published-key';

/** A Bot Connector token for our app id, signed with `privateKey` and naming the signing key `kid`. */
function signedToken(serviceUrlClaim: string, privateKey: KeyObject, kid: string): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const payload = base64url(
    JSON.stringify({
      iss: 'https://api.botframework.com',
      aud: APP_ID,
      serviceurl: serviceUrlClaim,
      iat: now,
      nbf: now,
      exp: now + 3600,
    }),
  );
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(privateKey);
  return `${header}.${payload}.${base64url(signature)}`;
}

const randomKey = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

/**
 * Makes the SDK's key lookup for Bot Framework tokens answer with one "published" key, as
 * login.botframework.com would, so a forged token is refused for its signature, not for a network error.
 * The SDK keeps one jwks-rsa client per key URL; its lookup function is replaced in place.
 */
function publishBotFrameworkKey(publicKey: KeyObject): void {
  const require = createRequire(import.meta.url);
  const hostingDir = path.dirname(require.resolve('@microsoft/agents-hosting'));
  const { getJwksClient } = require(path.join(hostingDir, 'auth', 'jwt-middleware.js'));
  const pem = publicKey.export({ type: 'spki', format: 'pem' });
  getJwksClient(BOT_FRAMEWORK_KEYS).getSigningKey = (
    kid: string,
    done: (error: Error | null, key?: unknown) => void,
  ) =>
    kid === PUBLISHED_KID ? done(null, { kid, getPublicKey: () => pem }) : done(new Error(`no key ${kid}`));
}

const namingSchemes: [string, NodeJS.ProcessEnv][] = [
  [
    'the SDK names (clientId, clientSecret, tenantId)',
    { clientId: APP_ID, clientSecret: 'secret', tenantId: TENANT },
  ],
  [
    'the Azure Bot names (MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppTenantId)',
    { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret', MicrosoftAppTenantId: TENANT },
  ],
];

describe.each(namingSchemes)('Teams authentication with credentials under %s', (_names, env) => {
  let harness: TeamsHarness;
  afterEach(() => harness?.close());

  it('builds the SDK connection from our validated config', () => {
    const auth = resolveTeamsAuth(loadConfig({ NODE_ENV: 'test', ...env }));
    expect(auth.mode).toBe('authenticated');
    if (auth.mode !== 'authenticated') return;
    expect(auth.authConfig).toMatchObject({ clientId: APP_ID, clientSecret: 'secret', tenantId: TENANT });
    expect(auth.authConfig.connections?.get('serviceConnection')?.clientId).toBe(APP_ID);
  });

  it('refuses an activity without a token, a forged token and a malformed header, and sends nothing', async () => {
    harness = await startTeamsHarness({ env });
    const activity = personalMessage(harness.connector.url);
    const attempts: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${signedToken(harness.connector.url, randomKey(), 'forged-key')}` },
      { authorization: 'Basic dXNlcjpwYXNz' },
    ];
    for (const headers of attempts) {
      const response = await harness.post(activity, headers);
      expect(response.status).toBe(401);
    }
    expect(harness.connector.calls).toHaveLength(0);
    expect(harness.repositories.state.interactions).toHaveLength(0);
    expect(harness.repositories.state.claimedEvents.size).toBe(0);
  });

  it('refuses a token naming the published key but signed with another one', async () => {
    harness = await startTeamsHarness({ env });
    publishBotFrameworkKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey);
    const forged = signedToken(harness.connector.url, randomKey(), PUBLISHED_KID);
    const response = await harness.post(personalMessage(harness.connector.url), {
      authorization: `Bearer ${forged}`,
    });
    expect(response.status).toBe(401);
    expect((await response.json())['jwt-auth-error']).toMatch(/signature/);
    expect(harness.connector.calls).toHaveLength(0);
  });

  it('lets a token signed with the published key through authorization (control)', async () => {
    harness = await startTeamsHarness({ env });
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    publishBotFrameworkKey(keys.publicKey);
    const valid = signedToken(harness.connector.url, keys.privateKey, PUBLISHED_KID);
    const response = await harness.post(personalMessage(harness.connector.url), {
      authorization: `Bearer ${valid}`,
    });
    // Past the JWT check, the SDK asks Entra for its own outbound token, which fails with a fake secret.
    expect(response.status).toBe(500);
    expect(harness.logLines.find((line) => line.level === 50)?.msg).toBe('Teams : activité non traitée');
  });

  it('refuses a genuine token whose service URL claim names another host than the activity', async () => {
    harness = await startTeamsHarness({ env });
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    publishBotFrameworkKey(keys.publicKey);
    const token = signedToken('https://smba.trafficmanager.net/fr/', keys.privateKey, PUBLISHED_KID);
    const response = await harness.post(personalMessage(harness.connector.url), {
      authorization: `Bearer ${token}`,
    });
    expect(response.status).toBe(400);
    expect(harness.connector.calls).toHaveLength(0);
  });

  it('does not say the endpoint is open', async () => {
    harness = await startTeamsHarness({ env });
    expect(harness.logLines.some((line) => String(line.msg).includes('sans authentification'))).toBe(false);
  });
});

describe('Teams without credentials in production', () => {
  let harness: TeamsHarness;
  afterEach(() => harness?.close());

  it('keeps /api/messages closed with a French 503 and logs why at start', async () => {
    harness = await startTeamsHarness({ env: { NODE_ENV: 'production' } });
    const response = await harness.post(personalMessage(harness.connector.url));
    expect(response.status).toBe(503);
    expect((await response.json()).error).toMatch(/clientId.*MicrosoftAppId/);
    expect(harness.connector.calls).toHaveLength(0);
    expect(harness.logLines.find((line) => line.level === 50)?.msg).toMatch(/Canal Teams désactivé/);
  });
});
