/**
 * Issue 12, finding 3: a sibling subdomain could plant or shadow the session and flow cookies.
 * On https without `cookieDomain` the cookies are `__Host-` by default (the old `wos-session`
 * read only when no `__Host-` cookie came, and moved on the same response); a repeated session,
 * chunk or flow cookie name is refused, never first-wins; deletions carry the configured Domain.
 */
import request from 'supertest';
import { ConfigurationError } from '../../lib';
import { resolveConfig } from '../../lib/config/resolve';
import { parseCookies } from '../../lib/http/cookies';
import { BROWSER, setCookies } from '../helpers/app';
import {
  isDeletion,
  nameOf,
  pair,
  sealedSession,
  sessionCookieHeader,
  signInFresh,
  startApp,
  type CookieTestApp,
} from '../helpers/cookie-apps';
import { ADAPTERS } from '../helpers/adapters';
import { clearWorkOSEnv, COOKIE_PASSWORD } from '../helpers/env';

const HTTPS = { redirectUri: 'https://app.example.com/callback' };
const ATTACKER = { id: 'user_attacker', email: 'mallory@evil.example' };
const VICTIM_EMAIL = 'ada@example.com';

let t: CookieTestApp;
const running: CookieTestApp[] = [];
async function start(...args: Parameters<typeof startApp>): Promise<void> {
  t = await startApp(...args);
  running.push(t);
}
afterEach(() => Promise.all(running.splice(0).map((app) => app.close())));

const me = (cookie: string) => request(t.server).get('/api/me').set('Cookie', cookie);

/** `[name, deleted]` of every Set-Cookie line, in order. */
const lines = (response: request.Response) => setCookies(response).map((line) => [nameOf(line), isDeletion(line)] as const);

describe('parseCookies records repeated names (unit)', () => {
  it('keeps the first value and lists repeats; allocates no list when nothing repeats', () => {
    const once = parseCookies('a=1; b=2');
    expect(once.duplicates).toBeUndefined();
    const twice = parseCookies('a=1; b=2; a=3;  b =4; c=5');
    expect([...twice]).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '5'],
    ]);
    expect([...twice.duplicates!]).toEqual(['a', 'b']);
  });
});

