import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { ChannelIdentity, IdentityRepository } from '../core/ports.ts';
import type { ChannelName } from '../core/types.ts';
import { isPrismaError } from './prisma-errors.ts';

const identitySelect = {
  displayName: true,
  conversationReference: true,
  personId: true,
} satisfies Prisma.ChannelIdentitySelect;

/** A reference is plain JSON data from the channel; null or absent leaves the stored one as is. */
function toJson(reference: unknown): Prisma.InputJsonValue | undefined {
  return reference === undefined || reference === null ? undefined : (reference as Prisma.InputJsonValue);
}

const withoutNull = ({ personId }: { personId: string | null }) => ({ personId: personId ?? undefined });

export class PrismaIdentityRepository implements IdentityRepository {
  private readonly prisma: PrismaClient;

  constructor({ prisma }: { prisma: PrismaClient }) {
    this.prisma = prisma;
  }

  async upsert(identity: ChannelIdentity): Promise<{ personId?: string }> {
    const key = {
      channel: identity.channel,
      workspaceId: identity.workspaceId,
      externalUserId: identity.externalUserId,
    };
    const details = {
      displayName: identity.displayName,
      conversationReference: toJson(identity.conversationReference),
    };
    const write = () =>
      this.prisma.channelIdentity.upsert({
        where: { channel_workspaceId_externalUserId: key },
        create: { ...key, ...details },
        update: details,
        select: { personId: true },
      });
    try {
      return withoutNull(await write());
    } catch (error) {
      // Two first messages of the same user at once: the loser finds the winner's row and updates it.
      if (isPrismaError(error, 'P2002')) return withoutNull(await write());
      throw error;
    }
  }

  async findByChannelUser(
    channel: ChannelName,
    workspaceId: string,
    externalUserId: string,
  ): Promise<(ChannelIdentity & { personId?: string }) | undefined> {
    const row = await this.prisma.channelIdentity.findUnique({
      where: { channel_workspaceId_externalUserId: { channel, workspaceId, externalUserId } },
      select: identitySelect,
    });
    if (!row) return undefined;
    return {
      channel,
      workspaceId,
      externalUserId,
      displayName: row.displayName ?? undefined,
      conversationReference: row.conversationReference ?? undefined,
      personId: row.personId ?? undefined,
    };
  }
}
