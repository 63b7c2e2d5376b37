import { access, constants } from 'node:fs/promises';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { redactDatabaseUrl } from '../../bot/store/postgres-server.ts';

/**
 * What the machine offers the tests, checked once before any test file runs: a PostgreSQL server and
 * Chromium. On a laptop without them, their tests are skipped with one line each saying how to enable
 * them; under CI=true a missing one fails the run, so CI never passes by skipping.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the PostgreSQL server for tests, or undefined when none answers (tests skipped). */
    postgresUrl: string | undefined;
    /** Chromium's executable for the browser tests, or undefined when absent (tests skipped). */
    chromiumPath: string | undefined;
  }
}

const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/test';
const DEFAULT_CHROMIUM = '/usr/bin/chromium';

async function postgresAnswers(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as Error).message || (error as { code?: string }).code || String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

async function executable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

interface Missing {
  /** What is missing, and which tests it leaves out. */
  what: string;
  skipped: string;
  /** How to enable them. */
  how: string;
}

export default async function setup(project: TestProject): Promise<void> {
  const ci = process.env.CI === 'true' || process.env.CI === '1';
  const missing: Missing[] = [];

  const databaseUrl = process.env.TEST_DATABASE_URL || DEFAULT_DATABASE_URL;
  const failure = await postgresAnswers(databaseUrl);
  project.provide('postgresUrl', failure ? undefined : databaseUrl);
  if (failure) {
    missing.push({
      what: `PostgreSQL injoignable (${redactDatabaseUrl(databaseUrl)} : ${failure})`,
      skipped: 'tests sur PostgreSQL sautés',
      how: 'démarrez un serveur local (utilisateur postgres, base test) ou indiquez-en un dans TEST_DATABASE_URL',
    });
  }

  const chromium = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
  const hasChromium = await executable(chromium);
  project.provide('chromiumPath', hasChromium ? chromium : undefined);
  if (!hasChromium) {
    missing.push({
      what: `Chromium absent (${chromium})`,
      skipped: 'tests du chat web dans le navigateur sautés',
      how: 'installez-le (sudo apt-get install -y chromium) ou indiquez son chemin dans CHROMIUM_PATH',
    });
  }

  if (ci && missing.length > 0) {
    const lines = missing.map(({ what, how }) => `${what} : ${how}.`);
    throw new Error(`Sous CI=true, aucun test n’est sauté.\n${lines.join('\n')}`);
  }
  for (const { what, skipped, how } of missing)
    process.stdout.write(`⚠ ${what} : ${skipped}. Pour les lancer, ${how}.\n`);
}
