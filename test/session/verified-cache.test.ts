import express, { type Express } from 'express';
import request from 'supertest';
import { getAuth, type AuthKitOptions } from '../../lib';
import { connectAuthKit } from '../../lib/adapters/connect/create';
import { createAuthKitContext, type AuthKitPorts } from '../../lib/core/context';
import { isIssuedAuth } from '../../lib/authorization/auth-state';
import * as iron from '../../lib/session/iron';
import { createVerifiedSessionCache, sealExpiresAt } from '../../lib/session/verified-cache';
import type { AccessTokenClaims } from '../../lib/tokens/claims';
import { JWKS_MAX_AGE_MS } from '../../lib/tokens/jwks';
import { createAccessTokenVerifier } from '../../lib/tokens/verify-access-token';
import { openSessionCookie } from '../../lib/session/session-cookie';
import { isRefreshDue } from '../../lib/flow/refresh-timing';
import { COOKIE_PASSWORD } from '../helpers/env';
import { setCookies, startTestApp, type TestApp } from '../helpers/app';
import { APP_ORIGIN } from '../helpers/app-setup';

/**
 * The verified-session cache over real HTTP: a real Express app on the library against the
 * emulator. Two counting ports, wrapped around the real collaborators, count the work a cache hit
 * must skip: opening the cookie (unseal and shape check) and verifying the token.
 */

const PASSWORD = { id: '1', secret: COOKIE_PASSWORD };
/** The real collaborators, each call counted. */
const countingPorts: AuthKitPorts = {
  openSession: (config) => (cookieValue) => {
    unseals(cookieValue);
    return openSessionCookie(cookieValue, config);
  },
  verifyAccessToken: (config) => {
    const verify = createAccessTokenVerifier(config);
    return (token, userId) => {
      verifications(token, userId);
      return verify(token, userId);
    };
  },
};

let t: TestApp;
let unseals: jest.Mock;
let verifications: jest.Mock;
/** Every `req.auth` a handler saw, in order. */
let seen: unknown[];

async function start(authkit: AuthKitOptions = {}, configure?: (app: Express) => void): Promise<void> {
  verifications = jest.fn();
  unseals = jest.fn();
  seen = [];
  t = await startTestApp({
    authkit,
    ports: countingPorts,
    configure: (app, kit) => {
      app.get('/api/whoami', kit.requireAuth, (req, res) => {
        const auth = getAuth(req);
        seen.push(auth);
        res.json({ id: auth.user?.id ?? null, email: auth.user?.email ?? null, sessionId: auth.user ? auth.sessionId : null });
      });
      configure?.(app);
    },
  });
}

afterEach(async () => {
  jest.restoreAllMocks();
  await t.close();
});

/** A fresh session of `userId` (default: the emulator's first user), sealed at the emulator's time. */
function cookieFor(options: { userId?: string; ttlSeconds?: number; accessToken?: string } = {}): string {
  const session = t.emulator.createSession(options.userId === undefined ? {} : { userId: options.userId });
  const value = options.accessToken === undefined ? session : { ...session, accessToken: options.accessToken };
  return iron.sealCookieValue(value, PASSWORD, { now: t.emulator.clock.now(), ttlSeconds: options.ttlSeconds });
}
const whoami = (cookie: string) => request(t.app).get('/api/whoami').set('Cookie', `wos-session=${cookie}`);
const claimsOf = (cookie: string): AccessTokenClaims => {
  const opened = iron.unsealCookieValue<{ accessToken: string }>(cookie, [PASSWORD]);
  if (!opened.ok) throw new Error('fixture cookie does not unseal');
  return JSON.parse(Buffer.from(opened.value.accessToken.split('.')[1] ?? '', 'base64url').toString()) as AccessTokenClaims;
};
/** Work done since the last call: [unseals, verifications]. */
function work(): [number, number] {
  const counts: [number, number] = [unseals.mock.calls.length, verifications.mock.calls.length];
  unseals.mockClear();
  verifications.mockClear();
  return counts;
}