describe('the default cookie name (unit)', () => {
  const base = { clientId: 'client_123', apiKey: 'sk_test_123', cookiePassword: COOKIE_PASSWORD };
  beforeEach(clearWorkOSEnv);
  const cookieOf = (options: Record<string, unknown>, env: Record<string, string> = {}) =>
    resolveConfig({ ...base, ...options }, env).cookie;

  it('is __Host-wos-session on https without cookieDomain, reading wos-session as the legacy name', () => {
    expect(cookieOf(HTTPS)).toMatchObject({ name: '__Host-wos-session', legacyName: 'wos-session', secure: true, domain: undefined });
    expect(resolveConfig({ ...base, ...HTTPS }, {}).verifierCookiePrefix).toBe('__Host-wos-auth-verifier-');
  });

  it('stays wos-session on http, with a cookieDomain, or when the app names its cookie (option or WORKOS_COOKIE_NAME)', () => {
    expect(cookieOf({ redirectUri: 'http://localhost:3000/callback' })).toMatchObject({ name: 'wos-session', legacyName: undefined });
    expect(cookieOf({ ...HTTPS, cookieDomain: 'example.com' })).toMatchObject({
      name: 'wos-session',
      legacyName: undefined,
      domain: 'example.com',
    });
    expect(cookieOf({ ...HTTPS, cookieName: 'wos-session' })).toMatchObject({ name: 'wos-session', legacyName: undefined });
    expect(cookieOf(HTTPS, { WORKOS_COOKIE_NAME: 'app-session' })).toMatchObject({ name: 'app-session', legacyName: undefined });
    expect(cookieOf({ ...HTTPS, cookieName: '__Host-wos-session' })).toMatchObject({ name: '__Host-wos-session', legacyName: undefined });
  });

  it('legacyCookieName: false ends the legacy read; a name starts one for an app renaming its own cookie', () => {
    expect(cookieOf({ ...HTTPS, legacyCookieName: false })).toMatchObject({ name: '__Host-wos-session', legacyName: undefined });
    expect(cookieOf({ ...HTTPS, cookieName: '__Host-app', legacyCookieName: 'app' })).toMatchObject({
      name: '__Host-app',
      legacyName: 'app',
    });
  });

  it.each([['__Host-wos-session'], ['__Host-wos-session.0'], ['bad name'], [''], [true], [42]])(
    'refuses legacyCookieName %p',
    (legacyCookieName) => {
      expect(() => resolveConfig({ ...base, ...HTTPS, legacyCookieName: legacyCookieName as string }, {})).toThrow(ConfigurationError);
      expect(() => resolveConfig({ ...base, ...HTTPS, legacyCookieName: legacyCookieName as string }, {})).toThrow(
        /legacyCookieName` must be false or a cookie name/,
      );
    },
  );
});

describe.each(ADAPTERS)('%s: __Host- cookies by default on https', (flavor) => {
  beforeEach(async () => {
    await start(flavor, HTTPS);
    t.emulator.addUser(ATTACKER);
  });

  it('signs in with a __Host- flow cookie and a __Host- session cookie (Secure, Path=/, no Domain)', async () => {
    const login = await request(t.server).get('/login').set(BROWSER).expect(302);
    expect(setCookies(login)).toEqual([
      expect.stringMatching(/^__Host-wos-auth-verifier-[\w-]{22}=Fe26\.2\*.*; Path=\/; .*HttpOnly; Secure; SameSite=Lax$/),
    ]);
    const done = await signInFresh(t.server);
    expect(done.status).toBe(302);
    const session = setCookies(done).find((line) => nameOf(line) === '__Host-wos-session')!;
    expect(session).toMatch(/^__Host-wos-session=Fe26\.2\*.*; Path=\/; .*HttpOnly; Secure; SameSite=Lax$/);
    for (const line of setCookies(done)) expect(line).not.toMatch(/Domain=/i);
    expect((await me(pair(session)).expect(200)).body).toMatchObject({ user: { email: VICTIM_EMAIL } });
  });

  it('ignores a planted wos-session next to the __Host- session, whichever comes first', async () => {
    const victim = sessionCookieHeader(await signInFresh(t.server), '__Host-wos-session');
    const planted = `wos-session=${sealedSession(t.emulator, ATTACKER.id)}`;
    for (const cookie of [`${planted}; ${victim}`, `${victim}; ${planted}`]) {
      const response = await me(cookie).expect(200);
      expect(response.body).toMatchObject({ user: { email: VICTIM_EMAIL } });
      expect(setCookies(response)).toEqual([]);
    }
  });

  it('never falls back to the legacy name when a __Host- cookie came, even a broken one', async () => {
    const response = await me(`__Host-wos-session=garbage; wos-session=${sealedSession(t.emulator, ATTACKER.id)}`).expect(401);
    expect(setCookies(response)).toEqual([]);
    expect(t.rejected).toEqual(['malformed']);
  });

  it('signs out a repeated __Host- name (duplicate_cookie), whichever comes first', async () => {
    const victim = `__Host-wos-session=${sealedSession(t.emulator)}`;
    const attacker = `__Host-wos-session=${sealedSession(t.emulator, ATTACKER.id)}`;
    await me(`${attacker}; ${victim}`).expect(401);
    await me(`${victim}; ${attacker}`).expect(401);
    expect(t.rejected).toEqual(['duplicate_cookie', 'duplicate_cookie']);
  });

  it('keeps a session under the old name working and moves it to __Host- on the same response', async () => {
    const value = sealedSession(t.emulator);
    const first = await me(`wos-session=${value}`).expect(200);
    expect(first.body).toMatchObject({ user: { email: VICTIM_EMAIL } });
    expect(lines(first)).toEqual([
      ['__Host-wos-session', false],
      ['wos-session', true],
    ]);
    const [moved, deleted] = setCookies(first);
    expect(pair(moved!)).toBe(`__Host-wos-session=${value}`); // the same seal, not re-sealed
    expect(moved).toMatch(/; Path=\/; .*HttpOnly; Secure; SameSite=Lax$/);
    expect(deleted).toMatch(/^wos-session=; Path=\/; Max-Age=0; .*Secure/);
    expect(first.headers['cache-control']).toMatch(/no-store/);

    const next = await me(pair(moved!)).expect(200);
    expect(setCookies(next)).toEqual([]);
    expect(t.rejected).toEqual([]);
    expect(t.emulator.calls.authenticate_refresh).toBe(0);
  });

  it('moves an old chunked session and deletes its chunks', async () => {
    const value = sealedSession(t.emulator);
    const half = Math.ceil(value.length / 2);
    const response = await request(t.server)
      .get('/dashboard')
      .set(BROWSER)
      .set('Cookie', `wos-session.0=${value.slice(0, half)}; wos-session.1=${value.slice(half)}`)
      .expect(200);
    expect(lines(response)).toEqual([
      ['__Host-wos-session', false],
      ['wos-session.0', true],
      ['wos-session.1', true],
    ]);
    expect(pair(setCookies(response)[0]!)).toBe(`__Host-wos-session=${value}`);
  });

  it('refreshes an old session due for refresh into the new name, deleting the old one', async () => {
    const cookie = `wos-session=${sealedSession(t.emulator)}`;
    t.emulator.clock.advance(301);
    const response = await me(cookie).expect(200);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
    expect(lines(response)).toEqual([
      ['__Host-wos-session', false],
      ['wos-session', true],
    ]);
    await me(pair(setCookies(response)[0]!)).expect(200);
  });

  it('signs out a repeated old name too (duplicate_cookie), never the first', async () => {
    const cookie = `wos-session=${sealedSession(t.emulator, ATTACKER.id)}; wos-session=${sealedSession(t.emulator)}`;
    const response = await me(cookie).expect(401);
    expect(setCookies(response)).toEqual([]);
    expect(t.rejected).toEqual(['duplicate_cookie']);
  });

  it('signing in again replaces a planted old-name cookie and deletes it', async () => {
    const done = await signInFresh(t.server, 'wos-session=garbage');
    expect(done.status).toBe(302);
    expect(lines(done)).toEqual([
      [expect.stringMatching(/^__Host-wos-auth-verifier-/), true],
      ['__Host-wos-session', false],
      ['wos-session', true],
    ]);
    await me(`${sessionCookieHeader(done, '__Host-wos-session')}; wos-session=garbage`).expect(200);
  });

  it('sign-out deletes the session under both names', async () => {
    const victim = sessionCookieHeader(await signInFresh(t.server), '__Host-wos-session');
    const out = await request(t.server).get('/logout').set(BROWSER).set('Cookie', `${victim}; wos-session=x`).expect(302);
    expect(new URL(out.headers.location as string).pathname).toBe('/user_management/sessions/logout');
    expect(lines(out)).toEqual([
      ['__Host-wos-session', true],
      ['wos-session', true],
    ]);
  });

  it('does not honour a copied flow cookie under the unprefixed name', async () => {
    const login = await request(t.server).get('/login').set(BROWSER).expect(302);
    const flow = pair(setCookies(login)[0]!);
    const authorize = await fetch(login.headers.location as string, { redirect: 'manual' });
    const callback = new URL(authorize.headers.get('location')!);
    const refused = await request(t.server)
      .get(`${callback.pathname}${callback.search}`)
      .set(BROWSER)
      .set('Cookie', flow.replace(/^__Host-/, ''))
      .expect(400);
    expect(setCookies(refused).filter((line) => !isDeletion(line))).toEqual([]);
    expect(t.errors).toEqual(['missing_verifier']);
  });
});

describe.each(ADAPTERS)('%s: legacyCookieName: false', (flavor) => {
  beforeEach(async () => {
    await start(flavor, { ...HTTPS, legacyCookieName: false });
  });

  it('never reads the old name, so nothing can be planted under it', async () => {
    const response = await me(`wos-session=${sealedSession(t.emulator)}`).expect(401);
    expect(setCookies(response)).toEqual([]);
    const out = await request(t.server).get('/logout').set(BROWSER).set('Cookie', 'wos-session=x');
    expect(lines(out)).toEqual([['__Host-wos-session', true]]);
  });
});

describe.each(ADAPTERS)('%s: a flow cookie name sent twice', (flavor) => {
  beforeEach(async () => {
    await start(flavor, HTTPS);
  });

  it.each(['the right one first', 'the right one last'])(
    'fails the callback with state_mismatch (%s) and sets no session',
    async (order) => {
      const login = await request(t.server).get('/login').set(BROWSER).expect(302);
      const flow = pair(setCookies(login)[0]!);
      const other = `${nameOf(flow)}=${sealedSession(t.emulator)}`;
      const authorize = await fetch(login.headers.location as string, { redirect: 'manual' });
      const callback = new URL(authorize.headers.get('location')!);
      const cookie = order === 'the right one first' ? `${flow}; ${other}` : `${other}; ${flow}`;
      const refused = await request(t.server).get(`${callback.pathname}${callback.search}`).set(BROWSER).set('Cookie', cookie).expect(400);
      expect(lines(refused)).toEqual([[nameOf(flow), true]]);
      expect(t.errors).toEqual(['state_mismatch']);
      expect(t.emulator.calls.authenticate_code).toBe(0);
    },
  );
});

describe.each(ADAPTERS)('%s: a name a sibling can plant (cookieDomain set)', (flavor) => {
  beforeEach(async () => {
    await start(flavor, { ...HTTPS, cookieDomain: 'example.com' });
    t.emulator.addUser(ATTACKER);
  });

  it('signs out two session cookies of one name (duplicate_cookie) instead of taking the first', async () => {
    const victim = `wos-session=${sealedSession(t.emulator)}`;
    const attacker = `wos-session=${sealedSession(t.emulator, ATTACKER.id)}`;
    for (const cookie of [`${attacker}; ${victim}`, `${victim}; ${attacker}`, `wos-session=garbage; ${victim}`]) {
      const response = await me(cookie).expect(401);
      expect(setCookies(response)).toEqual([]);
      await request(t.server).get('/').set('Cookie', cookie).expect(200, { signedIn: false, email: null });
    }
    expect(t.rejected).toEqual(Array(6).fill('duplicate_cookie'));
  });

  it('signs out a repeated chunk name', async () => {
    const value = sealedSession(t.emulator);
    const half = Math.ceil(value.length / 2);
    const chunks = `wos-session.0=${value.slice(0, half)}; wos-session.1=${value.slice(half)}`;
    await me(chunks).expect(200);
    await me(`${chunks}; wos-session.1=x`).expect(401);
    await me(`wos-session.0=x; ${chunks}`).expect(401);
    expect(t.rejected).toEqual(['duplicate_cookie', 'duplicate_cookie']);
  });

  it('carries the Domain on every deletion: sign-out, a refused refresh, stale chunks', async () => {
    const session = await signInFresh(t.server);
    for (const line of setCookies(session)) expect(line).toMatch(/; Domain=example\.com;/);
    const cookie = sessionCookieHeader(session, 'wos-session');

    const out = await request(t.server).get('/logout').set(BROWSER).set('Cookie', `${cookie}; wos-session.0=a`).expect(302);
    expect(lines(out)).toEqual([
      ['wos-session', true],
      ['wos-session.0', true],
    ]);
    for (const line of setCookies(out)) expect(line).toMatch(/; Max-Age=0; .*Domain=example\.com;/);

    const sessionId = ((await me(cookie).expect(200)).body as { sessionId: string }).sessionId;
    t.emulator.revokeSession(sessionId);
    t.emulator.clock.advance(301);
    const refused = await me(`${cookie}; wos-session.2=c`).expect(401);
    expect(lines(refused)).toEqual([
      ['wos-session', true],
      ['wos-session.2', true],
    ]);
    for (const line of setCookies(refused)) expect(line).toMatch(/Domain=example\.com;/);
  });
});

describe.each(ADAPTERS)('%s: the plain http default (local development)', (flavor) => {
  beforeEach(async () => {
    await start(flavor);
  });

  it('keeps the name wos-session and still refuses a repeated one', async () => {
    const done = await signInFresh(t.server);
    const cookie = sessionCookieHeader(done, 'wos-session');
    expect(cookie).toMatch(/^wos-session=Fe26\.2\*/);
    await me(cookie).expect(200);
    await me(`wos-session=garbage; ${cookie}`).expect(401);
    expect(t.rejected).toEqual(['duplicate_cookie']);
  });
});
