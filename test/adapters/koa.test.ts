import type Koa from 'koa';
import request from 'supertest';
import { AuthKitError, CallbackError, getAuth, WorkOSUnavailableError, type KoaContext } from '../../lib/koa';
import { BROWSER, cookieValue, setCookies, signIn } from '../helpers/app';
import { APP_ORIGIN } from '../helpers/app-setup';
import { workosClientFor } from '../helpers/workos-client';
import { route, startKoaApp, type KoaTestApp } from '../helpers/koa-app';
import { sessionCookieFor } from '../helpers/session-cookie';

let t: KoaTestApp;
afterEach(() => t.close());

const server = () => t.app.callback();
const agentFor = () => request.agent(server());
const flowCookieCleared = (response: request.Response) =>
  setCookies(response).some((line) => /^wos-auth-verifier-[^=]+=; .*Max-Age=0/.test(line));
const sessionCookieSet = (response: request.Response) => setCookies(response).some((line) => line.startsWith('wos-session=Fe26.2'));

/** A login whose authorize step comes back with `error=access_denied`: the callback must fail with the flow cookie present. */
async function deniedCallback(agent: ReturnType<typeof request.agent>): Promise<request.Response> {
  t.emulator.failAuthorize('access_denied', 'The user cancelled.');
  const login = await agent.get('/login').set(BROWSER).expect(302);
  const authorize = await fetch(login.headers.location as string, { redirect: 'manual' });
  const callback = new URL(authorize.headers.get('location') as string);
  return agent.get(`${callback.pathname}${callback.search}`).set(BROWSER);
}

describe('Koa: sign-in', () => {
  it('redirects /login through Koa to the authorize URL with sealed state, PKCE S256 and a flow cookie', async () => {
    const seen: Array<[number, boolean | undefined]> = [];
    t = await startKoaApp({
      configure: (app) =>
        app.use(async (ctx, next) => {
          await next();
          seen.push([ctx.status, ctx.respond]);
        }),
    });
    const response = await request(server()).get('/login?returnTo=%2Fdashboard').set(BROWSER).expect(302);
    const url = new URL(response.headers.location as string);
    expect(`${url.origin}${url.pathname}`).toBe(`${t.emulator.url}/user_management/authorize`);
    expect(url.searchParams.get('state')).toMatch(/^Fe26\.2\*/);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(setCookies(response)).toEqual([expect.stringMatching(/^wos-auth-verifier-[A-Za-z0-9_-]+=Fe26\.2\*.*HttpOnly/)]);
    // Answered through Koa: upstream middleware sees the redirect, Koa still responds.
    expect(seen).toEqual([[302, undefined]]);
  });

  it('signs in, serves the guarded page, refreshes on expiry with the new cookie on the same response, signs out', async () => {
    t = await startKoaApp();
    const agent = agentFor();
    const callback = await signIn(agent);
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe('/');
    expect(callback.headers['cache-control']).toBe('private, no-store');
    expect(callback.headers['referrer-policy']).toBe('no-referrer');
    expect(sessionCookieSet(callback)).toBe(true);
    expect(flowCookieCleared(callback)).toBe(true);

    const page = await agent.get('/dashboard').set(BROWSER).expect(200);
    expect(page.text).toContain('ada@example.com');
    expect(setCookies(page)).toEqual([]);

    t.emulator.clock.advance(301);
    const refreshed = await agent.get('/dashboard').set(BROWSER).expect(200);
    expect(refreshed.text).toContain('ada@example.com');
    expect(cookieValue(refreshed, 'wos-session')).toMatch(/^Fe26\.2\*/);
    expect(refreshed.headers['cache-control']).toBe('private, no-store');
    expect(refreshed.headers.vary).toMatch(/Cookie/);
    await agent.get('/api/me').expect(200);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);

    const logout = await agent.get('/logout').set(BROWSER).expect(302);
    expect(new URL(logout.headers.location as string).pathname).toBe('/user_management/sessions/logout');
    expect(setCookies(logout)).toContainEqual(expect.stringMatching(/^wos-session=; Path=\/; Max-Age=0/));
    await agent.get('/dashboard').set(BROWSER).expect(302).expect('location', '/login?returnTo=%2Fdashboard');
  });
});

