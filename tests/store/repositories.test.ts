import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewInteraction, RecordedSource } from '../../bot/core/ports.ts';
import type { Database } from '../../bot/store/database.ts';
import type { IngestedDocument } from '../../ingest/ports.ts';
import { backends, repositoryBackends, type StoreUnderTest } from './backends.ts';

function source(rank: number, document: string): RecordedSource {
  return {
    rank,
    document,
    section: `Partie ${rank}`,
    passageId: `${document}:${rank}`,
    text: `Texte ${rank}`,
    score: 1 / rank,
  };
}

function interaction(overrides: Partial<NewInteraction> = {}): NewInteraction {
  return {
    channel: 'slack',
    workspaceId: 'T1',
    conversationId: `C-${randomUUID()}`,
    question: 'Qu’est-ce qu’un CLS ?',
    answer: 'Un contrat local de santé [1].',
    abstained: false,
    mode: 'extractive',
    latencyMs: 42,
    sources: [source(1, 'guide-ars'), source(2, 'prs3-axe6')],
    ...overrides,
  };
}

function ingested(id: string, contentHash: string, texts: string[]): IngestedDocument {
  return {
    id,
    title: `Titre ${id}`,
    publisher: 'ARS Île-de-France',
    year: 2024,
    sourcePath: `knowledge/sources/${id}.md`,
    contentHash,
    passages: texts.map((text, ordinal) => ({
      id: `${id}:${ordinal}`,
      ordinal,
      section: 'Intro',
      anchor: 'intro',
      text,
    })),
  };
}

/**
 * The contract of the repository ports, through the ports alone: the in-memory fakes that the core and
 * channel tests use must behave as the Prisma repositories do, on PGlite and on PostgreSQL.
 */
