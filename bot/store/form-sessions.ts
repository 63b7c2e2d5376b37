import type { Prisma } from '../../generated/prisma/client.ts';
import type { FormSession, FormSessionKey, FormSessionRepository } from '../core/forms/sessions.ts';
import type { FormState } from '../core/forms/types.ts';
import type { Db } from './transactions.ts';

const sessionSelect = {
  channel: true,
  workspaceId: true,
  conversationId: true,
  threadKey: true,
  userKey: true,
  personId: true,
  formId: true,
  recordId: true,
  baseVersion: true,
  createdRecord: true,
  context: true,
  state: true,
  revision: true,
  expiresAt: true,
} satisfies Prisma.FormSessionSelect;

type SessionRow = Prisma.FormSessionGetPayload<{ select: typeof sessionSelect }>;

function toSession(row: SessionRow): FormSession {
  return {
    key: {
      channel: row.channel as FormSessionKey['channel'],
      workspaceId: row.workspaceId,
      conversationId: row.conversationId,
      threadKey: row.threadKey,
      userKey: row.userKey,
    },
    personId: row.personId,
    formId: row.formId,
    recordId: row.recordId ?? undefined,
    baseVersion: row.baseVersion ?? undefined,
    createdRecord: row.createdRecord,
    context: row.context as Record<string, unknown>,
    state: row.state as unknown as FormState,
    revision: row.revision,
    expiresAt: row.expiresAt,
  };
}

/** The key's five columns, whatever else the caller's object carries. */
function keyColumns({ channel, workspaceId, conversationId, threadKey, userKey }: FormSessionKey) {
  return { channel, workspaceId, conversationId, threadKey, userKey };
}

/** Open means not expired: an expired session is as good as closed. */
const open = () => ({ expiresAt: { gt: new Date() } });

export class PrismaFormSessionRepository implements FormSessionRepository {
  private readonly prisma: Db;

  constructor({ prisma }: { prisma: Db }) {
    this.prisma = prisma;
  }

  async find(key: FormSessionKey): Promise<FormSession | undefined> {
    const row = await this.prisma.formSession.findFirst({
      where: { ...keyColumns(key), ...open() },
      select: sessionSelect,
    });
    return row ? toSession(row) : undefined;
  }

  async save(session: FormSession): Promise<number | undefined> {
    const key = keyColumns(session.key);
    const data = {
      personId: session.personId,
      formId: session.formId,
      recordId: session.recordId ?? null,
      baseVersion: session.baseVersion ?? null,
      createdRecord: session.createdRecord,
      context: session.context as Prisma.InputJsonValue,
      state: session.state as unknown as Prisma.InputJsonValue,
      expiresAt: session.expiresAt,
    };
    if (session.revision === 0) {
      // An expired session under the same key makes way; an open one wins: ON CONFLICT DO NOTHING.
      await this.prisma.formSession.deleteMany({ where: { ...key, expiresAt: { lte: new Date() } } });
      const { count } = await this.prisma.formSession.createMany({
        data: [{ ...key, ...data, revision: 1 }],
        skipDuplicates: true,
      });
      return count === 1 ? 1 : undefined;
    }
    // Compare-and-set: of two saves from the same revision, the second waits for the first, then matches nothing.
    const { count } = await this.prisma.formSession.updateMany({
      where: { ...key, revision: session.revision, ...open() },
      data: { ...data, revision: session.revision + 1 },
    });
    return count === 1 ? session.revision + 1 : undefined;
  }

  async close(key: FormSessionKey, revision: number): Promise<boolean> {
    const { count } = await this.prisma.formSession.deleteMany({ where: { ...keyColumns(key), revision } });
    return count === 1;
  }

  async openFor(personId: string): Promise<FormSession[]> {
    const rows = await this.prisma.formSession.findMany({
      where: { personId, ...open() },
      orderBy: [{ updatedAt: 'desc' }, { createdAt: 'desc' }],
      select: sessionSelect,
    });
    return rows.map(toSession);
  }
}
