import type { IncomingFile } from '../core/types.ts';
import { isLoopbackUrl } from './teams-incoming.ts';

/**
 * Files people send with a message (a Word fiche), downloaded from the address their channel gives, only
 * when the core reads them. A fiche-action fits in a few hundred kilobytes: anything larger is refused
 * before it is read in full.
 */

/** The largest file a channel hands to the core; the Word import has the same limit. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export class FileTooLargeError extends Error {
  constructor() {
    super(`file over ${MAX_FILE_BYTES} bytes`);
  }
}

/** Only https addresses, or this machine's own (local tests, the Agents Playground): never a plain-http host. */
export function isDownloadableUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(value));
  } catch {
    return false;
  }
}

/** The bytes at `url`, stopped at MAX_FILE_BYTES; headers carry the channel's credentials when it needs them. */
export async function download(url: string, headers: Record<string, string> = {}): Promise<Uint8Array> {
  if (!isDownloadableUrl(url)) throw new Error('refused file address');
  const response = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(30_000) });
  if (!response.ok || !response.body) throw new Error(`file download failed: ${response.status}`);
  if (Number(response.headers.get('content-length') ?? 0) > MAX_FILE_BYTES) throw new FileTooLargeError();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (let part = await reader.read(); !part.done; part = await reader.read()) {
    size += part.value.byteLength;
    if (size > MAX_FILE_BYTES) {
      await reader.cancel();
      throw new FileTooLargeError();
    }
    chunks.push(part.value);
  }
  return Buffer.concat(chunks);
}

/** A file the core reads on demand from its channel's address. */
export const remoteFile = (
  name: string,
  url: string,
  contentType?: string,
  headers: Record<string, string> = {},
): IncomingFile => ({
  name,
  ...(contentType ? { contentType } : {}),
  read: () => download(url, headers),
});
