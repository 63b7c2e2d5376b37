import type OpenAI from 'openai';
import type { Embedder } from '../types.ts';
import {
  asLlmUnavailable,
  createOpenAiClient,
  DEFAULT_OPENAI_BASE_URL,
  LlmUnavailableError,
} from './openai-client.ts';

export interface OpenAiEmbedderConfig {
  apiKey: string;
  baseURL?: string;
  model: string;
}

const DEFAULT_BATCH_SIZE = 64;
/** Ingest embeds in the background, so it can afford the SDK's usual retries and a long wait. */
const TIMEOUT_MS = 30_000;
const MAX_RETRIES = 2;

/**
 * Embeddings from any OpenAI-compatible `/embeddings` endpoint, L2-normalized, in input order.
 * `id` is `openai:<model>@<host>`: changing model or provider changes it, so the index is rebuilt.
 */
export function createOpenAiEmbedder(
  config: OpenAiEmbedderConfig,
  options: { client?: OpenAI; batchSize?: number } = {},
): Embedder {
  const client =
    options.client ?? createOpenAiClient(config, { timeoutMs: TIMEOUT_MS, maxRetries: MAX_RETRIES });
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batchSize must be >= 1: ${batchSize}`);
  return {
    id: `openai:${config.model}@${new URL(config.baseURL ?? DEFAULT_OPENAI_BASE_URL).host}`,
    async embed(texts) {
      const vectors: number[][] = [];
      // One batch at a time: rate limits are per minute, and ingest is not latency-bound.
      for (let start = 0; start < texts.length; start += batchSize) {
        vectors.push(...(await embedBatch(client, config.model, texts.slice(start, start + batchSize))));
      }
      return vectors;
    },
  };
}

async function embedBatch(client: OpenAI, model: string, texts: string[]): Promise<number[][]> {
  let response: OpenAI.Embeddings.CreateEmbeddingResponse;
  try {
    // Floats explicitly: the SDK would otherwise ask for base64, which some compatible servers ignore.
    response = await client.embeddings.create({ model, input: texts, encoding_format: 'float' });
  } catch (error) {
    throw asLlmUnavailable(error, `embeddings du modèle ${model}`);
  }
  return inInputOrder(response, texts.length).map(normalize);
}

/** Servers may list embeddings in any order; `index` is what ties each one to its input. */
function inInputOrder(response: OpenAI.Embeddings.CreateEmbeddingResponse, count: number): number[][] {
  const vectors: number[][] = new Array(count);
  for (const item of response.data ?? []) {
    if (Number.isInteger(item.index) && item.index >= 0 && item.index < count && isVector(item.embedding)) {
      vectors[item.index] = item.embedding;
    }
  }
  const dimensions = vectors[0]?.length;
  for (let i = 0; i < count; i++) {
    if (vectors[i]?.length !== dimensions) {
      throw new LlmUnavailableError(
        `réponse d’embeddings malformée : pas de vecteur valide pour le texte ${i}`,
      );
    }
  }
  return vectors;
}

function isVector(value: unknown): value is number[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((x) => typeof x === 'number' && Number.isFinite(x))
  );
}

function normalize(vector: number[]): number[] {
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
  return norm === 0 ? vector : vector.map((x) => x / norm);
}