describe('a cookie seen before skips unsealing and verification', () => {
  beforeEach(() => start());

  it('unseals and verifies once, then serves the same frozen, branded auth object from memory', async () => {
    const cookie = cookieFor();
    const first = await whoami(cookie).expect(200);
    expect(work()).toEqual([1, 1]);
    for (let i = 0; i < 3; i += 1) await whoami(cookie).expect(200, first.body);
    expect(work()).toEqual([0, 0]);
    // Built once when the session was verified: no per-request object, and nothing a handler can change.
    expect(new Set(seen).size).toBe(1);
    expect(seen.every(isIssuedAuth)).toBe(true);
    expect(Object.isFrozen(seen[0])).toBe(true);
    expect(Object.isFrozen((seen[0] as { permissions: unknown[] }).permissions)).toBe(true);
    expect(t.emulator.calls.jwks).toBe(1);
    expect(t.emulator.calls.authenticate_refresh).toBe(0);
  });

  it('keeps the session it serves from memory out of reach of handlers: its nested objects are frozen', async () => {
    const cookie = cookieFor();
    await whoami(cookie).expect(200);
    await whoami(cookie).expect(200);
    const auth = seen[1] as ReturnType<typeof getAuth> & { user: object };
    expect(Object.isFrozen(auth.user)).toBe(true);
    expect(Object.isFrozen((auth as { claims: object }).claims)).toBe(true);
    expect(() => {
      'use strict';
      (auth.user as { email: string }).email = 'mallory@example.com';
    }).toThrow(TypeError);
    await whoami(cookie).expect(200);
    expect((seen[2] as { user: { email: string } }).user.email).not.toBe('mallory@example.com');
  });

  it('never lets two cookies share an entry: each user gets their own session, and each cookie is unsealed once', async () => {
    t.emulator.addUser({ id: 'user_01OTHER', email: 'other@example.com' });
    const alice = cookieFor();
    const bob = cookieFor({ userId: 'user_01OTHER' });
    const aliceAgain = cookieFor(); // the same user, another seal: another cookie
    const a = (await whoami(alice).expect(200)).body as { id: string; sessionId: string };
    const b = (await whoami(bob).expect(200)).body as { id: string; sessionId: string };
    const a2 = (await whoami(aliceAgain).expect(200)).body as { id: string; sessionId: string };
    expect(work()).toEqual([3, 3]);
    expect(b.id).toBe('user_01OTHER');
    expect(a.id).not.toBe('user_01OTHER');
    expect(a2.sessionId).not.toBe(a.sessionId);
    await whoami(bob).expect(200, b);
    await whoami(alice).expect(200, a);
    await whoami(aliceAgain).expect(200, a2);
    expect(work()).toEqual([0, 0]);
  });

  it('serves a chunked cookie from memory too, keyed by the joined value', async () => {
    const cookie = cookieFor();
    const half = Math.floor(cookie.length / 2);
    const chunked = `wos-session.0=${cookie.slice(0, half)}; wos-session.1=${cookie.slice(half)}`;
    await request(t.app).get('/api/whoami').set('Cookie', chunked).expect(200);
    expect(work()).toEqual([1, 1]);
    await request(t.app).get('/api/whoami').set('Cookie', chunked).expect(200);
    // The plain cookie with the same value is the same seal: the same entry.
    await whoami(cookie).expect(200);
    expect(work()).toEqual([0, 0]);
  });

  it('never serves a tampered cookie from memory, however close it is to a cached one', async () => {
    const cookie = cookieFor();
    await whoami(cookie).expect(200);
    work();
    const flip = (value: string, at: number) => `${value.slice(0, at)}${value[at] === 'A' ? 'B' : 'A'}${value.slice(at + 1)}`;
    const macAt = cookie.lastIndexOf('*') + 3;
    const extended = cookie.replace('**', `*${t.emulator.clock.now() + 86_400_000}*`);
    expect(extended).not.toBe(cookie);
    // A flipped byte in the body and an extended expiration keep the MAC the cache files the entry under.
    for (const tampered of [flip(cookie, macAt), flip(cookie, cookie.indexOf('*', 20) + 5), extended, cookie.slice(0, -3)]) {
      await whoami(tampered).expect(401);
    }
    expect(work()).toEqual([4, 0]);
    await whoami(cookie).expect(200);
    expect(work()).toEqual([0, 0]);
  });

  it('never caches a failure: a refused token is checked again on every request, and its cookie works nowhere', async () => {
    const foreign = cookieFor({ accessToken: t.emulator.signAccessToken({ sub: 'user_x' }, {}, 'foreign') });
    await whoami(foreign).expect(401);
    await whoami(foreign).expect(401);
    expect(work()).toEqual([2, 2]);
  });

  it('does not cache a JWKS outage: the first request after the key set is back verifies and succeeds', async () => {
    const cookie = cookieFor();
    t.emulator.failNext('jwks', { status: 500 });
    await whoami(cookie).expect(503);
    await whoami(cookie).expect(200);
    await whoami(cookie).expect(200);
    expect(work()).toEqual([2, 2]);
  });

  it('does not cache under the old cookie a session it had to refresh', async () => {
    const cookie = cookieFor();
    t.emulator.clock.advance(300);
    const refreshed = await whoami(cookie).expect(200);
    expect(setCookies(refreshed).some((line) => line.startsWith('wos-session='))).toBe(true);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
    work();
    // Within the refresher's recently-rotated window the old cookie is answered again, but by the full path.
    await whoami(cookie).expect(200);
    expect(work()[0]).toBe(1);
  });
});

