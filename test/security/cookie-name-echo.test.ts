/**
 * Issue 12, finding 4: cookie names from the request were echoed into `Set-Cookie`, amplified
 * (801 deletions for `wos-session.1` … `wos-session.800`, odd names copied verbatim). Only names
 * the library could have written are deleted (a chunk index below the cap, a flow cookie name of
 * the exact hash shape), and one response deletes at most that many.
 */
import request from 'supertest';
import { MAX_PENDING_SIGN_INS } from '../../lib/flow/sign-in-state';
import { MAX_COOKIE_CHUNKS } from '../../lib/session/cookie-chunks';
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

/** Node refuses request headers over 16 KB (431): every hostile Cookie header stays below this. */
const HEADER_BUDGET = 15_000;

function fitting(cookie: string): string {
  if (Buffer.byteLength(cookie, 'latin1') > HEADER_BUDGET)
    throw new Error(`hostile Cookie header of ${Buffer.byteLength(cookie)} bytes would be refused with 431`);
  return cookie;
}

/** `<name>.1=; <name>.2=; …`: as many chunk names as fit, plus `extra` (whatever else the request must carry). */
function chunkFlood(name: string, extra = ''): string {
  const parts: string[] = extra === '' ? [] : [extra];
  let size = Buffer.byteLength(extra);
  for (let index = 1; ; index += 1) {
    const part = `${name}.${index}=`;
    if (size + part.length + 2 > HEADER_BUDGET) break;
    parts.push(part);
    size += part.length + 2;
  }
  return fitting(parts.join('; '));
}

/** 600 flow-looking names that are not of the hash's shape. */
const flowFlood = (prefix: string) => fitting(Array.from({ length: 600 }, (_, index) => `${prefix}${index}=`).join('; '));

/** Names of exactly the shape the library writes (prefix + 22 base64url characters), with junk values. */
const shapedFlowNames = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => `${prefix}${String(index).padStart(22, 'A')}`);

/** Names that must never come back: a header-injection attempt, non-ASCII bytes, a tab, and near-misses of both shapes. */
const ODD_NAMES = [
  'wos-auth-verifier-x, Domain=.evil.example',
  'wos-auth-verifier-\u00ff\u00fe<script>',
  'wos-auth-verifier-a\tb',
  `wos-auth-verifier-${'A'.repeat(21)}<`,
  `wos-auth-verifier-${'A'.repeat(23)}`,
  `wos-auth-verifier-${'A'.repeat(21)}.`,
  'wos-session.1, Domain=.evil.example',
  'wos-session.01',
  'wos-session.1\u00ff',
  'wos-session.-1',
  'wos-session.x<script>',
];
const oddCookies = (names: string[]) => names.map((name) => `${name}=1`).join('; ');

/** The exact names of the Set-Cookie lines, deleted or written. */
const names = (response: request.Response, deleted: boolean) =>
  setCookies(response)
    .filter((line) => isDeletion(line) === deleted)
    .map(nameOf);

/** The names the library writes: the session (either name) and its chunks below the cap, flow cookies of the hash shape. */
const OWN_NAME = new RegExp(`^((__Host-)?wos-session(\\.[0-${MAX_COOKIE_CHUNKS - 1}])?|(__Host-)?wos-auth-verifier-[A-Za-z0-9_-]{22})$`);

/** Every Set-Cookie line names a cookie of a shape the library writes, and carries nothing else from the request. */
function expectOnlyOwnNames(response: request.Response): void {
  for (const line of setCookies(response)) {
    expect(nameOf(line)).toMatch(OWN_NAME);
    expect(line).not.toMatch(/[\t<>\u0080-\u00ff]|Domain=|evil/i);
  }
}

let t: CookieTestApp;
const running: CookieTestApp[] = [];
async function start(...args: Parameters<typeof startApp>): Promise<void> {
  t = await startApp(...args);
  running.push(t);
}
afterEach(() => Promise.all(running.splice(0).map((app) => app.close())));

