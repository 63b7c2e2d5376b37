import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type {
  FeedbackRepository,
  FeedbackView,
  InteractionRepository,
  NewInteraction,
  Rating,
  ThreadTurn,
} from '../core/ports.ts';
import type { ChannelName } from '../core/types.ts';
import { isPrismaError } from './prisma-errors.ts';

const threadTurnSelect = { question: true, answer: true } satisfies Prisma.InteractionSelect;

const feedbackViewSelect = {
  updatedAt: true,
  channel: true,
  rating: true,
  comment: true,
  interaction: {
    select: {
      question: true,
      answer: true,
      sources: { select: { documentId: true, section: true }, orderBy: { rank: 'asc' } },
    },
  },
} satisfies Prisma.FeedbackSelect;

type FeedbackRow = Prisma.FeedbackGetPayload<{ select: typeof feedbackViewSelect }>;

export class PrismaInteractionRepository implements InteractionRepository {
  private readonly prisma: PrismaClient;

  constructor({ prisma }: { prisma: PrismaClient }) {
    this.prisma = prisma;
  }

  async record(interaction: NewInteraction): Promise<{ id: string }> {
    const { channel, workspaceId, userId } = interaction;
    const identity = userId
      ? await this.prisma.channelIdentity.findUnique({
          where: { channel_workspaceId_externalUserId: { channel, workspaceId, externalUserId: userId } },
          select: { personId: true },
        })
      : null;
    // One statement with its nested sources: Prisma writes both in a single transaction.
    return this.prisma.interaction.create({
      data: {
        channel,
        workspaceId,
        conversationId: interaction.conversationId,
        threadId: interaction.threadId,
        externalUserId: userId,
        personId: identity?.personId,
        question: interaction.question,
        answer: interaction.answer,
        abstained: interaction.abstained,
        mode: interaction.mode,
        latencyMs: Math.round(interaction.latencyMs),
        sources: {
          createMany: {
            data: interaction.sources.map((source) => ({
              rank: source.rank,
              documentId: source.document,
              section: source.section,
              passageId: source.passageId,
              text: source.text,
              score: source.score,
            })),
          },
        },
      },
      select: { id: true },
    });
  }

  async threadHistory(
    key: { channel: ChannelName; conversationId: string; threadId: string },
    limit: number,
  ): Promise<ThreadTurn[]> {
    const newestFirst = await this.prisma.interaction.findMany({
      where: { channel: key.channel, conversationId: key.conversationId, threadId: key.threadId },
      orderBy: { createdAt: 'desc' },
      take: limit,
      select: threadTurnSelect,
    });
    return newestFirst.reverse();
  }

  async linkChannelMessage(input: {
    interactionId: string;
    channel: ChannelName;
    messageId: string;
  }): Promise<void> {
    // ON CONFLICT DO NOTHING: a second link, even from another process at the same moment, is not an error.
    await this.prisma.channelMessage.createMany({ data: [input], skipDuplicates: true });
  }

  async findByChannelMessage(channel: ChannelName, messageId: string): Promise<string | undefined> {
    const link = await this.prisma.channelMessage.findUnique({
      where: { channel_messageId: { channel, messageId } },
      select: { interactionId: true },
    });
    return link?.interactionId;
  }
}

function toFeedbackView(row: FeedbackRow): FeedbackView {
  return {
    createdAt: row.updatedAt,
    channel: row.channel,
    rating: row.rating,
    comment: row.comment ?? undefined,
    question: row.interaction.question,
    answer: row.interaction.answer,
    sources: row.interaction.sources.map((source) => ({
      document: source.documentId,
      section: source.section,
    })),
  };
}

export class PrismaFeedbackRepository implements FeedbackRepository {
  private readonly prisma: PrismaClient;

  constructor({ prisma }: { prisma: PrismaClient }) {
    this.prisma = prisma;
  }

  async record(feedback: {
    interactionId: string;
    channel: ChannelName;
    conversationId: string;
    userId?: string;
    rating: Rating;
    comment?: string;
  }): Promise<boolean> {
    const answered = await this.prisma.interaction.count({
      where: {
        id: feedback.interactionId,
        channel: feedback.channel,
        conversationId: feedback.conversationId,
      },
    });
    if (answered === 0) return false;
    const key = {
      interactionId: feedback.interactionId,
      channel: feedback.channel,
      userKey: feedback.userId ?? '',
    };
    const rating = { rating: feedback.rating, comment: feedback.comment ?? null };
    try {
      await this.prisma.feedback.upsert({
        where: { interactionId_channel_userKey: key },
        create: { ...key, userId: feedback.userId, ...rating },
        update: rating,
        select: { id: true },
      });
      return true;
    } catch (error) {
      // Deleted between the check and the write.
      if (isPrismaError(error, 'P2003')) return false;
      throw error;
    }
  }

  async latest(limit: number): Promise<FeedbackView[]> {
    const rows = await this.prisma.feedback.findMany({
      // The rating enum is declared `down` first.
      orderBy: [{ rating: 'asc' }, { updatedAt: 'desc' }],
      take: limit,
      select: feedbackViewSelect,
    });
    return rows.map(toFeedbackView);
  }
}
