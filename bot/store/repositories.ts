import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Repositories } from '../core/ports.ts';
import { PrismaIdentityRepository } from './identities.ts';
import { PrismaFeedbackRepository, PrismaInteractionRepository } from './interactions.ts';
import { PrismaKnowledgeMetadataRepository } from './knowledge-metadata.ts';
import { PrismaProcessedEventRepository } from './processed-events.ts';

export function createRepositories(dependencies: { prisma: PrismaClient }): Repositories {
  return {
    interactions: new PrismaInteractionRepository(dependencies),
    feedback: new PrismaFeedbackRepository(dependencies),
    processedEvents: new PrismaProcessedEventRepository(dependencies),
    identities: new PrismaIdentityRepository(dependencies),
    knowledge: new PrismaKnowledgeMetadataRepository(dependencies),
  };
}
