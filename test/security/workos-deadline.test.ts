import request from 'supertest';
import { createAuthKit } from '../../lib';
import { ConfigurationError } from '../../lib/errors';
import { settleWithin, TIMED_OUT } from '../../lib/flow/deadline';
import { BROWSER, setCookies } from '../helpers/app';
import { workosClientFor } from '../helpers/workos-client';
import { clearWorkOSEnv, COOKIE_PASSWORD } from '../helpers/env';
import { clearsSession, cookieSet, eventually, sessionSet, startRefreshApp, type RefreshApp } from './refresh-apps';
import { ADAPTERS } from '../helpers/adapters';
import { sessionCookieFor, touchesSessionCookie } from '../helpers/session-cookie';

/**
 * Finding 1: a WorkOS call made during a request had no deadline of its own (the SDK's 60 s
 * timeout times its retries: four minutes). Every such call now waits at most `workosTimeoutMs`;
 * an early refresh holds its request at most `earlyRefreshWaitMs`. "Settled before WorkOS
 * answered" is shown by the emulator still holding the call when the response arrives (the
 * refresh hooks have not fired), never by measuring time.
 */
let t: RefreshApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const NEVER = { delayMs: 600_000 };

describe.each(ADAPTERS)('%s: a refresh WorkOS does not answer in time', (adapter) => {
  it('expired token, token endpoint never answering: a burst gets 503 + Retry-After at the deadline, one call, the cookie kept; a later request joins the same call', async () => {
    t = await startRefreshApp(adapter, {}, (e) => ({ workos: workosClientFor(e), workosTimeoutMs: 200 }));
    t.emulator.failNext('authenticate_refresh', NEVER, 50);
    const session = t.emulator.createSession();
    t.emulator.clock.advance(301);
    const cookie = sessionCookieFor(session);

    const burst = await Promise.all(Array.from({ length: 10 }, () => request(t!.server).get('/api/me').set('Cookie', cookie)));
    expect(burst.map((r) => [r.status, r.headers['retry-after']])).toEqual(Array(10).fill([503, '5']));
    expect(burst.filter(touchesSessionCookie)).toEqual([]);
    // One exchange, still held by the emulator: nobody waited for it.
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
    expect([t.successes, t.failures.length]).toEqual([0, 0]);

    const later = await request(t.server).get('/api/me').set('Cookie', cookie).expect(503);
    expect(touchesSessionCookie(later)).toBe(false);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);

    const helper = await request(t.server).post('/refresh').set('Cookie', cookie).expect(503);
    expect(helper.headers['retry-after']).toBe('5');
    expect(touchesSessionCookie(helper)).toBe(false);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
  });

  it('with the SDK at its defaults (it retries on its own): 503 at the deadline while WorkOS is still on its first attempt; the refresh finishes in the background and the old cookie then gets the new session', async () => {
    t = await startRefreshApp(adapter, { refreshGraceSeconds: 0 }, () => ({ workosTimeoutMs: 200 }));
    // A slow 429 the SDK waits out and retries (SDK 11; with SDK 10 the library retries it once), then a slow success.
    t.emulator.failNext('authenticate_refresh', {
      status: 429,
      body: { error: 'too_many_requests' },
      headers: { 'Retry-After': '1' },
      delayMs: 400,
    });
    t.emulator.failNext('authenticate_refresh', { delayMs: 400 });
    const session = t.emulator.createSession();
    t.emulator.clock.advance(301);
    const cookie = sessionCookieFor(session);

    const gaveUp = await request(t.server).get('/api/me').set('Cookie', cookie).expect(503);
    expect(gaveUp.headers['retry-after']).toBe('5');
    expect(touchesSessionCookie(gaveUp)).toBe(false);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
    expect(t.successes).toBe(0);

    await eventually(() => t!.successes === 1, 'the background refresh to finish');
    expect(t.emulator.calls.authenticate_refresh).toBe(2);
    const back = await request(t.server).get('/api/me').set('Cookie', cookie).expect(200);
    expect(sessionSet(back)?.refreshToken).not.toBe(session.refreshToken);
    // The remembered rotation, not a second exchange of a spent token (strict mode would refuse it).
    expect(t.emulator.calls.authenticate_refresh).toBe(2);
    expect(t.failures).toEqual([]);
  });

  it('the helper refreshSession answers 503 at the deadline too, and its late result reaches the old cookie', async () => {
    t = await startRefreshApp(adapter, { refreshGraceSeconds: 0 }, (e) => ({ workos: workosClientFor(e), workosTimeoutMs: 150 }));
    t.emulator.failNext('authenticate_refresh', { delayMs: 1_000 });
    const session = t.emulator.createSession();
    const cookie = sessionCookieFor(session);
    const gaveUp = await request(t.server).post('/refresh').set('Cookie', cookie).expect(503);
    expect(touchesSessionCookie(gaveUp)).toBe(false);
    expect(t.successes).toBe(0);
    await eventually(() => t!.successes === 1, 'the background refresh to finish');
    const again = await request(t.server).post('/refresh').set('Cookie', cookie).expect(200);
    expect(sessionSet(again)?.refreshToken).not.toBe(session.refreshToken);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
  });
});