describe('Koa: callback errors reach Koa typed, and the flow cookie deletion reaches the browser', () => {
  it("with Koa's default error handling (which removes every header first)", async () => {
    t = await startKoaApp();
    const response = await deniedCallback(agentFor());
    expect(response.status).toBe(400);
    expect(response.text).toBe('Sign-in did not complete: WorkOS returned an error. Start signing in again.');
    expect(flowCookieCleared(response)).toBe(true);
    expect(response.headers['cache-control']).toBe('private, no-store');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    const [error] = t.errors;
    expect(error).toBeInstanceOf(CallbackError);
    expect(error).toMatchObject({ code: 'authorization_denied', status: 400, expose: true, workosError: 'access_denied' });
    // The cookies rode on the error only while Koa answered: nothing stays on it.
    expect((error as { headers?: unknown }).headers).toBeUndefined();
    expect(t.emulator.calls.authenticate_code).toBe(0);
  });

  it('with an error middleware of the app, which sees the error itself', async () => {
    const caught: unknown[] = [];
    t = await startKoaApp({
      configure: (app) =>
        app.use(async (ctx, next) => {
          try {
            await next();
          } catch (error) {
            caught.push(error);
            ctx.status = error instanceof AuthKitError ? error.status : 500;
            ctx.body = { code: error instanceof AuthKitError ? error.code : 'unknown' };
          }
        }),
    });
    const response = await deniedCallback(agentFor());
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ code: 'authorization_denied' });
    expect(flowCookieCleared(response)).toBe(true);
    expect(caught[0]).toBeInstanceOf(CallbackError);
  });

  it('an onError hook may answer through ctx.res: Koa then does not respond again', async () => {
    t = await startKoaApp({
      authkit: {
        onError: (error, _req, res) => {
          res.writeHead(418, { 'Content-Type': 'text/plain' }).end(`custom ${error.code}`);
        },
      },
    });
    const response = await deniedCallback(agentFor());
    expect(response.status).toBe(418);
    expect(response.text).toBe('custom authorization_denied');
    expect(flowCookieCleared(response)).toBe(true);
    expect(t.errors).toEqual([]);
  });
});

describe('Koa: requireAuth', () => {
  it('sends a page navigation to sign in with a safe returnTo, and an API request gets 401 JSON', async () => {
    t = await startKoaApp();
    await request(server()).get('/dashboard?tab=1').set(BROWSER).expect(302).expect('location', '/login?returnTo=%2Fdashboard%3Ftab%3D1');
    const api = await request(server()).get('/api/me').expect(401);
    expect(api.body).toEqual({ error: 'unauthorized', message: 'Sign in to access this resource.' });
    expect(api.headers['www-authenticate']).toBe('AuthKit realm="localhost:3000"');
    expect(api.headers['cache-control']).toBe('private, no-store');
  });

  it('answers 403 (never a sign-in loop) when a signed-in user lacks a requirement', async () => {
    t = await startKoaApp({
      configure: (app, authkit) => {
        app.use(route('/admin', authkit.requireAuth({ permissions: 'posts:write' }), async (ctx: KoaContext) => void (ctx.body = 'admin')));
      },
    });
    const agent = agentFor();
    await signIn(agent);
    const api = await agent.get('/admin').expect(403);
    expect(api.body).toEqual({ error: 'forbidden', message: 'You do not have access to this resource.' });
    const page = await agent
      .get('/admin')
      .set(BROWSER)
      .expect(403)
      .expect('content-type', /text\/html/);
    expect(page.text).toContain('Access denied');
  });

  it('uses the full URL under a mount point (ctx.path rewritten, as koa-mount does)', async () => {
    t = await startKoaApp({
      configure: (app) =>
        app.use(async (ctx, next) => {
          if (ctx.path.startsWith('/app/')) ctx.path = ctx.path.slice('/app'.length);
          await next();
        }),
    });
    // The guard below is matched on the rewritten path by a mount-relative route.
    t.app.use(async (ctx, next) => (ctx.path === '/inner' ? t.authkit.requireAuth(ctx, next) : next()));
    await request(server()).get('/app/inner').set(BROWSER).expect(302).expect('location', '/login?returnTo=%2Fapp%2Finner');
  });

  it('does not trust a ctx.state.auth it did not issue', async () => {
    const forged = { user: { id: 'user_mallory', email: 'mallory@example.com' } };
    t = await startKoaApp({
      configure: (app) =>
        app.use(async (ctx, next) => {
          ctx.state.auth = forged;
          await next();
        }),
    });
    t.app.use(route('/unguarded', async (ctx: KoaContext) => void (ctx.body = { user: getAuth(ctx).user })));
    await request(server()).get('/api/me').expect(401);
    expect((await request(server()).get('/unguarded').expect(200)).body).toEqual({ user: null });
    expect((await request(server()).get('/').expect(200)).body).toEqual({ signedIn: false, email: null });
  });

  it('protect() guards every path but the public ones and our own routes', async () => {
    t = await startKoaApp({ configure: (app, authkit) => app.use(authkit.protect({ unauthenticatedPaths: ['/', '/login', '/pricing'] })) });
    t.app.use(route('/pricing', async (ctx: KoaContext) => void (ctx.body = 'pricing')));
    t.app.use(route('/secret', async (ctx: KoaContext) => void (ctx.body = 'secret')));
    await request(server()).get('/pricing').expect(200, 'pricing');
    await request(server()).get('/secret').set(BROWSER).expect(302).expect('location', '/login?returnTo=%2Fsecret');
    await request(server()).get('/login').set(BROWSER).expect(302);
    const agent = agentFor();
    await signIn(agent);
    await agent.get('/secret').expect(200, 'secret');
  });
});

