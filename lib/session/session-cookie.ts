import type { ResolvedConfig } from '../config/resolve';
import { AuthKitError } from '../errors';
import type { CookieAttributes } from '../http/cookies';
import { clearChunkedCookie, MAX_SET_COOKIE_BYTES, readChunkedCookie, writeChunkedCookie } from './cookie-chunks';
import { sealCookieValue, unsealCookieValue, type UnsealFailure } from './iron';
import { parseSessionData } from './parse-session';
import type { SessionData } from './session-data';

/** Why a present session cookie was not accepted; never a reason to answer 500. */
export type SessionRejection = UnsealFailure | 'not_a_session';

export type SessionCookieRead =
  | { status: 'absent' }
  | { status: 'rejected'; reason: SessionRejection }
  | { status: 'present'; session: SessionData };

type CookieConfig = Pick<ResolvedConfig, 'cookie' | 'passwords' | 'clock'>;

function attributes(config: CookieConfig): CookieAttributes {
  return { ...config.cookie, httpOnly: true };
}

/**
 * Reads the session from the plain cookie or, failing that, from its chunks (`<name>.0`, …).
 * A missing, reordered or altered chunk leaves a seal that does not open, and more chunks than
 * we ever write count as malformed: all are "rejected" (signed out), never thrown, and the
 * cookies are left alone.
 */
export function readSessionCookie(cookies: ReadonlyMap<string, string>, config: CookieConfig): SessionCookieRead {
  const raw = readChunkedCookie(cookies, config.cookie.name);
  if (raw.status === 'absent') return { status: 'absent' };
  if (raw.status === 'too_many_chunks') return { status: 'rejected', reason: 'malformed' };
  return openSessionCookie(raw.value, config);
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

/**
 * The Set-Cookie lines that store `session`: one cookie when it fits in 4096 bytes, numbered
 * chunks otherwise, plus deletions of whatever stale shape `requestCookies` still carries.
 * Throws `AuthKitError('session_too_large')` when even the largest chunk count cannot hold it.
 */
export function sessionSetCookies(session: SessionData, config: CookieConfig, requestCookies: ReadonlyMap<string, string>): string[] {
  const [password] = config.passwords;
  if (password === undefined) throw new Error('No cookie password configured');
  const value = sealCookieValue(session, password, { now: config.clock.now() });
  const written = writeChunkedCookie(config.cookie.name, value, attributes(config), requestCookies);
  if (written.ok) return written.setCookies;
  throw new AuthKitError(
    'session_too_large',
    `The sealed session is ${written.valueBytes} bytes and would need ${written.chunksNeeded} cookies, but at most ` +
      `${written.maxChunks} cookies of ${MAX_SET_COOKIE_BYTES} bytes are written (browsers drop larger cookies, and more ` +
      'would push the Cookie header past the 16 KB Node accepts). Make the access token smaller: fewer permissions, ' +
      'roles, entitlements or feature flags in the JWT template, or less user metadata.',
    500,
  );
}

/** Deletes the session cookie and every chunk of it the request carried (sign-out, refused refresh). */
export function clearSessionSetCookies(config: CookieConfig, requestCookies: ReadonlyMap<string, string>): string[] {
  return clearChunkedCookie(config.cookie.name, attributes(config), requestCookies);
}
