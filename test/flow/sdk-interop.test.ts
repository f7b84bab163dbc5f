import request from 'supertest';
import { COOKIE_PASSWORD } from '../helpers/env';
import { cookieValue, signIn, startTestApp, type TestApp } from '../helpers/app';
import { APP_ORIGIN } from '../helpers/app-setup';
import { workosClientFor } from '../helpers/workos-client';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(() => t.close());

describe('cookies interoperate with @workos-inc/node', () => {
  it('accepts a session the SDK sealed (the quick-start callback)', async () => {
    const workos = workosClientFor(t.emulator);
    const authorizeUrl = workos.userManagement.getAuthorizationUrl({
      provider: 'authkit',
      clientId: t.emulator.clientId,
      redirectUri: `${APP_ORIGIN}/callback`,
    });
    const authorize = await fetch(authorizeUrl, { redirect: 'manual' });
    const code = new URL(authorize.headers.get('location') as string).searchParams.get('code') as string;
    const { sealedSession } = await workos.userManagement.authenticateWithCode({
      clientId: t.emulator.clientId,
      code,
      session: { sealSession: true, cookiePassword: COOKIE_PASSWORD },
    });
    expect(sealedSession).toMatch(/^Fe26\.2\*/);
    const me = await request(t.app).get('/api/me').set('Cookie', `wos-session=${sealedSession}`).expect(200);
    expect((me.body as { user: { email: string } }).user.email).toBe('ada@example.com');
  });

  it('writes cookies the SDK reads: loadSealedSession().authenticate() succeeds, also after our refresh', async () => {
    const agent = request.agent(t.app);
    const callback = await signIn(agent);
    const workos = workosClientFor(t.emulator);
    const first = await workos.userManagement
      .loadSealedSession({ sessionData: cookieValue(callback, 'wos-session')!, cookiePassword: COOKIE_PASSWORD })
      .authenticate();
    expect(first).toMatchObject({ authenticated: true, user: { id: 'user_01EMULATOR' } });

    t.emulator.clock.advance(301);
    const refreshed = await agent.get('/api/me').expect(200);
    const renewed = cookieValue(refreshed, 'wos-session')!;
    const second = await workos.userManagement.loadSealedSession({ sessionData: renewed, cookiePassword: COOKIE_PASSWORD }).authenticate();
    expect(second).toMatchObject({ authenticated: true, user: { id: 'user_01EMULATOR' } });
  });
});
