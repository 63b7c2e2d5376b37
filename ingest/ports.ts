import type { SkippedSource } from '../knowledge/types.ts';

/** What ingest records about the documents it indexed; implemented over Prisma in bot/store/. */

export interface IngestedPassage {
  id: string;
  ordinal: number;
  section: string;
  anchor: string;
  text: string;
}

export interface IngestedDocument {
  id: string;
  title: string;
  publisher: string;
  year: number;
  url?: string;
  sourcePath: string;
  contentHash: string;
  passages: IngestedPassage[];
}

export interface IngestSummary {
  status: 'succeeded' | 'failed';
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  passages: number;
  /** Source files left out of the index, and why. */
  skipped: SkippedSource[];
  durationMs: number;
  error?: string;
}

export interface KnowledgeMetadataRepository {
  startRun(embedder: string): Promise<{ id: string }>;
  finishRun(runId: string, summary: IngestSummary): Promise<void>;
  /** Makes the stored documents and passages equal to `documents` (upserts changed ones, deletes missing ones). */
  syncDocuments(documents: IngestedDocument[]): Promise<void>;
}
