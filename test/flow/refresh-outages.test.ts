import type { Server } from 'node:http';
import { WorkOS } from '@workos-inc/node';
import express from 'express';
import request from 'supertest';
import { createAuthKit, getAuth, type AuthKitOptions } from '../../lib';
import type { SessionRefreshErrorEvent } from '../../lib/config/options';
import { WorkOSUnavailableError } from '../../lib/errors';
import { RefreshRejectedError } from '../../lib/flow/refresh-errors';
import type { Emulator, EmulatorFault } from '../../lib/testing';
import { setCookies } from '../helpers/app';
import { setUpTestApp } from '../helpers/app-setup';
import { listen } from '../helpers/server';
import { sessionCookieFor } from '../helpers/session-cookie';
import { workosClientFor } from '../helpers/workos-client';

interface OutageApp {
  emulator: Emulator;
  server: Server;
  failures: SessionRefreshErrorEvent[];
  successes: number;
}

let t: OutageApp;

/**
 * A plain Express app with no error handler of its own: Express's finalhandler answers errors,
 * applying their `status` and `headers` (the http-errors convention), so Retry-After is proven end to end.
 */
async function startOutageApp(
  authkit: (emulator: Emulator) => AuthKitOptions = (e) => ({ workos: workosClientFor(e) }),
): Promise<OutageApp> {
  const failures: SessionRefreshErrorEvent[] = [];
  let successes = 0;
  const { emulator, authkitOptions } = await setUpTestApp({
    emulator: { refreshGraceSeconds: 0 },
    authkit: (e) => ({
      onSessionRefreshError: (event) => failures.push(event),
      onSessionRefreshSuccess: () => (successes += 1),
      ...authkit(e),
    }),
  });
  const kit = createAuthKit(authkitOptions);
  const web = express();
  web.get('/api/me', kit.requireAuth, (req, res) => res.json({ email: getAuth(req).user?.email ?? null }));
  const server = await listen(web);
  return {
    emulator,
    server,
    failures,
    get successes() {
      return successes;
    },
  };
}

afterEach(async () => {
  await new Promise((resolve) => t.server.close(resolve));
  await t.emulator.close();
});

function burst(cookie: string, count = 20): Promise<request.Response[]> {
  return Promise.all(Array.from({ length: count }, () => request(t.server).get('/api/me').set('Cookie', cookie)));
}

/** Nothing in these responses touches the session cookie: not cleared, not replaced. */
function expectCookieUntouched(responses: request.Response[]): void {
  for (const response of responses) expect(setCookies(response).filter((line) => line.startsWith('wos-session'))).toEqual([]);
}

const TOO_MANY = { error: 'too_many_requests', error_description: 'Could not process refresh token. Please retry.' };
const outages: Array<[string, EmulatorFault, string]> = [
  ['500', { status: 500, body: { message: 'down' } }, '5'],
  ['502', { status: 502, body: { message: 'bad gateway' } }, '5'],
  ['408', { status: 408, body: { message: 'timeout' } }, '5'],
  ['429 with a long Retry-After', { status: 429, body: TOO_MANY, headers: { 'Retry-After': '30' } }, '30'],
  ['a dropped connection', { drop: true }, '5'],
];

describe.each(outages)('a burst while WorkOS answers %s', (_name, fault, retryAfter) => {
  beforeEach(async () => {
    t = await startOutageApp();
    t.emulator.failNext('authenticate_refresh', fault, 1000);
  });

  it('expired token: 503 with Retry-After, the cookie kept; the same cookie works once WorkOS is back', async () => {
    const session = t.emulator.createSession();
    t.emulator.clock.advance(301);
    const responses = await burst(sessionCookieFor(session));
    expect(responses.map((r) => [r.status, r.headers['retry-after']])).toEqual(Array(20).fill([503, retryAfter]));
    expectCookieUntouched(responses);
    // Once per exchange with WorkOS, however many requests shared it.
    expect(t.failures).toHaveLength(t.emulator.calls.authenticate_refresh);
    expect(t.failures.every((f) => f.isTransient && !f.raceLost && f.error instanceof WorkOSUnavailableError)).toBe(true);

    t.emulator.clearFaults('authenticate_refresh');
    const back = await request(t.server).get('/api/me').set('Cookie', sessionCookieFor(session)).expect(200);
    expect(setCookies(back).some((line) => line.startsWith('wos-session=Fe26'))).toBe(true);
  });

  it('token still valid (early refresh): 200 with the current token, the cookie kept, WorkOS not asked again at once', async () => {
    const session = t.emulator.createSession();
    t.emulator.clock.advance(280);
    const responses = await burst(sessionCookieFor(session));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expectCookieUntouched(responses);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
    expect(t.failures).toHaveLength(1);
    await request(t.server).get('/api/me').set('Cookie', sessionCookieFor(session)).expect(200);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
  });
});

