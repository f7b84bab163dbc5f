import express from 'express';
import request from 'supertest';
import { getAuth, OrganizationSwitchError, type AuthKit } from '../../lib';
import { sealCookieValue, unsealCookieValue } from '../../lib/session/iron';
import { BROWSER, cookieValue, setCookies, startTestApp, type TestApp } from '../helpers/app';
import { workosClientFor } from '../helpers/workos-client';
import { COOKIE_PASSWORD } from '../helpers/env';

const PASSWORD = { id: '1', secret: COOKIE_PASSWORD };
let t: TestApp;
let reached: unknown[];

/** Routes an app would write with the helpers; errors reach the test app's error handler. */
function helperRoutes(app: express.Express, authkit: AuthKit): void {
  const run =
    (handler: express.RequestHandler): express.RequestHandler =>
    (req, res, next) =>
      Promise.resolve(handler(req, res, next)).catch(next);
  app.post(
    '/refresh',
    run(async (req, res) => {
      const auth = await authkit.refreshSession(req, res, { organizationId: req.query.org as string | undefined });
      res.json({ organizationId: auth.organizationId ?? null, same: getAuth(req) === auth });
    }),
  );
  app.post(
    '/switch',
    run(async (req, res) => {
      const auth = await authkit.switchToOrganization(req, res, req.query.org as string, {
        returnTo: req.query.returnTo as string | undefined,
      });
      if (!res.headersSent) res.json({ organizationId: auth?.organizationId ?? null });
    }),
  );
  app.post('/bye', (req, res) => authkit.signOut(req, res, { returnTo: '/goodbye' }));
  app.post(
    '/custom-sign-in',
    run(async (_req, res) => {
      // A custom flow (magic auth, email verification, …) ends with a WorkOS authentication response.
      const response = t.emulator.createSession();
      authkit.saveSession(res, response);
      res.json({ saved: true });
    }),
  );
}

beforeEach(async () => {
  reached = [];
  t = await startTestApp({
    authkit: (emulator) => ({ workos: workosClientFor(emulator) }),
    configure: helperRoutes,
    onError: (error) => reached.push(error),
  });
  t.emulator.addMembership({ userId: 'user_01EMULATOR', organizationId: 'org_a', role: 'admin' });
  t.emulator.addMembership({ userId: 'user_01EMULATOR', organizationId: 'org_b', role: 'member' });
});
afterEach(() => t.close());

const sessionCookie = (organizationId?: string) => `wos-session=${sealCookieValue(t.emulator.createSession({ organizationId }), PASSWORD)}`;
const organizationIn = (value: string) =>
  (unsealCookieValue<{ organizationId?: string }>(value, [PASSWORD]) as { ok: true; value: { organizationId?: string } }).value
    .organizationId;

describe('refreshSession', () => {
  it('refreshes now, sets the new cookie and req.auth, and can enter another organization', async () => {
    const same = await request(t.app).post('/refresh').set('Cookie', sessionCookie('org_a')).expect(200);
    expect(same.body).toEqual({ organizationId: 'org_a', same: true });
    const moved = await request(t.app).post('/refresh?org=org_b').set('Cookie', sessionCookie('org_a')).expect(200);
    expect(moved.body.organizationId).toBe('org_b');
    expect(organizationIn(cookieValue(moved, 'wos-session')!)).toBe('org_b');
    expect(t.emulator.calls.authenticate_refresh).toBe(2);
  });

  it('refuses an organization the user is not in with a 403 error and keeps the session', async () => {
    const response = await request(t.app).post('/refresh?org=org_elsewhere').set('Cookie', sessionCookie('org_a')).expect(403);
    expect(setCookies(response)).toEqual([]);
    expect(reached[0]).toBeInstanceOf(OrganizationSwitchError);
    expect(reached[0]).toMatchObject({
      code: 'organization_switch_failed',
      workosCode: 'organization_membership_required',
      organizationId: 'org_elsewhere',
    });
  });

  it('is not_signed_in (401) without a session, and after a revoked session, clearing it', async () => {
    await request(t.app).post('/refresh').expect(401);
    const created = t.emulator.createSession();
    const sid = JSON.parse(Buffer.from(created.accessToken.split('.')[1]!, 'base64url').toString()).sid as string;
    t.emulator.revokeSession(sid);
    const ended = await request(t.app)
      .post('/refresh')
      .set('Cookie', `wos-session=${sealCookieValue(created, PASSWORD)}`)
      .expect(401);
    expect(setCookies(ended)).toEqual([expect.stringMatching(/^wos-session=; .*Max-Age=0/)]);
    expect(reached.map((error) => (error as { code: string }).code)).toEqual(['not_signed_in', 'not_signed_in']);
  });
});

