import request from 'supertest';
import { createEndedSessions, endedSessionTtlMs } from '../../lib/flow/ended-sessions';
import { BROWSER, signIn } from '../helpers/app';
import { workosClientFor } from '../helpers/workos-client';
import { clearsSession, cookieSet, eventually, SAME_ORIGIN_POST, sessionSet, startRefreshApp, type RefreshApp } from './refresh-apps';
import { ADAPTERS } from '../helpers/adapters';
import { sessionCookieFor, touchesSessionCookie } from '../helpers/session-cookie';

/**
 * Finding 9: sign in (C1), let the token expire, refresh to C2, sign out with C2, replay C1 within
 * 30 s. The rotation memory used to hand C1 the successor (200 and a fresh cookie). Sign-out now
 * lists the session as ended in this process: C1 is signed out (cookie cleared), never given a
 * successor, never told it lost a race (503), and WorkOS is not asked.
 */
let t: RefreshApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const signOuts = {
  'the router (POST /logout)': (cookie: string) => request(t!.server).post('/logout').set(SAME_ORIGIN_POST).set('Cookie', cookie),
  'the signOut helper': (cookie: string) => request(t!.server).post('/bye').set('Cookie', cookie),
};

describe.each(ADAPTERS)('%s: an old cookie after sign-out', (adapter) => {
  describe.each(Object.entries(signOuts))('signed out through %s', (_how, signOutWith) => {
    it('C1 replayed after C2 signed out is signed out and cleared, not refreshed; WorkOS is not asked', async () => {
      t = await startRefreshApp(adapter, {}, (e) => ({ workos: workosClientFor(e) }));
      // Signed in through the browser flow, as the finding did.
      const agent = request.agent(t.server);
      const callback = await signIn(agent);
      const c1 = cookieSet(callback);
      t.emulator.clock.advance(301);

      const refreshed = await request(t.server).get('/api/me').set('Cookie', c1).expect(200);
      const c2 = cookieSet(refreshed);
      expect(t.emulator.calls.authenticate_refresh).toBe(1);

      const out = await signOutWith(c2).expect(302);
      expect(clearsSession(out)).toBe(true);

      t.emulator.clock.advance(5);
      const replay = await request(t.server).get('/api/me').set('Cookie', c1);
      expect(replay.status).toBe(401);
      expect(clearsSession(replay)).toBe(true);
      expect(sessionSet(replay)).toBeUndefined();
      // Refused here: neither the rotation memory nor WorkOS's own grace window gave it a successor.
      expect(t.emulator.calls.authenticate_refresh).toBe(1);

      const page = await request(t.server).get('/dashboard').set(BROWSER).set('Cookie', c1).expect(302);
      expect(page.headers.location).toMatch(/^\/login\?returnTo=/);
      expect(clearsSession(page)).toBe(true);
      expect(t.emulator.calls.authenticate_refresh).toBe(1);
    });
  });

  it('strict rotation: the replay is never reported as a lost race (no 503), and refreshSession ends it too', async () => {
    t = await startRefreshApp(adapter, { refreshGraceSeconds: 0 }, (e) => ({ workos: workosClientFor(e) }));
    const session = t.emulator.createSession();
    t.emulator.clock.advance(301);
    const c1 = sessionCookieFor(session);
    const c2 = cookieSet(await request(t.server).get('/api/me').set('Cookie', c1).expect(200));
    await request(t.server).post('/logout').set(SAME_ORIGIN_POST).set('Cookie', c2).expect(302);

    const replay = await request(t.server).get('/api/me').set('Cookie', c1).expect(401);
    expect(clearsSession(replay)).toBe(true);
    const helper = await request(t.server).post('/refresh').set('Cookie', c1).expect(401);
    expect(clearsSession(helper)).toBe(true);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
    expect(t.failures).toEqual([]);
  });

  it('an early-refreshed session: C1 still valid but due, replayed after C2 signed out, is signed out too', async () => {
    t = await startRefreshApp(adapter, {}, (e) => ({ workos: workosClientFor(e) }));
    const session = t.emulator.createSession();
    t.emulator.clock.advance(280); // 20 s left: inside the 30 s buffer
    const c1 = sessionCookieFor(session);
    const c2 = cookieSet(await request(t.server).get('/api/me').set('Cookie', c1).expect(200));
    await request(t.server).post('/bye').set('Cookie', c2).expect(302);

    const replay = await request(t.server).get('/api/me').set('Cookie', c1).expect(401);
    expect(clearsSession(replay)).toBe(true);
    expect(sessionSet(replay)).toBeUndefined();
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
  });

  it('a refresh still in flight when the session signs out hands its result to nobody', async () => {
    t = await startRefreshApp(adapter, {}, (e) => ({ workos: workosClientFor(e) }));
    const session = t.emulator.createSession();
    t.emulator.clock.advance(301);
    const c1 = sessionCookieFor(session);
    t.emulator.failNext('authenticate_refresh', { delayMs: 1_000 });
    const waiting = request(t.server)
      .get('/api/me')
      .set('Cookie', c1)
      .then((response) => response);
    await eventually(() => t!.emulator.calls.authenticate_refresh === 1, 'the refresh to reach the emulator');
    await request(t.server).post('/logout').set(SAME_ORIGIN_POST).set('Cookie', c1).expect(302);

    const answered = await waiting;
    expect(t.successes).toBe(1); // WorkOS did rotate it...
    expect(answered.status).toBe(401); // ...but the signed-out session gets no successor
    expect(clearsSession(answered)).toBe(true);
    expect(sessionSet(answered)).toBeUndefined();
    const replay = await request(t.server).get('/api/me').set('Cookie', c1).expect(401);
    expect(sessionSet(replay)).toBeUndefined();
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
  });

  it("signing out with someone else's tampered, foreign or garbage cookie ends nobody's session", async () => {
    t = await startRefreshApp(adapter, {}, (e) => ({ workos: workosClientFor(e) }));
    const session = t.emulator.createSession();
    t.emulator.clock.advance(301);
    const c1 = sessionCookieFor(session);
    const value = c1.slice('wos-session='.length);
    const tampered = `wos-session=${value.slice(0, 40)}${value[40] === 'A' ? 'B' : 'A'}${value.slice(41)}`;
    const hostile = [
      tampered,
      `wos-session=${'Fe26.2**'.padEnd(5000, 'x')}`,
      'wos-session=%ff%fe%00<script>',
      `wos-session.0=${value}; wos-session.1=junk`,
      '',
    ];
    for (const cookie of hostile) {
      const out = await request(t.server).post('/logout').set(SAME_ORIGIN_POST).set('Cookie', cookie);
      expect(out.status).toBeLessThan(500);
    }
    const still = await request(t.server).get('/api/me').set('Cookie', c1).expect(200);
    expect(sessionSet(still)?.refreshToken).toEqual(expect.any(String));
    expect(touchesSessionCookie(still)).toBe(true);
  });
});

