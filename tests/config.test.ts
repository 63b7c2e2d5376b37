import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../bot/config.ts';

describe('configuration from the environment', () => {
  it('starts with no variable at all: embedded database, local embeddings, no LLM, no Slack, open Teams', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3978);
    expect(config.publicUrl).toBe('http://localhost:3978');
    expect(config.dataDir).toBe(path.resolve('data'));
    expect(config.indexDir).toBe(path.resolve('data/index'));
    expect(config.databaseUrl).toBeUndefined();
    expect([config.llm, config.embeddings, config.slack, config.teams]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('reads Teams credentials under the Agents SDK names and under the Azure Bot names', () => {
    const sdk = loadConfig({ clientId: 'app-1', clientSecret: 's1', tenantId: 't1' });
    const azure = loadConfig({
      MicrosoftAppId: 'app-2',
      MicrosoftAppPassword: 's2',
      MicrosoftAppTenantId: 't2',
    });
    expect(sdk.teams).toEqual({ clientId: 'app-1', clientSecret: 's1', tenantId: 't1' });
    expect(azure.teams).toEqual({ clientId: 'app-2', clientSecret: 's2', tenantId: 't2' });
  });

  it('enables the LLM with a key, or with a local OpenAI-compatible URL alone', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-x' }).llm).toMatchObject({
      apiKey: 'sk-x',
      model: 'gpt-4o-mini',
    });
    expect(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1' }).llm?.baseURL).toBe(
      'http://127.0.0.1:8080/v1',
    );
    expect(loadConfig({ OPENAI_API_KEY: 'sk-x' }).embeddings).toBeUndefined();
    expect(loadConfig({ OPENAI_API_KEY: 'sk-x', OPENAI_EMBEDDING_MODEL: 'e-1' }).embeddings?.model).toBe(
      'e-1',
    );
  });

  it('listens on loopback only without Teams credentials, on every interface with them, and where HOST says', () => {
    expect(loadConfig({}).listen.host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '' }).listen.host).toBe('127.0.0.1');
    expect(loadConfig({ MicrosoftAppId: 'app-2' }).listen.host).toBeUndefined();
    expect(loadConfig({ HOST: '0.0.0.0' }).listen).toEqual({
      host: '0.0.0.0',
      reason: 'adresse donnée par HOST',
    });
    expect(loadConfig({ HOST: '127.0.0.1', clientId: 'app-1' }).listen.host).toBe('127.0.0.1');
    expect(loadConfig({}).listen.reason).toMatch(/boucle locale/);
  });

  it('strips the trailing slash of PUBLIC_URL, which prefixes every citation link', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://boussole.example.org/' }).publicUrl).toBe(
      'https://boussole.example.org',
    );
  });

  it('opens web questions to visitors by default; secure cookies behind https; the demo picker in development only', () => {
    expect(loadConfig({}).web).toEqual({ questions: 'open', secureCookies: false, demoPicker: true });
    expect(
      loadConfig({
        WEB_QUESTIONS: 'signed-in',
        PUBLIC_URL: 'https://boussole.example.org',
        NODE_ENV: 'production',
      }).web,
    ).toEqual({ questions: 'signed-in', secureCookies: true, demoPicker: false });
    expect(loadConfig({ NODE_ENV: 'test' }).web.demoPicker).toBe(false);
  });

  it('sends the weekly digests on schedule unless DIGEST_SCHEDULER=off', () => {
    expect(loadConfig({}).digest).toEqual({ scheduler: true });
    expect(loadConfig({ DIGEST_SCHEDULER: 'off' }).digest).toEqual({ scheduler: false });
  });

  it.each([
    [{ PORT: 'abc' }, /PORT : .*nombre/],
    [{ PORT: '' }, /PORT : vide/],
    [{ PORT: '70000' }, /PORT : .*65535/],
    [{ HOST: '0.0.0.0:80' }, /HOST : .*adresse IP/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL doit commencer par postgresql/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /SLACK_BOT_TOKEN et SLACK_SIGNING_SECRET vont ensemble/],
    [{ PUBLIC_URL: 'pas une adresse' }, /PUBLIC_URL/],
    [{ WEB_QUESTIONS: 'tous' }, /WEB_QUESTIONS : doit valoir open .* ou signed-in/],
    [{ DIGEST_SCHEDULER: 'oui' }, /DIGEST_SCHEDULER : doit valoir on .* ou off/],
  ])('refuses %o with a French message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
