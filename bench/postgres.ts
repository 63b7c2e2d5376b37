import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactDatabaseUrl } from '../bot/store/postgres-server.ts';

/** The local server, as the tests use it: trust authentication, user postgres. */
export const DEFAULT_BENCH_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface ThrowawayDatabase {
  url: string;
  drop(): Promise<void>;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * A database of its own on the server of `serverUrl`, created by the bench server's migrations and
 * dropped afterwards, so that two runs never share event ids or data. A French reason when the
 * server does not answer.
 */
export async function throwawayDatabase(
  serverUrl: string,
): Promise<ThrowawayDatabase | { unreachable: string }> {
  try {
    await withClient(serverUrl, (client) => client.query('SELECT 1'));
  } catch (error) {
    const reason = (error as Error).message || (error as { code?: string }).code || String(error);
    return { unreachable: `PostgreSQL injoignable (${redactDatabaseUrl(serverUrl)} : ${reason})` };
  }
  const url = new URL(serverUrl);
  const name = `boussole_bench_${randomBytes(4).toString('hex')}`;
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withClient(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
      ).then(() => {}),
  };
}
