import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { AuthKitError, createAuthKit, getAuth, type SessionRejectionReason } from '../../lib';
import { seal, sealCookieValue } from '../../lib/session/iron';
import type { Emulator } from '../../lib/testing';
import { decodeUnverified } from '../../lib/tokens/claims';
import { BROWSER, setCookies, startTestApp, type TestApp } from '../helpers/app';
import { COOKIE_PASSWORD } from '../helpers/env';

const PASSWORD = { id: '1', secret: COOKIE_PASSWORD };
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('req.auth is branded', () => {
  const forged = { user: { id: 'user_admin', email: 'admin@example.com' }, organizationId: 'org_1', permissions: ['*'] };

  it('ignores a req.auth another library set before the guard, and overwrites it', async () => {
    t = await startTestApp({
      configure: (app) => app.use((req, _res, next) => void (((req as unknown as { auth: unknown }).auth = forged), next())),
    });
    await request(t.app).get('/api/me').expect(401);
    const page = await request(t.app).get('/').expect(200);
    expect(page.body).toEqual({ signedIn: false, email: null });
  });

  it('does not trust a req.auth replaced after the guard ran, or one on a request no guard saw', async () => {
    const app = express();
    const authkit = createAuthKit({
      clientId: 'client_x',
      apiKey: 'sk_x',
      cookiePassword: COOKIE_PASSWORD,
      redirectUri: 'http://localhost:3000/callback',
      logger: { warn() {} },
    });
    app.get(
      '/replaced',
      authkit.optionalAuth,
      (req, _res, next) => void (((req as unknown as { auth: unknown }).auth = forged), next()),
      (req, res) => res.json(getAuth(req)),
    );
    app.get(
      '/unguarded',
      (req, _res, next) => void (((req as unknown as { auth: unknown }).auth = forged), next()),
      (req, res) => res.json(getAuth(req)),
    );
    expect((await request(app).get('/replaced').expect(200)).body).toEqual({ user: null });
    expect((await request(app).get('/unguarded').expect(200)).body).toEqual({ user: null });
  });
});

describe('running the middleware twice', () => {
  it('authenticates once per request when the same instance guards it twice, without a warning', async () => {
    t = await startTestApp({ configure: (app, authkit) => app.use('/api', authkit.optionalAuth, authkit.requireAuth) });
    const cookie = sealCookieValue(t.emulator.createSession(), PASSWORD);
    t.emulator.clock.advance(600);
    const response = await request(t.app).get('/api/me').set('Cookie', `wos-session=${cookie}`).expect(200);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
    expect(setCookies(response).filter((line) => line.startsWith('wos-session='))).toHaveLength(1);
    expect(t.warnings).toEqual([]);
  });

  it('warns once when two instances authenticate the same request (they would race on refresh)', async () => {
    const warnings: string[] = [];
    let emulator: Emulator | undefined;
    t = await startTestApp({
      authkit: (started) => ((emulator = started), {}),
      configure: (app) => {
        const second = createAuthKit({
          ...emulator!.settings,
          cookiePassword: COOKIE_PASSWORD,
          redirectUri: 'http://localhost:3000/callback',
          logger: { warn: (m) => warnings.push(m) },
        });
        app.use('/api', second.optionalAuth);
      },
    });
    await request(t.app).get('/api/me').expect(401);
    await request(t.app).get('/api/me').expect(401);
    expect([...t.warnings, ...warnings]).toEqual([
      expect.stringMatching(/Two createAuthKit instances authenticated the same request \(GET \/api\/me\).*create one instance/),
    ]);
  });
});

describe('onSessionRejected says why a session was refused', () => {
  const reasons: SessionRejectionReason[] = [];
  beforeEach(async () => {
    reasons.length = 0;
    t = await startTestApp({
      authkit: { onSessionRejected: ({ reason, req }) => void (expect(req.url).toBe('/api/me'), reasons.push(reason)) },
    });
  });

  const now = () => t!.emulator.clock.now();
  const claims = (overrides: Record<string, unknown>) => ({
    iss: t!.emulator.issuer,
    sub: 'user_01EMULATOR',
    sid: 'session_x',
    exp: Math.floor(now() / 1000) + 300,
    ...overrides,
  });
  const withToken = (token: string) => sealCookieValue({ ...t!.emulator.createSession(), accessToken: token }, PASSWORD);

  it.each<[SessionRejectionReason, () => string]>([
    ['malformed', () => 'not-a-seal'],
    [
      'tampered',
      () => sealCookieValue(t!.emulator.createSession(), PASSWORD).replace(/\*[^*]+~2$/, `*${Buffer.alloc(32).toString('base64url')}~2`),
    ],
    ['unknown_password', () => sealCookieValue(t!.emulator.createSession(), { id: '9', secret: 'some-other-password-of-32-characters!!' })],
    ['expired', () => seal(t!.emulator.createSession(), PASSWORD, { ttlSeconds: 1, now: now() - 5 * 60 * 1000 })],
    ['not_a_session', () => sealCookieValue({ hello: 'world' }, PASSWORD)],
    ['invalid_token', () => withToken(t!.emulator.signAccessToken(claims({}), {}, 'foreign'))],
    ['user_mismatch', () => withToken(t!.emulator.signAccessToken(claims({ sub: 'user_other' })))],
  ])('%s', async (reason, cookie) => {
    await request(t!.app).get('/api/me').set('Cookie', `wos-session=${cookie()}`).expect(401);
    expect(reasons).toEqual([reason]);
  });

  it('refresh_rejected, and nothing for a request without a cookie', async () => {
    const session = t!.emulator.createSession();
    t!.emulator.revokeSession(decodeUnverified(session.accessToken)!.sid as string);
    t!.emulator.clock.advance(600);
    await request(t!.app)
      .get('/api/me')
      .set('Cookie', `wos-session=${sealCookieValue(session, PASSWORD)}`)
      .expect(401);
    await request(t!.app).get('/api/me').expect(401);
    expect(reasons).toEqual(['refresh_rejected']);
  });
});

