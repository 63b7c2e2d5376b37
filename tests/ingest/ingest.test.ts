import {
  appendFile,
  copyFile,
  cp,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  truncate,
  unlink,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.ts';
import { prepareKnowledge } from '../../bot/knowledge-setup.ts';
import { ingest, SourcesUnusableError, staleReason } from '../../ingest/ingest.ts';
import { IndexMissingError, LocalEmbedder, openKnowledgeBase } from '../../knowledge/index.ts';
import type { Embedder } from '../../knowledge/types.ts';
import { createMemoryRepositories } from '../support/memory-repositories.ts';

/** Wraps an embedder and remembers every text it was asked to embed. */
class CountingEmbedder implements Embedder {
  readonly texts: string[] = [];
  constructor(private readonly inner: Embedder = new LocalEmbedder()) {}
  get id() {
    return this.inner.id;
  }
  embed(texts: string[]): Promise<number[][]> {
    this.texts.push(...texts);
    return this.inner.embed(texts);
  }
}

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

/** A copy of the small fixture corpus and an index folder, in a fresh temporary directory. */
async function workspace() {
  const root = await mkdtemp(path.join(os.tmpdir(), 'boussole-ingest-'));
  roots.push(root);
  const sourcesDir = path.join(root, 'sources');
  await cp(path.resolve('tests/fixtures/sources'), sourcesDir, { recursive: true });
  const dataDir = path.join(root, 'data');
  return { root, sourcesDir, dataDir, indexDir: path.join(dataDir, 'index') };
}

async function passagesOf(indexDir: string, embedder: Embedder, documentId: string) {
  const knowledge = await openKnowledgeBase({ indexDir, embedder });
  return knowledge.documentContent(documentId)?.passages ?? [];
}

describe('ingest', () => {
  it('embeds every passage the first time, and none when nothing changed', async () => {
    const { sourcesDir, indexDir } = await workspace();
    const embedder = new CountingEmbedder();
    expect(await staleReason({ sourcesDir, indexDir, embedder })).toBe('index absent');

    const first = await ingest({ sourcesDir, indexDir, embedder });
    expect(first).toMatchObject({ documents: 2, added: 2, updated: 0, removed: 0, unchanged: 0 });
    expect(first.passages).toBeGreaterThan(2);
    expect(first.embedded).toBe(first.passages);
    expect(embedder.texts).toHaveLength(first.passages);
    expect(await staleReason({ sourcesDir, indexDir, embedder })).toBeUndefined();

    embedder.texts.length = 0;
    const second = await ingest({ sourcesDir, indexDir, embedder });
    expect(second).toMatchObject({ embedded: 0, reused: first.passages, unchanged: 2, added: 0, updated: 0 });
    expect(embedder.texts).toEqual([]);
  });

  it('re-embeds only passages of the file that changed', async () => {
    const { sourcesDir, indexDir } = await workspace();
    const embedder = new CountingEmbedder();
    await ingest({ sourcesDir, indexDir, embedder });
    await appendFile(
      path.join(sourcesDir, 'projet-actes.md'),
      '\n# Calendrier\n\nLes ateliers de formation des élus ont lieu chaque trimestre à la maison des associations.\n',
    );
    expect(await staleReason({ sourcesDir, indexDir, embedder })).toBe('sources modifiées');

    embedder.texts.length = 0;
    const result = await ingest({ sourcesDir, indexDir, embedder });
    expect(result).toMatchObject({ updated: 1, unchanged: 1, added: 0, removed: 0 });
    expect(result.embedded).toBeGreaterThan(0);
    const changedTexts = new Set((await passagesOf(indexDir, embedder, 'projet-actes')).map((p) => p.text));
    expect(embedder.texts.every((text) => changedTexts.has(text))).toBe(true);
    expect(embedder.texts.some((text) => text.includes('maison des associations'))).toBe(true);
  });

  it('makes a dropped .txt file searchable, and forgets a removed file', async () => {
    const { sourcesDir, indexDir } = await workspace();
    const embedder = new LocalEmbedder();
    await ingest({ sourcesDir, indexDir, embedder });
    await copyFile(
      path.resolve('tests/fixtures/files/atelier-nutrition.txt'),
      path.join(sourcesDir, 'atelier-nutrition.txt'),
    );
    expect(await staleReason({ sourcesDir, indexDir, embedder })).toBe('sources modifiées');
    expect(await ingest({ sourcesDir, indexDir, embedder })).toMatchObject({ added: 1, documents: 3 });
    const question = 'Quels thèmes les familles ont-elles choisis pour la cantine et les petits-déjeuners ?';
    let knowledge = await openKnowledgeBase({ indexDir, embedder });
    expect((await knowledge.retrieve(question, 3))[0]?.document).toBe('atelier-nutrition');

    await unlink(path.join(sourcesDir, 'atelier-nutrition.txt'));
    expect(await staleReason({ sourcesDir, indexDir, embedder })).toBe('sources modifiées');
    expect(await ingest({ sourcesDir, indexDir, embedder })).toMatchObject({ removed: 1, documents: 2 });
    knowledge = await openKnowledgeBase({ indexDir, embedder });
    expect(knowledge.documents().map((d) => d.id)).not.toContain('atelier-nutrition');
    const after = await knowledge.retrieve(question, 5);
    expect(after.every((passage) => passage.document !== 'atelier-nutrition')).toBe(true);
  });

  it('rebuilds every vector when the embedder changes', async () => {
    const { sourcesDir, indexDir } = await workspace();
    const first = await ingest({ sourcesDir, indexDir, embedder: new LocalEmbedder() });
    const other = new CountingEmbedder(new LocalEmbedder({ dimensions: 256 }));
    expect(await staleReason({ sourcesDir, indexDir, embedder: other })).toBe('modèle de vecteurs changé');

    const rebuilt = await ingest({ sourcesDir, indexDir, embedder: other });
    expect(rebuilt.embedded).toBe(first.passages);
    expect(other.texts).toHaveLength(first.passages);
    const manifest = JSON.parse(await readFile(path.join(indexDir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ embedderId: other.id, dimensions: 256 });
    const knowledge = await openKnowledgeBase({ indexDir, embedder: other });
    expect(await knowledge.retrieve('convention de partenariat', 1)).toHaveLength(1);
  });

  it('refuses to open a missing index with a French message', async () => {
    const { indexDir } = await workspace();
    const error = await openKnowledgeBase({ indexDir, embedder: new LocalEmbedder() }).catch((e) => e);
    expect(error).toBeInstanceOf(IndexMissingError);
    expect(error.message).toContain('Index de recherche absent ou illisible');
    expect(error.message).toContain('npm run ingest');
  });
});

describe('prepareKnowledge', () => {
  async function prepared() {
    const space = await workspace();
    const config = loadConfig({ DATA_DIR: space.dataDir, SOURCES_DIR: space.sourcesDir });
    const reasons: string[] = [];
    const open = () => prepareKnowledge(config, { onIngest: (reason) => reasons.push(reason) });
    return { ...space, open, reasons };
  }

  it('builds a missing index, then opens it as it is', async () => {
    const { open, reasons } = await prepared();
    const knowledge = await open();
    expect(reasons).toEqual(['index absent']);
    expect((await knowledge.answer('Comment rédiger une convention de partenariat ?')).abstained).toBe(false);
    await open();
    expect(reasons).toEqual(['index absent']);
  });

  it.each([
    ['manifest.json', 'index absent'],
    ['lexical.json', 'index illisible'],
    ['passages.json', 'index illisible'],
    ['vectors/vectors.bin', 'index illisible'],
    ['vectors/ids.json', 'index illisible'],
  ])('rebuilds the index when %s is truncated (%s)', async (file, reason) => {
    const { open, reasons, indexDir } = await prepared();
    await open();
    await truncate(path.join(indexDir, file), 10);
    const knowledge = await open();
    expect(reasons).toEqual(['index absent', reason]);
    const [best] = await knowledge.retrieve('Comment rédiger une convention de partenariat ?', 1);
    expect(best?.section).toContain('Convention de partenariat');
  });
});

describe('ingest metadata', () => {
  it('records the run and the documents with their passages', async () => {
    const { sourcesDir, indexDir } = await workspace();
    const repositories = createMemoryRepositories();
    const embedder = new LocalEmbedder();
    const result = await ingest({ sourcesDir, indexDir, embedder, metadata: repositories.knowledge });

    const { runs, documents } = repositories.state;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      embedder: embedder.id,
      summary: {
        status: 'succeeded',
        added: 2,
        updated: 0,
        removed: 0,
        unchanged: 0,
        passages: result.passages,
      },
    });
    expect(documents.map((d) => d.id).sort()).toEqual(['guide-cooperative', 'projet-actes']);
    expect(documents.flatMap((d) => d.passages)).toHaveLength(result.passages);
    const guide = documents.find((d) => d.id === 'guide-cooperative')!;
    expect(guide).toMatchObject({ publisher: 'ARS Île-de-France', year: 2018 });
    expect(guide.passages.map((p) => p.section)).toContain(
      'Fiches pratiques › Contractualisation › Convention de partenariat',
    );
  });

  it('skips a damaged source, indexes the rest and records the run with the file and its reason', async () => {
    const { sourcesDir, indexDir } = await workspace();
    await copyFile(
      path.resolve('tests/fixtures/files/document-abime.docx'),
      path.join(sourcesDir, 'abime.docx'),
    );
    const repositories = createMemoryRepositories();
    const result = await ingest({
      sourcesDir,
      indexDir,
      embedder: new LocalEmbedder(),
      metadata: repositories.knowledge,
    });
    const skipped = [
      {
        file: 'abime.docx',
        reason: 'unreadable',
        message: expect.stringMatching(/^document Word illisible ou endommagé \(.+\)$/),
      },
    ];
    expect(result).toMatchObject({ documents: 2, skipped });
    expect(repositories.state.runs[0]?.summary).toMatchObject({ status: 'succeeded', skipped });
    expect(repositories.state.documents.map((d) => d.id).sort()).toEqual([
      'guide-cooperative',
      'projet-actes',
    ]);
  });

  it('records a failed run, with the files left out, when no source can be read', async () => {
    const { sourcesDir, indexDir } = await workspace();
    await rm(sourcesDir, { recursive: true });
    await mkdir(sourcesDir);
    await writeFile(path.join(sourcesDir, 'vide.md'), '');
    const repositories = createMemoryRepositories();
    const run = ingest({
      sourcesDir,
      indexDir,
      embedder: new LocalEmbedder(),
      metadata: repositories.knowledge,
    });
    await expect(run).rejects.toBeInstanceOf(SourcesUnusableError);
    expect(repositories.state.runs[0]?.summary).toMatchObject({
      status: 'failed',
      passages: 0,
      skipped: [{ file: 'vide.md', reason: 'empty', message: 'fichier vide' }],
    });
    expect(repositories.state.runs[0]?.summary?.error).toContain('Aucune source lisible');
    expect(repositories.state.documents).toEqual([]);
  });
});