describe('the ended-sessions list (in-process, bounded, expiring)', () => {
  const clock = { ms: 1_000_000, now: () => clock.ms };

  it('lists a session for its TTL, on the injected clock', () => {
    const ended = createEndedSessions(clock);
    expect(ended.get('session_1')).toBeUndefined();
    ended.add('session_1', 60_000);
    expect(ended.get('session_1')).toEqual({ endedAt: 1_000_000 });
    clock.ms += 59_999;
    expect(ended.get('session_1')).toBeDefined();
    clock.ms += 1;
    expect(ended.get('session_1')).toBeUndefined();
  });

  it('holds at most its cap, dropping the oldest', () => {
    const ended = createEndedSessions(clock, 3);
    for (const id of ['a', 'b', 'c', 'd']) ended.add(id, 60_000);
    expect(['a', 'b', 'c', 'd'].map((id) => ended.get(id) !== undefined)).toEqual([false, true, true, true]);
  });

  it('lists a session at least as long as its access token lives (plus a margin), bounded for odd claims', () => {
    const minute = 60_000;
    expect(endedSessionTtlMs({ iat: 0, exp: 300 })).toBe(10 * minute);
    expect(endedSessionTtlMs({ iat: 0, exp: 3600 })).toBe(65 * minute);
    for (const odd of [
      undefined,
      {},
      { iat: 10, exp: 5 },
      { exp: 300 },
      { iat: Number.NaN, exp: 300 },
      { iat: '0', exp: '300' } as unknown as { iat: number; exp: number },
    ]) {
      expect(endedSessionTtlMs(odd)).toBe(10 * minute);
    }
    expect(endedSessionTtlMs({ iat: 0, exp: 1e15 })).toBe(24 * 60 * minute);
  });
});
