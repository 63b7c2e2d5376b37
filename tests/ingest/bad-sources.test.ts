import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.ts';
import { prepareKnowledge } from '../../bot/knowledge-setup.ts';
import { ingest, SourcesUnusableError, staleReason } from '../../ingest/ingest.ts';
import { LocalEmbedder, openKnowledgeBase } from '../../knowledge/index.ts';
import { addBadSources, CORRUPT_PDF } from '../support/bad-sources.ts';

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

async function workspace() {
  const root = await mkdtemp(path.join(os.tmpdir(), 'boussole-bad-sources-'));
  roots.push(root);
  const sourcesDir = path.join(root, 'sources');
  await cp(path.resolve('tests/fixtures/sources'), sourcesDir, { recursive: true });
  const dataDir = path.join(root, 'data');
  return { root, sourcesDir, dataDir, indexDir: path.join(dataDir, 'index') };
}

/** The two fixture documents, plus one file of each kind that cannot be indexed. */
async function withBadFiles() {
  const space = await workspace();
  await addBadSources(space.sourcesDir);
  return space;
}

const EXPECTED_SKIPPED = [
  { file: 'abime.docx', reason: 'unreadable', message: expect.stringMatching(/^document Word illisible/) },
  { file: 'rapport-corrompu.pdf', reason: 'unreadable', message: expect.stringMatching(/^PDF illisible/) },
  {
    file: 'scan.pdf',
    reason: 'no-text',
    message: expect.stringContaining('aucun texte lisible dans ce PDF'),
  },
  { file: 'vide.md', reason: 'empty', message: 'fichier vide' },
  {
    file: path.join('zz-archives', 'copie.md'),
    reason: 'duplicate-id',
    message: 'identifiant « projet-actes » déjà pris par projet-actes.md',
  },
];

describe('ingest with files that cannot be indexed', () => {
  it('skips each one with its reason, and indexes and serves the rest', async () => {
    const { sourcesDir, indexDir } = await withBadFiles();
    const embedder = new LocalEmbedder();
    const result = await ingest({ sourcesDir, indexDir, embedder });
    expect(result).toMatchObject({ documents: 2, added: 2, skipped: EXPECTED_SKIPPED });

    const knowledge = await openKnowledgeBase({ indexDir, embedder });
    expect(knowledge.sourceReport()).toMatchObject({
      documents: 2,
      passages: result.passages,
      skipped: EXPECTED_SKIPPED,
    });
    const answer = await knowledge.answer('Comment rédiger une convention de partenariat ?');
    expect(answer.abstained).toBe(false);
    expect(answer.citations[0]?.document).toBe('guide-cooperative');
  });

  it('does not rebuild for bad files that did not change, and does once one is fixed', async () => {
    const { sourcesDir, indexDir } = await withBadFiles();
    const embedder = new LocalEmbedder();
    await ingest({ sourcesDir, indexDir, embedder });
    expect(await staleReason({ sourcesDir, indexDir, embedder })).toBeUndefined();

    await writeFile(path.join(sourcesDir, 'vide.md'), '# Note\n\nLe comité de suivi se réunit en juin.\n');
    expect(await staleReason({ sourcesDir, indexDir, embedder })).toBe('sources modifiées');
    const result = await ingest({ sourcesDir, indexDir, embedder });
    expect(result).toMatchObject({ documents: 3, added: 1 });
    expect(result.skipped.map((source) => source.file)).not.toContain('vide.md');
  });

  it.each([
    [
      'a missing folder',
      async (dir: string) => rm(dir, { recursive: true }),
      /^Dossier des sources introuvable : .+ \(SOURCES_DIR\)\. Créez-le/,
    ],
    [
      'a file instead of a folder',
      async (dir: string) => {
        await rm(dir, { recursive: true });
        await writeFile(dir, 'pas un dossier');
      },
      /^Le chemin des sources n’est pas un dossier : .+ \(SOURCES_DIR\)\.$/,
    ],
    [
      'an empty folder',
      async (dir: string) => {
        await rm(dir, { recursive: true });
        await mkdir(dir);
      },
      /^Aucun document dans .+ \(SOURCES_DIR\) : déposez-y des fichiers \.md, \.txt, \.pdf, \.docx\.$/,
    ],
    [
      'a folder of bad files only',
      async (dir: string) => {
        await rm(dir, { recursive: true });
        await mkdir(dir);
        await writeFile(path.join(dir, 'vide.md'), '');
        await writeFile(path.join(dir, 'rapport-corrompu.pdf'), CORRUPT_PDF);
      },
      /^Aucune source lisible dans .+ \(SOURCES_DIR\) :\n {2}- Source ignorée : rapport-corrompu\.pdf — PDF illisible.+\n {2}- Source ignorée : vide\.md — fichier vide$/,
    ],
  ])('refuses %s in French, and leaves the index built before as it was', async (_case, spoil, message) => {
    const { sourcesDir, indexDir } = await workspace();
    const embedder = new LocalEmbedder();
    await ingest({ sourcesDir, indexDir, embedder });
    const manifest = await readFile(path.join(indexDir, 'manifest.json'), 'utf8');

    await spoil(sourcesDir);
    const error = await ingest({ sourcesDir, indexDir, embedder }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourcesUnusableError);
    expect((error as Error).message).toMatch(message);
    expect(await readFile(path.join(indexDir, 'manifest.json'), 'utf8')).toBe(manifest);
  });
});

