import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { getAuth } from '../../lib';
import { BROWSER, signIn, startTestApp, type TestApp } from '../helpers/app';
import { API, MEMBERSHIPS, rawRequest, sessionCookie } from './fixtures';

// Secure by default against a real Express app with a real static file server, whose path
// resolution (`send` decodes and resolves dot segments) is exactly what an attacker would use.

const SECRET = 'TOP SECRET';
let t: TestApp;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'authkit-protect-'));
  mkdirSync(join(root, 'public'));
  mkdirSync(join(root, 'private'));
  writeFileSync(join(root, 'public', 'hello.txt'), 'hello, public');
  writeFileSync(join(root, 'private', 'secret.txt'), SECRET);
  t = await startTestApp({
    emulator: { memberships: MEMBERSHIPS },
    configure: (app, authkit) => {
      app.use(authkit.protect({ unauthenticatedPaths: ['/', '/public/**', '/docs/*', '/about'], signUpPaths: ['/onboarding/**'] }));
      app.get('/private', (_req, res) => res.send(`private area: ${SECRET}`));
      app.use(express.static(root));
      app.get('/about', (req, res) => res.json({ email: getAuth(req).user?.email ?? null }));
      app.get('/docs/:page', (req, res) => res.send(`docs ${req.params.page}`));
      app.get('/onboarding/start', (_req, res) => res.send('onboarding'));
      // A case-sensitive router: `/Public/report` is a different, protected page.
      const reports = express.Router({ caseSensitive: true });
      reports.get('/public/report', (_req, res) => res.send('public report'));
      reports.get('/Public/report', (_req, res) => res.send(`internal report: ${SECRET}`));
      app.use(reports);
    },
  });
});
afterAll(async () => {
  await t.close();
  rmSync(root, { recursive: true, force: true });
});

const HOSTILE = [
  '/public/../private/secret.txt',
  '/public/./../private/secret.txt',
  '/public/%2e%2e/private/secret.txt',
  '/public/%2E%2E/private/secret.txt',
  '/public/..%2Fprivate/secret.txt',
  '/public%2F..%2Fprivate/secret.txt',
  '/public/..%5Cprivate/secret.txt',
  '//public/../private/secret.txt',
  '/public//../../private/secret.txt',
  '/private/secret.txt?/public/hello.txt',
  '/private/secret.txt#/public/hello.txt',
  '/private',
  '/private/',
  '/PRIVATE',
  '/private?next=/public/hello.txt',
  '/Public/report',
  '/publicity/../private/secret.txt',
  'http://127.0.0.1/private/secret.txt',
];

describe('protect: hostile paths never reach protected content signed out', () => {
  it('(control) the static server really resolves dot segments and encoded slashes to the secret', async () => {
    const { cookie } = sessionCookie(t.emulator, 'editor');
    for (const path of ['/public/../private/secret.txt', '/public/%2e%2e/private/secret.txt', '/public%2F..%2Fprivate/secret.txt']) {
      const response = await rawRequest(t.app, path, { Cookie: cookie, ...API });
      expect(response.body).toBe(SECRET);
    }
    expect((await rawRequest(t.app, '/Public/report', { Cookie: cookie, ...API })).body).toContain(SECRET);
  });

  it.each(HOSTILE)('%s → 401 for an API client', async (path) => {
    const response = await rawRequest(t.app, path, API);
    expect(response.status).toBe(401);
    expect(response.body).not.toContain(SECRET);
  });

  it.each(HOSTILE)('%s → sign-in redirect for a page navigation', async (path) => {
    const response = await rawRequest(t.app, path, BROWSER);
    expect(response.status).toBe(302);
    expect(response.headers.location).toMatch(/^\/login(\?|$)/);
    expect(response.body).not.toContain(SECRET);
  });
});

describe('protect: unauthenticated paths', () => {
  it.each([
    ['/public/hello.txt', 'hello, public'],
    ['/public/hello.txt?next=/private', 'hello, public'],
    ['/%70ublic/hello.txt', 'hello, public'],
    ['/public/report', 'public report'],
    ['/docs/intro', 'docs intro'],
    ['/about/', '{"email":null}'],
    ['/about?x=/private', '{"email":null}'],
  ])('%s is open to the signed out', async (path, body) => {
    const response = await rawRequest(t.app, path, API);
    expect(response.status).toBe(200);
    expect(response.body).toBe(body);
  });

  it.each(['/docs/intro/more', '/docs', '/publicity', '/abouts'])('%s is not covered by the patterns', async (path) => {
    expect((await rawRequest(t.app, path, API)).status).toBe(401);
  });

  it('still puts the signed-in auth on the request', async () => {
    const response = await request(t.app).get('/about').set(API).set('Cookie', sessionCookie(t.emulator, 'editor').cookie).expect(200);
    expect(response.body).toEqual({ email: 'ada@example.com' });
  });
});