describe.each(ADAPTERS)('%s: an early refresh never holds its request long', (adapter) => {
  it('serves the still-valid token once earlyRefreshWaitMs has passed; the late result reaches the old cookie even after the 30 s window', async () => {
    t = await startRefreshApp(adapter, { refreshGraceSeconds: 0 }, (e) => ({ workos: workosClientFor(e), earlyRefreshWaitMs: 100 }));
    t.emulator.failNext('authenticate_refresh', { delayMs: 1_500 });
    const session = t.emulator.createSession();
    t.emulator.clock.advance(280); // 20 s left, inside the 30 s buffer
    const cookie = sessionCookieFor(session);

    const served = await request(t.server).get('/api/me').set('Cookie', cookie).expect(200);
    expect((served.body as { user: { email: string } }).user.email).toBe('ada@example.com');
    expect(touchesSessionCookie(served)).toBe(false);
    // Answered while the emulator still held the refresh.
    expect([t.emulator.calls.authenticate_refresh, t.successes]).toEqual([1, 0]);

    await eventually(() => t!.successes === 1, 'the background refresh to finish');
    // The old token expired 20 s ago and the rotation is about 38 s old: past the plain 30 s memory,
    // which would have sent this browser to WorkOS with a spent token (strict: signed out).
    t.emulator.clock.advance(40);
    const renewed = await request(t.server).get('/api/me').set('Cookie', cookie).expect(200);
    expect(sessionSet(renewed)?.refreshToken).not.toBe(session.refreshToken);
    expect(clearsSession(renewed)).toBe(false);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);

    // Remembered until the old token's expiry plus 30 s, not for ever.
    t.emulator.clock.advance(15);
    const gone = await request(t.server).get('/api/me').set('Cookie', cookie).expect(401);
    expect(clearsSession(gone)).toBe(true);
  });

  it('earlyRefreshWaitMs: 0 serves at once and refreshes in the background; the next request with the old cookie gets the new one', async () => {
    t = await startRefreshApp(adapter, {}, (e) => ({ workos: workosClientFor(e), earlyRefreshWaitMs: 0 }));
    t.emulator.failNext('authenticate_refresh', { delayMs: 300 });
    const session = t.emulator.createSession();
    t.emulator.clock.advance(280);
    const cookie = sessionCookieFor(session);
    const served = await request(t.server).get('/api/me').set('Cookie', cookie).expect(200);
    expect(touchesSessionCookie(served)).toBe(false);
    expect(t.successes).toBe(0);
    await eventually(() => t!.successes === 1, 'the background refresh to finish');
    const next = await request(t.server).get('/api/me').set('Cookie', cookie).expect(200);
    expect(cookieSet(next)).toMatch(/^wos-session=Fe26/);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
  });

  it('a refresh that answers within the wait puts its cookie on this response', async () => {
    t = await startRefreshApp(adapter, {}, (e) => ({ workos: workosClientFor(e), earlyRefreshWaitMs: 5_000 }));
    t.emulator.failNext('authenticate_refresh', { delayMs: 50 });
    const session = t.emulator.createSession();
    t.emulator.clock.advance(280);
    const response = await request(t.server).get('/api/me').set('Cookie', sessionCookieFor(session)).expect(200);
    expect(sessionSet(response)?.refreshToken).not.toBe(session.refreshToken);
    expect(t.successes).toBe(1);
  });

  it('never serves a token past its exp: a token expiring during the wait gets the expired-token answer (503, cookie kept)', async () => {
    t = await startRefreshApp(adapter, {}, (e) => ({ workos: workosClientFor(e), earlyRefreshWaitMs: 1_500, workosTimeoutMs: 1_500 }));
    // WorkOS answers late, and with a failure: the old code then served the token it held, expired by then.
    t.emulator.failNext('authenticate_refresh', { status: 503, body: { message: 'down' }, delayMs: 4_000 });
    // Tokens carry whole seconds: start on a second boundary, so "1 s left" is exact.
    t.emulator.clock.set(Math.ceil(t.emulator.clock.now() / 1000) * 1000);
    const session = t.emulator.createSession();
    t.emulator.clock.advance(299); // 1 s left, shorter than the wait
    const response = await request(t.server).get('/api/me').set('Cookie', sessionCookieFor(session)).expect(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(touchesSessionCookie(response)).toBe(false);
    expect(t.failures).toEqual([]);
  });
});

