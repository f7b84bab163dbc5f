import type { RequestListener } from 'node:http';
import request from 'supertest';
import type { AuthKitOptions } from '../../lib';
import type { SessionRejectionReason } from '../../lib/config/options';
import type { Emulator } from '../../lib/testing';
import type { Adapter } from './adapters';
import { BROWSER, setCookies, startTestApp } from './app';
import { startKoaApp } from './koa-app';
import { sealSession } from './session-cookie';

/** The same README app on either adapter: `/` optionalAuth, `/dashboard` and `/api/me` requireAuth. */
export interface CookieTestApp {
  server: RequestListener;
  emulator: Emulator;
  /** Every `onSessionRejected` reason, in order. */
  rejected: SessionRejectionReason[];
  /** The code of every error the routes and guards raised (through `onError`), in order. */
  errors: string[];
  close(): Promise<void>;
}

export async function startApp(adapter: Adapter, authkit: AuthKitOptions = {}): Promise<CookieTestApp> {
  const rejected: SessionRejectionReason[] = [];
  const errors: string[] = [];
  const hooks: AuthKitOptions = {
    onSessionRejected: (event) => void rejected.push(event.reason),
    onError: (error) => void errors.push(error.code),
  };
  const options = { authkit: { ...authkit, ...hooks } };
  if (adapter === 'express') {
    const t = await startTestApp(options);
    return { server: t.app as unknown as RequestListener, emulator: t.emulator, rejected, errors, close: t.close };
  }
  const t = await startKoaApp(options);
  return { server: t.app.callback(), emulator: t.emulator, rejected, errors, close: t.close };
}

/** `name=value` of a Set-Cookie line. */
export const pair = (line: string) => line.split(';')[0]!;
/** The cookie name of a Set-Cookie line. */
export const nameOf = (line: string) => line.slice(0, line.indexOf('='));
export const isDeletion = (line: string) => /;\s*Max-Age=0(;|$)/.test(line);

/**
 * A full sign-in without a cookie jar (the jar would not send `Secure` cookies over the test's
 * plain http): /login, the emulator's authorize, then the callback with the flow cookie.
 */
export async function signInFresh(server: RequestListener, extraCookie = ''): Promise<request.Response> {
  const login = await request(server).get('/login').set(BROWSER).expect(302);
  const flow = pair(setCookies(login)[0]!);
  const authorize = await fetch(login.headers.location as string, { redirect: 'manual' });
  const callback = new URL(authorize.headers.get('location')!);
  return request(server)
    .get(`${callback.pathname}${callback.search}`)
    .set(BROWSER)
    .set('Cookie', extraCookie === '' ? flow : `${flow}; ${extraCookie}`);
}

/** The session cookie(s) a response wrote, as a Cookie header. */
export function sessionCookieHeader(response: request.Response, name: string): string {
  return setCookies(response)
    .filter((line) => !isDeletion(line) && (nameOf(line) === name || nameOf(line).startsWith(`${name}.`)))
    .map(pair)
    .join('; ');
}

/** A sealed session of `userId` (the emulator's first user by default), as the library would write it. */
export function sealedSession(emulator: Emulator, userId?: string): string {
  return sealSession(emulator.createSession(userId === undefined ? {} : { userId }));
}