describe('an entry lives only while the uncached path would give the same answer', () => {
  it('until the token is due for refresh (default buffer): then the full path runs and refreshes', async () => {
    await start();
    const cookie = cookieFor();
    const { exp, iat } = claimsOf(cookie);
    await whoami(cookie).expect(200);
    work();
    const dueAt = (exp - 30) * 1000; // 300 s tokens: 30 s buffer
    expect(isRefreshDue({ exp, iat }, dueAt - 1000, undefined)).toBe(false);
    expect(isRefreshDue({ exp, iat }, dueAt, undefined)).toBe(true);
    t.emulator.clock.set(dueAt - 1000);
    await whoami(cookie).expect(200);
    expect(work()).toEqual([0, 0]);
    t.emulator.clock.set(dueAt);
    const response = await whoami(cookie).expect(200);
    expect(work()[0]).toBe(1);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
    expect(setCookies(response).some((line) => line.startsWith('wos-session='))).toBe(true);
  });

  it('until exp when refreshing only after expiry: a request after exp refreshes', async () => {
    await start({ refreshBufferSeconds: 0 });
    const cookie = cookieFor();
    const { exp } = claimsOf(cookie);
    await whoami(cookie).expect(200);
    work();
    t.emulator.clock.set(exp * 1000 - 500);
    await whoami(cookie).expect(200);
    expect(work()).toEqual([0, 0]);
    t.emulator.clock.set(exp * 1000);
    const response = await whoami(cookie).expect(200);
    expect(work()).toEqual([1, 2]);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
    expect(setCookies(response).some((line) => line.startsWith('wos-session='))).toBe(true);
  });

  it('until the seal itself expires, even while the token is still good', async () => {
    await start();
    const cookie = cookieFor({ ttlSeconds: 120 });
    await whoami(cookie).expect(200);
    work();
    t.emulator.clock.advance(119);
    await whoami(cookie).expect(200);
    expect(work()).toEqual([0, 0]);
    t.emulator.clock.advance(2);
    // Past the seal's expiration (unsealing still allows 60 s of skew): answered by the full path.
    await whoami(cookie).expect(200);
    expect(work()).toEqual([1, 1]);
  });

  it('at most the key set max age, so a withdrawn key stops vouching for cached sessions too', async () => {
    await start();
    t.emulator.setAccessTokenTtl(3600);
    const cookie = cookieFor();
    await whoami(cookie).expect(200);
    work();
    t.emulator.clock.advance(JWKS_MAX_AGE_MS / 1000 - 1);
    await whoami(cookie).expect(200);
    expect(work()).toEqual([0, 0]);
    t.emulator.rotateKey();
    t.emulator.clock.advance(1);
    // The key that signed this token is gone from the JWKS: refused, like any new request with it.
    await whoami(cookie).expect(401);
    expect(work()).toEqual([1, 1]);
  });

  it('not before nbf, if the clock moves back', async () => {
    await start();
    const now = Math.floor(t.emulator.clock.now() / 1000);
    const base = t.emulator.createSession();
    const token = t.emulator.signAccessToken({
      iss: t.emulator.issuer,
      sub: base.user.id,
      sid: 'session_nbf',
      iat: now,
      nbf: now,
      exp: now + 300,
    });
    const cookie = cookieFor({ accessToken: token });
    await whoami(cookie).expect(200);
    work();
    t.emulator.clock.advance(-5);
    await whoami(cookie).expect(401);
    expect(work()).toEqual([1, 1]);
  });
});

