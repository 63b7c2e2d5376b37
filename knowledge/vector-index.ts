import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { Document } from '@langchain/core/documents';
import { Embeddings } from '@langchain/core/embeddings';
import type { Embedder } from './types.ts';

/** Our Embedder seen as LangChain Embeddings, so LangChain's hnswlib store can use it. */
class EmbedderAsLangChain extends Embeddings {
  constructor(private readonly embedder: Embedder) {
    super({});
  }
  embedDocuments(texts: string[]): Promise<number[][]> {
    return this.embedder.embed(texts);
  }
  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embedder.embed([text]);
    return vector!;
  }
}

export interface VectorHit {
  id: string;
  /** Cosine similarity. */
  score: number;
}

/** Dense nearest-neighbour search over passage vectors: hnswlib on disk, through LangChain's store. */
export class VectorIndex {
  private constructor(
    private readonly store: HNSWLib,
    private readonly embedder: Embedder,
  ) {}

  static async build(embedder: Embedder, entries: { id: string; vector: number[] }[]): Promise<VectorIndex> {
    const dimensions = entries[0]?.vector.length ?? 1;
    const store = new HNSWLib(new EmbedderAsLangChain(embedder), {
      space: 'cosine',
      numDimensions: dimensions,
    });
    if (entries.length > 0) {
      await store.addVectors(
        entries.map((entry) => entry.vector),
        entries.map((entry) => new Document({ pageContent: '', metadata: { id: entry.id } })),
      );
    }
    return new VectorIndex(store, embedder);
  }

  static async load(directory: string, embedder: Embedder): Promise<VectorIndex> {
    return new VectorIndex(await HNSWLib.load(directory, new EmbedderAsLangChain(embedder)), embedder);
  }

  save(directory: string): Promise<void> {
    return this.store.save(directory);
  }

  async query(text: string, limit: number): Promise<VectorHit[]> {
    const [vector] = await this.embedder.embed([text]);
    const count = Math.min(limit, this.store.index?.getCurrentCount?.() ?? limit);
    if (!vector || count === 0) return [];
    const results = await this.store.similaritySearchVectorWithScore(vector, count);
    return results.map(([document, distance]) => ({ id: String(document.metadata.id), score: 1 - distance }));
  }
}
