import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { KnowledgeMetadataRepository } from '../../ingest/ports.ts';
import type { Repositories, TransactionalRepositories } from '../core/ports.ts';
import { PrismaActivityRepository } from './activity.ts';
import { PrismaDigestLedger } from './digest-ledger.ts';
import { PrismaDigestSubscriptionRepository } from './digest-subscriptions.ts';
import { PrismaDirectoryRepository } from './directory.ts';
import { PrismaFicheRepository } from './fiches.ts';
import { PrismaFormSessionRepository } from './form-sessions.ts';
import { PrismaIdentityRepository } from './identities.ts';
import { PrismaFeedbackRepository, PrismaInteractionRepository } from './interactions.ts';
import { PrismaKnowledgeMetadataRepository } from './knowledge-metadata.ts';
import { PrismaProcessedEventRepository } from './processed-events.ts';
import { PrismaSettingsRepository } from './settings.ts';
import { PrismaSuiviRepository } from './suivis.ts';
import { PrismaTaskRepository } from './tasks.ts';
import { ownTransactions, type TransactionalDeps, withinTransaction } from './transactions.ts';

function transactionalRepositories(dependencies: TransactionalDeps): TransactionalRepositories {
  return {
    directory: new PrismaDirectoryRepository(dependencies),
    fiches: new PrismaFicheRepository(dependencies),
    formSessions: new PrismaFormSessionRepository(dependencies),
    tasks: new PrismaTaskRepository(dependencies),
    suivis: new PrismaSuiviRepository(dependencies),
  };
}

/** The core's ports, and ingest's record of the indexed documents. */
export interface StoreRepositories extends Repositories {
  knowledge: KnowledgeMetadataRepository;
}

export function createRepositories(dependencies: { prisma: PrismaClient }): StoreRepositories {
  return {
    interactions: new PrismaInteractionRepository(dependencies),
    feedback: new PrismaFeedbackRepository(dependencies),
    processedEvents: new PrismaProcessedEventRepository(dependencies),
    identities: new PrismaIdentityRepository(dependencies),
    knowledge: new PrismaKnowledgeMetadataRepository(dependencies),
    ...transactionalRepositories(ownTransactions(dependencies.prisma)),
    settings: new PrismaSettingsRepository(dependencies),
    activity: new PrismaActivityRepository(dependencies),
    digestSubscriptions: new PrismaDigestSubscriptionRepository(dependencies),
    digestLedger: new PrismaDigestLedger(dependencies),
    atomically: (work) =>
      dependencies.prisma.$transaction((tx) => work(transactionalRepositories(withinTransaction(tx)))),
  };
}
