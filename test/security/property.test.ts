/**
 * Property-based hostile input: the return-path checker's guarantees for any string, and a
 * running app that never answers 5xx nor redirects off its origin for any cookie, state or
 * code a browser could send. fast-check prints the seed and the shrunk counterexample on failure.
 */
import fc from 'fast-check';
import request from 'supertest';
import { safeReturnPath } from '../../lib/http/return-to';
import { verifierCookieName } from '../../lib/flow/sign-in-state';
import { sealCookieValue } from '../../lib/session/iron';
import { BROWSER, cookieValue, setCookies, signIn, startTestApp, type TestApp } from '../helpers/app';
import { APP_ORIGIN } from '../helpers/app-setup';
import { COOKIE_PASSWORD } from '../helpers/env';

const LONGEST = 2048;
const PROBE = 'https://app.example';
// eslint-disable-next-line no-control-regex -- control characters are what is checked
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const PIECES = [
  '/',
  '\\',
  '%2f',
  '%2F',
  '%5c',
  '%5C',
  '..',
  '.',
  '%2e',
  '%2E',
  ':',
  '@',
  '\t',
  '\r',
  '\n',
  '\u0000',
  ' ',
  '?',
  '#',
  '%',
  '%09',
  '%0a',
  '%00',
  ';',
  'evil.example',
  'javascript:',
  'https:',
  'a',
  'é',
  '\u3002',
  '\uff0f',
  '\u2028',
  '\u0085',
] as const;

const pieced = fc.array(fc.constantFrom(...PIECES), { maxLength: 16 }).map((parts) => parts.join(''));
const slashPieced = pieced.map((rest) => `/${rest}`);
/** Around the 2048 limit, before and after percent-encoding (é becomes 6 characters). */
const nearLimit = fc
  .tuple(slashPieced, fc.integer({ min: 0, max: LONGEST + 16 }), fc.constantFrom('a', 'é', '%2e'))
  .map(([start, count, filler]) => `${start}${filler.repeat(count)}`.slice(0, LONGEST + 8));
const anyCandidate = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  pieced,
  slashPieced,
  nearLimit,
  fc.webUrl(),
  fc.webPath(),
);

/** Everything a returned path must be, whatever went in. */
function expectSafePath(result: string): void {
  expect(result.startsWith('/')).toBe(true);
  expect(result.startsWith('//')).toBe(false);
  expect(result.startsWith('/\\')).toBe(false);
  expect(result).not.toMatch(CONTROL);
  expect(result).not.toContain('\\');
  expect(result.length).toBeLessThanOrEqual(LONGEST);
  expect(new URL(result, PROBE).origin).toBe(PROBE);
}

