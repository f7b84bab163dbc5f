/**
 * Issue 12, finding 5: only a request that proves it comes from a page of this very origin signs
 * out directly. No headers, `Sec-Fetch-Site: none / same-site / cross-site`, `Origin: null`, or an
 * Origin/Referer of another scheme, host or port get the confirmation page (page navigations) or
 * 403 (POSTs, images, fetches). Library pages cannot be framed. Express (Connect adapter) and Koa.
 */
import express, { type RequestHandler } from 'express';
import type Koa from 'koa';
import request from 'supertest';
import { createAuthKit } from '../../lib';
import { startEmulator } from '../../lib/testing';
import type { KoaContext } from '../../lib/koa';
import { route, startKoaApp } from '../helpers/koa-app';
import { BROWSER, setCookies, signIn, startTestApp } from '../helpers/app';
import { APP_ORIGIN } from '../helpers/app-setup';
import { clearWorkOSEnv, COOKIE_PASSWORD } from '../helpers/env';

type Handler = Parameters<typeof request>[0];
type Headers = Record<string, string | string[]>;

interface Started {
  server: Handler;
  close(): Promise<void>;
}

interface Setup {
  /** Trust X-Forwarded-Proto (Express `trust proxy`, Koa `app.proxy`). */
  trustProxy?: boolean;
  /** A Content-Security-Policy the app sets on every response before the library's routes. */
  appPolicy?: string;
}

const ADMIN_ONLY = { permissions: ['admin:all'] };

/** The same app on both adapters: the library's router, a guarded `/api/me` and an admin-only `/admin`. */
const adapters: Array<[string, (setup?: Setup) => Promise<Started>]> = [
  [
    'Express',
    async (setup = {}) => {
      const t = await startTestApp({
        configure: (app, authkit) => {
          if (setup.trustProxy) app.set('trust proxy', true);
          const policy = setup.appPolicy;
          if (policy !== undefined)
            app.use(((_req, res, next) => (res.setHeader('Content-Security-Policy', policy), next())) as RequestHandler);
          app.get('/admin', authkit.requireAuth(ADMIN_ONLY), (_req, res) => void res.send('admin'));
        },
      });
      return { server: t.app, close: t.close };
    },
  ],
  [
    'Koa',
    async (setup = {}) => {
      const t = await startKoaApp({
        configure: (app: Koa, authkit) => {
          app.proxy = setup.trustProxy === true;
          const policy = setup.appPolicy;
          if (policy !== undefined) app.use(async (ctx, next) => (ctx.set('Content-Security-Policy', policy), next()));
          app.use(route('/admin', authkit.requireAuth(ADMIN_ONLY), async (ctx: KoaContext) => void (ctx.body = 'admin')));
        },
      });
      return { server: t.app.callback(), close: t.close };
    },
  ],
];

const clearsSession = (response: request.Response) => setCookies(response).some((line) => /^wos-session=;/.test(line));

/** The framing rules every library HTML page carries. */
function expectUnframeable(response: request.Response): void {
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(String(response.headers['content-security-policy'])).toMatch(/frame-ancestors 'none'/);
}