describe('prepareKnowledge (what npm start and ask use) with bad sources', () => {
  it('opens the knowledge base and warns of each file left out, at every start', async () => {
    const { sourcesDir, dataDir } = await withBadFiles();
    const config = loadConfig({ DATA_DIR: dataDir, SOURCES_DIR: sourcesDir });
    const open = async () => {
      const warnings: string[] = [];
      const builds: string[] = [];
      const knowledge = await prepareKnowledge(config, {
        onIngest: (reason) => builds.push(reason),
        onWarning: (message) => warnings.push(message),
      });
      return { knowledge, warnings, builds };
    };
    const first = await open();
    expect(first.builds).toEqual(['index absent']);
    expect(first.warnings).toHaveLength(EXPECTED_SKIPPED.length);
    expect(first.warnings).toContain('Source ignorée : vide.md — fichier vide');
    expect(first.warnings.find((w) => w.includes('rapport-corrompu.pdf'))).toMatch(
      /^Source ignorée : rapport-corrompu\.pdf — PDF illisible ou endommagé \(.+\)$/,
    );
    expect((await first.knowledge.answer('Comment rédiger une convention de partenariat ?')).abstained).toBe(
      false,
    );

    const second = await open();
    expect(second.builds).toEqual([]);
    expect(second.warnings).toEqual(first.warnings);
  });

  it('refuses a missing sources folder when there is no index to fall back on', async () => {
    const { root, dataDir } = await workspace();
    const missing = path.join(root, 'absent');
    const config = loadConfig({ DATA_DIR: dataDir, SOURCES_DIR: missing });
    const error = await prepareKnowledge(config).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourcesUnusableError);
    expect((error as Error).message).toBe(
      `Dossier des sources introuvable : ${missing} (SOURCES_DIR). Créez-le et déposez-y vos documents (.md, .txt, .pdf, .docx), ou corrigez SOURCES_DIR.`,
    );
  });

  it('keeps serving the last index, with a warning, when the sources folder has gone', async () => {
    const { sourcesDir, dataDir } = await workspace();
    const config = loadConfig({ DATA_DIR: dataDir, SOURCES_DIR: sourcesDir });
    await prepareKnowledge(config);
    await rm(sourcesDir, { recursive: true });

    const warnings: string[] = [];
    const knowledge = await prepareKnowledge(config, { onWarning: (message) => warnings.push(message) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^Dossier des sources introuvable : .+\nL’index construit le .+ reste en service\.$/,
    );
    expect((await knowledge.answer('Comment rédiger une convention de partenariat ?')).abstained).toBe(false);
  });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run ingest` as a user runs it, on its own data folder (embedded database included). */
function runIngestCli(env: Record<string, string>): Promise<Run> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(OPENAI_|DATABASE_URL|SOURCES_DIR|DATA_DIR)/.test(key)),
  );
  return new Promise((resolve) => {
    execFile(
      path.resolve('node_modules/.bin/tsx'),
      ['bot/cli/run.ts', 'ingest'],
      { env: { ...inherited, ...env }, timeout: 90_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

describe('npm run ingest', () => {
  it('exits with 0 and lists every file it left out, and why', async () => {
    const { sourcesDir, dataDir } = await withBadFiles();
    const run = await runIngestCli({ SOURCES_DIR: sourcesDir, DATA_DIR: dataDir });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Index à jour : 2 documents, \d+ passages/);
    expect(lines[1]).toBe('5 fichiers ignorés (corrigez-les ou retirez-les du dossier des sources) :');
    expect(lines.slice(2)).toEqual([
      expect.stringMatching(
        /^ {2}- Source ignorée : abime\.docx — document Word illisible ou endommagé \(.+\)$/,
      ),
      expect.stringMatching(
        /^ {2}- Source ignorée : rapport-corrompu\.pdf — PDF illisible ou endommagé \(.+\)$/,
      ),
      expect.stringMatching(/^ {2}- Source ignorée : scan\.pdf — aucun texte lisible dans ce PDF/),
      '  - Source ignorée : vide.md — fichier vide',
      '  - Source ignorée : zz-archives/copie.md — identifiant « projet-actes » déjà pris par projet-actes.md',
    ]);
  }, 120_000);

  it('exits with 1 and a French message, no stack trace, when the sources folder is missing', async () => {
    const { root, dataDir } = await workspace();
    const run = await runIngestCli({ SOURCES_DIR: path.join(root, 'absent'), DATA_DIR: dataDir });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(
      `Ingestion impossible : Dossier des sources introuvable : ${path.join(root, 'absent')} (SOURCES_DIR). Créez-le et déposez-y vos documents (.md, .txt, .pdf, .docx), ou corrigez SOURCES_DIR.`,
    );
  }, 120_000);
});
