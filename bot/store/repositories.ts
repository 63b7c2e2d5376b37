import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Repositories } from '../core/ports.ts';
import { PrismaDirectoryRepository } from './directory.ts';
import { PrismaFicheRepository } from './fiches.ts';
import { PrismaFormSessionRepository } from './form-sessions.ts';
import { PrismaIdentityRepository } from './identities.ts';
import { PrismaFeedbackRepository, PrismaInteractionRepository } from './interactions.ts';
import { PrismaKnowledgeMetadataRepository } from './knowledge-metadata.ts';
import { PrismaProcessedEventRepository } from './processed-events.ts';
import { PrismaSettingsRepository } from './settings.ts';

export function createRepositories(dependencies: { prisma: PrismaClient }): Repositories {
  return {
    interactions: new PrismaInteractionRepository(dependencies),
    feedback: new PrismaFeedbackRepository(dependencies),
    processedEvents: new PrismaProcessedEventRepository(dependencies),
    identities: new PrismaIdentityRepository(dependencies),
    knowledge: new PrismaKnowledgeMetadataRepository(dependencies),
    directory: new PrismaDirectoryRepository(dependencies),
    fiches: new PrismaFicheRepository(dependencies),
    formSessions: new PrismaFormSessionRepository(dependencies),
    settings: new PrismaSettingsRepository(dependencies),
  };
}