describe('Koa: refresh and outages', () => {
  it('keeps a refreshed cookie on the error response when the app throws after the guard', async () => {
    const shared = Object.assign(new Error('Boom'), { status: 500 });
    t = await startKoaApp({
      configure: (app, authkit) => {
        app.use(
          route('/boom', authkit.optionalAuth, async () => {
            throw shared;
          }),
        );
      },
    });
    const session = t.emulator.createSession();
    t.emulator.clock.advance(301);
    const boom = await request(server()).get('/boom').set('Cookie', sessionCookieFor(session)).expect(500);
    expect(boom.text).toBe('Internal Server Error');
    expect(sessionCookieSet(boom)).toBe(true);
    expect(boom.headers['cache-control']).toBe('private, no-store');
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
    // The refreshed cookie works: no second refresh (the old refresh token is spent).
    await request(server())
      .get('/api/me')
      .set('Cookie', `wos-session=${cookieValue(boom, 'wos-session')}`)
      .expect(200);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
    // The error object is shared by every request that throws it: it must not carry that cookie on.
    expect('headers' in shared).toBe(false);
    const other = await request(server()).get('/boom').expect(500);
    expect(setCookies(other)).toEqual([]);
  });

  it("answers a WorkOS outage with 503 and Retry-After through Koa's error handling, keeping the cookie", async () => {
    t = await startKoaApp({ emulator: { refreshGraceSeconds: 0 }, authkit: (emulator) => ({ workos: workosClientFor(emulator) }) });
    t.emulator.failNext('authenticate_refresh', { status: 500, body: { message: 'down' } }, 10);
    const session = t.emulator.createSession();
    t.emulator.clock.advance(301);
    const response = await request(server()).get('/api/me').set('Cookie', sessionCookieFor(session)).expect(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.headers['cache-control']).toBe('private, no-store');
    expect(response.text).toBe('Service Unavailable');
    expect(setCookies(response)).toEqual([]);
    expect(t.errors[0]).toBeInstanceOf(WorkOSUnavailableError);
    expect(t.errors[0]).toMatchObject({ code: 'refresh_unavailable', expose: false });
    t.emulator.clearFaults();
    await request(server()).get('/api/me').set('Cookie', sessionCookieFor(session)).expect(200);
  });
});