describe('protect: sign-in, sign-up and the auth routes', () => {
  it('sends signed-out navigations to sign in with the path, and signUpPaths to sign up', async () => {
    const privatePage = await request(t.app).get('/private?tab=1').set(BROWSER).expect(302);
    expect(privatePage.headers.location).toBe(`/login?${new URLSearchParams({ returnTo: '/private?tab=1' })}`);
    const onboarding = await request(t.app).get('/onboarding/start').set(BROWSER).expect(302);
    expect(onboarding.headers.location).toBe(`/sign-up?${new URLSearchParams({ returnTo: '/onboarding/start' })}`);
    await request(t.app).get('/onboarding/start').set(API).expect(401);
    // The sign-up route itself passes protect and asks WorkOS for the sign-up screen.
    const signUp = await request(t.app)
      .get(onboarding.headers.location as string)
      .set(BROWSER)
      .expect(302);
    expect(new URL(signUp.headers.location as string).searchParams.get('screen_hint')).toBe('sign-up');
  });

  it.each(['/login', '/sign-up'])('lets %s through to the hosted sign-in (no loop)', async (path) => {
    const response = await request(t.app).get(path).set(BROWSER).expect(302);
    expect(response.headers.location).toMatch(new RegExp(`^${t.emulator.url}/user_management/authorize\\?`));
  });

  it('lets the callback through: a bad callback is the callback error, not a sign-in redirect', async () => {
    const response = await request(t.app).get('/callback?code=nope&state=nope').set(BROWSER);
    expect(response.status).not.toBe(302);
    expect(response.status).not.toBe(401);
  });

  it('lets a same-origin sign-out through, by POST and GET', async () => {
    const post = await request(t.app).post('/logout').set({ Origin: 'http://localhost:3000', 'Sec-Fetch-Site': 'same-origin' });
    expect(post.status).toBe(302);
    expect(post.headers.location).not.toMatch(/^\/login/);
    const get = await request(t.app).get('/logout').set(BROWSER).expect(302);
    expect(get.headers.location).not.toMatch(/^\/login/);
  });

  it('only lets through the methods and exact paths the router serves', async () => {
    await request(t.app).post('/login').set(API).expect(401);
    await request(t.app).get('/LOGIN').set(API).expect(401);
    const trailing = await request(t.app).get('/callback/').set(BROWSER).expect(302);
    expect(trailing.headers.location).toMatch(/^\/login\?returnTo=/);
  });

  it('completes a whole sign-in through protect and lands on the protected page', async () => {
    const agent = request.agent(t.app);
    const first = await agent.get('/private').set(BROWSER).expect(302);
    const callback = await signIn(agent, first.headers.location as string);
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe('/private');
    const page = await agent.get('/private').set(BROWSER).expect(200);
    expect(page.text).toContain(SECRET);
  });
});

describe('protect with a custom sign-in page and no sign-up route', () => {
  it('sends navigations to signInPath (itself open), and signUpPaths straight to the hosted sign-up', async () => {
    const custom = await startTestApp({
      authkit: { routes: { signUp: false } },
      configure: (app, authkit) => {
        app.use(authkit.protect({ signInPath: '/welcome', signUpPaths: ['/join'] }));
        app.get('/welcome', (req, res) => res.send(`welcome ${getAuth(req).user?.email ?? 'stranger'}`));
        app.get('/private', (_req, res) => res.send(SECRET));
        app.get('/join', (_req, res) => res.send('joined'));
      },
    });
    try {
      const refused = await request(custom.app).get('/private').set(BROWSER).expect(302);
      expect(refused.headers.location).toBe('/welcome?returnTo=%2Fprivate');
      const welcome = await request(custom.app)
        .get(refused.headers.location as string)
        .set(BROWSER)
        .expect(200);
      expect(welcome.text).toBe('welcome stranger');
      const join = await request(custom.app).get('/join').set(BROWSER).expect(302);
      const authorize = new URL(join.headers.location as string);
      expect(authorize.origin).toBe(custom.emulator.url);
      expect(authorize.searchParams.get('screen_hint')).toBe('sign-up');
      // Everything else is protected, the root included (no unauthenticatedPaths given).
      await request(custom.app).get('/').set(API).expect(401);
    } finally {
      await custom.close();
    }
  });
});
