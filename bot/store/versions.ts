import type { Prisma } from '../../generated/prisma/client.ts';
import type { AuthorRef } from '../core/people.ts';
import type { FieldChange, RecordType, RecordVersion } from '../core/versions.ts';
import type { Db } from './transactions.ts';

/** The record_versions table, shared by every versioned record type (fiche-action, tâche, suivi). */

type VersionRow = Prisma.RecordVersionGetPayload<object>;

export const json = (value: unknown) => value as Prisma.InputJsonValue;

export interface VersionInput {
  changes: FieldChange[];
  author: AuthorRef;
  note?: string;
}

/** A record as it is after a write: its version row copies these. */
export interface VersionedRecord {
  id: string;
  version: number;
  values: unknown;
  status: string;
}

export function toRecordVersion(row: VersionRow): RecordVersion {
  return {
    recordType: row.recordType,
    recordId: row.recordId,
    version: row.version,
    author: { personId: row.authorId ?? undefined, name: row.authorName },
    createdAt: row.createdAt,
    values: row.values as Record<string, unknown>,
    changes: row.changes as unknown as FieldChange[],
    status: row.status ?? undefined,
    note: row.note ?? undefined,
  };
}

/** Writes the version a record has just reached; call it inside the write's transaction. */
export async function writeVersion(
  tx: Db,
  recordType: RecordType,
  record: VersionedRecord,
  input: VersionInput,
): Promise<void> {
  await tx.recordVersion.create({
    data: {
      recordType,
      recordId: record.id,
      version: record.version,
      values: json(record.values),
      changes: json(input.changes),
      status: record.status,
      note: input.note,
      authorId: input.author.personId,
      authorName: input.author.name,
    },
  });
}

/** The versions of a record after `afterVersion` (0: all of them), oldest first. */
export async function versionsOf(
  db: Db,
  recordType: RecordType,
  recordId: string,
  afterVersion = 0,
): Promise<RecordVersion[]> {
  const rows = await db.recordVersion.findMany({
    where: { recordType, recordId, version: { gt: afterVersion } },
    orderBy: { version: 'asc' },
  });
  return rows.map(toRecordVersion);
}

/** The changes of a record created with these values: every field set, from nothing. */
export const creationChanges = (values: object): FieldChange[] =>
  Object.entries(values)
    .filter(([, after]) => after !== undefined)
    .map(([fieldId, after]) => ({ fieldId, before: undefined, after }));
