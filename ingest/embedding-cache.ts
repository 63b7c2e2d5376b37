import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const FILE = 'embedding-cache.json';

/** Vectors by passage content hash, so an unchanged passage is never embedded twice by the same embedder. */
export class EmbeddingCache {
  private constructor(
    private readonly embedderId: string,
    private readonly vectors: Map<string, string>,
  ) {}

  static async open(indexDir: string, embedderId: string): Promise<EmbeddingCache> {
    try {
      const stored = JSON.parse(await readFile(path.join(indexDir, FILE), 'utf8'));
      if (stored.embedderId === embedderId) {
        return new EmbeddingCache(
          embedderId,
          new Map(Object.entries(stored.vectors as Record<string, string>)),
        );
      }
    } catch {
      // No cache or an unreadable one: start empty.
    }
    return new EmbeddingCache(embedderId, new Map());
  }

  has(hash: string): boolean {
    return this.vectors.has(hash);
  }

  get(hash: string): number[] | undefined {
    const encoded = this.vectors.get(hash);
    if (!encoded) return undefined;
    const bytes = Buffer.from(encoded, 'base64');
    return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
  }

  set(hash: string, vector: number[]): void {
    this.vectors.set(hash, Buffer.from(new Float32Array(vector).buffer).toString('base64'));
  }

  /** Keeps only the given hashes, so the cache does not grow with passages that no longer exist. */
  async save(indexDir: string, keep: Set<string>): Promise<void> {
    const vectors = Object.fromEntries([...this.vectors].filter(([hash]) => keep.has(hash)));
    await writeFile(path.join(indexDir, FILE), JSON.stringify({ embedderId: this.embedderId, vectors }));
  }
}
