/**
 * Issue 16: `app.use(authkit.requireAuth)` before the router refuses the library's own routes,
 * and sent browsers from `/login` to `/login?returnTo=%2Flogin` until Chromium gave up
 * (ERR_TOO_MANY_REDIRECTS). Now such a refusal is a short 500 (page or JSON) instead of a
 * redirect, with one warning naming the fix; a correct order, and `protect`, are silent.
 * Express (Connect adapter) and Koa, which share the core's guard.
 */
import express, { type RequestHandler } from 'express';
import Koa from 'koa';
import request from 'supertest';
import type { AuthKitOptions, GuardOptions } from '../../lib';
import { createAuthKit } from '../../lib';
import { createAuthKit as createKoaAuthKit } from '../../lib/koa';
import { BROWSER } from '../helpers/app';
import { setUpTestApp, type TestAppSetup } from '../helpers/app-setup';
import { sessionCookieFor } from '../helpers/session-cookie';

type Handler = Parameters<typeof request>[0];
/** How the app puts the library's middleware in front of its one page, `/dashboard`. */
type Order = 'guard first' | 'router first' | 'protect first';

const apps: Array<[string, (options: AuthKitOptions, order: Order, guard?: GuardOptions) => Handler]> = [
  [
    'Express',
    (options, order, guard) => {
      const authkit = createAuthKit(options);
      const app = express();
      const first: RequestHandler =
        order === 'protect first' ? authkit.protect() : guard ? authkit.requireAuth(guard) : authkit.requireAuth;
      if (order === 'router first') app.use(authkit.router, first);
      else app.use(first, authkit.router);
      app.get('/dashboard', (_req, res) => void res.send('dashboard'));
      return app;
    },
  ],
  [
    'Koa',
    (options, order, guard) => {
      const authkit = createKoaAuthKit(options);
      const app = new Koa();
      const first = order === 'protect first' ? authkit.protect() : guard ? authkit.requireAuth(guard) : authkit.requireAuth;
      const both = order === 'router first' ? [authkit.router, first] : [first, authkit.router];
      for (const middleware of both) app.use(middleware as unknown as Koa.Middleware);
      app.use(async (ctx: Koa.Context) => void (ctx.path === '/dashboard' && (ctx.body = 'dashboard')));
      return app.callback();
    },
  ],
];

const LOOP_WARNING =
  "A guard (authkit.requireAuth) answered GET /login, one of authkit-express's own routes, before authkit.router could: " +
  'signed-out visitors would be sent to sign in again and again. Mount the router before your guards (app.use(authkit.router) first), ' +
  "or guard the whole app with app.use(authkit.protect()), which lets the library's own routes through. Until then such requests get a 500.";

let setup: TestAppSetup;
beforeEach(async () => {
  setup = await setUpTestApp();
});
afterEach(() => setup.emulator.close());

describe.each(apps)('%s: a guard mounted before the router', (_name, start) => {
  it('answers the sign-in route with a short page instead of a redirect loop, and warns once with the fix', async () => {
    const app = start(setup.authkitOptions, 'guard first');
    const page = await request(app)
      .get('/login')
      .set(BROWSER)
      .expect(500)
      .expect('content-type', /text\/html/);
    expect(page.headers.location).toBeUndefined();
    expect(page.text).toContain('Sign-in is misconfigured');
    expect(page.text).toContain('The server log says how to fix it.');
    // The other routes it refuses, and a script asking: cut short too, no second warning.
    await request(app).get('/callback?code=c&state=s').set(BROWSER).expect(500);
    await request(app).get('/logout').set(BROWSER).expect(500);
    const json = await request(app).get('/login').set('Accept', 'application/json').expect(500);
    expect(json.body).toEqual({ error: 'guard_loop', message: expect.stringContaining('go round in circles') });
    // The app's own pages are guarded as before.
    await request(app).get('/dashboard').set(BROWSER).expect(302).expect('location', '/login?returnTo=%2Fdashboard');
    expect(setup.warnings).toEqual([LOOP_WARNING]);
    expect(setup.emulator.calls.authorize).toBe(0);
  });

  it('cuts short a signed-in refusal of the sign-out route too (a 403 there would keep the user signed in)', async () => {
    const app = start(setup.authkitOptions, 'guard first', { permissions: ['admin:all'] });
    const cookie = sessionCookieFor(setup.emulator.createSession());
    await request(app).get('/dashboard').set(BROWSER).set('Cookie', cookie).expect(403);
    await request(app).get('/logout').set(BROWSER).set('Cookie', cookie).expect(500);
    expect(setup.warnings).toEqual([expect.stringContaining("answered GET /logout, one of authkit-express's own routes")]);
  });

  it('cuts short a guard whose signInPath is the guarded page itself', async () => {
    const app = start(setup.authkitOptions, 'guard first', { signInPath: '/dashboard' });
    await request(app).get('/dashboard').set(BROWSER).expect(500);
    expect(setup.warnings).toEqual([
      'A guard (authkit.requireAuth) sends signed-out visitors of /dashboard to /dashboard itself, which loops: leave the page given as signInPath unguarded ' +
        '(authkit.protect({ signInPath }) does). Until then such requests get a 500.',
    ]);
  });

  it.each(['router first', 'protect first'] as const)('is silent when mounted %s: sign-in starts', async (order) => {
    const app = start(setup.authkitOptions, order);
    const login = await request(app).get('/login').set(BROWSER).expect(302);
    expect(login.headers.location).toMatch(new RegExp(`^${setup.emulator.url}/user_management/authorize`));
    await request(app).get('/dashboard').set(BROWSER).expect(302).expect('location', '/login?returnTo=%2Fdashboard');
    expect(setup.warnings).toEqual([]);
  });
});
