import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createAuthKit } from '../../lib';
import { sealCookieValue } from '../../lib/session/iron';
import { BROWSER, startTestApp, type TestApp } from '../helpers/app';
import { workosClientFor } from '../helpers/workos-client';
import { COOKIE_PASSWORD } from '../helpers/env';

/**
 * Secrets must never reach a response or an error's text: an app's error page or logger may
 * print `message`, `stack` or the whole error. `cause` (the SDK's own error) is left to the app.
 */
function exposedText(error: unknown): string {
  const { message, stack, cause: _cause, ...fields } = error as Error & Record<string, unknown>;
  return JSON.stringify({ message, stack, fields });
}

let t: TestApp;
const errors: unknown[] = [];
beforeEach(async () => {
  errors.length = 0;
  t = await startTestApp({ authkit: (emulator) => ({ workos: workosClientFor(emulator) }), onError: (error) => errors.push(error) });
});
afterEach(() => t.close());

async function authorizationCode(): Promise<{ code: string; state: string; flowCookie: string }> {
  const login = await request(t.app).get('/login').set(BROWSER).expect(302);
  const authorize = await fetch(login.headers.location as string, { redirect: 'manual' });
  const callback = new URL(authorize.headers.get('location')!);
  const flowCookie = String(login.headers['set-cookie']![0]).split(';')[0]!;
  return { code: callback.searchParams.get('code')!, state: callback.searchParams.get('state')!, flowCookie };
}

function expectNoSecret(texts: string[], secrets: string[]): void {
  for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
}

it('keeps the authorization code out of callback failures (missing verifier, code already used)', async () => {
  const { code, state, flowCookie } = await authorizationCode();
  const unbound = await request(t.app)
    .get(`/callback?${new URLSearchParams({ code, state })}`)
    .set(BROWSER)
    .expect(400);
  const first = await request(t.app)
    .get(`/callback?${new URLSearchParams({ code, state })}`)
    .set(BROWSER)
    .set('Cookie', flowCookie)
    .expect(302);
  const replay = await request(t.app)
    .get(`/callback?${new URLSearchParams({ code, state })}`)
    .set(BROWSER)
    .set('Cookie', flowCookie)
    .expect(400);
  expect(errors.map((error) => (error as { code: string }).code)).toEqual(['missing_verifier', 'code_exchange_failed']);
  expectNoSecret([unbound.text, first.text, replay.text, ...errors.map(exposedText)], [code, state]);
});

it('keeps tokens and the cookie out of refresh and JWKS failures', async () => {
  const session = t.emulator.createSession();
  const cookie = sealCookieValue(session, { id: '1', secret: COOKIE_PASSWORD });
  const secrets = [cookie, session.accessToken, session.refreshToken];

  t.emulator.failNext('jwks', { status: 500, body: { message: 'down' } });
  const jwksDown = await request(t.app).get('/api/me').set('Cookie', `wos-session=${cookie}`).expect(503);
  t.emulator.clock.advance(600);
  t.emulator.failNext('authenticate_refresh', { status: 500, body: { message: 'down' } });
  const refreshDown = await request(t.app).get('/api/me').set('Cookie', `wos-session=${cookie}`).expect(503);
  const refused = await request(t.app)
    .get('/api/me')
    .set('Cookie', `wos-session=${cookie.slice(0, -10)}`)
    .expect(401);

  expect(errors.map((error) => (error as { code: string }).code)).toEqual(['jwks_unavailable', 'refresh_unavailable']);
  expect(errors.every((error) => (error as { expose: boolean }).expose === false)).toBe(true);
  expectNoSecret([jwksDown.text, refreshDown.text, refused.text, ...errors.map(exposedText)], secrets);
});

it('answers a plain node:http server (no next) with fixed text, not the error', async () => {
  const authkit = createAuthKit({
    ...t.emulator.settings,
    cookiePassword: COOKIE_PASSWORD,
    redirectUri: 'http://localhost:3000/callback',
    logger: { warn() {} },
  });
  const server = createServer((req, res) => authkit.router(req, res, undefined as never));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { code, state } = await authorizationCode();
    const response = await fetch(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback?${new URLSearchParams({ code, state })}`,
    );
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toBe('Authentication could not be completed.');
  } finally {
    server.close();
  }
});

it('debug logging says what happened with ids and reasons, never tokens or cookie values', async () => {
  const lines: string[] = [];
  const app = await startTestApp({ authkit: { debug: true, logger: { warn: (m) => lines.push(m), debug: (m) => lines.push(m) } } });
  try {
    const session = app.emulator.createSession();
    const cookie = sealCookieValue(session, { id: '1', secret: COOKIE_PASSWORD });
    await request(app.app).get('/api/me').set('Cookie', `wos-session=${cookie}`).expect(200);
    app.emulator.clock.advance(600);
    const refreshed = await request(app.app).get('/api/me').set('Cookie', `wos-session=${cookie}`).expect(200);
    await request(app.app).get('/api/me').set('Cookie', 'wos-session=garbage').expect(401);
    expect(lines).toEqual([
      'GET /api/me: signed in as user_01EMULATOR',
      'GET /api/me: signed in as user_01EMULATOR (session refreshed)',
      'GET /api/me: signed out (malformed)',
    ]);
    const newCookie = String(refreshed.headers['set-cookie']);
    expectNoSecret(lines, [cookie, session.accessToken, session.refreshToken, newCookie.slice(12, 60)]);
  } finally {
    await app.close();
  }
});
