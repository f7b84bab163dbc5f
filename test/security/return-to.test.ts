/**
 * Open-redirect hardening of every place a return path enters: the checker itself, the
 * sign-in route (and the callback's second check), sign-out, and the guards' redirect for
 * raw request targets that clients like supertest and fetch would have normalised away.
 *
 * Adding a case is one line in HOSTILE (must be refused and fall back to the default) or in
 * SAME_SITE (must stay a path on this site, with its exact normalised form).
 */
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import request from 'supertest';
import { ConfigurationError, createAuthKit } from '../../lib';
import { resolveConfig, type ResolvedConfig } from '../../lib/config/resolve';
import { safeReturnPath } from '../../lib/http/return-to';
import { createSignInState } from '../../lib/flow/sign-in-state';
import { BROWSER, cookieValue, signIn, startTestApp, type TestApp } from '../helpers/app';
import { APP_ORIGIN } from '../helpers/app-setup';
import { COOKIE_PASSWORD } from '../helpers/env';

const LONGEST = 2048;

/** Every one of these must be refused: `safeReturnPath` gives undefined, the flows use their default. */
const HOSTILE: ReadonlyArray<readonly [why: string, payload: string]> = [
  ['protocol-relative host', '//evil.example'],
  ['protocol-relative host with path', '//evil.example/dashboard'],
  ['three slashes', '///evil.example'],
  ['four slashes', '////evil.example'],
  ['slash backslash', '/\\evil.example'],
  ['two backslashes', '\\\\evil.example'],
  ['backslash slash', '\\/evil.example'],
  ['slash backslash slash', '/\\/evil.example'],
  ['slash two backslashes', '/\\\\evil.example'],
  ['backslash in the query', '/ok?next=\\evil.example'],
  ['absolute https URL', 'https://evil.example'],
  ['absolute URL, upper case', 'HTTPS://EVIL.EXAMPLE/'],
  ['scheme without slashes', 'http:evil.example'],
  ['scheme with one slash', 'http:/evil.example'],
  ['scheme, slash, backslash', 'https:/\\evil.example'],
  ['userinfo after protocol-relative host', '//evil.example@good.example'],
  ['userinfo in an absolute URL', 'https://good.example@evil.example'],
  ['protocol-relative host with port', '//evil.example:443/'],
  ['javascript: URL', 'javascript:alert(1)'],
  ['javascript: URL, mixed case', 'JaVaScRiPt:alert(1)'],
  ['javascript: URL after a space', ' javascript:alert(1)'],
  ['data: URL', 'data:text/html,<script>alert(1)</script>'],
  ['vbscript: URL', 'vbscript:msgbox(1)'],
  ['leading space', ' /x'],
  ['leading tab', '\t/x'],
  ['bare host name', 'evil.example'],
  ['query only, carrying a host', '?next=//evil.example'],
  ['fragment only, carrying a host', '#//evil.example'],
  ['empty string', ''],
  ['encoded slashes', '/%2F%2Fevil.example'],
  ['encoded slash, lower case', '/%2f/evil.example'],
  ['encoded backslash', '/%5Cevil.example'],
  ['two encoded backslashes, lower case', '/%5c%5cevil.example'],
  ['fully encoded protocol-relative host', '%2F%2Fevil.example'],
  ['dot-dot collapsing into //', '/..//evil.example'],
  ['dot then dot-dot collapsing into //', '/./..//evil.example'],
  ['single dot collapsing into //', '/.//evil.example'],
  ['segment then dot-dot collapsing into //', '/x/..//evil.example'],
  ['dot-dot past the root collapsing into //', '/x/../..//evil.example'],
  ['encoded dot-dot collapsing into //', '/%2e%2e//evil.example'],
  ['encoded dot-dot, upper case, twice', '/%2E%2E/%2E%2E//evil.example'],
  ['half-encoded dot-dot', '/.%2e//evil.example'],
  ['encoded single dot', '/%2e//evil.example'],
  ['tab that URL parsing strips into //', '/\t/evil.example'],
  ['newline that URL parsing strips into //', '/\n/evil.example'],
  ['tab as the only character', '/\tevil'],
  ['CR LF header injection', '/\r\nSet-Cookie:x=y'],
  ['encoded CR LF header injection', '/%0d%0aSet-Cookie:x=y'],
  ['NUL', '/\u0000'],
  ['encoded NUL', '/%00'],
  ['vertical tab', '/x\u000b'],
  ['DEL', '/x\u007f'],
  ['encoded tab after //', '//%09/evil.example'],
  ['encoded tab collapsing into //', '/%09/evil.example'],
  ['protocol-relative host, encoded dot-dot after', '//evil.example/%2e%2e'],
  ['2049 characters', `/${'a'.repeat(LONGEST)}`],
  ['over 2048 characters once percent-encoded', `/${'é'.repeat(1000)}`],
];