describe('hooks never break a request', () => {
  it('a throwing onSessionRejected is logged, and the request is still answered', async () => {
    t = await startTestApp({
      authkit: {
        onSessionRejected: () => {
          throw new Error('monitoring down');
        },
      },
    });
    await request(t.app).get('/api/me').set('Cookie', 'wos-session=garbage').expect(401);
    expect(t.warnings).toEqual(['onSessionRejected threw: monitoring down']);
  });
});

describe('onError', () => {
  it('can render its own page for a failed callback, escaping what it shows', async () => {
    const seen: AuthKitError[] = [];
    t = await startTestApp({
      authkit: {
        onError: (error, _req, res) => {
          seen.push(error);
          res.statusCode = error.status;
          res.setHeader('Content-Type', 'text/html');
          res.end(`<p>Sign-in failed (${error.code})</p>`);
        },
      },
      onError: () => {
        throw new Error('the app error handler must not run when onError answered');
      },
    });
    const response = await request(t.app).get('/callback?state=x&code=y').set(BROWSER).expect(400);
    expect(response.text).toBe('<p>Sign-in failed (invalid_state)</p>');
    expect(seen.map((error) => error.code)).toEqual(['invalid_state']);
    expect(response.headers['cache-control']).toMatch(/no-store/);
  });

  it('passes the error on to next(err) when the hook does not answer, and a hook failure too', async () => {
    const reached: unknown[] = [];
    t = await startTestApp({ authkit: { onError: () => undefined }, onError: (error) => reached.push(error) });
    await request(t.app).get('/callback?error=access_denied').set(BROWSER).expect(400);
    expect(reached).toEqual([expect.objectContaining({ code: 'authorization_denied' })]);
    await t.close();

    reached.length = 0;
    t = await startTestApp({
      authkit: { onError: async () => Promise.reject(new Error('renderer broke')) },
      onError: (error) => reached.push(error),
    });
    await request(t.app).get('/callback').set(BROWSER).expect(500);
    expect(reached).toEqual([expect.objectContaining({ message: 'renderer broke' })]);
  });

  it('sees guard errors too (JWKS outage), with the cookie kept', async () => {
    const codes: string[] = [];
    t = await startTestApp({ authkit: { onError: (error) => void codes.push(error.code) } });
    t.emulator.failNext('jwks', { status: 500, body: {} });
    const cookie = sealCookieValue(t.emulator.createSession(), PASSWORD);
    const response = await request(t.app).get('/api/me').set('Cookie', `wos-session=${cookie}`).expect(503);
    expect(codes).toEqual(['jwks_unavailable']);
    expect(setCookies(response)).toEqual([]);
  });
});

describe('a Secure cookie on what looks like plain http', () => {
  const https = { redirectUri: 'https://app.example.com/callback' };

  it('warns once, explaining trust proxy, when requests arrive over http', async () => {
    t = await startTestApp({ authkit: https });
    await request(t.app).get('/api/me').expect(401);
    await request(t.app).get('/login').set(BROWSER).expect(302);
    expect(t.warnings).toHaveLength(1);
    expect(t.warnings[0]).toMatch(/arrived over plain http.*app\.set\("trust proxy", 1\)/);
    const login = await request(t.app).get('/login').set(BROWSER);
    expect(setCookies(login)[0]).toMatch(/; Secure/); // the cookie itself stays Secure
  });

  it('stays quiet behind a proxy Express trusts, and for an http site', async () => {
    t = await startTestApp({ authkit: https, configure: (app) => app.set('trust proxy', 1) });
    await request(t.app).get('/api/me').set('X-Forwarded-Proto', 'https').expect(401);
    expect(t.warnings).toEqual([]);
    await t.close();
    t = await startTestApp();
    await request(t.app).get('/api/me').expect(401);
    expect(t.warnings).toEqual([]);
  });

  it('warns on a plain node:http server too (no req.secure there)', async () => {
    const warnings: string[] = [];
    const authkit = createAuthKit({
      clientId: 'client_x',
      apiKey: 'sk_x',
      cookiePassword: COOKIE_PASSWORD,
      ...https,
      logger: { warn: (m) => warnings.push(m) },
    });
    const server = createServer((req, res) => authkit.requireAuth(req, res, () => res.end('ok')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/private`);
      expect(response.status).toBe(401);
      expect(warnings).toHaveLength(1);
    } finally {
      server.close();
    }
  });
});
