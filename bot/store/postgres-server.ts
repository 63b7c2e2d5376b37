import pg from 'pg';

/** The configured database cannot be reached or opened. Its message is French and holds no password. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

/** The URL without its password, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(URL illisible)';
  }
}

const reasons: Record<string, string> = {
  ECONNREFUSED: 'connexion refusée',
  ENOTFOUND: 'hôte inconnu',
  EAI_AGAIN: 'hôte introuvable',
  ETIMEDOUT: 'délai de connexion dépassé',
  EHOSTUNREACH: 'hôte inaccessible',
  ECONNRESET: 'connexion coupée par le serveur',
  EPIPE: 'connexion coupée par le serveur',
  '28P01': 'mot de passe refusé',
  '28000': 'accès refusé',
  '42501': 'droits insuffisants',
};

/** pg's own uncoded errors, by message. */
const messageReasons: [RegExp, string][] = [
  [/timeout/i, 'délai de connexion dépassé'],
  // Something accepted the connection and closed it without speaking PostgreSQL's protocol.
  [
    /connection terminated/i,
    'le serveur a fermé la connexion sans répondre (est-ce bien PostgreSQL à cette adresse ?)',
  ],
  [/does not support SSL/i, 'le serveur n’accepte pas SSL (retirez sslmode de l’adresse)'],
];

function describe(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code && reasons[code]) return reasons[code];
  if (error instanceof AggregateError) return describe(error.errors[0]);
  const known = messageReasons.find(([pattern]) => error instanceof Error && pattern.test(error.message));
  if (known) return known[1];
  return error instanceof Error ? error.message : String(error);
}

export function unavailable(url: string, error: unknown): DatabaseUnavailableError {
  return new DatabaseUnavailableError(
    `Base de données injoignable (${redactDatabaseUrl(url)}) : ${describe(error)}. ` +
      'Vérifiez DATABASE_URL et que le serveur PostgreSQL est démarré.',
    { cause: error },
  );
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // Without a listener, a connection dropped by the server would crash the process.
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function createDatabase(url: string): Promise<void> {
  const maintenance = new URL(url);
  const name = decodeURIComponent(maintenance.pathname.slice(1));
  maintenance.pathname = '/postgres';
  await withClient(maintenance.toString(), (client) =>
    client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`).catch((error: { code?: string }) => {
      // Another process created it in the meantime.
      if (error.code !== '42P04') throw error;
    }),
  );
}

/**
 * Checks that the server answers and creates the database when it does not exist yet.
 * Returns a printable label of the target. Throws DatabaseUnavailableError otherwise.
 */
export async function ensureServerDatabase(url: string): Promise<string> {
  try {
    await withClient(url, (client) => client.query('SELECT 1'));
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw unavailable(url, error);
    await createDatabase(url).catch((creationError) => {
      throw unavailable(url, creationError);
    });
  }
  return redactDatabaseUrl(url);
}
