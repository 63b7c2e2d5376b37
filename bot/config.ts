import path from 'node:path';
import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** A port number; empty is refused, so that `PORT=` never turns into a random port. */
const port = z
  .string()
  .trim()
  .min(1, {
    error: 'vide : indiquez un numéro de port (3978 par défaut) ou retirez la variable',
    abort: true,
  })
  .regex(/^\d+$/, 'doit être un nombre entier entre 0 et 65535')
  .transform(Number)
  .pipe(z.number().max(65535, 'doit être un nombre entier entre 0 et 65535'));

const host = optionalString.pipe(
  z
    .union([z.ipv4(), z.ipv6(), z.hostname()], {
      error: 'doit être une adresse IP (127.0.0.1, 0.0.0.0, ::) ou un nom d’hôte, sans port',
    })
    .optional(),
);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3978),
  HOST: host,
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL doit commencer par postgresql://')
    .optional(),
  SOURCES_DIR: z.string().default('./knowledge/sources'),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  OPENAI_EMBEDDING_MODEL: optionalString,
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: z.url().optional(),
  clientId: optionalString,
  clientSecret: optionalString,
  tenantId: optionalString,
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppTenantId: optionalString,
  DIGEST_SCHEDULER: z
    .enum(['on', 'off'], {
      error: 'doit valoir on (envoi programmé des digests hebdomadaires) ou off (aucun envoi programmé)',
    })
    .default('on'),
  WEB_QUESTIONS: z
    .enum(['open', 'signed-in'], {
      error: 'doit valoir open (tout visiteur peut poser des questions) ou signed-in (connexion exigée)',
    })
    .default('open'),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  /** Where the server listens: `host` undefined means every interface; `reason` says why, for the start-up log. */
  listen: { host?: string; reason: string };
  /** Base of links to the source viewer, without trailing slash. */
  publicUrl: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  dataDir: string;
  indexDir: string;
  /** PostgreSQL server URL; undefined means embedded PGlite in `${dataDir}/pglite`. */
  databaseUrl?: string;
  sourcesDir: string;
  llm?: { apiKey: string; baseURL?: string; model: string; timeoutMs: number };
  /** OpenAI-compatible embeddings; undefined means local embeddings. */
  embeddings?: { apiKey: string; baseURL?: string; model: string };
  slack?: { botToken: string; signingSecret: string; appToken?: string; apiUrl?: string };
  /** Teams/Azure Bot credentials, from either naming scheme; undefined means open (local testing). */
  teams?: { clientId: string; clientSecret?: string; tenantId?: string };
  /** The weekly digest's scheduled sending (pg-boss); off, digests go out only from the command line. */
  digest: { scheduler: boolean };
  web: {
    /** Whether visitors who are not signed in may ask questions in the web chat (fiches always need a sign-in). */
    questions: 'open' | 'signed-in';
    /** The session cookie carries `Secure` (and the `__Host-` prefix) when PUBLIC_URL is https. */
    secureCookies: boolean;
    /** The person picker over the demo people: development only. */
    demoPicker: boolean;
  };
}

export class ConfigError extends Error {}

/** Zod's French messages, for this parse only (not set globally, so nothing else changes language). */
const frenchErrors = z.locales.fr().localeError;

/** Reads and validates the environment once, with French messages naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env, { error: frenchErrors });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.')} : ${issue.message}`);
    throw new ConfigError(`Configuration invalide :\n${problems.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const apiKey = e.OPENAI_API_KEY ?? (e.OPENAI_BASE_URL ? 'not-needed' : undefined);
  if (Boolean(e.SLACK_BOT_TOKEN) !== Boolean(e.SLACK_SIGNING_SECRET)) {
    throw new ConfigError(
      'Configuration invalide :\n  - SLACK_BOT_TOKEN et SLACK_SIGNING_SECRET vont ensemble : renseignez les deux ou aucun.',
    );
  }
  const teamsClientId = e.clientId ?? e.MicrosoftAppId;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    listen: listenAddress(e.HOST, Boolean(teamsClientId)),
    publicUrl,
    logLevel: e.LOG_LEVEL,
    dataDir,
    indexDir: path.join(dataDir, 'index'),
    databaseUrl: e.DATABASE_URL,
    sourcesDir: path.resolve(e.SOURCES_DIR),
    llm: apiKey
      ? { apiKey, baseURL: e.OPENAI_BASE_URL, model: e.OPENAI_MODEL, timeoutMs: e.LLM_TIMEOUT_MS }
      : undefined,
    embeddings:
      apiKey && e.OPENAI_EMBEDDING_MODEL
        ? { apiKey, baseURL: e.OPENAI_BASE_URL, model: e.OPENAI_EMBEDDING_MODEL }
        : undefined,
    slack:
      e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET
        ? {
            botToken: e.SLACK_BOT_TOKEN,
            signingSecret: e.SLACK_SIGNING_SECRET,
            appToken: e.SLACK_APP_TOKEN,
            apiUrl: e.SLACK_API_URL,
          }
        : undefined,
    teams: teamsClientId
      ? {
          clientId: teamsClientId,
          clientSecret: e.clientSecret ?? e.MicrosoftAppPassword,
          tenantId: e.tenantId ?? e.MicrosoftAppTenantId,
        }
      : undefined,
    digest: { scheduler: e.DIGEST_SCHEDULER === 'on' },
    web: {
      questions: e.WEB_QUESTIONS,
      secureCookies: publicUrl.startsWith('https:'),
      demoPicker: e.NODE_ENV === 'development',
    },
  };
}

/**
 * Without Teams credentials, /api/messages checks no token: by default only this machine may reach it
 * (a reverse proxy on the same host still can). An explicit HOST always wins.
 */
function listenAddress(host: string | undefined, teamsCredentials: boolean): Config['listen'] {
  if (host) return { host, reason: 'adresse donnée par HOST' };
  if (teamsCredentials) {
    return { reason: 'identifiants Teams configurés : toutes les interfaces (HOST pour restreindre)' };
  }
  return {
    host: '127.0.0.1',
    reason:
      'aucun identifiant Teams, /api/messages n’est pas authentifié : boucle locale uniquement (HOST=0.0.0.0 pour ouvrir)',
  };
}
