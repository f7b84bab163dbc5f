import type { IncomingMessage, ServerResponse } from 'node:http';
import request from 'supertest';
import { startEmulator, type Emulator } from 'authkit-express/testing';
import { createApp as createConnectApp } from '../../examples/connect/app';
import { createHandler } from '../../examples/connect/http';
import { createApp as createKoaApp } from '../../examples/koa/app';
import type { AuthKitOptions } from '../../lib';
import { BROWSER, setCookies } from '../helpers/app';
import { workosClientFor } from '../helpers/workos-client';
import { clearWorkOSEnv, COOKIE_PASSWORD } from '../helpers/env';
import { submitSignInPage } from '../helpers/sign-in-page';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

let emulator: Emulator;
beforeEach(async () => {
  clearWorkOSEnv();
  // The interactive sign-in page, as a person running the example sees it.
  emulator = await startEmulator();
});
afterEach(() => emulator.close());

const examples: Array<[string, (options: AuthKitOptions) => Listener]> = [
  ['examples/connect (connect())', (options) => createConnectApp(options)],
  ['examples/connect/http (a bare http.createServer listener)', (options) => createHandler(options)],
  [
    'examples/koa',
    (options) => {
      const app = createKoaApp(options);
      app.silent = true; // Koa would print the 503's stack
      return app.callback();
    },
  ],
];

const options = (extra: AuthKitOptions = {}): AuthKitOptions => ({
  ...emulator.settings,
  cookiePassword: COOKIE_PASSWORD,
  redirectUri: 'http://localhost:3000/callback',
  logger: { warn: () => undefined },
  ...extra,
});

describe.each(examples)('%s', (_name, create) => {
  it('signs a person in on the emulator page, shows the dashboard, survives token expiry, signs out', async () => {
    const browser = request.agent(create(options()));

    const home = await browser.get('/').set(BROWSER).expect(200);
    expect(home.text).toContain('<a href="/login">Sign in</a>');
    await browser
      .get('/api/me')
      .expect(401)
      .expect('www-authenticate', /^AuthKit realm=/);

    const refused = await browser.get('/dashboard').set(BROWSER).expect(302).expect('location', '/login?returnTo=%2Fdashboard');
    const login = await browser
      .get(refused.headers.location as string)
      .set(BROWSER)
      .expect(302);
    const callback = await submitSignInPage(emulator, login.headers.location as string, 'grace@example.com');
    const landed = await browser.get(`${callback.pathname}${callback.search}`).set(BROWSER).expect(302);
    expect(landed.headers.location).toBe('/dashboard');
    expect(setCookies(landed).some((cookie) => cookie.startsWith('wos-session=Fe26.2'))).toBe(true);

    const dashboard = await browser.get('/dashboard').set(BROWSER).expect(200);
    expect(dashboard.text).toContain('grace@example.com');
    expect((await browser.get('/api/me').expect(200)).body).toMatchObject({ user: { email: 'grace@example.com' } });

    emulator.clock.advance(60 * 60);
    const later = await browser.get('/dashboard').set(BROWSER).expect(200);
    expect(later.text).toContain('grace@example.com');
    expect(setCookies(later).some((cookie) => cookie.startsWith('wos-session=Fe26.2'))).toBe(true);

    const logout = await browser.get('/logout').set(BROWSER).expect(302);
    expect(setCookies(logout)).toContainEqual(expect.stringMatching(/^wos-session=; Path=\/; Max-Age=0/));
    const signedOut = await fetch(logout.headers.location as string, { redirect: 'manual' });
    expect(signedOut.status).toBe(302);
    await browser
      .get('/')
      .set(BROWSER)
      .expect(200)
      .expect(/You are signed out/);
    await browser.get('/api/me').expect(401);
  });

  it('answers a failed sign-in with 400 and deletes the flow cookie; a WorkOS outage with 503 and Retry-After', async () => {
    emulator.setAutoApprove(true);
    const browser = request.agent(create(options({ workos: workosClientFor(emulator) })));
    emulator.failAuthorize('access_denied');
    const login = await browser.get('/login').set(BROWSER).expect(302);
    const authorize = await fetch(login.headers.location as string, { redirect: 'manual' });
    const callback = new URL(authorize.headers.get('location') as string);
    const failed = await browser.get(`${callback.pathname}${callback.search}`).set(BROWSER).expect(400);
    expect(setCookies(failed)).toContainEqual(expect.stringMatching(/^wos-auth-verifier-[^=]+=; .*Max-Age=0/));

    const signIn = await browser.get('/login').set(BROWSER).expect(302);
    const approved = await fetch(signIn.headers.location as string, { redirect: 'manual' });
    const back = new URL(approved.headers.get('location') as string);
    await browser.get(`${back.pathname}${back.search}`).set(BROWSER).expect(302);
    emulator.failNext('authenticate_refresh', { status: 500, body: { message: 'down' } }, 10);
    emulator.clock.advance(60 * 60);
    const outage = await browser.get('/api/me').expect(503);
    expect(outage.headers['retry-after']).toBe('5');
    expect(setCookies(outage)).toEqual([]);
  });
});
