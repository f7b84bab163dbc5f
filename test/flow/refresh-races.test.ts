import type { Server } from 'node:http';
import request from 'supertest';
import type { AuthKitOptions } from '../../lib';
import type { SessionRefreshErrorEvent, SessionRefreshSuccessEvent } from '../../lib/config/options';
import { WorkOSUnavailableError } from '../../lib/errors';
import { ExpiringMap, RecentRotations, refreshKey, ROTATION_MEMORY_MAX_ENTRIES } from '../../lib/flow/recent-rotations';
import { createRefresher } from '../../lib/flow/refresh';
import { RefreshRejectedError } from '../../lib/flow/refresh-errors';
import { isRefreshDue, refreshBufferSeconds } from '../../lib/flow/refresh-timing';
import { unsealCookieValue } from '../../lib/session/iron';
import type { SessionData } from '../../lib/model/session';
import { startEmulator, type EmulatorOptions } from '../../lib/testing';
import { setCookies, startTestApp, type TestApp } from '../helpers/app';
import { workosClientFor } from '../helpers/workos-client';
import { COOKIE_PASSWORD } from '../helpers/env';
import { listen } from '../helpers/server';
import { sessionCookieFor } from '../helpers/session-cookie';

const PASSWORD = { id: '1', secret: COOKIE_PASSWORD };
const BURST = 50;

interface RaceApp extends TestApp {
  server: Server;
  successes: SessionRefreshSuccessEvent[];
  failures: SessionRefreshErrorEvent[];
}

let t: RaceApp | undefined;
afterEach(async () => {
  if (!t) return;
  await new Promise((resolve) => t!.server.close(resolve));
  await t.close();
  t = undefined;
});

/** One listening server for the whole burst (supertest would start one per request on a bare app). */
async function startRaceApp(emulator: EmulatorOptions, authkit: AuthKitOptions = {}): Promise<RaceApp> {
  const successes: SessionRefreshSuccessEvent[] = [];
  const failures: SessionRefreshErrorEvent[] = [];
  const app = await startTestApp({
    emulator,
    authkit: (e) => ({
      workos: workosClientFor(e),
      onSessionRefreshSuccess: (event) => successes.push(event),
      onSessionRefreshError: (event) => failures.push(event),
      ...authkit,
    }),
  });
  const server = await listen(app.app);
  return { ...app, server, successes, failures };
}

function clearsSession(response: request.Response): boolean {
  return setCookies(response).some(
    (line) => /^wos-session(\.\d+)?=;/.test(line) || (line.startsWith('wos-session') && /Max-Age=0/.test(line)),
  );
}

/** The refresh token inside the session cookie a response sets (seals differ, sessions must not). */
function refreshTokenSet(response: request.Response): string | undefined {
  const line = setCookies(response).find((cookie) => cookie.startsWith('wos-session='));
  if (line === undefined) return undefined;
  const opened = unsealCookieValue<SessionData>(decodeURIComponent(line.slice('wos-session='.length).split(';')[0]!), [PASSWORD]);
  return opened.ok ? opened.value.refreshToken : undefined;
}

function burst(app: RaceApp, cookie: string, count = BURST): Promise<request.Response[]> {
  return Promise.all(Array.from({ length: count }, () => request(app.server).get('/api/me').set('Cookie', cookie)));
}

function expectOneNewSession(responses: request.Response[], oldRefreshToken: string): string {
  expect(responses.map((r) => r.status)).toEqual(Array(responses.length).fill(200));
  expect(responses.filter(clearsSession)).toHaveLength(0);
  const tokens = new Set(responses.map(refreshTokenSet));
  expect(tokens.size).toBe(1);
  const [token] = tokens;
  expect(token).toEqual(expect.any(String));
  expect(token).not.toBe(oldRefreshToken);
  return token!;
}

describe.each([
  ['strict rotation (no grace window)', { refreshGraceSeconds: 0 }],
  ['the grace window', { refreshGraceSeconds: 10 }],
  ['the grace window with 429 contention', { refreshGraceSeconds: 10, contention: true }],
])('%s: 50 parallel requests carrying one expired session', (_name, mode) => {
  it('make one refresh call, all succeed with the same new session, none clears the cookie; the old cookie works for 30 s', async () => {
    t = await startRaceApp({ refreshGraceSeconds: mode.refreshGraceSeconds });
    if ('contention' in mode) t.emulator.setRefreshContention(true);
    const session = t.emulator.createSession();
    t.emulator.clock.advance(301);
    // A slow WorkOS: the whole burst arrives while the one exchange is still in flight.
    t.emulator.failNext('authenticate_refresh', { delayMs: 300 });

    // The exchange ends at least 300 ms after this; measuring the next wave from here, not from
    // whenever this wave's last response arrives, keeps a busy machine from stretching the 29 s.
    const burstStart = t.emulator.clock.now();
    const wave = await burst(t, sessionCookieFor(session));
    const newToken = expectOneNewSession(wave, session.refreshToken);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
    expect(t.successes).toHaveLength(1);
    expect(t.failures).toHaveLength(0);

    // A second wave still carrying the old cookie, under 29 s after the exchange: no call, the same new session.
    t.emulator.clock.set(burstStart + 29_000);
    const late = await burst(t, sessionCookieFor(session));
    expect(expectOneNewSession(late, session.refreshToken)).toBe(newToken);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
    expect(t.successes).toHaveLength(1);
  });
});