describe('switchToOrganization', () => {
  it('switches and redirects to a safe returnTo (and ignores an unsafe one)', async () => {
    const switched = await request(t.app).post('/switch?org=org_b&returnTo=/team').set('Cookie', sessionCookie('org_a')).expect(302);
    expect(switched.headers.location).toBe('/team');
    expect(organizationIn(cookieValue(switched, 'wos-session')!)).toBe('org_b');
    const unsafe = await request(t.app).post('/switch?org=org_a&returnTo=//evil.example').set('Cookie', sessionCookie('org_b')).expect(200);
    expect(unsafe.body).toEqual({ organizationId: 'org_a' });
  });

  it.each([
    [
      'sso_required',
      { error: 'sso_required', error_description: 'SSO required', connection_ids: ['conn_1'], pending_authentication_token: 'pat_1' },
    ],
    ['mfa_enrollment', { code: 'mfa_enrollment', message: 'MFA enrollment required', pending_authentication_token: 'pat_2' }],
  ])('sends the browser to sign in with the organization when WorkOS answers %s', async (_code, body) => {
    t.emulator.failNext('authenticate_refresh', { status: 403, body });
    const response = await request(t.app).post('/switch?org=org_b&returnTo=/team').set('Cookie', sessionCookie('org_a')).expect(302);
    const authorize = new URL(response.headers.location as string);
    expect(authorize.pathname).toBe('/user_management/authorize');
    expect(authorize.searchParams.get('organization_id')).toBe('org_b');
    // The session is kept; only a flow cookie is added.
    expect(setCookies(response)).toEqual([expect.stringMatching(/^wos-auth-verifier-/)]);
  });
});

describe('signOut and saveSession', () => {
  it('signOut clears the session and goes to WorkOS with the return path', async () => {
    const response = await request(t.app).post('/bye').set('Cookie', sessionCookie()).expect(302);
    const logout = new URL(response.headers.location as string);
    expect(logout.pathname).toBe('/user_management/sessions/logout');
    expect(logout.searchParams.get('return_to')).toBe('http://localhost:3000/goodbye');
    expect(setCookies(response)).toEqual([expect.stringMatching(/^wos-session=; .*Max-Age=0/)]);
  });

  it("saveSession stores a custom flow's authentication so the next request is signed in", async () => {
    const saved = await request(t.app).post('/custom-sign-in').expect(200);
    expect(saved.headers['cache-control']).toBe('private, no-store');
    const cookie = cookieValue(saved, 'wos-session')!;
    const me = await request(t.app).get('/api/me').set('Cookie', `wos-session=${cookie}`).expect(200);
    expect(me.body.user.email).toBe('ada@example.com');
  });
});

describe('impersonation', () => {
  it('puts the impersonator on req.auth', async () => {
    const session = t.emulator.createSession({ impersonator: { email: 'support@example.com', reason: 'ticket 42' } });
    const me = await request(t.app)
      .get('/api/me')
      .set('Cookie', `wos-session=${sealCookieValue(session, PASSWORD)}`)
      .expect(200);
    expect(me.body.impersonator).toEqual({ email: 'support@example.com', reason: 'ticket 42' });
  });
});

describe('errorHandler', () => {
  function appWithErrorHandler(): express.Express {
    const app = express();
    app.use(t.authkit.router);
    app.get('/api/me', t.authkit.requireAuth, (req, res) => res.json(getAuth(req).user));
    app.get('/page', t.authkit.requireAuth, (_req, res) => res.send('page'));
    app.get('/boom', () => {
      throw new Error('not ours');
    });
    app.use(t.authkit.errorHandler);
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) =>
      res.status(500).json({ passedOn: error.message }),
    );
    return app;
  }

  it('answers outages with 503 and Retry-After: JSON for APIs, a short page for browsers, no details', async () => {
    const app = appWithErrorHandler();
    const cookie = sessionCookie();
    t.emulator.clock.advance(600);
    t.emulator.failNext('authenticate_refresh', { status: 500, body: {} }, 2);
    const api = await request(app).get('/api/me').set('Cookie', cookie).expect(503);
    expect(api.headers['retry-after']).toMatch(/^\d+$/);
    expect(api.headers['cache-control']).toBe('private, no-store');
    expect(api.body).toEqual({ error: 'refresh_unavailable', message: expect.stringMatching(/unavailable right now/) });
    const page = await request(app).get('/page').set(BROWSER).set('Cookie', cookie).expect(503);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toMatch(/<h1>Try again shortly<\/h1>/);
  });

  it('shows callback errors as an escaped page and passes other errors on', async () => {
    const app = appWithErrorHandler();
    const page = await request(app).get('/callback?state=<script>').set(BROWSER).expect(400);
    expect(page.text).toMatch(/<h1>Sign-in failed<\/h1>/);
    expect(page.text).not.toContain('<script>');
    expect((await request(app).get('/boom').expect(500)).body).toEqual({ passedOn: 'not ours' });
  });
});
