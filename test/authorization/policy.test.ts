import request from 'supertest';
import { BROWSER, startTestApp, type TestApp } from '../helpers/app';
import { API, MEMBERSHIPS, sessionCookie, type SessionName } from './fixtures';

// The one policy table: signed out → 302 (page navigation) or 401 (anything else);
// signed in without access → 403 for both; signed in with access → the handler.

const XHR = { Accept: '*/*', 'X-Requested-With': 'XMLHttpRequest' };
const FORM_POST = { Accept: 'text/html', 'Content-Type': 'application/x-www-form-urlencoded' };

type Expected = '200' | '302 login' | '302 welcome' | '401' | '403 json' | '403 html';

interface Row {
  path: string;
  session: SessionName | 'signedOut';
  client: 'navigation' | 'api' | 'xhr' | 'form post';
  expected: Expected;
}

const ROWS: Row[] = [
  ...(['/bare', '/called', '/needs-admin'] as const).flatMap((path): Row[] => [
    { path, session: 'signedOut', client: 'navigation', expected: '302 login' },
    { path, session: 'signedOut', client: 'api', expected: '401' },
    { path, session: 'signedOut', client: 'xhr', expected: '401' },
    { path, session: 'signedOut', client: 'form post', expected: '401' },
  ]),
  { path: '/bare', session: 'editor', client: 'navigation', expected: '200' },
  { path: '/called', session: 'editor', client: 'api', expected: '200' },
  { path: '/needs-admin', session: 'editor', client: 'navigation', expected: '403 html' },
  { path: '/needs-admin', session: 'editor', client: 'api', expected: '403 json' },
  { path: '/needs-admin', session: 'editor', client: 'xhr', expected: '403 json' },
  { path: '/needs-admin', session: 'editor', client: 'form post', expected: '403 json' },
  { path: '/needs-admin', session: 'multi', client: 'navigation', expected: '200' },
  { path: '/needs-admin', session: 'multi', client: 'form post', expected: '200' },
  // A custom sign-in page for the signed out; still 403 (never that page) for the signed in.
  { path: '/custom', session: 'signedOut', client: 'navigation', expected: '302 welcome' },
  { path: '/custom', session: 'signedOut', client: 'api', expected: '401' },
  { path: '/custom', session: 'editor', client: 'navigation', expected: '403 html' },
];

const HEADERS = { navigation: BROWSER, api: API, xhr: XHR, 'form post': FORM_POST };

const checkCalls: string[] = [];
const appErrors: unknown[] = [];
let t: TestApp;
const mutableRoles = ['editor'];
beforeAll(async () => {
  t = await startTestApp({
    emulator: { memberships: MEMBERSHIPS },
    onError: (error) => appErrors.push(error),
    configure: (app, authkit) => {
      const ok = (_req: unknown, res: { json(body: unknown): void }) => res.json({ ok: true });
      app.all('/bare', authkit.requireAuth, ok);
      app.all('/called', authkit.requireAuth(), ok);
      app.all('/needs-admin', authkit.requireAuth({ roles: 'admin' }), ok);
      app.get('/custom', authkit.requireAuth({ roles: 'admin', signInPath: '/welcome' }), ok);
      app.get(
        '/throws',
        authkit.requireAuth({
          check: () => {
            throw new Error('check exploded');
          },
        }),
        ok,
      );
      app.get('/rejects', authkit.requireAuth({ check: () => Promise.reject(new Error('check rejected')) }), ok);
      const spy = (auth: { user: { id: string } }) => (checkCalls.push(auth.user.id), true);
      app.get('/spied', authkit.requireAuth({ roles: 'admin', check: spy }), ok);
      app.get('/mutable', authkit.requireAuth({ roles: mutableRoles }), ok);
    },
  });
  // Changing the array after building the guard must not change who gets in.
  mutableRoles[0] = 'admin';
});
afterAll(() => t.close());

function send(row: Pick<Row, 'path' | 'session' | 'client'>) {
  const test = row.client === 'form post' ? request(t.app).post(row.path).send('a=1') : request(t.app).get(row.path);
  test.set(HEADERS[row.client]);
  return row.session === 'signedOut' ? test : test.set('Cookie', sessionCookie(t.emulator, row.session).cookie);
}