describe('after the 30 s memory', () => {
  it('the old cookie in strict mode is a spent token: the session ends and the cookie is cleared', async () => {
    t = await startRaceApp({ refreshGraceSeconds: 0 });
    const session = t.emulator.createSession();
    t.emulator.clock.advance(301);
    await burst(t, sessionCookieFor(session), 5);
    t.emulator.clock.advance(31);
    const stale = await request(t.server).get('/api/me').set('Cookie', sessionCookieFor(session)).expect(401);
    expect(clearsSession(stale)).toBe(true);
    expect(t.emulator.calls.authenticate_refresh).toBe(2);
    expect(t.failures).toEqual([{ error: expect.any(RefreshRejectedError), isTransient: false, raceLost: false }]);
  });
});

describe('early refresh', () => {
  it('refreshes a token within the buffer (30 s for 5-minute tokens) once, and not one outside it', async () => {
    t = await startRaceApp({ refreshGraceSeconds: 0 });
    const session = t.emulator.createSession();
    t.emulator.clock.advance(265); // 35 s left
    const early = await request(t.server).get('/api/me').set('Cookie', sessionCookieFor(session)).expect(200);
    expect(setCookies(early)).toEqual([]);
    expect(t.emulator.calls.authenticate_refresh).toBe(0);

    t.emulator.clock.advance(10); // 25 s left
    const wave = await burst(t, sessionCookieFor(session), 20);
    expectOneNewSession(wave, session.refreshToken);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
    expect(t.successes).toHaveLength(1);
  });

  it.each([
    ['60 s for longer-lived tokens', 600, undefined, 535, 545],
    ['a configured buffer', 300, 120, 175, 185],
  ])('uses %s', async (_name, ttl, buffer, before, after) => {
    t = await startRaceApp({ accessTokenTtlSeconds: ttl }, { refreshBufferSeconds: buffer });
    const session = t.emulator.createSession();
    t.emulator.clock.advance(before);
    await request(t.server).get('/api/me').set('Cookie', sessionCookieFor(session)).expect(200);
    expect(t.emulator.calls.authenticate_refresh).toBe(0);
    t.emulator.clock.advance(after - before);
    const refreshed = await request(t.server).get('/api/me').set('Cookie', sessionCookieFor(session)).expect(200);
    expect(refreshTokenSet(refreshed)).toEqual(expect.any(String));
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
  });

  it('is off with refreshBufferSeconds: 0', async () => {
    t = await startRaceApp({}, { refreshBufferSeconds: 0 });
    const session = t.emulator.createSession();
    t.emulator.clock.advance(299);
    await request(t.server).get('/api/me').set('Cookie', sessionCookieFor(session)).expect(200);
    expect(t.emulator.calls.authenticate_refresh).toBe(0);
  });

  it('serves, and keeps the cookie, when another instance already rotated the token (strict refusal while valid)', async () => {
    t = await startRaceApp({ refreshGraceSeconds: 0 });
    const session = t.emulator.createSession();
    t.emulator.clock.advance(280);
    // The other instance: same WorkOS, its own process memory.
    await t.authkit.workos.userManagement.authenticateWithRefreshToken({
      clientId: t.emulator.clientId,
      refreshToken: session.refreshToken,
    });
    const served = await request(t.server).get('/api/me').set('Cookie', sessionCookieFor(session)).expect(200);
    expect(setCookies(served)).toEqual([]);
    expect(t.failures).toEqual([{ error: expect.any(RefreshRejectedError), isTransient: false, raceLost: false }]);
  });
});

describe('hooks', () => {
  it('a throwing hook is logged and the refresh still serves its requests', async () => {
    t = await startRaceApp(
      {},
      {
        onSessionRefreshSuccess: () => {
          throw new Error('hook broke');
        },
      },
    );
    const session = t.emulator.createSession();
    t.emulator.clock.advance(301);
    expectOneNewSession(await burst(t, sessionCookieFor(session), 10), session.refreshToken);
    expect(t.warnings).toEqual(['onSessionRefreshSuccess threw: hook broke']);
  });
});

