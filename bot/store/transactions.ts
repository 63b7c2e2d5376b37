import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';

/** A client, or the transaction a unit of work runs in: both read and write the same way. */
export type Db = Prisma.TransactionClient;

/**
 * What a repository that may run inside a caller's transaction needs: its client, and how to run several
 * writes as one (a transaction of its own, or the caller's, since Prisma does not nest them).
 */
export interface TransactionalDeps {
  prisma: Db;
  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T>;
}

export const ownTransactions = (prisma: PrismaClient): TransactionalDeps => ({
  prisma,
  transaction: (work) => prisma.$transaction(work),
});

export const withinTransaction = (tx: Db): TransactionalDeps => ({
  prisma: tx,
  transaction: (work) => work(tx),
});