describe('Koa: sign-out and session routes', () => {
  it('refuses a cross-site sign-out and shows a confirmation page to a cross-site link', async () => {
    t = await startKoaApp();
    const agent = agentFor();
    await signIn(agent);
    const post = await agent
      .post('/logout')
      .set({ 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate', Origin: 'https://evil.example' })
      .expect(403);
    expect(post.body).toEqual({ error: 'cross_site_sign_out', message: expect.any(String) });
    expect(setCookies(post)).toEqual([]);
    const page = await agent
      .get('/logout')
      .set({ ...BROWSER, 'Sec-Fetch-Site': 'cross-site' })
      .expect(200)
      .expect('content-type', /text\/html/);
    expect(page.text).toContain('<form method="post" action="/logout">');
    expect(page.headers['cache-control']).toBe('private, no-store');
    await agent.get('/api/me').expect(200);
    const confirmed = await agent.post('/logout').set({ 'Sec-Fetch-Site': 'same-origin', Origin: APP_ORIGIN }).expect(302);
    expect(setCookies(confirmed)).toContainEqual(expect.stringMatching(/^wos-session=;/));
  });

  it('serves /auth/session to this origin only, without any token', async () => {
    t = await startKoaApp();
    const agent = agentFor();
    expect((await agent.get('/auth/session').expect(200)).body).toEqual({ signedIn: false });
    await signIn(agent);
    const session = await agent.get('/auth/session').set({ 'Sec-Fetch-Site': 'same-origin' }).expect(200);
    expect(session.body).toMatchObject({ signedIn: true, user: { email: 'ada@example.com' } });
    expect(JSON.stringify(session.body)).not.toMatch(/accessToken|eyJ/);
    expect(session.headers['x-content-type-options']).toBe('nosniff');
    const foreign = await agent.get('/auth/session').set({ 'Sec-Fetch-Site': 'same-site' }).expect(403);
    expect(foreign.body).toEqual({ error: 'cross_origin', message: expect.any(String) });
  });
});

describe('Koa: helpers take ctx', () => {
  it('refreshSession sets the new cookie and ctx.state.auth; signOut redirects; errors keep their cookies', async () => {
    t = await startKoaApp({
      configure: (app: Koa, authkit) => {
        app.use(
          route('/refresh', async (ctx: KoaContext) => {
            const auth = await authkit.refreshSession(ctx);
            ctx.body = { email: auth.user.email, same: getAuth(ctx) === auth };
          }),
        );
        app.use(route('/bye', async (ctx: KoaContext) => authkit.signOut(ctx, { returnTo: '/' })));
      },
    });
    expect(t.authkit.getSignInUrl({ returnTo: '/x' })).toBe('/login?returnTo=%2Fx');
    const noSession = await request(server()).get('/refresh').expect(401);
    expect(noSession.text).toBe('There is no session to refresh. Sign in first.');
    expect(t.errors[0]).toMatchObject({ code: 'not_signed_in' });

    const session = t.emulator.createSession();
    const refreshed = await request(server()).get('/refresh').set('Cookie', sessionCookieFor(session)).expect(200);
    expect(refreshed.body).toEqual({ email: 'ada@example.com', same: true });
    expect(sessionCookieSet(refreshed)).toBe(true);

    // A revoked session ends: the 401 still clears the cookie.
    const ended = t.emulator.createSession();
    t.emulator.revokeSession(JSON.parse(Buffer.from(ended.accessToken.split('.')[1]!, 'base64url').toString()).sid);
    const gone = await request(server()).get('/refresh').set('Cookie', sessionCookieFor(ended)).expect(401);
    expect(setCookies(gone)).toContainEqual(expect.stringMatching(/^wos-session=; Path=\/; Max-Age=0/));

    const bye = await request(server()).get('/bye').set('Cookie', sessionCookieFor(session)).expect(302);
    expect(new URL(bye.headers.location as string).searchParams.get('return_to')).toBe(`${APP_ORIGIN}/`);
  });
});

describe('Koa: transport', () => {
  const https = { redirectUri: 'https://app.example/callback' };

  it('takes https from Koa (app.proxy and X-Forwarded-Proto), so a proxied app is not warned about plain http', async () => {
    t = await startKoaApp({ authkit: https, configure: (app) => void (app.proxy = true) });
    await request(server()).get('/').set('X-Forwarded-Proto', 'https').expect(200);
    expect(t.warnings).toEqual([]);
  });

  it('warns once when requests really arrive over plain http', async () => {
    t = await startKoaApp({ authkit: https });
    await request(server()).get('/').set('X-Forwarded-Proto', 'https').expect(200);
    expect(t.warnings).toEqual([expect.stringContaining('arrived over plain http')]);
  });
});