describe('size, scope and switching off', () => {
  it('holds at most maxEntries, evicting the least recently used first', async () => {
    await start({ sessionCache: { maxEntries: 2 } });
    const [a, b, c] = [cookieFor(), cookieFor(), cookieFor()];
    await whoami(a).expect(200);
    await whoami(b).expect(200);
    await whoami(a).expect(200); // a is now the most recently used
    expect(work()).toEqual([2, 2]);
    await whoami(c).expect(200); // evicts b
    expect(work()).toEqual([1, 1]);
    await whoami(a).expect(200);
    await whoami(c).expect(200);
    expect(work()).toEqual([0, 0]);
    await whoami(b).expect(200); // evicted: full path again, and now a (least recent) goes
    expect(work()).toEqual([1, 1]);
    await whoami(c).expect(200);
    await whoami(b).expect(200);
    expect(work()).toEqual([0, 0]);
    await whoami(a).expect(200);
    expect(work()).toEqual([1, 1]);
  });

  it('with sessionCache: false, unseals and verifies every request', async () => {
    await start({ sessionCache: false });
    const cookie = cookieFor();
    for (let i = 0; i < 3; i += 1) await whoami(cookie).expect(200);
    expect(work()).toEqual([3, 3]);
  });

  it('is per instance: another createAuthKit does not see this one’s entries', async () => {
    await start();
    const cookie = cookieFor();
    await whoami(cookie).expect(200);
    const options = {
      ...t.emulator.settings,
      cookiePassword: COOKIE_PASSWORD,
      redirectUri: `${APP_ORIGIN}/callback`,
      logger: { warn: () => undefined },
    };
    const other = connectAuthKit(createAuthKitContext(options, countingPorts));
    const app = express();
    app.get('/api/whoami', other.requireAuth, (_req, res) => res.json({}));
    work();
    await request(app).get('/api/whoami').set('Cookie', `wos-session=${cookie}`).expect(200);
    expect(work()).toEqual([1, 1]);
  });
});

