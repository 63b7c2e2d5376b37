import { createHash } from 'node:crypto';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type {
  IngestedDocument,
  IngestedPassage,
  IngestSummary,
  KnowledgeMetadataRepository,
} from '../../ingest/ports.ts';

const storedDocumentSelect = {
  id: true,
  title: true,
  publisher: true,
  year: true,
  url: true,
  sourcePath: true,
  contentHash: true,
} satisfies Prisma.DocumentSelect;

type StoredDocument = Prisma.DocumentGetPayload<{ select: typeof storedDocumentSelect }>;

// Separators that cannot occur in passage text (ASCII unit and record separators), used on both sides.
const fieldSeparator = '\x1f';
const passageSeparator = '\x1e';

function passagesDigest(passages: IngestedPassage[]): string | undefined {
  if (passages.length === 0) return undefined;
  const rows = [...passages]
    .sort((a, b) => a.ordinal - b.ordinal)
    .map((p) => [p.id, String(p.ordinal), p.section, p.anchor, p.text].join(fieldSeparator));
  return createHash('md5').update(rows.join(passageSeparator), 'utf8').digest('hex');
}

function documentFields(document: IngestedDocument): Omit<StoredDocument, 'id'> {
  return {
    title: document.title,
    publisher: document.publisher,
    year: document.year,
    url: document.url ?? null,
    sourcePath: document.sourcePath,
    contentHash: document.contentHash,
  };
}

function sameFields(stored: StoredDocument, wanted: Omit<StoredDocument, 'id'>): boolean {
  return (Object.keys(wanted) as (keyof typeof wanted)[]).every((field) => stored[field] === wanted[field]);
}

export class PrismaKnowledgeMetadataRepository implements KnowledgeMetadataRepository {
  private readonly prisma: PrismaClient;

  constructor({ prisma }: { prisma: PrismaClient }) {
    this.prisma = prisma;
  }

  async startRun(embedder: string): Promise<{ id: string }> {
    return this.prisma.ingestRun.create({ data: { embedder }, select: { id: true } });
  }

  async finishRun(runId: string, summary: IngestSummary): Promise<void> {
    await this.prisma.ingestRun.update({
      where: { id: runId },
      data: {
        ...summary,
        skipped: summary.skipped.map(({ file, reason, message }) => ({ file, reason, message })),
        durationMs: Math.round(summary.durationMs),
        error: summary.error ?? null,
        finishedAt: new Date(),
      },
    });
  }

  async syncDocuments(documents: IngestedDocument[]): Promise<void> {
    const [stored, storedDigests] = await Promise.all([
      this.prisma.document.findMany({ select: storedDocumentSelect }),
      this.storedPassageDigests(),
    ]);
    const storedById = new Map(stored.map((document) => [document.id, document]));
    const writes: Prisma.PrismaPromise<unknown>[] = [];
    for (const document of documents) {
      const fields = documentFields(document);
      const current = storedById.get(document.id);
      const unchanged =
        current &&
        sameFields(current, fields) &&
        storedDigests.get(document.id) === passagesDigest(document.passages);
      if (unchanged) continue;
      writes.push(
        this.prisma.document.upsert({
          where: { id: document.id },
          create: { id: document.id, ...fields },
          update: fields,
        }),
        this.prisma.passage.deleteMany({ where: { documentId: document.id } }),
        this.prisma.passage.createMany({
          data: document.passages.map((passage) => ({ ...passage, documentId: document.id })),
        }),
      );
    }
    writes.push(
      this.prisma.document.deleteMany({ where: { id: { notIn: documents.map((document) => document.id) } } }),
    );
    // One transaction: readers see the old corpus or the new one, never a mix.
    await this.prisma.$transaction(writes);
  }

  /** A digest of each document's stored passages, computed like passagesDigest. */
  private async storedPassageDigests(): Promise<Map<string, string>> {
    const rows = await this.prisma.$queryRaw<{ document_id: string; digest: string }[]>`
      SELECT document_id,
             md5(string_agg(concat_ws(${fieldSeparator}, id, ordinal::text, section, anchor, text), ${passageSeparator}
                 ORDER BY ordinal)) AS digest
      FROM passages GROUP BY document_id`;
    return new Map(rows.map((row) => [row.document_id, row.digest]));
  }
}
