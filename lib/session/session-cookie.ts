import type { ResolvedConfig } from '../config/resolve';
import { AuthKitError } from '../errors';
import type { CookieAttributes, RequestCookies } from '../http/cookies';
import {
  clearCarriedChunkedCookie,
  clearChunkedCookie,
  MAX_SET_COOKIE_BYTES,
  readChunkedCookie,
  writeChunkedCookie,
} from './cookie-chunks';
import { sealCookieValue, unsealCookieValue } from './iron';
import { parseSessionData } from './parse-session';
import type { SessionData } from '../model/session';

import type { SessionRejection } from '../model/reasons';

export type { SessionRejection };

export type SessionCookieRead =
  | { status: 'absent' }
  | { status: 'rejected'; reason: SessionRejection }
  /** `legacyValue`: the raw value, when it was read under `cookie.legacyName` and should move (see `migrateSessionSetCookies`). */
  | { status: 'present'; session: SessionData; legacyValue?: string };

/** The session cookie's raw (joined) value, before unsealing; `legacy` when read under `cookie.legacyName`. */
export type SessionCookieFound =
  | { status: 'absent' }
  | { status: 'rejected'; reason: 'malformed' | 'duplicate_cookie' }
  | { status: 'present'; value: string; chunks: number; legacy?: true };

type CookieConfig = Pick<ResolvedConfig, 'cookie' | 'passwords' | 'clock'>;

function attributes(config: CookieConfig): CookieAttributes {
  return { ...config.cookie, httpOnly: true };
}

/** The chunked read as is on the hot path (present or absent: no new object). */
function findUnder(cookies: RequestCookies, name: string): SessionCookieFound {
  const raw = readChunkedCookie(cookies, name);
  if (raw.status === 'present' || raw.status === 'absent') return raw;
  // A repeated name is ambiguous (a sibling subdomain may have planted one): signed out, never first-wins.
  return { status: 'rejected', reason: raw.status === 'duplicate' ? 'duplicate_cookie' : 'malformed' };
}

/**
 * Finds the session cookie: the configured name (plain or chunked) and, only when that is
 * entirely absent, the legacy name. A current cookie, even a broken or repeated one, is never
 * passed over for a legacy one: a sibling subdomain can plant the legacy name but not a
 * `__Host-` one, so it must not be able to replace a session the browser holds.
 */
export function findSessionCookie(cookies: RequestCookies, config: Pick<ResolvedConfig, 'cookie'>): SessionCookieFound {
  const current = findUnder(cookies, config.cookie.name);
  const { legacyName } = config.cookie;
  if (current.status !== 'absent' || legacyName === undefined) return current;
  const legacy = findUnder(cookies, legacyName);
  return legacy.status === 'present' ? { ...legacy, legacy: true } : legacy;
}

/**
 * Reads the session from the plain cookie or, failing that, from its chunks (`<name>.0`, …).
 * A missing, reordered or altered chunk leaves a seal that does not open, and more chunks than
 * we ever write count as malformed, a repeated name as `duplicate_cookie`: all are "rejected"
 * (signed out), never thrown, and the cookies are left alone.
 */
export function readSessionCookie(
  cookies: RequestCookies,
  config: CookieConfig,
  open: (value: string) => SessionCookieRead = (value) => openSessionCookie(value, config),
): SessionCookieRead {
  const found = findSessionCookie(cookies, config);
  if (found.status !== 'present') return found;
  const read = open(found.value);
  return found.legacy === true && read.status === 'present' ? { ...read, legacyValue: found.value } : read;
}

/**
 * Unseals a session cookie value already read (and joined) from the request. What comes back
 * is a checked, fresh copy (`parseSessionData`): a seal of any other shape is `not_a_session`.
 */
export function openSessionCookie(value: string, config: CookieConfig): SessionCookieRead {
  const result = unsealCookieValue(value, config.passwords, { now: config.clock.now() });
  if (!result.ok) return { status: 'rejected', reason: result.reason };
  const session = parseSessionData(result.value);
  if (session === undefined) return { status: 'rejected', reason: 'not_a_session' };
  return { status: 'present', session };
}

/** Deletions of the legacy-named cookies the request carried: every write or clear of the session retires them. */
function clearLegacy(config: CookieConfig, requestCookies: ReadonlyMap<string, string>): string[] {
  const { legacyName } = config.cookie;
  return legacyName === undefined ? [] : clearCarriedChunkedCookie(legacyName, attributes(config), requestCookies);
}

/**
 * The Set-Cookie lines that store `session`: one cookie when it fits in 4096 bytes, numbered
 * chunks otherwise, plus deletions of whatever stale shape (or legacy name) `requestCookies`
 * still carries. Throws `AuthKitError('session_too_large')` when even the largest chunk count
 * cannot hold it.
 */
export function sessionSetCookies(session: SessionData, config: CookieConfig, requestCookies: ReadonlyMap<string, string>): string[] {
  const [password] = config.passwords;
  if (password === undefined) throw new Error('No cookie password configured');
  const value = sealCookieValue(session, password, { now: config.clock.now() });
  const written = writeChunkedCookie(config.cookie.name, value, attributes(config), requestCookies);
  if (written.ok) {
    written.setCookies.push(...clearLegacy(config, requestCookies));
    return written.setCookies;
  }
  throw new AuthKitError(
    'session_too_large',
    `The sealed session is ${written.valueBytes} bytes and would need ${written.chunksNeeded} cookies, but at most ` +
      `${written.maxChunks} cookies of ${MAX_SET_COOKIE_BYTES} bytes are written (browsers drop larger cookies, and more ` +
      'would push the Cookie header past the 16 KB Node accepts). Make the access token smaller: fewer permissions, ' +
      'roles, entitlements or feature flags in the JWT template, or less user metadata.',
    500,
  );
}

/**
 * Moves a session read under the legacy name to the current one on the same response: the
 * same sealed value (not re-sealed, so nothing about the session changes) under the current
 * name, and the legacy cookies deleted. Nothing when it does not fit (the legacy cookie keeps
 * working).
 */
export function migrateSessionSetCookies(legacyValue: string, config: CookieConfig, requestCookies: ReadonlyMap<string, string>): string[] {
  const written = writeChunkedCookie(config.cookie.name, legacyValue, attributes(config), requestCookies);
  return written.ok ? [...written.setCookies, ...clearLegacy(config, requestCookies)] : [];
}

/** Deletes the session cookie and every chunk of it (and of the legacy name) the request carried: sign-out, refused refresh. */
export function clearSessionSetCookies(config: CookieConfig, requestCookies: ReadonlyMap<string, string>): string[] {
  return [...clearChunkedCookie(config.cookie.name, attributes(config), requestCookies), ...clearLegacy(config, requestCookies)];
}