const HTML = { Accept: 'text/html,application/xhtml+xml' };
const NAVIGATE = { ...HTML, 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document' };

/** Page navigations that prove nothing about their origin: each gets the confirmation page. */
const unprovenNavigations: Array<[string, Headers]> = [
  ['a link without Fetch Metadata, Origin or Referer (rel=noreferrer, older browser)', HTML],
  ['a typed URL, bookmark or link from an email (Sec-Fetch-Site: none)', { ...NAVIGATE, 'Sec-Fetch-Site': 'none' }],
  ['a link on a sibling subdomain (Sec-Fetch-Site: same-site)', { ...NAVIGATE, 'Sec-Fetch-Site': 'same-site' }],
  ['a link on another site', { ...NAVIGATE, 'Sec-Fetch-Site': 'cross-site' }],
  ['an opaque origin', { ...HTML, Origin: 'null' }],
  ['an https Referer for this http app (scheme mismatch)', { ...HTML, Referer: 'https://localhost:3000/dashboard' }],
  ['a Referer on another port', { ...HTML, Referer: 'http://localhost:3001/dashboard' }],
  ['a Referer on the default port (80, not 3000)', { ...HTML, Referer: 'http://localhost/dashboard' }],
  ['a Referer on a sibling subdomain', { ...HTML, Referer: 'http://app.localhost:3000/' }],
  ['a Referer whose host only starts like ours', { ...HTML, Referer: 'http://localhost:3000.evil.example/' }],
  ['a Referer that is not a URL', { ...HTML, Referer: 'localhost:3000' }],
  ['Sec-Fetch-Site in the wrong case', { ...NAVIGATE, 'Sec-Fetch-Site': 'Same-Origin' }],
  ['Sec-Fetch-Site sent twice', { ...NAVIGATE, 'Sec-Fetch-Site': ['same-origin', 'same-origin'] }],
];

/** Requests that prove nothing and are not page navigations: each gets 403. */
const unprovenOther: Array<[string, Headers, 'get' | 'post']> = [
  ['an image without a referrer (no site headers)', { Accept: 'image/avif,image/webp,*/*' }, 'get'],
  [
    'an image on a sibling subdomain (same-site, no-cors)',
    { 'Sec-Fetch-Site': 'same-site', 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-Dest': 'image' },
    'get',
  ],
  ['a GET with no headers at all (curl)', {}, 'get'],
  ['a POST with no headers at all', {}, 'post'],
  [
    'a form POST from a sibling subdomain',
    { 'Sec-Fetch-Site': 'same-site', 'Sec-Fetch-Mode': 'navigate', Origin: 'http://app.localhost:3000' },
    'post',
  ],
  ['a POST from Sec-Fetch-Site: none', { 'Sec-Fetch-Site': 'none', 'Sec-Fetch-Mode': 'navigate' }, 'post'],
  ['a POST with Origin: null', { Origin: 'null' }, 'post'],
  ['a POST with an https Origin for this http app', { Origin: 'https://localhost:3000' }, 'post'],
  ['a POST with an Origin on another port', { Origin: 'http://localhost:3001' }, 'post'],
  ['a POST with an Origin that is not a URL', { Origin: 'localhost:3000' }, 'post'],
  ['a POST with two Origins, ours first', { Origin: [APP_ORIGIN, 'https://evil.example'] }, 'post'],
  ['a POST with an https Referer only', { Referer: 'https://localhost:3000/dashboard' }, 'post'],
  ['a POST with a javascript: Referer', { Referer: 'javascript:alert(1)' }, 'post'],
];

describe.each(adapters)('%s: sign-out needs proof of the same origin', (_adapter, start) => {
  let app: Started;
  let agent: ReturnType<typeof request.agent>;
  const boot = async (setup?: Setup) => {
    app = await start(setup);
    agent = request.agent(app.server);
    await signIn(agent);
  };
  afterEach(() => app.close());

  it.each(unprovenNavigations)('%s gets the unframeable confirmation page; the session survives', async (_name, headers) => {
    await boot();
    const page = await agent
      .get('/logout?returnTo=%2Fbye')
      .set(headers)
      .expect(200)
      .expect('content-type', /text\/html/);
    expect(page.text).toContain('<form method="post" action="/logout?returnTo=%2Fbye">');
    expect(clearsSession(page)).toBe(false);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expectUnframeable(page);
    await agent.get('/api/me').expect(200);
  });

  it.each(unprovenOther)('%s is refused with 403; the session survives', async (_name, headers, method) => {
    await boot();
    const response = await agent[method]('/logout').set(headers).expect(403);
    expect(response.body).toEqual({ error: 'cross_site_sign_out', message: expect.any(String) });
    expect(clearsSession(response)).toBe(false);
    await agent.get('/api/me').expect(200);
  });

  it.each<[string, Headers, 'get' | 'post']>([
    ['a link on our page (Sec-Fetch-Site: same-origin)', { ...NAVIGATE, 'Sec-Fetch-Site': 'same-origin' }, 'get'],
    [
      'the confirmation form (same-origin POST)',
      { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'navigate', Origin: APP_ORIGIN },
      'post',
    ],
    ['an older browser POST with our Origin', { Origin: APP_ORIGIN }, 'post'],
    ['an older browser POST with our Origin spelled with the default port', { Origin: 'http://LOCALHOST:3000' }, 'post'],
    ['an older browser link with our Referer', { ...HTML, Referer: `${APP_ORIGIN}/dashboard?tab=1` }, 'get'],
  ])('%s signs out directly', async (_name, headers, method) => {
    await boot();
    const response = await agent[method]('/logout').set(headers).expect(302);
    expect(clearsSession(response)).toBe(true);
    await agent.get('/api/me').expect(401);
  });

  it('a cross-site link leads to the page, whose same-origin button signs out', async () => {
    await boot();
    await agent
      .get('/logout')
      .set({ ...NAVIGATE, 'Sec-Fetch-Site': 'cross-site' })
      .expect(200);
    await agent.get('/api/me').expect(200);
    const confirmed = await agent
      .post('/logout')
      .set({ 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'navigate', Origin: APP_ORIGIN })
      .expect(302);
    expect(clearsSession(confirmed)).toBe(true);
  });

  it("accepts the request's own origin only with its exact scheme (Host app.example over http)", async () => {
    await boot();
    await agent.post('/logout').set({ Host: 'app.example', Origin: 'https://app.example' }).expect(403);
    await agent.post('/logout').set({ Host: 'app.example:8080', Origin: 'http://app.example' }).expect(403);
    await agent.post('/logout').set({ Host: 'app.example/x', Origin: 'http://app.example' }).expect(403);
    // An X-Forwarded-Proto nobody told the framework to trust changes nothing.
    await agent.post('/logout').set({ Host: 'app.example', 'X-Forwarded-Proto': 'https', Origin: 'https://app.example' }).expect(403);
    await agent.get('/api/me').expect(200);
    const response = await agent.post('/logout').set({ Host: 'app.example', Origin: 'http://app.example' }).expect(302);
    expect(clearsSession(response)).toBe(true);
  });

  it('takes the scheme from a trusted proxy: https Origin matches, http no longer does', async () => {
    await boot({ trustProxy: true });
    const forwarded = { Host: 'app.example', 'X-Forwarded-Proto': 'https' };
    await agent
      .post('/logout')
      .set({ ...forwarded, Origin: 'http://app.example' })
      .expect(403);
    const response = await agent
      .post('/logout')
      .set({ ...forwarded, Origin: 'https://app.example' })
      .expect(302);
    expect(clearsSession(response)).toBe(true);
  });

  it('serves the access-denied page unframeable', async () => {
    await boot();
    const page = await agent
      .get('/admin')
      .set(BROWSER)
      .expect(403)
      .expect('content-type', /text\/html/);
    expectUnframeable(page);
  });

  it("keeps the app's own Content-Security-Policy and adds frame-ancestors 'none' as a further policy", async () => {
    await boot({ appPolicy: "default-src 'self'" });
    const page = await agent
      .get('/logout')
      .set({ ...NAVIGATE, 'Sec-Fetch-Site': 'cross-site' })
      .expect(200);
    expectUnframeable(page);
    expect(page.headers['content-security-policy']).toBe("default-src 'self', frame-ancestors 'none'");
  });

  it("does not repeat frame-ancestors 'none' when the app already forbids framing", async () => {
    await boot({ appPolicy: "default-src 'self'; frame-ancestors 'none'" });
    const page = await agent.get('/admin').set(BROWSER).expect(403);
    expect(page.headers['content-security-policy']).toBe("default-src 'self'; frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
  });
});

describe('Express: the errorHandler page', () => {
  it('cannot be framed either', async () => {
    clearWorkOSEnv();
    const emulator = await startEmulator({ autoApprove: true });
    try {
      const authkit = createAuthKit({
        ...emulator.settings,
        cookiePassword: COOKIE_PASSWORD,
        redirectUri: `${APP_ORIGIN}/callback`,
        logger: { warn() {} },
      });
      const app = express();
      app.use(authkit.router);
      app.use(authkit.errorHandler);
      // A callback without state: a CallbackError, rendered by errorHandler as a page.
      const page = await request(app)
        .get('/callback?code=abc')
        .set(BROWSER)
        .expect(400)
        .expect('content-type', /text\/html/);
      expect(page.text).toContain('<h1>Sign-in failed</h1>');
      expectUnframeable(page);
    } finally {
      await emulator.close();
    }
  });
});
