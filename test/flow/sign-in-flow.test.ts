import request from 'supertest';
import { BROWSER, cookieValue, setCookies, signIn, startTestApp, type TestApp } from '../helpers/app';
import { APP_ORIGIN } from '../helpers/app-setup';
import { decodeJwt } from 'jose';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(() => t.close());

describe('sign-in', () => {
  it('redirects /login to the WorkOS authorize URL with provider authkit, sealed state and PKCE S256', async () => {
    const response = await request(t.app).get('/login').set(BROWSER).expect(302);
    const url = new URL(response.headers.location as string);
    expect(`${url.origin}${url.pathname}`).toBe(`${t.emulator.url}/user_management/authorize`);
    expect(url.searchParams.get('provider')).toBe('authkit');
    expect(url.searchParams.get('client_id')).toBe(t.emulator.clientId);
    expect(url.searchParams.get('redirect_uri')).toBe(`${APP_ORIGIN}/callback`);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/^Fe26\.2\*/);
    const [flowCookie] = setCookies(response);
    expect(flowCookie).toMatch(/^wos-auth-verifier-[A-Za-z0-9_-]+=Fe26\.2\*/);
    expect(flowCookie).toContain('HttpOnly');
    expect(flowCookie).toContain('Path=/;');
    expect(flowCookie).toContain('Max-Age=600');
  });

  it('passes organizationId and loginHint (from a same-origin page), and sends /sign-up with the sign-up screen hint', async () => {
    const login = await request(t.app).get('/login?organizationId=org_123&loginHint=ada%40example.com').set(BROWSER).expect(302);
    const loginUrl = new URL(login.headers.location as string);
    expect(loginUrl.searchParams.get('organization_id')).toBe('org_123');
    expect(loginUrl.searchParams.get('login_hint')).toBe('ada@example.com');
    expect(loginUrl.searchParams.get('screen_hint')).toBe('sign-in');
    const signUp = await request(t.app).get('/sign-up').expect(302);
    expect(new URL(signUp.headers.location as string).searchParams.get('screen_hint')).toBe('sign-up');
  });

  it('completes the whole flow: callback, protected page, transparent refresh, sign-out', async () => {
    const agent = request.agent(t.app);
    const callback = await signIn(agent);
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe('/');
    expect(callback.headers['cache-control']).toBe('private, no-store');
    expect(callback.headers['referrer-policy']).toBe('no-referrer');
    const sessionCookie = setCookies(callback).find((c) => c.startsWith('wos-session='));
    expect(sessionCookie).toMatch(/^wos-session=Fe26\.2\*1\*.+~2; Path=\/; Max-Age=34560000; HttpOnly; SameSite=Lax$/);
    // The flow cookie is deleted once used.
    expect(setCookies(callback).some((c) => /^wos-auth-verifier-[^=]+=;.*Max-Age=0/.test(c))).toBe(true);

    const page = await agent.get('/dashboard').set(BROWSER).expect(200);
    expect(page.text).toContain('ada@example.com');
    expect(setCookies(page)).toEqual([]);

    // The access token expires; the next request refreshes it and is served without a redirect.
    t.emulator.clock.advance(301);
    const refreshed = await agent.get('/dashboard').set(BROWSER).expect(200);
    expect(refreshed.text).toContain('ada@example.com');
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
    const newCookie = cookieValue(refreshed, 'wos-session');
    expect(newCookie).toMatch(/^Fe26\.2\*/);
    expect(refreshed.headers['cache-control']).toBe('private, no-store');
    expect(refreshed.headers.vary).toMatch(/Cookie/);

    // The new cookie is used from now on: no second refresh.
    await agent.get('/api/me').expect(200);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);

    const me = await agent.get('/api/me').expect(200);
    const sessionId = (me.body as { sessionId: string }).sessionId;
    expect(sessionId).toMatch(/^session_/);

    const logout = await agent.get('/logout').set(BROWSER).expect(302);
    const logoutUrl = new URL(logout.headers.location as string);
    expect(`${logoutUrl.origin}${logoutUrl.pathname}`).toBe(`${t.emulator.url}/user_management/sessions/logout`);
    expect(logoutUrl.searchParams.get('session_id')).toBe(sessionId);
    expect(setCookies(logout)).toContainEqual(expect.stringMatching(/^wos-session=; Path=\/; Max-Age=0/));

    await agent.get('/dashboard').set(BROWSER).expect(302).expect('location', '/login?returnTo=%2Fdashboard');
  });

  it('round-trips returnTo through the state, including the query string', async () => {
    const agent = request.agent(t.app);
    const callback = await signIn(agent, '/login?returnTo=%2Fdashboard%3Ftab%3Dbilling');
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe('/dashboard?tab=billing');
  });

  it('sends a refused page navigation back to the page after signing in', async () => {
    const agent = request.agent(t.app);
    const refused = await agent.get('/dashboard?x=1').set(BROWSER).expect(302);
    expect(refused.headers.location).toBe('/login?returnTo=%2Fdashboard%3Fx%3D1');
    const callback = await signIn(agent, refused.headers.location as string);
    expect(callback.headers.location).toBe('/dashboard?x=1');
  });

  it('falls back to / for a returnTo that leaves the site', async () => {
    const agent = request.agent(t.app);
    const callback = await signIn(agent, '/login?returnTo=%2F%2Fevil.example%2Fpath');
    expect(callback.headers.location).toBe('/');
  });
});

describe('guards', () => {
  it('optionalAuth continues signed out, and signed in after sign-in', async () => {
    const agent = request.agent(t.app);
    await agent.get('/').expect(200, { signedIn: false, email: null });
    await signIn(agent);
    await agent.get('/').expect(200, { signedIn: true, email: 'ada@example.com' });
  });

  it('answers API requests with 401 JSON and WWW-Authenticate instead of a redirect', async () => {
    const response = await request(t.app).get('/api/me').set('Accept', 'application/json').expect(401);
    expect(response.body).toEqual({ error: 'unauthorized', message: expect.any(String) });
    expect(response.headers['www-authenticate']).toMatch(/^AuthKit realm=/);
    // fetch() from a page: Sec-Fetch-Mode cors, even when it accepts HTML.
    await request(t.app).get('/dashboard').set({ Accept: 'text/html', 'Sec-Fetch-Mode': 'cors' }).expect(401);
  });

  it('puts the token claims on req.auth', async () => {
    const agent = request.agent(t.app);
    await signIn(agent);
    const me = await agent.get('/api/me').expect(200);
    const auth = me.body as { user: { id: string }; sessionId: string; accessToken: string; claims: { sid: string; sub: string } };
    expect(auth.user.id).toBe('user_01EMULATOR');
    expect(auth.claims.sub).toBe(auth.user.id);
    expect(auth.sessionId).toBe(decodeJwt(auth.accessToken).sid);
  });
});