/** Paths on this site (some look odd): kept, in their exact normalised form. */
const SAME_SITE: ReadonlyArray<readonly [payload: string, expected: string]> = [
  ['/', '/'],
  ['/dashboard', '/dashboard'],
  ['/a/b?c=d#e', '/a/b?c=d#e'],
  ['/dashboard?tab=billing&next=/settings', '/dashboard?tab=billing&next=/settings'],
  ['/path%20with%20space', '/path%20with%20space'],
  ['/path with space', '/path%20with%20space'],
  ['/@evil.example', '/@evil.example'],
  ['/;//evil.example', '/;//evil.example'],
  ['/%252F%252Fevil.example', '/%252F%252Fevil.example'],
  ['/?next=//evil.example', '/?next=//evil.example'],
  ['/#//evil.example', '/#//evil.example'],
  ['/x/../dashboard', '/dashboard'],
  ['/evil.example:443', '/evil.example:443'],
  ['/\u3002evil', '/%E3%80%82evil'],
  ['/\uff0f/evil.example', '/%EF%BC%8F/evil.example'],
  [`/${'a'.repeat(LONGEST - 1)}`, `/${'a'.repeat(LONGEST - 1)}`],
];

const label = (value: string): string => {
  const shown = JSON.stringify(value);
  return shown.length > 60 ? `${shown.slice(0, 40)}…(${value.length} chars)` : shown;
};
const hostileCases = HOSTILE.map(([why, payload]) => ({ name: `${why} ${label(payload)}`, payload }));
const sameSiteCases = SAME_SITE.map(([payload, expected]) => ({ name: `${label(payload)} -> ${label(expected)}`, payload, expected }));
const withReturnTo = (path: string, payload: string): string => `${path}?${new URLSearchParams({ returnTo: payload })}`;

it('has at least 40 hostile payloads, all distinct', () => {
  expect(HOSTILE.length).toBeGreaterThanOrEqual(40);
  expect(new Set(HOSTILE.map(([, payload]) => payload)).size).toBe(HOSTILE.length);
});

describe('safeReturnPath (unit)', () => {
  it.each(hostileCases)('refuses $name', ({ payload }) => {
    expect(safeReturnPath(payload)).toBeUndefined();
  });

  it.each(sameSiteCases)('keeps $name', ({ payload, expected }) => {
    const result = safeReturnPath(payload);
    expect(result).toBe(expected);
    expect(result).toMatch(/^\/(?![/\\])/);
    expect(new URL(result as string, APP_ORIGIN).origin).toBe(APP_ORIGIN);
  });

  it.each([undefined, null, 42, ['/dashboard'], { toString: () => '/dashboard' }])('refuses the non-string %p', (value) => {
    expect(safeReturnPath(value)).toBeUndefined();
  });
});

let t: TestApp;
let forgingConfig: ResolvedConfig;
let sessionCookie: string;

beforeAll(async () => {
  t = await startTestApp();
  // Guards every other path, so raw request targets reach requireAuth whatever Express makes of them.
  t.app.use(t.authkit.requireAuth, (_req, res) => {
    res.type('html').send('<h1>catch-all</h1>');
  });
  // The same settings the app uses, to seal states that never went through /login.
  forgingConfig = resolveConfig({ ...t.emulator.settings, cookiePassword: COOKIE_PASSWORD, redirectUri: `${APP_ORIGIN}/callback` }, {});
  const signedIn = await signIn(request.agent(t.app));
  expect(signedIn.status).toBe(302);
  const value = cookieValue(signedIn, 'wos-session');
  if (value === undefined) throw new Error('sign-in set no session cookie');
  sessionCookie = value;
});
afterAll(() => t.close());

