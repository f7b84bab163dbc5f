import type request from 'supertest';
import { sealCookieValue, type IronPassword } from '../../lib/session/iron';
import { setCookies } from './app';
import { COOKIE_PASSWORD } from './env';

/** `COOKIE_PASSWORD` as the library holds a single password: id 1, the id `@workos-inc/node` reads. */
export const IRON_PASSWORD: IronPassword = { id: '1', secret: COOKIE_PASSWORD };

/** `value` sealed as the library (and the SDK) seals a session cookie, with the test apps' password. */
export function sealSession(value: unknown): string {
  return sealCookieValue(value, IRON_PASSWORD);
}

/** A `Cookie` header carrying `value` as the session cookie: `wos-session=<seal>`. */
export function sessionCookieFor(value: unknown): string {
  return `wos-session=${sealSession(value)}`;
}

/** True when a response sets or deletes the session cookie (or one of its chunks). */
export function touchesSessionCookie(response: request.Response): boolean {
  return setCookies(response).some((line) => /^wos-session(\.\d+)?=/.test(line));
}
