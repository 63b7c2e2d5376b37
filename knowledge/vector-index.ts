import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import type { Embedder } from './types.ts';

// hnswlib-node is CommonJS: its classes come from the default export.
const { BruteforceSearch } = hnswlib;

const FILES = { vectors: 'vectors.bin', ids: 'ids.json' } as const;

export interface VectorHit {
  id: string;
  /** Cosine similarity. */
  score: number;
}

/**
 * Exact nearest-neighbour search over passage vectors, in hnswlib's native brute-force index. A graph
 * (HNSW) index was tried first: on the hashed local vectors of a 5 MB file it needed a search breadth of
 * about 1,000 to return the true nearest passage of a question, so a fact was lost; and building the graph
 * was most of the ingest time. Exact search of a few thousand passages takes milliseconds.
 */
export class VectorIndex {
  private constructor(
    private readonly index: InstanceType<typeof BruteforceSearch>,
    /** Passage id of each label: the label is the position in this list. */
    private readonly ids: string[],
    private readonly embedder: Embedder,
  ) {}

  /** An empty index for `capacity` vectors, filled with `add`. */
  static create(embedder: Embedder, dimensions: number, capacity: number): VectorIndex {
    const index = new BruteforceSearch('cosine', dimensions);
    index.initIndex(Math.max(1, capacity));
    return new VectorIndex(index, [], embedder);
  }

  /** Adds passage vectors, a batch at a time, so a large corpus never holds all its vectors as arrays. */
  add(entries: { id: string; vector: number[] }[]): void {
    for (const entry of entries) {
      this.index.addPoint(entry.vector, this.ids.length);
      this.ids.push(entry.id);
    }
  }

  async save(directory: string): Promise<void> {
    await mkdir(directory, { recursive: true });
    await this.index.writeIndex(path.join(directory, FILES.vectors));
    const dimensions = this.index.getNumDimensions();
    await writeFile(path.join(directory, FILES.ids), JSON.stringify({ dimensions, ids: this.ids }));
  }

  /** Throws when the files are missing, or do not agree with each other (a half-written or truncated index). */
  static async load(directory: string, embedder: Embedder): Promise<VectorIndex> {
    const { dimensions, ids } = JSON.parse(await readFile(path.join(directory, FILES.ids), 'utf8')) as {
      dimensions: number;
      ids: string[];
    };
    const index = new BruteforceSearch('cosine', dimensions);
    await index.readIndex(path.join(directory, FILES.vectors));
    if (index.getCurrentCount() !== ids.length)
      throw new Error(`${ids.length} passages pour ${index.getCurrentCount()} vecteurs`);
    return new VectorIndex(index, ids, embedder);
  }

  async query(text: string, limit: number): Promise<VectorHit[]> {
    const [vector] = await this.embedder.embed([text]);
    const count = Math.min(limit, this.ids.length);
    if (!vector || count === 0) return [];
    const { neighbors, distances } = this.index.searchKnn(vector, count);
    return neighbors.map((label, i) => ({ id: this.ids[label]!, score: 1 - distances[i]! }));
  }
}
