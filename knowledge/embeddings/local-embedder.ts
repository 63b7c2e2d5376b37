import { analyze, words } from '../text/french-analyzer.ts';
import { foldAccents } from '../text/normalize.ts';
import type { Embedder } from '../types.ts';

export interface LocalEmbedderOptions {
  dimensions: number;
}

/** FNV-1a, 32 bits: a stable hash so vectors do not change between runs or machines. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Embeddings computed on this machine with no model to download: signed feature hashing of word stems,
 * stem bigrams and character n-grams of each word. Unlike the lexical index, it matches inflections the
 * stemmer misses, misspellings and compound words ("co-construction", "coconstruction"), which makes it a
 * useful second opinion to fuse with BM25. It knows no synonyms: that is what OpenAI-compatible embeddings
 * add when configured.
 */
export class LocalEmbedder implements Embedder {
  readonly id: string;

  constructor(private readonly options: LocalEmbedderOptions = { dimensions: 1024 }) {
    this.id = `local-hashed-ngrams-v1-${options.dimensions}`;
  }

  async embed(texts: string[]): Promise<number[][]> {
    return texts.map((text) => this.embedOne(text));
  }

  /**
   * The character n-gram features of a word, as (slot, signed weight) pairs. A corpus repeats a few thousand
   * words millions of times: they are computed once per word, within a bound on memory.
   */
  private readonly gramFeatures = new Map<string, Float64Array>();

  private wordFeatures(word: string): Float64Array {
    let features = this.gramFeatures.get(word);
    if (features) return features;
    const padded = `^${foldAccents(word.toLowerCase())}$`;
    const grams: string[] = [];
    if (padded.length >= 5) {
      for (let n = 3; n <= 5; n++) {
        for (let i = 0; i + n <= padded.length; i++) grams.push(padded.slice(i, i + n));
      }
    }
    features = new Float64Array(grams.length * 2);
    grams.forEach((gram, i) => {
      const h = stableHash(`g:${gram}`);
      const weight = 1 / Math.sqrt(grams.length);
      features![2 * i] = h % this.options.dimensions;
      features![2 * i + 1] = h & 0x80000000 ? -weight : weight;
    });
    if (this.gramFeatures.size >= 50_000) this.gramFeatures.clear();
    this.gramFeatures.set(word, features);
    return features;
  }

  embedOne(text: string): number[] {
    const vector = new Float64Array(this.options.dimensions);
    const add = (feature: string, weight: number) => {
      const h = stableHash(feature);
      vector[h % this.options.dimensions]! += h & 0x80000000 ? -weight : weight;
    };
    const stems = analyze(text);
    stems.forEach((stem, i) => {
      add(`s:${stem}`, 1);
      if (i > 0) add(`b:${stems[i - 1]} ${stem}`, 0.5);
    });
    for (const word of words(text)) {
      const features = this.wordFeatures(word);
      for (let i = 0; i < features.length; i += 2) vector[features[i]!]! += features[i + 1]!;
    }
    // Log-scaled magnitudes keep one repeated word from dominating a passage.
    let norm = 0;
    for (let i = 0; i < vector.length; i++) {
      const value = vector[i]!;
      vector[i] = Math.sign(value) * Math.log1p(Math.abs(value));
      norm += vector[i]! * vector[i]!;
    }
    norm = Math.sqrt(norm) || 1;
    return Array.from(vector, (value) => value / norm);
  }
}