describe('sign-out drops the entry', () => {
  const logout = (cookie: string) =>
    request(t.app)
      .post('/logout')
      .set({ Origin: APP_ORIGIN, 'Sec-Fetch-Site': 'same-origin' })
      .set('Cookie', `wos-session=${cookie}`)
      .expect(302);

  it('a cookie signed out in this process is no longer served from memory', async () => {
    await start();
    const [cookie, other] = [cookieFor(), cookieFor()];
    await whoami(cookie).expect(200);
    await whoami(other).expect(200);
    await logout(cookie);
    work();
    // Still a valid seal and token, so the full path accepts it (WorkOS ends the session at its refresh).
    await whoami(cookie).expect(200);
    await whoami(other).expect(200);
    expect(work()).toEqual([1, 1]);
  });

  it('a sign-out that lands while the same cookie is being verified keeps it out of the cache', async () => {
    await start();
    const cookie = cookieFor();
    t.emulator.failNext('jwks', { delayMs: 300 });
    const jwksBefore = t.emulator.calls.jwks;
    const server = t.app.listen(0);
    try {
      const pending = request(server).get('/api/whoami').set('Cookie', `wos-session=${cookie}`);
      const done = pending.then((response) => response.status);
      // Sign out once the request is inside verification (its key set fetch has reached the emulator), however slow the machine.
      while (t.emulator.calls.jwks === jwksBefore) await new Promise((resolve) => setTimeout(resolve, 2));
      await logout(cookie);
      expect(await done).toBe(200);
      work();
      await whoami(cookie).expect(200);
      expect(work()).toEqual([1, 1]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('the cache itself', () => {
  const claims = { iss: 'i', sub: 'user_1', sid: 's', exp: 2_000_000_000 } as AccessTokenClaims;
  const session = { accessToken: 'a', refreshToken: 'secret-refresh-token', user: { id: 'user_1' } } as never;
  const entry = (until = 10_000) => ({ session, claims: { ...claims }, servableFrom: 1_000, servableUntil: until });

  it('is off for 0 entries', () => {
    expect(createVerifiedSessionCache(0)).toBeUndefined();
  });

  it('serves only the exact cookie value: another value ending in the same MAC is a miss and cannot evict or forget it', () => {
    const cache = createVerifiedSessionCache(10)!;
    const cookie = 'Fe26.2*1*salt*iv*ciphertext**hmacsalt*THE-MAC~2';
    cache.remember(cookie, entry(), cache.generation);
    for (const other of ['Fe26.2*1*salt*iv*ciphertexT**hmacsalt*THE-MAC~2', '*THE-MAC~2', 'THE-MAC~2', `${cookie} `, cookie.slice(1)]) {
      expect(cache.get(other, 5_000)).toBeUndefined();
      cache.forget(other);
    }
    expect(cache.get(cookie, 5_000)).toBeDefined();
    // A value built from pieces (as chunks are joined) finds the entry too.
    expect(cache.get(['Fe26.2*1*salt*iv*', 'ciphertext**hmacsalt*', 'THE-MAC~2'].join(''), 5_000)).toBeDefined();
    cache.forget(cookie);
    expect(cache.get(cookie, 5_000)).toBeUndefined();
  });

  it('serves only inside [servableFrom, servableUntil) and drops what it may no longer serve', () => {
    const cache = createVerifiedSessionCache(10)!;
    cache.remember('k', entry(), cache.generation);
    expect(cache.get('k', 999)).toBeUndefined();
    expect(cache.size).toBe(0);
    cache.remember('k', entry(), cache.generation);
    expect(cache.get('k', 1_000)).toBeDefined();
    expect(cache.get('k', 9_999)).toBeDefined();
    expect(cache.get('k', 10_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('stays within its bound and evicts in least-recently-used order', () => {
    const cache = createVerifiedSessionCache(3)!;
    for (const key of ['a', 'b', 'c']) cache.remember(key, entry(), cache.generation);
    cache.get('a', 5_000);
    cache.remember('d', entry(), cache.generation); // b is the least recently used
    expect(['a', 'b', 'c', 'd'].map((key) => cache.get(key, 5_000) !== undefined)).toEqual([true, false, true, true]);
    for (let i = 0; i < 100; i += 1) cache.remember(`x${i}`, entry(), cache.generation);
    expect(cache.size).toBe(3);
    expect(['x97', 'x98', 'x99'].every((key) => cache.get(key, 5_000) !== undefined)).toBe(true);
  });

  it('drops the refresh token and freezes what it stores; ignores a remember from before a forget', () => {
    const cache = createVerifiedSessionCache(3)!;
    const stored = cache.remember('k', entry(), cache.generation);
    expect(stored.session.refreshToken).toBe('');
    expect(Object.isFrozen(stored.session.user)).toBe(true);
    const generation = cache.generation;
    cache.forget('k');
    expect(cache.get('k', 5_000)).toBeUndefined();
    cache.remember('k', entry(), generation);
    expect(cache.get('k', 5_000)).toBeUndefined();
  });

  it('finds values outside latin-1 too (never a real seal, but the copy it keeps must stay exact)', () => {
    const cache = createVerifiedSessionCache(3)!;
    for (const value of ['Fe26.2*é*MAC', 'Fe26.2*日本*MAC2', 'Fe26.2*\u{1F600}*MAC3']) {
      cache.remember(value, entry(), cache.generation);
      expect(cache.get(value, 5_000)).toBeDefined();
      expect(cache.get(value.replace('Fe26', 'Fe27'), 5_000)).toBeUndefined();
    }
  });

  it('freezes everything reachable from what it serves, however deep', () => {
    const cache = createVerifiedSessionCache(3)!;
    const nested = {
      session: {
        accessToken: 'a',
        refreshToken: 'r',
        user: { id: 'user_1', metadata: { plan: { tier: 'pro', seats: [1, 2] } } },
        impersonator: { email: 'i@example.com', reason: null },
      },
      claims: { ...claims, roles: ['admin'], permissions: ['p'], feature_flags: ['f'], act: { sub: 'admin@example.com' } },
      servableFrom: 0,
      servableUntil: 10_000,
    };
    const stored = cache.remember('k', nested as never, cache.generation);
    const unfrozen: string[] = [];
    const walk = (value: unknown, path: string): void => {
      if (typeof value !== 'object' || value === null) return;
      if (!Object.isFrozen(value)) unfrozen.push(path);
      for (const [key, member] of Object.entries(value)) walk(member, `${path}.${key}`);
    };
    walk(stored.auth, 'auth');
    walk(stored.session, 'session');
    walk(stored.claims, 'claims');
    expect(unfrozen).toEqual([]);
    expect(Object.isFrozen((stored.auth.user as unknown as { metadata: { plan: { seats: number[] } } }).metadata.plan.seats)).toBe(true);
  });

  it('reads the seal expiration', () => {
    expect(sealExpiresAt('Fe26.2*1*s*iv*ct**hs*mac~2')).toBe(Number.POSITIVE_INFINITY);
    expect(sealExpiresAt('Fe26.2*1*s*iv*ct*1700000000000*hs*mac~2')).toBe(1_700_000_000_000);
    expect(sealExpiresAt('Fe26.2*1*s*iv*ct*1700000000000*hs*mac')).toBe(1_700_000_000_000);
    expect(sealExpiresAt('Fe26.2*1*s*iv*ct*junk*hs*mac')).toBe(Number.NEGATIVE_INFINITY);
  });
});
