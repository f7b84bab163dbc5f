import type { ResolvedConfig } from '../config/resolve';
import { serializeCookie } from '../http/cookies';
import { sealCookieValue, unsealCookieValue, type UnsealFailure } from './iron';
import { isSessionData, type SessionData } from './session-data';

/** Why a present session cookie was not accepted; never a reason to answer 500. */
export type SessionRejection = UnsealFailure | 'not_a_session';

export type SessionCookieRead =
  | { status: 'absent' }
  | { status: 'rejected'; reason: SessionRejection }
  | { status: 'present'; session: SessionData };

type CookieConfig = Pick<ResolvedConfig, 'cookie' | 'passwords' | 'clock'>;

export function readSessionCookie(cookies: ReadonlyMap<string, string>, config: CookieConfig): SessionCookieRead {
  const raw = cookies.get(config.cookie.name);
  if (raw === undefined || raw === '') return { status: 'absent' };
  const result = unsealCookieValue(raw, config.passwords, { now: config.clock.now() });
  if (!result.ok) return { status: 'rejected', reason: result.reason };
  if (!isSessionData(result.value)) return { status: 'rejected', reason: 'not_a_session' };
  return { status: 'present', session: result.value };
}

export function sessionSetCookie(session: SessionData, config: CookieConfig): string {
  const [password] = config.passwords;
  if (password === undefined) throw new Error('No cookie password configured');
  const value = sealCookieValue(session, password, { now: config.clock.now() });
  return serializeCookie(config.cookie.name, value, { ...config.cookie, httpOnly: true });
}

export function clearSessionSetCookie(config: CookieConfig): string {
  return serializeCookie(config.cookie.name, '', { ...config.cookie, maxAge: 0, httpOnly: true });
}
