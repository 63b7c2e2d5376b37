import type { Prisma } from '../../generated/prisma/client.ts';
import type { AuditEntry } from '../core/people.ts';

/** Writes an audit entry with the change it records, inside that change's transaction. */
export async function writeAudit(tx: Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  await tx.auditEntry.create({
    data: {
      actorId: entry.actor.personId,
      actorName: entry.actor.name,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      details: entry.details as Prisma.InputJsonValue | undefined,
    },
  });
}