describe('the refresher against the emulator', () => {
  const memberships = ['org_a', 'org_b'].map((organizationId) => ({ userId: 'user_01EMULATOR', organizationId }));

  it('a refusal of a token this process just rotated (another organization) is a lost race: kept, retry in 1 s', async () => {
    const emulator = await startEmulator({ refreshGraceSeconds: 0, memberships });
    try {
      const events: SessionRefreshErrorEvent[] = [];
      const refresh = createRefresher({
        workos: workosClientFor(emulator),
        clientId: emulator.clientId,
        clock: emulator.clock,
        logger: { warn: () => undefined },
        hooks: { onSessionRefreshError: (event) => events.push(event) },
      });
      const session = emulator.createSession({ organizationId: 'org_a' });
      await refresh(session, 'org_b');
      await expect(refresh(session)).rejects.toMatchObject({
        name: 'WorkOSUnavailableError',
        retryAfter: 1,
        headers: { 'Retry-After': '1' },
      });
      expect(events).toEqual([{ error: expect.any(WorkOSUnavailableError), isTransient: false, raceLost: true }]);
      emulator.clock.advance(31);
      await expect(refresh(session)).rejects.toBeInstanceOf(RefreshRejectedError);
      expect(events.map((e) => e.raceLost)).toEqual([true, false]);
    } finally {
      await emulator.close();
    }
  });

  it('hands the oldest cookie the newest session when its successor was rotated again', async () => {
    const emulator = await startEmulator({ refreshGraceSeconds: 0 });
    try {
      const refresh = createRefresher({
        workos: workosClientFor(emulator),
        clientId: emulator.clientId,
        clock: emulator.clock,
        logger: { warn: () => undefined },
        hooks: {},
      });
      const first = emulator.createSession();
      const second = await refresh(first);
      const third = await refresh(second);
      expect((await refresh(first)).refreshToken).toBe(third.refreshToken);
      expect(emulator.calls.authenticate_refresh).toBe(2);
    } finally {
      await emulator.close();
    }
  });
});

describe('recently-rotated memory', () => {
  const clock = { ms: 0, now: () => clock.ms };
  const session = (refreshToken: string) => ({ refreshToken }) as SessionData;

  it('keys by a hash of token and organization, never the raw token', () => {
    expect(refreshKey('rt_secret')).not.toContain('rt_secret');
    expect(refreshKey('rt_secret', 'org_a')).not.toBe(refreshKey('rt_secret', 'org_b'));
    const rotations = new RecentRotations(clock);
    rotations.remember('rt_secret', 'org_a', session('rt_next'));
    const maps = rotations as unknown as Record<'successors' | 'spent', { entries: Map<string, unknown> }>;
    for (const map of [maps.successors, maps.spent]) expect([...map.entries.keys()].join()).not.toContain('rt_secret');
  });

  it('forgets after 30 s and matches the organization', () => {
    clock.ms = 0;
    const rotations = new RecentRotations(clock);
    rotations.remember('rt_old', 'org_a', session('rt_new'));
    expect(rotations.successorOf('rt_old', 'org_b')).toBeUndefined();
    clock.ms = 29_999;
    expect(rotations.successorOf('rt_old', 'org_a')?.refreshToken).toBe('rt_new');
    expect(rotations.wasRotated('rt_old')).toBe(true);
    clock.ms = 30_000;
    expect(rotations.successorOf('rt_old', 'org_a')).toBeUndefined();
    expect(rotations.wasRotated('rt_old')).toBe(false);
  });

  it(`holds at most ${ROTATION_MEMORY_MAX_ENTRIES} entries, dropping the oldest and the expired`, () => {
    clock.ms = 0;
    const map = new ExpiringMap<number>(clock, ROTATION_MEMORY_MAX_ENTRIES);
    for (let i = 0; i <= ROTATION_MEMORY_MAX_ENTRIES; i += 1) map.set(`k${i}`, i, 30_000);
    expect(map.size).toBe(ROTATION_MEMORY_MAX_ENTRIES);
    expect(map.get('k0')).toBeUndefined();
    expect(map.get(`k${ROTATION_MEMORY_MAX_ENTRIES}`)).toBe(ROTATION_MEMORY_MAX_ENTRIES);
    clock.ms = 30_000;
    map.set('fresh', 1, 30_000);
    expect(map.size).toBe(1);
  });
});

describe('refresh timing', () => {
  it('follows 60 s / 30 s for tokens of 5 minutes or less, capped at half the lifetime, 0 = off', () => {
    expect(refreshBufferSeconds({ iat: 0, exp: 300 }, undefined)).toBe(30);
    expect(refreshBufferSeconds({ iat: 0, exp: 301 }, undefined)).toBe(60);
    expect(refreshBufferSeconds({ exp: 300 }, undefined)).toBe(60);
    expect(refreshBufferSeconds({ iat: 0, exp: 40 }, undefined)).toBe(20);
    expect(refreshBufferSeconds({ iat: 0, exp: 300 }, 600)).toBe(150);
    expect(isRefreshDue({ iat: 0, exp: 300 }, 270_000, undefined)).toBe(true);
    expect(isRefreshDue({ iat: 0, exp: 300 }, 269_000, undefined)).toBe(false);
    expect(isRefreshDue({ iat: 0, exp: 300 }, 299_000, 0)).toBe(false);
  });
});
