import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import type {
  DigestDestination,
  DigestPlace,
  DigestSubscription,
  DigestSubscriptionRepository,
  SubscriptionChanges,
} from '../features/digest/delivery.ts';

/** What this store reads of a stored Teams conversation reference. */
interface TeamsReference {
  conversation?: { id?: string; conversationType?: string };
}

type Row = Awaited<ReturnType<PrismaClient['digestSubscription']['findUniqueOrThrow']>>;

function toSubscription(row: Row): DigestSubscription {
  return {
    personId: row.personId,
    destination:
      row.place && row.workspaceId && row.conversationId
        ? {
            place: row.place as DigestPlace,
            workspaceId: row.workspaceId,
            conversationId: row.conversationId,
            ...(row.conversationReference != null
              ? { conversationReference: row.conversationReference }
              : {}),
          }
        : undefined,
    weekday: row.weekday,
    hour: row.hour,
    paused: row.paused,
    collectiviteIds: row.collectiviteIds,
    scheduleFrom: row.scheduleFrom,
  };
}

function columns(changes: SubscriptionChanges) {
  const { destination, weekday, hour, paused, collectiviteIds } = changes;
  return {
    ...(weekday !== undefined ? { weekday } : {}),
    ...(hour !== undefined ? { hour } : {}),
    ...(paused !== undefined ? { paused } : {}),
    ...(collectiviteIds !== undefined ? { collectiviteIds } : {}),
    // A new time counts from now: it never makes this week's digest late.
    ...(weekday !== undefined || hour !== undefined ? { scheduleFrom: new Date() } : {}),
    ...(destination === null
      ? { place: null, workspaceId: null, conversationId: null, conversationReference: Prisma.DbNull }
      : destination
        ? {
            place: destination.place,
            workspaceId: destination.workspaceId,
            conversationId: destination.conversationId,
            conversationReference:
              destination.conversationReference === undefined
                ? Prisma.DbNull
                : (destination.conversationReference as Prisma.InputJsonValue),
          }
        : {}),
  };
}

export class PrismaDigestSubscriptionRepository implements DigestSubscriptionRepository {
  private readonly prisma: PrismaClient;

  constructor({ prisma }: { prisma: PrismaClient }) {
    this.prisma = prisma;
  }

  async get(personId: string): Promise<DigestSubscription | undefined> {
    const row = await this.prisma.digestSubscription.findUnique({ where: { personId } });
    return row ? toSubscription(row) : undefined;
  }

  async save(personId: string, changes: SubscriptionChanges): Promise<DigestSubscription> {
    const data = columns(changes);
    const row = await this.prisma.digestSubscription.upsert({
      where: { personId },
      create: { personId, ...data },
      update: data,
    });
    return toSubscription(row);
  }

  async ensureCoordinatorDefaults(): Promise<number> {
    const coordinators = await this.prisma.person.findMany({
      where: { deactivatedAt: null, digest: null, memberships: { some: { role: 'coordinateur' } } },
      select: { id: true },
    });
    // ON CONFLICT DO NOTHING: two processes doing this at once create each subscription once.
    const { count } = await this.prisma.digestSubscription.createMany({
      data: coordinators.map(({ id }) => ({ personId: id })),
      skipDuplicates: true,
    });
    return count;
  }

  async privateDestinations(personId: string): Promise<DigestDestination[]> {
    const identities = await this.prisma.channelIdentity.findMany({
      where: { personId, channel: { in: ['slack', 'teams'] } },
      orderBy: { updatedAt: 'desc' },
    });
    return identities.flatMap((identity): DigestDestination[] => {
      if (identity.channel === 'slack') {
        const { workspaceId, externalUserId: conversationId } = identity;
        return [{ place: 'slack_dm', workspaceId, conversationId }];
      }
      const reference = identity.conversationReference as TeamsReference | null;
      if (reference?.conversation?.conversationType !== 'personal' || !reference.conversation.id) return [];
      return [
        {
          place: 'teams_personal',
          workspaceId: identity.workspaceId,
          conversationId: reference.conversation.id,
          conversationReference: reference,
        },
      ];
    });
  }

  async active(): Promise<DigestSubscription[]> {
    const rows = await this.prisma.digestSubscription.findMany({
      where: { paused: false, person: { deactivatedAt: null } },
      orderBy: { personId: 'asc' },
    });
    return rows.map(toSubscription);
  }
}
