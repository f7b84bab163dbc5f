import request from 'supertest';
import type { SharedStore } from '../../lib';
import { setCookies, startTestApp, type TestApp } from '../helpers/app';
import { sessionCookieFor } from '../helpers/session-cookie';
import { workosClientFor } from '../helpers/workos-client';

/**
 * With a store configured but down, this process still remembers its own rotations: a request
 * that still carries the old cookie gets the new session from memory, not a 503 (WorkOS in strict
 * single use would refuse the spent token, and with coordination down that refusal is a 503).
 */

/** A store whose every command fails, as Redis refusing connections does. */
const downStore: SharedStore = {
  get: () => Promise.reject(new Error('ECONNREFUSED')),
  set: () => Promise.reject(new Error('ECONNREFUSED')),
  setIfAbsent: () => Promise.reject(new Error('ECONNREFUSED')),
  delete: () => Promise.reject(new Error('ECONNREFUSED')),
};

let t: TestApp;
afterEach(() => t.close());

it('serves the remembered successor to the old cookie while the store is down', async () => {
  t = await startTestApp({
    emulator: { refreshGraceSeconds: 0 },
    authkit: (emulator) => ({ workos: workosClientFor(emulator), store: downStore, storeTimeoutMs: 50 }),
  });
  const session = t.emulator.createSession();
  t.emulator.clock.advance(301);
  const oldCookie = sessionCookieFor(session);

  const first = await request(t.app).get('/api/me').set('Cookie', oldCookie).expect(200);
  expect(setCookies(first).some((line) => line.startsWith('wos-session=Fe26'))).toBe(true);
  const again = await request(t.app).get('/api/me').set('Cookie', oldCookie).expect(200);
  expect(setCookies(again).some((line) => line.startsWith('wos-session=Fe26'))).toBe(true);
  expect(t.emulator.calls.authenticate_refresh).toBe(1);
  expect(t.warnings.some((warning) => /shared store failed/.test(warning))).toBe(true);
});