describe.each(repositoryBackends)('repository contract on $name', (backend) => {
  let store: StoreUnderTest;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(() => backend.dispose(store));

  it('claims an event once, then refuses the retry', async () => {
    const { processedEvents } = store.repositories;
    expect(await processedEvents.claim('slack', 'Ev-1')).toBe(true);
    expect(await processedEvents.claim('slack', 'Ev-1')).toBe(false);
    expect(await processedEvents.claim('teams', 'Ev-1')).toBe(true);
  });

  it('gives exactly one winner among 20 parallel claims of one event', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => store.repositories.processedEvents.claim('slack', 'Ev-race')),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('returns the latest turns of a thread, oldest first, and only that thread', async () => {
    const thread = { channel: 'slack' as const, conversationId: `C-${randomUUID()}`, threadId: '171.1' };
    for (const n of [1, 2, 3, 4]) {
      await store.repositories.interactions.record(
        interaction({ ...thread, question: `Question ${n}`, answer: `Réponse ${n}` }),
      );
    }
    await store.repositories.interactions.record(interaction({ ...thread, threadId: '171.2' }));
    const history = await store.repositories.interactions.threadHistory(thread, 3);
    expect(history).toEqual([
      { question: 'Question 2', answer: 'Réponse 2' },
      { question: 'Question 3', answer: 'Réponse 3' },
      { question: 'Question 4', answer: 'Réponse 4' },
    ]);
  });

  it('replaces a user’s earlier rating and lists negative feedback first, then the newest rating', async () => {
    const { interactions, feedback } = store.repositories;
    const asked = (question: string) =>
      interactions.record(interaction({ question, conversationId: 'C-retours' }));
    const first = await asked('Première question');
    const second = await asked('Deuxième question');
    const third = await asked('Troisième question');
    const where = { channel: 'slack' as const, conversationId: 'C-retours' };
    expect(await feedback.record({ interactionId: first.id, ...where, userId: 'U1', rating: 'up' })).toBe(
      true,
    );
    expect(await feedback.record({ interactionId: second.id, ...where, userId: 'U1', rating: 'up' })).toBe(
      true,
    );
    await feedback.record({
      interactionId: third.id,
      ...where,
      userId: 'U2',
      rating: 'down',
      comment: 'Hors sujet',
    });
    await feedback.record({
      interactionId: first.id,
      ...where,
      userId: 'U1',
      rating: 'down',
      comment: 'Faux',
    });

    const views = await feedback.latest(10);
    expect(views.map((view) => [view.question, view.rating, view.comment])).toEqual([
      ['Première question', 'down', 'Faux'],
      ['Troisième question', 'down', 'Hors sujet'],
      ['Deuxième question', 'up', undefined],
    ]);
    expect(views[0]?.sources).toEqual([
      { document: 'guide-ars', section: 'Partie 1' },
      { document: 'prs3-axe6', section: 'Partie 2' },
    ]);
    // The time shown is the rating's, not the question's: the first question was rated last.
    expect(views[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(views[1]!.createdAt.getTime());
    expect(await feedback.latest(2)).toHaveLength(2);
  });

  it('keeps one rating per user of an answer, an anonymous user counting as one', async () => {
    const { interactions, feedback } = store.repositories;
    const conversationId = `C-${randomUUID()}`;
    const { id } = await interactions.record(
      interaction({ channel: 'web', conversationId, question: 'Q clé' }),
    );
    const where = { interactionId: id, channel: 'web' as const, conversationId };
    await feedback.record({ ...where, rating: 'up' });
    await feedback.record({ ...where, rating: 'down' });
    await feedback.record({ ...where, userId: 'U7', rating: 'up' });
    const views = (await feedback.latest(100)).filter((view) => view.question === 'Q clé');
    expect(views.map((view) => view.rating)).toEqual(['down', 'up']);
  });

  it('refuses feedback on an unknown interaction', async () => {
    const accepted = await store.repositories.feedback.record({
      interactionId: randomUUID(),
      channel: 'teams',
      conversationId: 'C-1',
      rating: 'up',
    });
    expect(accepted).toBe(false);
  });

  it('accepts feedback only from the channel and conversation that received the answer', async () => {
    const { interactions, feedback } = store.repositories;
    const conversationId = `C-${randomUUID()}`;
    const question = `Question ${conversationId}`;
    const { id } = await interactions.record(interaction({ channel: 'web', conversationId, question }));
    const rating = { interactionId: id, userId: 'U9', rating: 'down' as const };
    const ratings = async () => (await feedback.latest(100)).filter((view) => view.question === question);
    expect(await feedback.record({ ...rating, channel: 'web', conversationId: 'C-autre' })).toBe(false);
    expect(await feedback.record({ ...rating, channel: 'slack', conversationId })).toBe(false);
    expect(await ratings()).toEqual([]);
    expect(await feedback.record({ ...rating, channel: 'web', conversationId })).toBe(true);
    expect(await ratings()).toHaveLength(1);
  });

  it('links a posted message to its interaction once, whichever process links it again', async () => {
    const { interactions } = store.repositories;
    const first = await interactions.record(interaction({ channel: 'teams' }));
    const second = await interactions.record(interaction({ channel: 'teams' }));
    const messageId = `1:${randomUUID()}`;
    await interactions.linkChannelMessage({ interactionId: first.id, channel: 'teams', messageId });
    await Promise.all([
      interactions.linkChannelMessage({ interactionId: first.id, channel: 'teams', messageId }),
      interactions.linkChannelMessage({ interactionId: first.id, channel: 'teams', messageId }),
    ]);
    await interactions.linkChannelMessage({ interactionId: second.id, channel: 'teams', messageId });
    expect(await interactions.findByChannelMessage('teams', messageId)).toBe(first.id);
  });

  it('finds no interaction for an unknown message, nor for a known id in another channel', async () => {
    const { interactions } = store.repositories;
    const { id } = await interactions.record(interaction({ channel: 'teams' }));
    await interactions.linkChannelMessage({ interactionId: id, channel: 'teams', messageId: 'stream-42' });
    expect(await interactions.findByChannelMessage('teams', 'jamais-envoye')).toBeUndefined();
    expect(await interactions.findByChannelMessage('slack', 'stream-42')).toBeUndefined();
  });

  it('updates a channel account’s reference and never erases its name or reference with nothing', async () => {
    const { identities } = store.repositories;
    const key = { channel: 'teams' as const, workspaceId: 'tenant-1', externalUserId: 'aad-1' };
    await identities.upsert({ ...key, displayName: 'Claire', conversationReference: { v: 1 } });
    await identities.upsert({ ...key, conversationReference: { v: 2, serviceUrl: 'https://x' } });
    expect(await identities.upsert({ ...key, conversationReference: null })).toEqual({ personId: undefined });
    expect(await identities.findByChannelUser('teams', 'tenant-1', 'aad-1')).toEqual({
      ...key,
      displayName: 'Claire',
      conversationReference: { v: 2, serviceUrl: 'https://x' },
    });
    expect(await identities.findByChannelUser('slack', 'tenant-1', 'aad-1')).toBeUndefined();
  });

  it('links no person to a new user whose first messages arrive together', async () => {
    const key = { channel: 'slack' as const, workspaceId: 'T9', externalUserId: 'U-burst' };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => store.repositories.identities.upsert(key)),
    );
    expect(results).toEqual(Array.from({ length: 5 }, () => ({ personId: undefined })));
    expect(await store.repositories.identities.findByChannelUser('slack', 'T9', 'U-burst')).toEqual(key);
  });
});

