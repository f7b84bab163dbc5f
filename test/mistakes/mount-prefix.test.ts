/**
 * Issue 16: `app.use('/auth', authkit.router)` answers "Cannot GET" on both `/auth/login` and
 * `/login`, because the router matches full paths. The first request that would have matched
 * without the prefix brings one warning with the fix, on Express, Connect and Koa (mounted the
 * way koa-mount mounts); a router at the root, or one whose routes are set under the prefix, is
 * silent.
 */
import connect from 'connect';
import express from 'express';
import Koa from 'koa';
import request from 'supertest';
import { createAuthKit, type AuthKitOptions } from '../../lib';
import { createAuthKit as createKoaAuthKit, type KoaContext, type KoaMiddleware, type KoaNext } from '../../lib/koa';
import { BROWSER } from '../helpers/app';
import { APP_ORIGIN, setUpTestApp, type TestAppSetup } from '../helpers/app-setup';

type Handler = Parameters<typeof request>[0];

/** What koa-mount does: strips the prefix from `ctx.path`, sets `ctx.mountPath`, and puts the path back for what follows. */
function koaMount(prefix: string, middleware: KoaMiddleware): Koa.Middleware {
  return async (ctx, next) => {
    const path = ctx.path;
    if (path !== prefix && !path.startsWith(`${prefix}/`)) return next();
    ctx.path = path.slice(prefix.length) || '/';
    (ctx as Koa.Context & { mountPath?: string }).mountPath = prefix;
    try {
      await middleware(
        ctx as unknown as KoaContext,
        (async () => {
          ctx.path = path;
          await next();
        }) as KoaNext,
      );
    } finally {
      ctx.path = path;
    }
  };
}

/** An app with the router mounted at `prefix` ('' for the root) and a guarded page. */
const apps: Array<[string, (options: AuthKitOptions, prefix: string) => Handler]> = [
  [
    'Express',
    (options, prefix) => {
      const authkit = createAuthKit(options);
      const app = express();
      if (prefix === '') app.use(authkit.router);
      else app.use(prefix, authkit.router);
      app.get('/dashboard', authkit.requireAuth, (_req, res) => void res.send('dashboard'));
      return app;
    },
  ],
  [
    'Connect',
    (options, prefix) => {
      const authkit = createAuthKit(options);
      const app = connect();
      if (prefix === '') app.use(authkit.router);
      else app.use(prefix, authkit.router);
      app.use('/dashboard', authkit.requireAuth);
      return app;
    },
  ],
  [
    'Koa (koa-mount)',
    (options, prefix) => {
      const authkit = createKoaAuthKit(options);
      const app = new Koa();
      app.use(prefix === '' ? (authkit.router as unknown as Koa.Middleware) : koaMount(prefix, authkit.router));
      app.use(async (ctx, next) => (ctx.path === '/dashboard' ? authkit.requireAuth(ctx as unknown as KoaContext, next) : next()));
      return app.callback();
    },
  ],
];

let setup: TestAppSetup;
beforeEach(async () => {
  setup = await setUpTestApp();
});
afterEach(() => setup.emulator.close());

describe.each(apps)('%s: the router mounted under a prefix', (_name, start) => {
  it('warns once, on the first request it would have answered at the root, with the fix', async () => {
    const app = start(setup.authkitOptions, '/auth');
    await request(app).get('/auth/login').set(BROWSER).expect(404);
    await request(app).get('/auth/sign-up').set(BROWSER).expect(404);
    await request(app).get('/login').set(BROWSER).expect(404);
    expect(setup.warnings).toEqual([
      'authkit.router is mounted under "/auth" (as by app.use(\'/auth\', authkit.router)), but it matches full request paths: ' +
        'GET /auth/login is not its login route /login, and requests for /login never reach it. ' +
        'Mount it at the root, app.use(authkit.router); to serve a route under "/auth", set its path instead, ' +
        "e.g. routes: { login: '/auth/login' } (the callback's path is the path of redirectUri).",
    ]);
  });

  it('says nothing about requests under the prefix that are not for its routes', async () => {
    const app = start(setup.authkitOptions, '/auth');
    await request(app).get('/auth/profile').set(BROWSER).expect(404);
    await request(app).get('/auth').set(BROWSER).expect(404);
    expect(setup.warnings).toEqual([]);
  });

  it('is silent at the root: sign-in works and guards send browsers to it', async () => {
    const app = start(setup.authkitOptions, '');
    await request(app).get('/login').set(BROWSER).expect(302);
    await request(app).get('/dashboard').set(BROWSER).expect(302).expect('location', '/login?returnTo=%2Fdashboard');
    await request(app).get('/elsewhere').set(BROWSER).expect(404);
    expect(setup.warnings).toEqual([]);
  });

  it('is silent under a prefix whose routes were set there (the full paths match)', async () => {
    const options = {
      ...setup.authkitOptions,
      redirectUri: `${APP_ORIGIN}/auth/callback`,
      routes: { login: '/auth/login', signUp: '/auth/sign-up', logout: '/auth/logout' },
    };
    const app = start(options, '/auth');
    await request(app).get('/auth/login').set(BROWSER).expect(302);
    await request(app).get('/dashboard').set(BROWSER).expect(302).expect('location', '/auth/login?returnTo=%2Fdashboard');
    expect(setup.warnings).toEqual([]);
  });
});

describe('Express: a router nested in a mounted express.Router()', () => {
  it('is the same mistake and gets the same warning', async () => {
    const authkit = createAuthKit(setup.authkitOptions);
    const nested = express.Router();
    nested.use(authkit.router);
    const app = express().use('/account', nested);
    await request(app).get('/account/logout').set(BROWSER).expect(404);
    expect(setup.warnings).toEqual([expect.stringContaining('authkit.router is mounted under "/account"')]);
    expect(setup.warnings[0]).toContain("routes: { logout: '/account/logout' }");
  });
});
