import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { Config } from '../config.ts';
import type { Actor } from '../core/people.ts';
import type { Repositories } from '../core/ports.ts';

/**
 * Who is behind a web chat request. Two signed, expiring tokens share one format: the personal sign-in
 * link an administrator sends (`npm run admin -- invite`), and the session cookie opening it sets. Both are
 * `base64url(JSON payload).base64url(HMAC-SHA256)`, keyed by a secret generated once in the database, so
 * every process on it (the server, the admin command) signs and checks the same way.
 */

/** The name of the shared secret in `settings`. */
export const WEB_SESSION_SECRET = 'web-session';
export const SESSION_DAYS = 30;
export const LINK_DAYS = { default: 7, max: 30 } as const;

const DAY_MS = 86_400_000;

type TokenKind = 'lien' | 'session';

interface TokenPayload {
  /** What the token opens: a link cannot be used as a cookie, nor a cookie as a link. */
  k: TokenKind;
  /** The person. */
  p: string;
  /** Issued and expires at, in seconds since the epoch. */
  iat: number;
  exp: number;
}

export type TokenCheck =
  | { ok: true; personId: string; expiresAt: Date }
  | { ok: false; reason: 'invalid' | 'expired' };

const signature = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest();

function signToken(secret: string, kind: TokenKind, personId: string, issuedAt: Date, expiresAt: Date) {
  const payload: TokenPayload = {
    k: kind,
    p: personId,
    iat: Math.floor(issuedAt.getTime() / 1000),
    exp: Math.floor(expiresAt.getTime() / 1000),
  };
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${encoded}.${signature(secret, encoded).toString('base64url')}`;
}

/** Checks the signature first (in constant time), then the kind and the expiry. */
export function verifyToken(secret: string, token: string, kind: TokenKind, now: Date): TokenCheck {
  const [encoded, signed, ...rest] = token.split('.');
  if (!encoded || !signed || rest.length > 0) return { ok: false, reason: 'invalid' };
  const expected = signature(secret, encoded);
  const given = Buffer.from(signed, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'invalid' };
  }
  let payload: Partial<TokenPayload>;
  try {
    payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (payload.k !== kind || typeof payload.p !== 'string' || typeof payload.exp !== 'number') {
    return { ok: false, reason: 'invalid' };
  }
  if (payload.exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, personId: payload.p, expiresAt: new Date(payload.exp * 1000) };
}

/** `${PUBLIC_URL}/connexion?jeton=…`: opens a session for the person until `days` from now. */
export function signInLink(
  publicUrl: string,
  secret: string,
  personId: string,
  days: number,
  now: Date,
): { url: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + days * DAY_MS);
  const token = signToken(secret, 'lien', personId, now, expiresAt);
  return { url: `${publicUrl}/connexion?jeton=${token}`, expiresAt };
}

/**
 * The `__Host-` prefix makes browsers refuse the cookie unless it is Secure, on path /, for this host only:
 * it is used whenever PUBLIC_URL is https.
 */
const cookieName = (secure: boolean) => (secure ? '__Host-boussole-session' : 'boussole-session');

export type WebSessionConfig = Pick<Config, 'publicUrl' | 'web'>;

/** A person signed in through a valid cookie; `clearCookie` when the request carried one that no longer holds. */
export interface WebSession {
  actor?: Actor;
  clearCookie: boolean;
}

export type SignInResult =
  | { ok: true; actor: Actor }
  | { ok: false; reason: 'invalid' | 'expired' | 'revoked' };

export interface WebSessions {
  /** The session of a request: its cookie checked (signature, expiry), then its person in the directory. */
  fromCookieHeader(header: string | undefined): Promise<WebSession>;
  /** A sign-in link's token: valid, unexpired, and its person still has access. */
  checkLink(token: string): Promise<SignInResult>;
  /** The Set-Cookie header that opens a session for this person. */
  openCookie(personId: string): Promise<string>;
  /** The Set-Cookie header that ends the session. */
  readonly closeCookie: string;
}

export function createWebSessions(deps: {
  config: WebSessionConfig;
  repositories: Pick<Repositories, 'settings' | 'directory'>;
  clock?: () => Date;
}): WebSessions {
  const clock = deps.clock ?? (() => new Date());
  const { secureCookies } = deps.config.web;
  const name = cookieName(secureCookies);
  const attributes = { httpOnly: true, sameSite: 'lax', secure: secureCookies, path: '/' } as const;
  let secret: Promise<string> | undefined;
  // The secret never changes once created: read it once per process (and again after a failed read).
  const getSecret = () => {
    secret ??= deps.repositories.settings.getOrCreateSecret(WEB_SESSION_SECRET).catch((error: unknown) => {
      secret = undefined;
      throw error;
    });
    return secret;
  };
  const activeActor = (personId: string) => deps.repositories.directory.actorByPerson(personId);

  return {
    async fromCookieHeader(header) {
      const token = header ? parseCookie(header)[name] : undefined;
      if (!token) return { clearCookie: false };
      const check = verifyToken(await getSecret(), token, 'session', clock());
      if (!check.ok) return { clearCookie: true };
      const actor = await activeActor(check.personId);
      return actor ? { actor, clearCookie: false } : { clearCookie: true };
    },
    async checkLink(token) {
      const check = verifyToken(await getSecret(), token, 'lien', clock());
      if (!check.ok) return check;
      const actor = await activeActor(check.personId);
      return actor ? { ok: true, actor } : { ok: false, reason: 'revoked' };
    },
    async openCookie(personId) {
      const now = clock();
      const expires = new Date(now.getTime() + SESSION_DAYS * DAY_MS);
      const value = signToken(await getSecret(), 'session', personId, now, expires);
      return stringifySetCookie({ name, value, ...attributes, expires, maxAge: SESSION_DAYS * 86_400 });
    },
    closeCookie: stringifySetCookie({ name, value: '', ...attributes, expires: new Date(0), maxAge: 0 }),
  };
}
