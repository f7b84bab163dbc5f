import cookieParser from 'cookie-parser';
import request from 'supertest';
import { BROWSER, cookieValue, setCookies, signIn, startTestApp, type TestApp } from '../helpers/app';
import { workosClientFor } from '../helpers/workos-client';
import { sealCookieValue } from '../../lib/session/iron';
import { COOKIE_PASSWORD } from '../helpers/env';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(() => t.close());

async function signedInCookie(): Promise<string> {
  const callback = await signIn(request.agent(t.app));
  return cookieValue(callback, 'wos-session')!;
}

describe('a session cookie that cannot be used means "signed out", never a 500', () => {
  const otherPassword = { id: '1', secret: 'another-password-that-is-32-chars-or-more' };
  const cases: Array<[string, (valid: string) => string]> = [
    ['garbage', () => 'not-a-seal'],
    ['empty seal parts', () => 'Fe26.2*1*******~2'],
    ['truncated', (valid) => valid.slice(0, valid.length / 2)],
    ['tampered ciphertext', (valid) => valid.replace(/\*([^*]{10})/, (_m, s: string) => `*${s.split('').reverse().join('')}`)],
    ['tampered mac', (valid) => `${valid.slice(0, -6)}AAAA~2`],
    ['sealed with another password', () => sealCookieValue({ accessToken: 'x', refreshToken: 'y', user: { id: 'user_x' } }, otherPassword)],
    ['a seal that is not a session', () => sealCookieValue({ hello: 'world' }, { id: '1', secret: COOKIE_PASSWORD })],
    [
      'a session whose token is garbage',
      () => sealCookieValue({ accessToken: 'x.y.z', refreshToken: 'y', user: { id: 'user_x' } }, { id: '1', secret: COOKIE_PASSWORD }),
    ],
    ['huge', () => 'A'.repeat(6000)],
    ['percent garbage', () => '%E0%A4%A'],
  ];

  it.each(cases)('%s: API gets 401, page gets the sign-in redirect, cookie untouched', async (_name, make) => {
    const value = make(await signedInCookie());
    const api = await request(t.app).get('/api/me').set('Cookie', `wos-session=${value}`).expect(401);
    expect(setCookies(api)).toEqual([]);
    const page = await request(t.app).get('/dashboard').set(BROWSER).set('Cookie', `wos-session=${value}`).expect(302);
    expect(page.headers.location).toBe('/login?returnTo=%2Fdashboard');
    await request(t.app).get('/').set('Cookie', `wos-session=${value}`).expect(200, { signedIn: false, email: null });
  });

  it('works the same with cookie-parser (signed-cookie mode) in front', async () => {
    const withParser = await startTestApp({ configure: (app) => app.use(cookieParser('cookie-parser-secret')) });
    try {
      const agent = request.agent(withParser.app);
      await signIn(agent);
      await agent.get('/api/me').expect(200);
      withParser.emulator.clock.advance(301);
      await agent.get('/api/me').expect(200);
      expect(withParser.emulator.calls.authenticate_refresh).toBe(1);
    } finally {
      await withParser.close();
    }
  });
});

describe('refresh failures', () => {
  it('signs out cleanly when WorkOS refuses the refresh token (revoked session)', async () => {
    const agent = request.agent(t.app);
    await signIn(agent);
    const me = await agent.get('/api/me').expect(200);
    t.emulator.revokeSession((me.body as { sessionId: string }).sessionId);
    t.emulator.clock.advance(301);
    const refused = await agent.get('/api/me').expect(401);
    expect(setCookies(refused)).toContainEqual(expect.stringMatching(/^wos-session=; Path=\/; Max-Age=0/));
    await agent.get('/dashboard').set(BROWSER).expect(302).expect('location', '/login?returnTo=%2Fdashboard');
  });

  it('keeps the session when WorkOS is down, answering 503 through the error handler', async () => {
    const app = await startTestApp({ authkit: (emulator) => ({ workos: workosClientFor(emulator) }) });
    try {
      const agent = request.agent(app.app);
      await signIn(agent);
      app.emulator.clock.advance(301);
      app.emulator.failNext('authenticate_refresh', { status: 500, body: { message: 'boom' } });
      const failed = await agent.get('/api/me').expect(503);
      expect(failed.body).toEqual({ code: 'refresh_unavailable' });
      expect(setCookies(failed)).toEqual([]);
      // WorkOS is back: the same cookie still works.
      await agent.get('/api/me').expect(200);
      expect(app.emulator.calls.authenticate_refresh).toBe(2);
    } finally {
      await app.close();
    }
  });
});