describe.each(ADAPTERS)('%s: the callback and the key set have the deadline too', (adapter) => {
  it('a code exchange WorkOS never answers fails with the upstream-failure answer (502) at the deadline, flow cookie deleted', async () => {
    t = await startRefreshApp(adapter, {}, (e) => ({ workos: workosClientFor(e), workosTimeoutMs: 200 }));
    t.emulator.failNext('authenticate_code', NEVER);
    const agent = request.agent(t.server);
    const login = await agent.get('/login').set(BROWSER).expect(302);
    const authorize = await fetch(login.headers.location as string, { redirect: 'manual' });
    const callback = new URL(authorize.headers.get('location') as string);
    const answered = await agent.get(`${callback.pathname}${callback.search}`).set(BROWSER);
    expect(answered.status).toBe(502);
    expect(setCookies(answered)).toContainEqual(expect.stringMatching(/^wos-auth-verifier-[^=]+=;.*Max-Age=0/));
    expect(touchesSessionCookie(answered)).toBe(false);
    expect(t.emulator.calls.authenticate_code).toBe(1);
  });

  it('a key-set fetch slower than workosTimeoutMs is a 503 (jwks_unavailable), not a wait', async () => {
    t = await startRefreshApp(adapter, {}, (e) => ({ workos: workosClientFor(e), workosTimeoutMs: 200 }));
    t.emulator.failNext('jwks', { delayMs: 3_000 });
    const session = t.emulator.createSession();
    const response = await request(t.server).get('/api/me').set('Cookie', sessionCookieFor(session)).expect(503);
    expect(touchesSessionCookie(response)).toBe(false);
  });
});

describe('the deadline helper', () => {
  it('does not keep the process alive while it waits, and lets the work go on', async () => {
    const refTimers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    const before = refTimers();
    let finish: (value: string) => void = () => undefined;
    const work = new Promise<string>((resolve) => (finish = resolve));
    const waiting = settleWithin(work, 60_000);
    expect(refTimers()).toBe(before);
    finish('done');
    await expect(waiting).resolves.toBe('done');
    await expect(settleWithin(new Promise(() => undefined), 1)).resolves.toBe(TIMED_OUT);
    // 0 waits only for what is already settled.
    await expect(settleWithin(Promise.resolve('known'), 0)).resolves.toBe('known');
    await expect(settleWithin(new Promise(() => undefined), 0)).resolves.toBe(TIMED_OUT);
    await expect(settleWithin(Promise.reject(new Error('no')), 0)).rejects.toThrow('no');
  });
});

describe('options', () => {
  const base = {
    clientId: 'client_x',
    apiKey: 'sk_test_x',
    cookiePassword: COOKIE_PASSWORD,
    redirectUri: 'http://localhost:3000/callback',
  };
  const problemsOf = (options: Record<string, unknown>): string[] => {
    clearWorkOSEnv();
    try {
      createAuthKit({ ...base, ...options });
    } catch (error) {
      if (error instanceof ConfigurationError) return [...error.problems];
      throw error;
    }
    return [];
  };

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e12, '5000', '5000ms', '', true, null, {}, [5000], 10n])(
    'refuses workosTimeoutMs %p with a message that names the fix',
    (value) => {
      expect(problemsOf({ workosTimeoutMs: value })).toEqual([
        expect.stringMatching(/^option `workosTimeoutMs` must be a whole number of milliseconds from 1 to 600000, e\.g\. 5000 \(got .+\)$/),
      ]);
    },
  );

  it.each([-1, 0.5, Number.NaN, 'soon', false, 1e9])('refuses earlyRefreshWaitMs %p', (value) => {
    expect(problemsOf({ earlyRefreshWaitMs: value })).toEqual([
      expect.stringMatching(/^option `earlyRefreshWaitMs` must be a whole number of milliseconds from 0 to 600000/),
    ]);
  });

  it('accepts the defaults, 0 for earlyRefreshWaitMs, and whole numbers in range', () => {
    expect(problemsOf({})).toEqual([]);
    expect(problemsOf({ workosTimeoutMs: 1, earlyRefreshWaitMs: 0 })).toEqual([]);
    expect(problemsOf({ workosTimeoutMs: 600_000, earlyRefreshWaitMs: 600_000 })).toEqual([]);
  });
});
