import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Signed, expiring download links: the token names a document (not its content) and when the link stops
 * working, signed with HMAC-SHA256. Holding a valid link is the right to read that document until it
 * expires; the document itself is made again at download time.
 */

export const documentRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fiche'), ficheId: z.string().min(1), format: z.enum(['docx', 'md']) }),
  z.object({
    kind: z.literal('convention'),
    collectiviteId: z.string().min(1),
    programme: z.string().min(1),
  }),
  z.object({
    kind: z.literal('dashboard'),
    collectiviteId: z.string().min(1),
    format: z.enum(['xlsx', 'png']),
  }),
]);

export type DocumentRef = z.infer<typeof documentRefSchema>;

/** The weekly digest's progress chart (a PNG) of a few collectivités, shown in Slack, Teams and the web. */
export const chartRefSchema = z.object({
  kind: z.literal('progress'),
  collectiviteIds: z.array(z.string().min(1)).min(1).max(25),
});

export type ChartRef = z.infer<typeof chartRefSchema>;

/** What a signed link can name: a document, or a chart. */
const linkRefSchema = z.union([documentRefSchema, chartRefSchema]);

export type LinkRef = DocumentRef | ChartRef;

export const DEFAULT_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const payloadSchema = z.object({ ref: linkRefSchema, exp: z.number().int() });

const sign = (data: string, secret: string) => createHmac('sha256', secret).update(data).digest();

function checkSecret(secret: string): void {
  // A short secret would make links guessable; this is a wiring error, not a user's.
  if (secret.length < 16) throw new Error('document link secret must be at least 16 characters');
}

/** `<payload>.<signature>`, both base64url: a path segment as is. */
export function signDocumentLink(
  ref: LinkRef,
  secret: string,
  options: { now?: Date; ttlMs?: number } = {},
): { token: string; expiresAt: Date } {
  checkSecret(secret);
  const expiresAt = new Date((options.now ?? new Date()).getTime() + (options.ttlMs ?? DEFAULT_LINK_TTL_MS));
  const payload = Buffer.from(
    JSON.stringify({ ref: linkRefSchema.parse(ref), exp: Math.floor(expiresAt.getTime() / 1000) }),
  ).toString('base64url');
  return { token: `${payload}.${sign(payload, secret).toString('base64url')}`, expiresAt };
}

export type LinkCheck =
  | { ok: true; ref: LinkRef; expiresAt: Date }
  /** `invalid`: forged, altered or malformed; `expired`: genuine but past its date. */
  | { ok: false; reason: 'invalid' | 'expired' };

/** The signature first, so a forged token learns nothing, not even whether it would have expired. */
export function verifyDocumentLink(token: string, secret: string, now = new Date()): LinkCheck {
  checkSecret(secret);
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'invalid' };
  const expected = sign(payload, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'invalid' };
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  const parsed = payloadSchema.safeParse(decoded);
  if (!parsed.success) return { ok: false, reason: 'invalid' };
  const expiresAt = new Date(parsed.data.exp * 1000);
  if (now.getTime() >= expiresAt.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, ref: parsed.data.ref, expiresAt };
}

/** The link to send, `<publicUrl>/documents/<token>`, and when it stops working. */
export function documentLink(
  publicUrl: string,
  ref: LinkRef,
  secret: string,
  options: { now?: Date; ttlMs?: number } = {},
): { url: string; expiresAt: Date } {
  const { token, expiresAt } = signDocumentLink(ref, secret, options);
  return { url: `${publicUrl.replace(/\/+$/, '')}/documents/${token}`, expiresAt };
}
