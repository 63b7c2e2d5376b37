import type { PrismaClient } from '../../generated/prisma/client.ts';
import type {
  ClaimRequest,
  DeliveryState,
  DigestDeliveryRecord,
  DigestLedger,
} from '../features/digest/delivery.ts';

type Row = Awaited<ReturnType<PrismaClient['digestDelivery']['findUniqueOrThrow']>>;

function toRecord(row: Row): DigestDeliveryRecord {
  return {
    id: row.id,
    personId: row.personId,
    personName: row.personName,
    week: row.week,
    copy: row.copy,
    state: row.state as DeliveryState,
    attempts: row.attempts,
    ...(row.error ? { error: row.error } : {}),
    late: row.late,
    forced: row.forced,
    ...(row.place ? { place: row.place } : {}),
    ...(row.scheduledAt ? { scheduledAt: row.scheduledAt } : {}),
    claimedAt: row.claimedAt,
    ...(row.sentAt ? { sentAt: row.sentAt } : {}),
    ...(row.failedAt ? { failedAt: row.failedAt } : {}),
  };
}

/** Errors are kept short in the ledger: the log has the rest. */
const MAX_ERROR = 500;

export class PrismaDigestLedger implements DigestLedger {
  private readonly prisma: PrismaClient;

  constructor({ prisma }: { prisma: PrismaClient }) {
    this.prisma = prisma;
  }

  async claim(request: ClaimRequest): Promise<DigestDeliveryRecord | undefined> {
    const key = { personId: request.personId, week: request.week, copy: 0 };
    // INSERT … ON CONFLICT DO NOTHING: of several processes, exactly one inserts the week's row.
    const { count } = await this.prisma.digestDelivery.createMany({
      data: [
        {
          ...key,
          personName: request.personName,
          late: request.late ?? false,
          scheduledAt: request.scheduledAt ?? null,
        },
      ],
      skipDuplicates: true,
    });
    if (count === 0) {
      // Only a recorded failure may be tried again; the WHERE makes one retry win.
      const retried = await this.prisma.digestDelivery.updateMany({
        where: { ...key, state: 'failed' },
        data: { state: 'claimed', attempts: { increment: 1 }, claimedAt: new Date(), failedAt: null },
      });
      if (retried.count === 0) return undefined;
    }
    return toRecord(
      await this.prisma.digestDelivery.findUniqueOrThrow({ where: { personId_week_copy: key } }),
    );
  }

  async claimForced(request: ClaimRequest): Promise<DigestDeliveryRecord> {
    for (;;) {
      const last = await this.prisma.digestDelivery.aggregate({
        where: { personId: request.personId, week: request.week },
        _max: { copy: true },
      });
      const copy = (last._max.copy ?? 0) + 1;
      const { count } = await this.prisma.digestDelivery.createMany({
        data: [
          {
            personId: request.personId,
            personName: request.personName,
            week: request.week,
            copy,
            forced: true,
            late: request.late ?? false,
            scheduledAt: request.scheduledAt ?? null,
          },
        ],
        skipDuplicates: true,
      });
      // Another forced re-send took this copy number at the same moment: take the next one.
      if (count === 1) {
        const key = { personId: request.personId, week: request.week, copy };
        return toRecord(
          await this.prisma.digestDelivery.findUniqueOrThrow({ where: { personId_week_copy: key } }),
        );
      }
    }
  }

  async markSent(id: string, place: string): Promise<void> {
    await this.prisma.digestDelivery.update({
      where: { id },
      data: { state: 'sent', place, sentAt: new Date() },
    });
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.prisma.digestDelivery.update({
      where: { id },
      data: { state: 'failed', error: error.slice(0, MAX_ERROR), failedAt: new Date() },
    });
  }

  async claimedOf(keys: { personId: string; week: string }[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.prisma.digestDelivery.findMany({
      where: {
        copy: 0,
        personId: { in: [...new Set(keys.map((key) => key.personId))] },
        week: { in: [...new Set(keys.map((key) => key.week))] },
      },
      select: { personId: true, week: true },
    });
    return new Set(rows.map((row) => `${row.personId}|${row.week}`));
  }

  async history(options: { personId?: string; limit?: number } = {}): Promise<DigestDeliveryRecord[]> {
    const rows = await this.prisma.digestDelivery.findMany({
      where: options.personId ? { personId: options.personId } : {},
      orderBy: [{ claimedAt: 'desc' }, { id: 'desc' }],
      take: options.limit ?? 100,
    });
    return rows.map(toRecord);
  }
}
