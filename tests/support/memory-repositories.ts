import { randomBytes } from 'node:crypto';
import type {
  ChannelIdentity,
  FeedbackView,
  NewInteraction,
  Rating,
  Repositories,
} from '../../bot/core/ports.ts';
import type { StoreRepositories } from '../../bot/store/repositories.ts';
import type { IngestedDocument, IngestSummary } from '../../ingest/ports.ts';

/**
 * Repositories no in-memory fake stands for: people, fiches, form sessions, tasks and suivis are tested on
 * real databases (tests/store/backends.ts). Any call fails loudly rather than pretending, except the reads
 * every turn makes (`known`): in memory, nobody is a person and nobody has a form open.
 */
function onlyOnDatabase<T extends object>(name: string, known: Partial<T> = {}): T {
  return new Proxy(known as T, {
    get: (target, method) =>
      Object.hasOwn(target, method)
        ? (target as Record<string | symbol, unknown>)[method]
        : () =>
            Promise.reject(
              new Error(`${name}.${String(method)} : pas de version en mémoire, testez sur une base.`),
            ),
  });
}

/**
 * In-memory fakes of the repository ports, with their state exposed for assertions. They pass the same
 * contract tests as the Prisma repositories (tests/store/repositories.test.ts).
 */
export interface MemoryRepositories extends StoreRepositories {
  state: {
    interactions: (NewInteraction & { id: string; createdAt: Date })[];
    feedback: {
      interactionId: string;
      channel: string;
      conversationId: string;
      userId?: string;
      rating: Rating;
      comment?: string;
    }[];
    claimedEvents: Set<string>;
    /** Interaction id by `channel|messageId` of the message that showed it. */
    channelMessages: Map<string, string>;
    identities: Map<string, ChannelIdentity & { personId?: string }>;
    runs: { id: string; embedder: string; summary?: IngestSummary }[];
    documents: IngestedDocument[];
    settings: Map<string, string>;
  };
}

export function createMemoryRepositories(): MemoryRepositories {
  const state: MemoryRepositories['state'] = {
    interactions: [],
    feedback: [],
    claimedEvents: new Set(),
    channelMessages: new Map(),
    identities: new Map(),
    runs: [],
    documents: [],
    settings: new Map(),
  };
  const identityKey = (channel: string, workspaceId: string, userId: string) =>
    `${channel}|${workspaceId}|${userId}`;
  /** Time of each current rating, kept apart so that tests can compare `state.feedback` as written. */
  const ratedAt = new WeakMap<object, Date>();
  /** Strictly increasing, as `clock_timestamp()` is in PostgreSQL, so that order never ties. */
  let lastTime = 0;
  const now = () => {
    lastTime = Math.max(Date.now(), lastTime + 1);
    return new Date(lastTime);
  };
  const repositories: MemoryRepositories = {
    state,
    interactions: {
      async record(interaction) {
        const id = `int-${state.interactions.length + 1}`;
        state.interactions.push({ ...interaction, id, createdAt: now() });
        return { id };
      },
      async threadHistory(key, limit) {
        return state.interactions
          .filter(
            (i) =>
              i.channel === key.channel &&
              i.conversationId === key.conversationId &&
              i.threadId === key.threadId,
          )
          .slice(-limit)
          .map(({ question, answer }) => ({ question, answer }));
      },
      async linkChannelMessage({ interactionId, channel, messageId }) {
        const key = `${channel}|${messageId}`;
        if (!state.channelMessages.has(key)) state.channelMessages.set(key, interactionId);
      },
      async findByChannelMessage(channel, messageId) {
        return state.channelMessages.get(`${channel}|${messageId}`);
      },
    },
    feedback: {
      async record(feedback) {
        const answered = state.interactions.some(
          (i) =>
            i.id === feedback.interactionId &&
            i.channel === feedback.channel &&
            i.conversationId === feedback.conversationId,
        );
        if (!answered) return false;
        // One rating per user of an answer, an anonymous user counting as one.
        const others = state.feedback.filter(
          (f) =>
            !(f.interactionId === feedback.interactionId && (f.userId ?? '') === (feedback.userId ?? '')),
        );
        state.feedback = [...others, feedback];
        ratedAt.set(feedback, now());
        return true;
      },
      async latest(limit) {
        const views: FeedbackView[] = state.feedback.map((f) => {
          const interaction = state.interactions.find((i) => i.id === f.interactionId)!;
          return {
            createdAt: ratedAt.get(f)!,
            channel: f.channel,
            rating: f.rating,
            comment: f.comment,
            question: interaction.question,
            answer: interaction.answer,
            sources: [...interaction.sources]
              .sort((a, b) => a.rank - b.rank)
              .map(({ document, section }) => ({ document, section })),
          };
        });
        // Negative first, then the newest rating first.
        const down = (view: FeedbackView) => (view.rating === 'down' ? 0 : 1);
        return views
          .sort((a, b) => down(a) - down(b) || b.createdAt.getTime() - a.createdAt.getTime())
          .slice(0, limit);
      },
    },
    processedEvents: {
      async claim(source, eventId) {
        const key = `${source}|${eventId}`;
        if (state.claimedEvents.has(key)) return false;
        state.claimedEvents.add(key);
        return true;
      },
    },
    identities: {
      async upsert(identity) {
        const key = identityKey(identity.channel, identity.workspaceId, identity.externalUserId);
        const stored = state.identities.get(key);
        state.identities.set(key, {
          ...identity,
          displayName: identity.displayName ?? stored?.displayName,
          conversationReference: identity.conversationReference ?? stored?.conversationReference,
          personId: stored?.personId,
        });
        return { personId: stored?.personId };
      },
      async findByChannelUser(channel, workspaceId, externalUserId) {
        const stored = state.identities.get(identityKey(channel, workspaceId, externalUserId));
        return stored && { ...stored };
      },
    },
    knowledge: {
      async startRun(embedder) {
        const id = `run-${state.runs.length + 1}`;
        state.runs.push({ id, embedder });
        return { id };
      },
      async finishRun(runId, summary) {
        const run = state.runs.find((r) => r.id === runId);
        if (run) run.summary = summary;
      },
      async syncDocuments(documents) {
        state.documents = documents;
      },
    },
    settings: {
      async getOrCreateSecret(name) {
        if (!state.settings.has(name)) state.settings.set(name, randomBytes(32).toString('base64url'));
        return state.settings.get(name)!;
      },
    },
    directory: onlyOnDatabase<Repositories['directory']>('directory', {
      actorByIdentity: async () => undefined,
      actorByPerson: async () => undefined,
      emailCheckedSince: async () => true,
    }),
    fiches: onlyOnDatabase('fiches'),
    tasks: onlyOnDatabase('tasks'),
    suivis: onlyOnDatabase('suivis'),
    activity: onlyOnDatabase('activity'),
    digestSubscriptions: onlyOnDatabase('digestSubscriptions'),
    digestLedger: onlyOnDatabase('digestLedger'),
    formSessions: onlyOnDatabase<Repositories['formSessions']>('formSessions', {
      find: async () => undefined,
    }),
    // Nothing to roll back in memory: the work runs on the same fakes.
    atomically: (work) => work(repositories),
  };
  return repositories;
}
