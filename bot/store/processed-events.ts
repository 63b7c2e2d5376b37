import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { ProcessedEventRepository } from '../core/ports.ts';

export class PrismaProcessedEventRepository implements ProcessedEventRepository {
  private readonly prisma: PrismaClient;

  constructor({ prisma }: { prisma: PrismaClient }) {
    this.prisma = prisma;
  }

  async claim(source: string, eventId: string): Promise<boolean> {
    // INSERT … ON CONFLICT DO NOTHING: the database decides which process wins, in one statement.
    const { count } = await this.prisma.processedEvent.createMany({
      data: [{ source, eventId }],
      skipDuplicates: true,
    });
    return count === 1;
  }
}
