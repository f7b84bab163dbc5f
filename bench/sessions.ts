/** Sessions for the benchmark: minted by the emulator (real RS256 access tokens), sealed as the SDK seals its cookie. */
import type { AuthenticationResult, Emulator } from '../lib/testing';
import { sealCookieValue } from '../lib/session/iron';

export const COOKIE_NAME = 'wos-session';
/** Password id `1`, as `@workos-inc/node` seals, so the quick-start guard opens the same cookies. */
export const PASSWORD_ID = '1';

export function mintSessions(emulator: Emulator, count: number): AuthenticationResult[] {
  const sessions: AuthenticationResult[] = [];
  for (let i = 0; i < count; i += 1) sessions.push(emulator.createSession());
  return sessions;
}

/** A new seal each call: fresh random salts and IV, so every call yields a distinct cookie value. */
export function sealSession(session: AuthenticationResult, secret: string): string {
  return sealCookieValue(session, { id: PASSWORD_ID, secret });
}

export function cookieHeader(cookie: string): string {
  return `${COOKIE_NAME}=${cookie}`;
}