describe.each(ADAPTERS)('%s: names from the request are not echoed', (flavor) => {
  beforeEach(async () => {
    await start(flavor);
  });

  describe('GET /logout', () => {
    const logout = (cookie: string) => request(t.server).get('/logout').set(BROWSER).set('Cookie', cookie).expect(302);

    it('with wos-session.1 … wos-session.N deletes the session and its chunks below the cap only', async () => {
      const cookie = chunkFlood('wos-session');
      expect(cookie.split('; ').length).toBeGreaterThan(700);
      const response = await logout(cookie);
      expect(setCookies(response)).toHaveLength(3);
      expect(names(response, true)).toEqual(['wos-session', 'wos-session.1', 'wos-session.2']);
      expectOnlyOwnNames(response);
    });

    it('with 600 flow-looking names not of the hash shape deletes none of them', async () => {
      const response = await logout(flowFlood('wos-auth-verifier-'));
      expect(names(response, true)).toEqual(['wos-session']);
      expect(setCookies(response)).toHaveLength(1);
    });

    it(`with 40 names of the flow cookie's exact shape deletes at most ${MAX_PENDING_SIGN_INS}`, async () => {
      const flows = shapedFlowNames('wos-auth-verifier-', 40);
      const response = await logout(fitting(flows.map((name) => `${name}=junk`).join('; ')));
      expect(names(response, true)).toEqual(['wos-session', ...flows.slice(0, MAX_PENDING_SIGN_INS)]);
      expectOnlyOwnNames(response);
    });

    it('with odd names copies none of them', async () => {
      const response = await logout(oddCookies(ODD_NAMES));
      expect(names(response, true)).toEqual(['wos-session']);
      expectOnlyOwnNames(response);
    });
  });

  describe('GET /login', () => {
    const login = (cookie: string) => request(t.server).get('/login').set(BROWSER).set('Cookie', cookie).expect(302);

    it('with 600 flow-looking names sets the new flow cookie and deletes nothing', async () => {
      const response = await login(flowFlood('wos-auth-verifier-'));
      expect(names(response, true)).toEqual([]);
      expect(names(response, false)).toEqual([expect.stringMatching(/^wos-auth-verifier-[A-Za-z0-9_-]{22}$/)]);
    });

    it(`with 40 names of the exact shape evicts at most ${MAX_PENDING_SIGN_INS}`, async () => {
      const flows = shapedFlowNames('wos-auth-verifier-', 40);
      const response = await login(fitting(flows.map((name) => `${name}=junk`).join('; ')));
      expect(names(response, true)).toHaveLength(MAX_PENDING_SIGN_INS);
      for (const name of names(response, true)) expect(flows).toContain(name);
      expect(names(response, false)).toHaveLength(1);
      expectOnlyOwnNames(response);
    });

    it('with odd names copies none of them', async () => {
      const response = await login(oddCookies(ODD_NAMES));
      expect(setCookies(response)).toHaveLength(1);
      expectOnlyOwnNames(response);
    });
  });

  it('the callback with a chunk flood and odd names deletes the flow cookie and the stale chunks below the cap only', async () => {
    const done = await signInFresh(t.server, chunkFlood('wos-session', oddCookies(ODD_NAMES)));
    expect(done.status).toBe(302);
    expect(names(done, false)).toEqual(['wos-session']);
    expect(names(done, true)).toEqual([expect.stringMatching(/^wos-auth-verifier-[A-Za-z0-9_-]{22}$/), 'wos-session.1', 'wos-session.2']);
    expectOnlyOwnNames(done);
  });

  it('a guard whose refresh WorkOS refuses deletes the session and its chunks below the cap only', async () => {
    const session = sessionCookieHeader(await signInFresh(t.server), 'wos-session');
    const sessionId = ((await request(t.server).get('/api/me').set('Cookie', session).expect(200)).body as { sessionId: string }).sessionId;
    t.emulator.revokeSession(sessionId);
    t.emulator.clock.advance(301);
    const refused = await request(t.server)
      .get('/api/me')
      .set('Cookie', chunkFlood('wos-session', `${session}; ${oddCookies(ODD_NAMES)}`))
      .expect(401);
    expect(setCookies(refused)).toHaveLength(3);
    expect(names(refused, true)).toEqual(['wos-session', 'wos-session.1', 'wos-session.2']);
    expectOnlyOwnNames(refused);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
  });

  it('a refresh with a chunk flood writes the new cookie and deletes only stale chunks below the cap', async () => {
    const session = `wos-session=${sealedSession(t.emulator)}`;
    t.emulator.clock.advance(301);
    const refreshed = await request(t.server).get('/api/me').set('Cookie', chunkFlood('wos-session', session)).expect(200);
    expect(names(refreshed, false)).toEqual(['wos-session']);
    expect(names(refreshed, true)).toEqual(['wos-session.1', 'wos-session.2']);
  });
});

describe.each(ADAPTERS)('%s: on the https default (__Host- plus the legacy name)', (flavor) => {
  beforeEach(async () => {
    await start(flavor, { redirectUri: 'https://app.example.com/callback' });
  });

  it('sign-out deletes the legacy chunks below the cap only, and no __Host- flow name of the wrong shape', async () => {
    const cookie = chunkFlood(
      'wos-session',
      `${oddCookies(ODD_NAMES.map((name) => `__Host-${name}`))}; ${shapedFlowNames('__Host-wos-auth-verifier-', 8)
        .map((name) => `${name}=j`)
        .join('; ')}`,
    );
    const response = await request(t.server).get('/logout').set(BROWSER).set('Cookie', cookie).expect(302);
    expect(names(response, true)).toEqual([
      '__Host-wos-session',
      'wos-session.1',
      'wos-session.2',
      ...shapedFlowNames('__Host-wos-auth-verifier-', MAX_PENDING_SIGN_INS),
    ]);
    expect(names(response, false)).toEqual([]);
    expectOnlyOwnNames(response);
  });

  it('moving a legacy session deletes only the legacy names it could have written', async () => {
    const legacy = `wos-session=${sealedSession(t.emulator)}`;
    const response = await request(t.server).get('/api/me').set('Cookie', chunkFlood('wos-session', legacy)).expect(200);
    expect(names(response, false)).toEqual(['__Host-wos-session']);
    expect(names(response, true)).toEqual(['wos-session', 'wos-session.1', 'wos-session.2']);
    expect(pair(setCookies(response)[0]!)).toBe(`__Host-${legacy}`);
  });
});