describe('safeReturnPath for arbitrary strings', () => {
  it('returns undefined or a same-origin path (no //, no /\\, no control characters, no backslash, at most 2048 chars)', () => {
    fc.assert(
      fc.property(anyCandidate, (candidate) => {
        const result = safeReturnPath(candidate);
        if (result !== undefined) expectSafePath(result);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts only input that itself resolves on this origin', () => {
    fc.assert(
      fc.property(anyCandidate, (candidate) => {
        if (safeReturnPath(candidate) === undefined) return;
        // An app that used the raw input instead of the returned path would still stay here.
        expect(new URL(candidate, PROBE).origin).toBe(PROBE);
      }),
      { numRuns: 1000 },
    );
  });

  it('is idempotent: an accepted path is accepted again unchanged', () => {
    fc.assert(
      fc.property(anyCandidate, (candidate) => {
        const result = safeReturnPath(candidate);
        if (result !== undefined) expect(safeReturnPath(result)).toBe(result);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses every absolute URL', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        expect(safeReturnPath(url)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('keeps plain paths exactly (it does not refuse everything)', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_~-]{1,12}$/);
    const plainPath = fc
      .tuple(fc.array(segment, { maxLength: 6 }), fc.option(fc.stringMatching(/^[a-z]{1,5}=[a-z0-9]{0,5}$/), { nil: undefined }))
      .map(([segments, query]) => `/${segments.join('/')}${query === undefined ? '' : `?${query}`}`);
    fc.assert(
      fc.property(plainPath, (path) => {
        expect(safeReturnPath(path)).toBe(path);
      }),
      { numRuns: 300 },
    );
  });
});

// ----- against a running app -----

let t: TestApp;
let realSession: string;
beforeAll(async () => {
  t = await startTestApp();
  const callback = await signIn(request.agent(t.app));
  const value = cookieValue(callback, 'wos-session');
  if (value === undefined) throw new Error('sign-in set no session cookie');
  realSession = value;
});
afterAll(() => t.close());

/**
 * Any redirect stays on the app's origin, except to WorkOS (the emulator) for authorize and
 * logout, and WorkOS is only ever told to come back to this app.
 */
function expectNoOffOriginRedirect(response: request.Response): void {
  expect(response.status).toBeLessThan(500);
  const location = response.headers.location as string | undefined;
  if (location === undefined) return;
  const url = new URL(location, APP_ORIGIN);
  if (url.origin === APP_ORIGIN) {
    if (!location.startsWith(`${APP_ORIGIN}/`)) expect(location).toMatch(/^\/(?![/\\])/);
    return;
  }
  expect(url.origin).toBe(new URL(t.emulator.url).origin);
  for (const back of ['redirect_uri', 'return_to']) {
    const value = url.searchParams.get(back);
    if (value !== null) expect(new URL(value).origin).toBe(APP_ORIGIN);
  }
}

const sessionPassword = { id: '1', secret: COOKIE_PASSWORD };
const base64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
/** Printable ASCII, which any client can put in a Cookie header as is. */
const headerText = (maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength });
/** Unsigned JWT-shaped strings with arbitrary claims (an arbitrary `sid` reaches the sign-out URL). */
const jwtShaped = fc
  .tuple(
    fc.jsonValue(),
    fc.record({ sid: fc.oneof(fc.string(), fc.jsonValue()), sub: fc.string(), exp: fc.integer() }, { requiredKeys: [] }),
    headerText(40),
  )
  .map(([header, claims, signature]) => `${base64url(JSON.stringify(header) ?? 'null')}.${base64url(JSON.stringify(claims))}.${signature}`);
/** Objects shaped like a session, sealed with the app's own password: only the token checks can refuse them. */
const sealedSessionLike = fc
  .record({
    accessToken: fc.oneof(fc.string(), jwtShaped),
    refreshToken: fc.string(),
    user: fc.record({ id: fc.string(), email: fc.string() }),
    organizationId: fc.option(fc.string(), { nil: undefined }),
  })
  .map((session) => encodeURIComponent(sealCookieValue(session, sessionPassword)));
const sealedJunk = fc.jsonValue().map((value) => encodeURIComponent(sealCookieValue(value, sessionPassword)));
/** The real session cookie, cut, with one character replaced, or with something appended. */
const mutatedSession = fc
  .oneof(
    fc.nat().map((cut) => () => realSession.slice(0, cut % realSession.length)),
    fc.tuple(fc.nat(), headerText(1)).map(([at, char]) => () => {
      const index = at % realSession.length;
      return `${realSession.slice(0, index)}${char}${realSession.slice(index + 1)}`;
    }),
    headerText(20).map((tail) => () => `${realSession}${tail}`),
  )
  .map((make) => make());
const sealLike = fc
  .array(
    fc.oneof(
      fc.constantFrom('Fe26.2', '1', '', '~2', '~', '0', '99999999999999999'),
      fc.stringMatching(/^[0-9a-f]{0,70}$/),
      fc.base64String(),
    ),
    {
      minLength: 6,
      maxLength: 10,
    },
  )
  .map((parts) => encodeURIComponent(parts.join('*')));
const sessionCookieValue = fc.oneof(headerText(300), mutatedSession, sealLike, sealedJunk, sealedSessionLike);

const ROUTES = [
  '/',
  '/dashboard',
  '/api/me',
  '/login',
  '/sign-up',
  '/logout',
  '/callback',
  '/callback?state=x&code=y',
  '/nowhere',
] as const;

describe('a running app never answers 5xx nor redirects off its origin', () => {
  it('for arbitrary session cookies, on every route', async () => {
    await fc.assert(
      fc.asyncProperty(sessionCookieValue, fc.constantFrom(...ROUTES), fc.boolean(), async (cookie, route, browser) => {
        const req = request(t.app).get(route).set('Cookie', `wos-session=${cookie}`);
        const response = await (browser ? req.set(BROWSER) : req.set('Accept', 'application/json'));
        expectNoOffOriginRedirect(response);
      }),
      { numRuns: 150 },
    );
  });

  const callbackQuery = fc
    .record(
      {
        state: fc.oneof(fc.string({ unit: 'binary' }), sealLike.map(decodeURIComponent), headerText(200)),
        code: fc.oneof(fc.string({ unit: 'binary' }), headerText(60)),
        error: fc.string(),
        error_description: fc.string({ unit: 'binary' }),
      },
      { requiredKeys: [] },
    )
    .map((params) => new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined)));

  it('for arbitrary state, code and error at /callback, with or without cookies', async () => {
    await fc.assert(
      fc.asyncProperty(
        callbackQuery,
        fc.option(fc.oneof(headerText(200), sealLike), { nil: undefined }),
        fc.option(sessionCookieValue, { nil: undefined }),
        async (query, verifier, session) => {
          const cookies: string[] = [];
          // The flow cookie the state names, so the arbitrary value is actually read.
          const state = query.get('state');
          if (verifier !== undefined && state !== null && state !== '')
            cookies.push(`${verifierCookieName({ verifierCookiePrefix: 'wos-auth-verifier-' }, state)}=${verifier}`);
          if (session !== undefined) cookies.push(`wos-session=${session}`);
          const req = request(t.app).get(`/callback?${query}`).set(BROWSER);
          const response = await (cookies.length > 0 ? req.set('Cookie', cookies.join('; ')) : req);
          expectNoOffOriginRedirect(response);
          if (session === undefined) {
            expect(setCookies(response).some((line) => /^wos-session=[^;]/.test(line))).toBe(false);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('for a genuine state and flow cookie with an arbitrary code: refused, never signed in', async () => {
    const login = await request(t.app).get('/login').set(BROWSER).expect(302);
    const state = new URL(login.headers.location as string).searchParams.get('state') as string;
    const flowCookie = setCookies(login)
      .find((line) => line.startsWith('wos-auth-verifier-'))
      ?.split(';')[0];
    expect(flowCookie).toBeDefined();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary' }), headerText(80)), async (code) => {
        const response = await request(t.app)
          .get(`/callback?${new URLSearchParams({ state, code })}`)
          .set(BROWSER)
          .set('Cookie', flowCookie as string);
        expectNoOffOriginRedirect(response);
        expect(response.status).toBe(400);
        expect(setCookies(response).some((line) => /^wos-session=[^;]/.test(line))).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  /** What the server reads back: URLSearchParams turns lone surrogates into U+FFFD on the way. */
  const sentReturnTo = (candidate: string): { query: string; received: string } => {
    const query = new URLSearchParams({ returnTo: candidate }).toString();
    return { query, received: new URLSearchParams(query).get('returnTo') ?? '' };
  };
  const returnToCandidate = fc.oneof(slashPieced, pieced, fc.string(), fc.string({ unit: 'binary' }), nearLimit, fc.webUrl());

  it('for an arbitrary returnTo through the whole sign-in: lands on exactly the checked path or /', async () => {
    await fc.assert(
      fc.asyncProperty(returnToCandidate, async (candidate) => {
        const { query, received } = sentReturnTo(candidate);
        const callback = await signIn(request.agent(t.app), `/login?${query}`);
        expectNoOffOriginRedirect(callback);
        expect(callback.status).toBe(302);
        expect(callback.headers.location).toBe(safeReturnPath(received) ?? '/');
      }),
      { numRuns: 60 },
    );
  });

  it('for an arbitrary returnTo at sign-out: back to exactly the checked path on the app origin, or its root', async () => {
    await fc.assert(
      fc.asyncProperty(returnToCandidate, async (candidate) => {
        const { query, received } = sentReturnTo(candidate);
        const response = await request(t.app).get(`/logout?${query}`).set(BROWSER);
        expectNoOffOriginRedirect(response);
        expect(response.status).toBe(302);
        expect(response.headers.location).toBe(new URL(safeReturnPath(received) ?? '/', APP_ORIGIN).href);
      }),
      { numRuns: 100 },
    );
  });
});