describe('backing off after a failed early refresh', () => {
  it('asks WorkOS again after the Retry-After (5 s by default) and then sets the new cookie', async () => {
    t = await startOutageApp();
    t.emulator.failNext('authenticate_refresh', { status: 503, body: { message: 'down' } });
    const session = t.emulator.createSession();
    t.emulator.clock.advance(275);
    await request(t.server).get('/api/me').set('Cookie', sessionCookieFor(session)).expect(200);
    t.emulator.clock.advance(4);
    await request(t.server).get('/api/me').set('Cookie', sessionCookieFor(session)).expect(200);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
    t.emulator.clock.advance(2);
    const renewed = await request(t.server).get('/api/me').set('Cookie', sessionCookieFor(session)).expect(200);
    expect(setCookies(renewed).some((line) => line.startsWith('wos-session=Fe26'))).toBe(true);
    expect(t.emulator.calls.authenticate_refresh).toBe(2);
  });
});

describe("a 429's short Retry-After is honoured once", () => {
  const rateLimited: EmulatorFault = { status: 429, body: TOO_MANY, headers: { 'Retry-After': '1' } };

  it('waits and retries once: success on the retry serves every request with the new session', async () => {
    t = await startOutageApp();
    t.emulator.failNext('authenticate_refresh', rateLimited);
    const session = t.emulator.createSession();
    t.emulator.clock.advance(301);
    const started = Date.now();
    const responses = await burst(sessionCookieFor(session), 10);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(t.emulator.calls.authenticate_refresh).toBe(2);
    expect(t.successes).toBe(1);
    expect(t.failures).toHaveLength(0);
  });

  it('a second 429 is not retried again: 503 with its Retry-After', async () => {
    t = await startOutageApp();
    t.emulator.failNext('authenticate_refresh', rateLimited, 2);
    const session = t.emulator.createSession();
    t.emulator.clock.advance(301);
    const responses = await burst(sessionCookieFor(session), 10);
    expect(responses.map((r) => [r.status, r.headers['retry-after']])).toEqual(Array(10).fill([503, '1']));
    expectCookieUntouched(responses);
    expect(t.emulator.calls.authenticate_refresh).toBe(2);
    expect(t.failures).toHaveLength(1);
  });

  // SDK 11 retries the token endpoint itself (maxRetries, default 3); SDK 10 does not retry it.
  const sdkRetriesItself = Number(new WorkOS('sk_test_version_probe').version.split('.')[0]) >= 11;

  it(`adds no retry of its own when the SDK already retries, one when it does not (${sdkRetriesItself ? '4' : '2'} calls here)`, async () => {
    t = await startOutageApp(() => ({}));
    t.emulator.failNext('authenticate_refresh', rateLimited, 10);
    const session = t.emulator.createSession();
    t.emulator.clock.advance(301);
    const response = await request(t.server).get('/api/me').set('Cookie', sessionCookieFor(session)).expect(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(t.emulator.calls.authenticate_refresh).toBe(sdkRetriesItself ? 4 : 2);
  });
});

describe('terminal refusals end the session', () => {
  it('revoked session: expired token → 401 and the cookie cleared; reported as neither transient nor a lost race', async () => {
    t = await startOutageApp();
    const session = t.emulator.createSession();
    const sid = JSON.parse(Buffer.from(session.accessToken.split('.')[1]!, 'base64url').toString()) as { sid: string };
    t.emulator.revokeSession(sid.sid);
    t.emulator.clock.advance(301);
    const refused = await request(t.server).get('/api/me').set('Cookie', sessionCookieFor(session)).expect(401);
    expect(setCookies(refused)).toContainEqual(expect.stringMatching(/^wos-session=; Path=\/; Max-Age=0/));
    expect(t.failures).toEqual([{ error: expect.any(RefreshRejectedError), isTransient: false, raceLost: false }]);
  });

  it('revoked session with a still valid token: served until the token expires, then cleared', async () => {
    t = await startOutageApp();
    const session = t.emulator.createSession();
    const sid = JSON.parse(Buffer.from(session.accessToken.split('.')[1]!, 'base64url').toString()) as { sid: string };
    t.emulator.revokeSession(sid.sid);
    t.emulator.clock.advance(280);
    const served = await request(t.server).get('/api/me').set('Cookie', sessionCookieFor(session)).expect(200);
    expectCookieUntouched([served]);
    t.emulator.clock.advance(21);
    const refused = await request(t.server).get('/api/me').set('Cookie', sessionCookieFor(session)).expect(401);
    expect(setCookies(refused)).toContainEqual(expect.stringMatching(/^wos-session=; Path=\/; Max-Age=0/));
    expect(t.emulator.calls.authenticate_refresh).toBe(2);
  });
});