describe('sign-in: GET /login?returnTo=…, then the whole flow through the emulator', () => {
  it.each(hostileCases)('lands at the default / for $name', async ({ payload }) => {
    const callback = await signIn(request.agent(t.app), withReturnTo('/login', payload));
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe('/');
  });

  it.each(sameSiteCases)('keeps the same-site path $name', async ({ payload, expected }) => {
    const callback = await signIn(request.agent(t.app), withReturnTo('/login', payload));
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe(expected);
  });
});

/**
 * A state sealed with the app's own password but carrying a hostile path (as if the rules
 * had been weaker when it was made): the callback must check the path again.
 */
async function callbackWithForgedState(returnTo: string): Promise<request.Response> {
  const login = await request(t.app).get('/login').set(BROWSER).expect(302);
  const authorizeUrl = new URL(login.headers.location as string);
  const forged = createSignInState(forgingConfig, returnTo);
  authorizeUrl.searchParams.set('state', forged.state);
  authorizeUrl.searchParams.set('code_challenge', forged.codeChallenge);
  const authorize = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(authorize.status).toBe(302);
  const callback = new URL(authorize.headers.get('location') as string);
  expect(callback.searchParams.get('state')).toBe(forged.state);
  const [flowCookie = ''] = forged.setCookie.split(';');
  return request(t.app).get(`${callback.pathname}${callback.search}`).set(BROWSER).set('Cookie', flowCookie);
}

describe('callback: a sealed state holding a hostile path is checked again', () => {
  it('follows a forged state with a good path (the forgery itself works)', async () => {
    const callback = await callbackWithForgedState('/dashboard?from=forged');
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe('/dashboard?from=forged');
  });

  it.each(hostileCases)('lands at the default / for $name', async ({ payload }) => {
    const callback = await callbackWithForgedState(payload);
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe('/');
  });
});

describe('sign-out: GET /logout?returnTo=…', () => {
  const logout = (payload: string, signedIn: boolean): Promise<request.Response> => {
    const req = request(t.app).get(withReturnTo('/logout', payload)).set(BROWSER);
    return signedIn ? req.set('Cookie', `wos-session=${sessionCookie}`) : req;
  };

  /** The WorkOS logout URL for the signed-in browser, checked down to its parameters. */
  const workosLogout = (response: request.Response): URL => {
    expect(response.status).toBe(302);
    const url = new URL(response.headers.location as string);
    expect(`${url.origin}${url.pathname}`).toBe(`${t.emulator.url}/user_management/sessions/logout`);
    expect(url.searchParams.get('session_id')).toMatch(/^session_/);
    return url;
  };

  it.each(hostileCases)('signed out: sends $name to the app origin', async ({ payload }) => {
    const response = await logout(payload, false);
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`${APP_ORIGIN}/`);
  });

  it.each(hostileCases)('signed in: drops $name from the WorkOS logout URL', async ({ payload }) => {
    const url = workosLogout(await logout(payload, true));
    expect(url.searchParams.has('return_to')).toBe(false);
  });

  it.each(sameSiteCases)('signed out: keeps the same-site path $name', async ({ payload, expected }) => {
    const response = await logout(payload, false);
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`${APP_ORIGIN}${expected}`);
  });

  it.each(sameSiteCases)('signed in: passes the same-site path $name to WorkOS', async ({ payload, expected }) => {
    const url = workosLogout(await logout(payload, true));
    expect(url.searchParams.get('return_to')).toBe(`${APP_ORIGIN}${expected}`);
  });
});

