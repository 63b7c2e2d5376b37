import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { throwawayDatabase } from '../../bench/postgres.ts';

const run = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');

async function bench(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(TSX, ['bench/bench.ts', ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The figure printed on the line whose label starts with `label`, with its unit ('' for a count). */
function figure(stdout: string, label: string): { value: number; unit: string; rest: string } {
  const line = stdout.split('\n').find((candidate) => candidate.trimStart().startsWith(label));
  const match = line?.match(/\s(\d+(?:\.\d+)?)(?: (ms|s|Mo))?(?: {3}(.*))?$/);
  if (!match) throw new Error(`no figure on the line « ${label} » in:\n${stdout}`);
  return { value: Number(match[1]), unit: match[2] ?? '', rest: (match[3] ?? '').trim() };
}

describe('npm run bench -- --quick --only knowledge', () => {
  let dataDir: string;
  let result: Awaited<ReturnType<typeof bench>>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'boussole-bench-user-'));
    result = await bench({ DATA_DIR: dataDir }, '--quick', '--only', 'knowledge');
  });

  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('exits 0 and prints one line per knowledge metric, with numbers and the targets', () => {
    expect(result.code, result.stderr).toBe(0);
    const { stdout } = result;
    expect(figure(stdout, 'Ingestion complète').unit).toBe('ms');
    expect(stdout).toMatch(/Ingestion complète \([1-9]\d* documents, [1-9]\d* passages\)/);
    expect(figure(stdout, 'Ingestion sans changement').value).toBeGreaterThan(0);
    expect(stdout).toMatch(/Ingestion d’un fichier texte de 1 Mo \([1-9]\d* passages\) +\d+\.\d+ s +< 10 s/);
    expect(figure(stdout, 'Mémoire maximale de cette ingestion').value).toBeGreaterThan(0);
    expect(stdout).toMatch(/Rang du passage du fait placé au milieu \(0 : absent\) +1 +1 +✓/);
    expect(figure(stdout, 'Recherche p50 (30 requêtes)').unit).toBe('ms');
    expect(figure(stdout, 'Recherche p95 (30 requêtes)').rest).toMatch(/^< 50 ms/);
    expect(figure(stdout, 'Réponse extractive p95').unit).toBe('ms');
    const coldAsk = figure(stdout, 'ask à froid, médiane');
    expect(coldAsk.unit).toBe('s');
    expect(coldAsk.value).toBeGreaterThan(0);
    expect(coldAsk.rest).toMatch(/^< 2 s/);
    expect(figure(stdout, 'Mémoire maximale (maxRSS)').value).toBeGreaterThan(0);
    expect(stdout).not.toMatch(/Slack|Teams/);
  });

  it('builds its own index elsewhere: the user’s data folder stays untouched', async () => {
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('refuses an unknown --only in French with exit code 2', async () => {
    const { code, stderr } = await bench({ DATA_DIR: dataDir }, '--only', 'everything');
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /--only attend « knowledge », « channels », « documents », « dashboard », « drafting », « digest »/,
    );
  });
});

/** The lines of one section of the report, from its title to the next section. */
function section(stdout: string, title: RegExp): string {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => title.test(line));
  if (start < 0) throw new Error(`no section ${title} in:\n${stdout}`);
  const end = lines.findIndex((line, index) => index > start && /^\S/.test(line));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

describe('npm run bench -- --quick --only channels', () => {
  // The tests' PostgreSQL server when there is one; otherwise a port where none listens.
  const serverUrl = inject('postgresUrl') ?? 'postgresql://postgres@127.0.0.1:1/postgres';
  let result: Awaited<ReturnType<typeof bench>>;

  beforeAll(async () => {
    result = await bench({}, '--quick', '--only', 'channels', '--database-url', serverUrl);
  }, 300_000);

  it('measures Slack and Teams on PGlite: nothing lost or doubled, ack p95 and memory against targets', () => {
    expect(result.code, result.stderr).toBe(0);
    const pglite = section(result.stdout, /^Canaux .* sur PGlite/);
    expect(figure(pglite, 'Slack : réponses perdues').value).toBe(0);
    expect(figure(pglite, 'Slack : réponses en double').value).toBe(0);
    expect(figure(pglite, 'Teams : réponses perdues').value).toBe(0);
    expect(figure(pglite, 'Slack : accusé de réception p95').rest).toMatch(/^< 300 ms/);
    expect(figure(pglite, 'Mémoire du serveur au repos après démarrage').rest).toMatch(/^< \d+ Mo/);
    expect(figure(pglite, 'Mémoire maximale du serveur pendant la charge').value).toBeGreaterThan(0);
    expect(figure(pglite, 'dont hors tas (WebAssembly de PGlite').unit).toBe('Mo');
  });

  it('measures the same on a throwaway PostgreSQL database, or says in one line why it did not', () => {
    if (inject('postgresUrl')) {
      const postgres = section(result.stdout, /^Canaux .* sur PostgreSQL \(base jetable\)/);
      expect(figure(postgres, 'Slack : réponses perdues').value).toBe(0);
      expect(figure(postgres, 'Slack : accusé de réception p95').rest).toMatch(/^< 300 ms/);
      expect(figure(postgres, 'Mémoire du serveur au repos après démarrage').value).toBeGreaterThan(0);
    } else {
      expect(result.stdout).toMatch(/sur PostgreSQL : PostgreSQL injoignable .* volet PostgreSQL sauté/);
    }
  });

  it('names an unreachable server in French, without its password', async () => {
    const outcome = await throwawayDatabase('postgresql://postgres:s3cret@127.0.0.1:1/postgres');
    expect(outcome).toEqual({
      unreachable: expect.stringMatching(/^PostgreSQL injoignable \(postgresql:\/\/postgres:\*\*\*@127/),
    });
  });
});

describe('npm run bench -- --quick --only drafting', () => {
  const serverUrl = inject('postgresUrl') ?? 'postgresql://postgres@127.0.0.1:1/postgres';
  let result: Awaited<ReturnType<typeof bench>>;

  beforeAll(async () => {
    result = await bench({}, '--quick', '--only', 'drafting', '--database-url', serverUrl);
  }, 300_000);

  it('drafts every fiche to its end, none lost or mixed between people, on PGlite and PostgreSQL', () => {
    expect(result.code, result.stderr).toBe(0);
    const legs = [section(result.stdout, /^Rédaction de fiches-actions .* sur PGlite/)];
    if (inject('postgresUrl'))
      legs.push(section(result.stdout, /^Rédaction de fiches-actions .* sur PostgreSQL \(base jetable\)/));
    else expect(result.stdout).toMatch(/sur PostgreSQL : PostgreSQL injoignable .* volet PostgreSQL sauté/);
    for (const leg of legs) {
      expect(figure(leg, 'Rédaction : tour p50 (10 personnes').unit).toBe('ms');
      expect(figure(leg, 'Rédaction : tour p95').rest).toMatch(/^< 300 ms/);
      expect(figure(leg, 'Rédaction : tours joués').value).toBeGreaterThanOrEqual(10 * 25);
      expect(figure(leg, 'Rédaction : fiches inachevées (sur 10)').value).toBe(0);
      expect(figure(leg, 'Rédaction : fiches perdues ou mélangées (sur 10)').value).toBe(0);
      expect(figure(leg, 'Rédaction : requêtes refusées').value).toBe(0);
    }
    expect(result.stdout).not.toMatch(/Slack|Teams/);
  });
});