describe('401 / 403 / 302 policy', () => {
  it.each(ROWS)('$session $client $path → $expected', async (row) => {
    const response = await send(row);
    const [status, kind] = row.expected.split(' ');
    expect(String(response.status)).toBe(status);
    if (row.expected === '200') return expect(response.body).toEqual({ ok: true });
    expect(response.headers['cache-control']).toBe('private, no-store');
    expect(response.headers.vary).toMatch(/\bCookie\b/);
    if (status === '302') {
      const target = kind === 'welcome' ? '/welcome' : '/login';
      expect(response.headers.location).toBe(`${target}?${new URLSearchParams({ returnTo: row.path })}`);
      return;
    }
    expect(response.headers.location).toBeUndefined();
    if (status === '401') {
      expect(response.headers['www-authenticate']).toMatch(/^AuthKit realm=/);
      expect(response.body).toEqual({ error: 'unauthorized', message: expect.any(String) });
    } else if (kind === 'json') {
      expect(response.headers['www-authenticate']).toBeUndefined();
      expect(response.body).toEqual({ error: 'forbidden', message: expect.any(String) });
    } else {
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      // Switching accounts is a same-origin POST to the sign-out route.
      expect(response.text).toContain('<form method="post" action="/logout">');
    }
  });

  it('answers a forbidden HEAD navigation with 403 and no body', async () => {
    const response = await request(t.app).head('/needs-admin').set(BROWSER).set('Cookie', sessionCookie(t.emulator, 'editor').cookie);
    expect(response.status).toBe(403);
    expect(response.text ?? '').toBe('');
  });

  it('checks the requirement as built, not as the array later became', async () => {
    await request(t.app).get('/mutable').set(API).set('Cookie', sessionCookie(t.emulator, 'editor').cookie).expect(200);
    await request(t.app).get('/mutable').set(API).set('Cookie', sessionCookie(t.emulator, 'multi').cookie).expect(403);
  });

  it('runs `check` only after every other requirement held', async () => {
    checkCalls.length = 0;
    await request(t.app).get('/spied').set(API).set('Cookie', sessionCookie(t.emulator, 'editor').cookie).expect(403);
    expect(checkCalls).toEqual([]);
    await request(t.app).get('/spied').set(API).set('Cookie', sessionCookie(t.emulator, 'multi').cookie).expect(200);
    expect(checkCalls).toEqual(['user_01EMULATOR']);
  });

  it.each([
    ['throws', 'check exploded'],
    ['rejects', 'check rejected'],
  ])('hands a check that %s to the app through next(err), not a 403 or a body of ours', async (path, message) => {
    appErrors.length = 0;
    for (const headers of [API, BROWSER]) {
      const response = await request(t.app).get(`/${path}`).set(headers).set('Cookie', sessionCookie(t.emulator, 'editor').cookie);
      // The app's own error handler wrote this (see test/helpers/app.ts).
      expect(response.status).toBe(500);
      expect(response.body).toEqual({ code: 'unknown' });
    }
    expect(appErrors.map((error) => (error as Error).message)).toEqual([message, message]);
  });

  it('does not run a check for a signed-out request: it is sent to sign in first', async () => {
    appErrors.length = 0;
    await request(t.app).get('/throws').set(API).expect(401);
    expect(appErrors).toEqual([]);
  });
});

describe('the 403 page without a sign-out route', () => {
  it('offers no sign-out form when the route is switched off', async () => {
    const app = await startTestApp({
      emulator: { memberships: MEMBERSHIPS },
      authkit: { routes: { logout: false } },
      configure: (express, authkit) => express.get('/x', authkit.requireAuth({ roles: 'admin' }), (_req, res) => res.send('x')),
    });
    try {
      const response = await request(app.app)
        .get('/x')
        .set(BROWSER)
        .set('Cookie', sessionCookie(app.emulator, 'editor').cookie)
        .expect(403);
      expect(response.text).toContain('Access denied');
      expect(response.text).not.toContain('<form');
    } finally {
      await app.close();
    }
  });
});
