import request from 'supertest';
import { sealCookieValue } from '../../lib/session/iron';
import { cookieValue, startTestApp, type TestApp } from '../helpers/app';
import { COOKIE_PASSWORD } from '../helpers/env';

const PASSWORD = { id: '1', secret: COOKIE_PASSWORD };
let t: TestApp;
afterEach(() => t.close());

const SAME_ORIGIN = { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' };

describe('GET /auth/session', () => {
  beforeEach(async () => {
    t = await startTestApp();
    t.emulator.addMembership({ userId: 'user_01EMULATOR', organizationId: 'org_a', role: 'admin', permissions: ['reports:read'] });
  });

  it('tells browser code who is signed in, without any token', async () => {
    const session = t.emulator.createSession({ organizationId: 'org_a' });
    const response = await request(t.app)
      .get('/auth/session')
      .set(SAME_ORIGIN)
      .set('Cookie', `wos-session=${sealCookieValue(session, PASSWORD)}`)
      .expect(200);
    expect(response.body).toEqual({
      signedIn: true,
      user: expect.objectContaining({ id: 'user_01EMULATOR', email: 'ada@example.com' }),
      organizationId: 'org_a',
      role: 'admin',
      roles: ['admin'],
      permissions: ['reports:read'],
      entitlements: [],
      featureFlags: [],
      impersonator: null,
      expiresAt: expect.any(Number),
    });
    expect(response.text).not.toContain(session.accessToken);
    expect(response.text).not.toContain(session.refreshToken);
    expect(response.headers['cache-control']).toBe('private, no-store');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers signedIn: false without a session, and refreshes an expired one first', async () => {
    expect((await request(t.app).get('/auth/session').set(SAME_ORIGIN).expect(200)).body).toEqual({ signedIn: false });
    const cookie = sealCookieValue(t.emulator.createSession(), PASSWORD);
    t.emulator.clock.advance(600);
    const response = await request(t.app).get('/auth/session').set(SAME_ORIGIN).set('Cookie', `wos-session=${cookie}`).expect(200);
    expect(response.body.signedIn).toBe(true);
    expect(cookieValue(response, 'wos-session')).toBeDefined();
  });

  it.each<[string, Record<string, string>]>([
    ['a cross-site fetch', { 'Sec-Fetch-Site': 'cross-site' }],
    ['a sibling subdomain (same-site, not same-origin)', { 'Sec-Fetch-Site': 'same-site' }],
    ['another Origin', { Origin: 'https://evil.example' }],
    ['an opaque Origin', { Origin: 'null' }],
    ['another Referer', { Referer: 'https://evil.example/page' }],
  ])('refuses %s', async (_name, headers) => {
    const cookie = sealCookieValue(t.emulator.createSession(), PASSWORD);
    const response = await request(t.app).get('/auth/session').set(headers).set('Cookie', `wos-session=${cookie}`).expect(403);
    expect(response.body).toEqual({ error: 'cross_origin', message: expect.any(String) });
  });
});

describe('GET /auth/access-token (opt-in)', () => {
  it('does not exist unless switched on', async () => {
    t = await startTestApp();
    await request(t.app).get('/auth/access-token').set(SAME_ORIGIN).expect(404);
  });

  it('hands this origin a fresh access token, refreshing an expired one first', async () => {
    t = await startTestApp({ authkit: { routes: { accessToken: true } } });
    await request(t.app).get('/auth/access-token').set(SAME_ORIGIN).expect(401);
    const cookie = sealCookieValue(t.emulator.createSession(), PASSWORD);
    t.emulator.clock.advance(600);
    const response = await request(t.app).get('/auth/access-token').set(SAME_ORIGIN).set('Cookie', `wos-session=${cookie}`).expect(200);
    expect(response.body).toEqual({ accessToken: expect.stringMatching(/^ey/), expiresAt: expect.any(Number) });
    expect(response.body.expiresAt * 1000).toBeGreaterThan(t.emulator.clock.now());
    expect(response.headers['cache-control']).toBe('private, no-store');
    await request(t.app)
      .get('/auth/access-token')
      .set({ 'Sec-Fetch-Site': 'cross-site' })
      .set('Cookie', `wos-session=${cookie}`)
      .expect(403);
  });

  it('can live on a path of your choice', async () => {
    t = await startTestApp({ authkit: { routes: { accessToken: '/api/token', session: false } } });
    await request(t.app).get('/api/token').set(SAME_ORIGIN).expect(401);
    await request(t.app).get('/auth/session').set(SAME_ORIGIN).expect(404);
  });
});
