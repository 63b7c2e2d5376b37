import OpenAI from 'openai';

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

/**
 * The LLM or embeddings service could not be used (HTTP, network, timeout, malformed reply): fall back.
 * Its message is French.
 */
export class LlmUnavailableError extends Error {
  override readonly name = 'LlmUnavailableError';
}

export interface OpenAiEndpoint {
  apiKey: string;
  /** Any OpenAI-compatible server (Azure OpenAI v1, Mistral, a local server); OpenAI when absent. */
  baseURL?: string;
}

/** The base URL is always explicit, so the SDK never silently picks OPENAI_BASE_URL from the environment. */
export function createOpenAiClient(
  endpoint: OpenAiEndpoint,
  settings: { timeoutMs: number; maxRetries: number },
): OpenAI {
  return new OpenAI({
    apiKey: endpoint.apiKey,
    baseURL: endpoint.baseURL ?? DEFAULT_OPENAI_BASE_URL,
    timeout: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    // Failures come back as LlmUnavailableError for the caller to log; the SDK would print answer text.
    logLevel: 'off',
  });
}

/** What went wrong, in French words a person can read; the status only for an HTTP answer, never the key. */
function failureDetail(error: unknown): string {
  if (error instanceof OpenAI.APIConnectionTimeoutError) return 'délai dépassé';
  if (error instanceof OpenAI.APIConnectionError) return 'service injoignable';
  if (error instanceof OpenAI.APIError && error.status !== undefined) return `HTTP ${error.status}`;
  return error instanceof Error ? error.message : String(error);
}

/** Wraps any failure, keeping it as `cause`, with a French message (shown by the command-line tools). */
export function asLlmUnavailable(error: unknown, operation: string): LlmUnavailableError {
  if (error instanceof LlmUnavailableError) return error;
  return new LlmUnavailableError(`${operation} : ${failureDetail(error)}`, { cause: error });
}