/** What only a database stores: rows, relations, cascades, document metadata, concurrency. */
describe.each(backends)('Prisma storage on $name', (backend) => {
  let database: Database;
  beforeAll(async () => {
    database = await backend.open();
  });
  afterAll(() => backend.dispose(database));

  it('records an interaction with its sources in rank order', async () => {
    const { id } = await database.repositories.interactions.record(interaction({ userId: 'U1' }));
    const stored = await database.prisma.interaction.findUniqueOrThrow({
      where: { id },
      include: { sources: { orderBy: { rank: 'asc' } } },
    });
    expect(stored).toMatchObject({ channel: 'slack', externalUserId: 'U1', abstained: false, latencyMs: 42 });
    expect(stored.sources.map((s) => [s.rank, s.documentId, s.passageId])).toEqual([
      [1, 'guide-ars', 'guide-ars:1'],
      [2, 'prs3-axe6', 'prs3-axe6:2'],
    ]);
  });

  it('links an interaction to the person behind a linked identity, and to nobody before', async () => {
    const { identities, interactions, directory } = database.repositories;
    const account = { channel: 'teams' as const, workspaceId: 'tenant', externalUserId: 'aad-7' };
    expect(await identities.upsert(account)).toEqual({ personId: undefined });
    const before = await interactions.record(
      interaction({ channel: 'teams', workspaceId: 'tenant', userId: 'aad-7' }),
    );

    const person = await directory.createPerson({ displayName: 'Inès Exemple' }, { name: 'test' });
    await directory.linkIdentity(account, person.id, { name: 'test' });
    const after = await interactions.record(
      interaction({ channel: 'teams', workspaceId: 'tenant', userId: 'aad-7' }),
    );

    const stored = await database.prisma.interaction.findMany({
      where: { id: { in: [before.id, after.id] } },
      orderBy: { createdAt: 'asc' },
    });
    expect(stored.map((row) => row.personId)).toEqual([null, person.id]);
    expect(await identities.upsert(account)).toEqual({ personId: person.id });
  });

  it('stores one row per rating, per linked message and per channel account', async () => {
    const { interactions, feedback, identities } = database.repositories;
    const conversationId = `C-${randomUUID()}`;
    const { id } = await interactions.record(interaction({ channel: 'teams', conversationId }));
    const where = { interactionId: id, channel: 'teams' as const, conversationId, userId: 'U1' };
    await feedback.record({ ...where, rating: 'up' });
    await feedback.record({ ...where, rating: 'down' });
    const messageId = `1:${randomUUID()}`;
    await interactions.linkChannelMessage({ interactionId: id, channel: 'teams', messageId });
    await interactions.linkChannelMessage({ interactionId: id, channel: 'teams', messageId });
    const account = { channel: 'teams' as const, workspaceId: 'tenant-2', externalUserId: 'aad-2' };
    await identities.upsert({ ...account, displayName: 'Claire' });
    await identities.upsert(account);
    expect(await database.prisma.feedback.count({ where: { interactionId: id } })).toBe(1);
    expect(await database.prisma.channelMessage.count({ where: { messageId } })).toBe(1);
    expect(await database.prisma.channelIdentity.count({ where: account })).toBe(1);
  });

  it('creates no person for a new user whose first messages arrive together', async () => {
    const key = { channel: 'slack' as const, workspaceId: 'T8', externalUserId: 'U-burst' };
    const people = await database.prisma.person.count();
    await Promise.all(Array.from({ length: 5 }, () => database.repositories.identities.upsert(key)));
    expect(await database.prisma.channelIdentity.count({ where: key })).toBe(1);
    expect(await database.prisma.person.count()).toBe(people);
  });

  it('forgets the links of a deleted interaction', async () => {
    const { interactions } = database.repositories;
    const { id } = await interactions.record(interaction({ channel: 'teams' }));
    const messageId = `1:${randomUUID()}`;
    await interactions.linkChannelMessage({ interactionId: id, channel: 'teams', messageId });
    await database.prisma.interaction.delete({ where: { id } });
    expect(await interactions.findByChannelMessage('teams', messageId)).toBeUndefined();
  });

  it('syncs documents: adds, rewrites changed ones with their passages, removes missing ones', async () => {
    const { knowledge } = database.repositories;
    await knowledge.syncDocuments([ingested('a', 'h1', ['un', 'deux']), ingested('b', 'h1', ['trois'])]);
    const untouched = await database.prisma.document.findUniqueOrThrow({ where: { id: 'b' } });

    await knowledge.syncDocuments([
      ingested('b', 'h1', ['trois']),
      ingested('c', 'h1', ['quatre', 'cinq', 'six']),
    ]);
    await knowledge.syncDocuments([ingested('b', 'h1', ['trois']), ingested('c', 'h2', ['quatre bis'])]);

    const documents = await database.prisma.document.findMany({
      orderBy: { id: 'asc' },
      include: { passages: true },
    });
    expect(documents.map((d) => [d.id, d.contentHash, d.passages.map((p) => p.text)])).toEqual([
      ['b', 'h1', ['trois']],
      ['c', 'h2', ['quatre bis']],
    ]);
    expect(documents[0]?.updatedAt).toEqual(untouched.updatedAt);
    expect(await database.prisma.passage.count({ where: { documentId: 'a' } })).toBe(0);
  });

  it('rewrites a document whose passages changed under the same content hash', async () => {
    const { knowledge } = database.repositories;
    await knowledge.syncDocuments([ingested('d', 'same', ['avant'])]);
    await knowledge.syncDocuments([ingested('d', 'same', ['après', 'découpage'])]);
    const passages = await database.prisma.passage.findMany({
      where: { documentId: 'd' },
      orderBy: { ordinal: 'asc' },
    });
    expect(passages.map((p) => p.text)).toEqual(['après', 'découpage']);
  });

  it('records an ingest run from start to finish', async () => {
    const { knowledge } = database.repositories;
    const { id } = await knowledge.startRun('local-hash-256');
    expect(await database.prisma.ingestRun.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'running',
      finishedAt: null,
    });
    await knowledge.finishRun(id, {
      status: 'failed',
      added: 1,
      updated: 2,
      removed: 3,
      unchanged: 4,
      passages: 50,
      skipped: [{ file: 'rapports/bilan.pdf', reason: 'unreadable', message: 'PDF illisible ou endommagé' }],
      durationMs: 1234.6,
      error: 'Disque plein',
    });
    const run = await database.prisma.ingestRun.findUniqueOrThrow({ where: { id } });
    expect(run).toMatchObject({
      status: 'failed',
      added: 1,
      updated: 2,
      removed: 3,
      unchanged: 4,
      passages: 50,
    });
    expect(run).toMatchObject({ durationMs: 1235, error: 'Disque plein', embedder: 'local-hash-256' });
    expect(run.skipped).toEqual([
      { file: 'rapports/bilan.pdf', reason: 'unreadable', message: 'PDF illisible ou endommagé' },
    ]);
    expect(run.finishedAt).toBeInstanceOf(Date);
  });

  it('serves 50 concurrent writes on one database', async () => {
    const conversationId = `C-${randomUUID()}`;
    await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        database.repositories.interactions.record(interaction({ conversationId, question: `Q${n}` })),
      ),
    );
    expect(await database.prisma.interaction.count({ where: { conversationId } })).toBe(50);
    expect(
      await database.prisma.interactionSource.count({ where: { interaction: { conversationId } } }),
    ).toBe(100);
  });
});