describe('configuration: the fallback path itself must be a safe path', () => {
  const options = (defaultReturnTo: string) => ({
    ...t.emulator.settings,
    cookiePassword: COOKIE_PASSWORD,
    redirectUri: `${APP_ORIGIN}/callback`,
    defaultReturnTo,
  });

  it.each(['/dashboard', '/welcome?first=1'])('accepts the defaultReturnTo %p', (path) => {
    expect(() => createAuthKit(options(path))).not.toThrow();
  });

  // Every rejected returnTo lands on this path: one a browser resolves to another host is an open redirect.
  const offSite = ['//evil.example', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', 'https://evil.example'];
  it.each(offSite.map((path) => ({ name: label(path), path })))(
    'refuses the defaultReturnTo $name with a ConfigurationError',
    ({ path }) => {
      expect(() => createAuthKit(options(path))).toThrow(ConfigurationError);
    },
  );
});

interface RawResponse {
  status: number;
  headers: ReadonlyArray<readonly [name: string, value: string]>;
}

/** One request written byte for byte, so the request target reaches the server exactly as given. */
function rawGet(port: number, target: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(5000, () => socket.destroy(new Error(`no answer for ${JSON.stringify(target)}`)));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const head = text.slice(0, text.indexOf('\r\n\r\n'));
      const [statusLine = '', ...lines] = head.split('\r\n');
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine);
      if (!status) return reject(new Error(`not an HTTP response: ${JSON.stringify(text.slice(0, 200))}`));
      const headers = lines.map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()] as const;
      });
      resolve({ status: Number(status[1]), headers });
    });
    socket.on('connect', () => {
      socket.end(
        [
          `GET ${target} HTTP/1.1`,
          'Host: localhost:3000',
          'Accept: text/html,application/xhtml+xml',
          'Sec-Fetch-Mode: navigate',
          'Sec-Fetch-Site: none',
          'Connection: close',
          '',
          '',
        ].join('\r\n'),
      );
    });
  });
}

describe('raw HTTP request targets reaching requireAuth (no client-side normalisation)', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = t.app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  });

  const locationOf = (response: RawResponse): string | undefined => {
    const locations = response.headers.filter(([name]) => name === 'location');
    expect(locations.length).toBeLessThanOrEqual(1);
    return locations[0]?.[1];
  };

  it('sends a plain protected page to sign-in with its path (the harness works)', async () => {
    const response = await rawGet(port, '/dashboard?x=1');
    expect(response.status).toBe(302);
    expect(locationOf(response)).toBe('/login?returnTo=%2Fdashboard%3Fx%3D1');
  });

  const RAW_TARGETS = [
    '//evil.example',
    '/\\evil.example',
    '//evil.example/dashboard',
    '//evil.example/dashboard?x=1',
    '///evil.example',
    '/\\/evil.example',
    '//evil.example/%2e%2e',
    '/..//evil.example',
    '/%2e%2e//evil.example',
    '//evil.example@good.example/',
    // Absolute-form target (RFC 9112, for proxies): Express routes it by its path.
    'http://evil.example/dashboard',
  ];

  /** The guard's redirect for a raw target: a same-site path, never `//host` or `/\host`. */
  async function guardRedirect(target: string): Promise<URL | undefined> {
    const response = await rawGet(port, target);
    expect(response.status).toBeLessThan(500);
    const location = locationOf(response);
    if (location === undefined) return undefined;
    expect(location).toMatch(/^\/(?![/\\])/);
    const resolved = new URL(location, APP_ORIGIN);
    expect(resolved.origin).toBe(APP_ORIGIN);
    return resolved;
  }

  it.each(RAW_TARGETS)('redirects %p to a path on this site only', async (target) => {
    await guardRedirect(target);
  });

  it.each(RAW_TARGETS)('carries no hostile returnTo for %p (absent, or one safeReturnPath accepts)', async (target) => {
    const returnTo = (await guardRedirect(target))?.searchParams.get('returnTo') ?? null;
    if (returnTo !== null) expect({ returnTo, safe: safeReturnPath(returnTo) }).toEqual({ returnTo, safe: expect.any(String) });
  });

  it.each(RAW_TARGETS)('lands at the default / after following the redirect for %p through sign-in', async (target) => {
    const redirect = await guardRedirect(target);
    if (redirect === undefined) return;
    const callback = await signIn(request.agent(t.app), `${redirect.pathname}${redirect.search}`);
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe('/');
  });
});
