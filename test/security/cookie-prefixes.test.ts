import request from 'supertest';
import { resolveConfig } from '../../lib/config/resolve';
import { sealCookieValue } from '../../lib/session/iron';
import { BROWSER, setCookies, startTestApp, type TestApp } from '../helpers/app';
import { clearWorkOSEnv, COOKIE_PASSWORD } from '../helpers/env';
import { configurationProblems } from '../helpers/inspect';

const base = { clientId: 'client_123', apiKey: 'sk_test_123', cookiePassword: COOKIE_PASSWORD };

function problemsOf(options: Record<string, unknown>): string {
  return configurationProblems(() => resolveConfig({ ...base, ...options }, {})).join('\n');
}

beforeEach(clearWorkOSEnv);

describe('__Host- and __Secure- cookie names', () => {
  it.each(['__Host-wos-session', '__Secure-wos-session'])('%s forces Secure even for an http://localhost redirect URI', (cookieName) => {
    const config = resolveConfig({ ...base, cookieName, redirectUri: 'http://localhost:3000/callback' }, {});
    expect(config.cookie.secure).toBe(true);
    expect(config.verifierCookiePrefix).toBe(`${cookieName.slice(0, cookieName.indexOf('-') + 1)}wos-auth-verifier-`);
  });

  it('refuses a Domain with __Host-, which browsers would reject', () => {
    expect(
      problemsOf({ cookieName: '__Host-wos-session', cookieDomain: 'example.com', redirectUri: 'https://app.example.com/callback' }),
    ).toMatch(/cannot be used with a __Host- cookie name/);
    expect(() =>
      resolveConfig(
        { ...base, cookieName: '__Secure-wos-session', cookieDomain: 'example.com', redirectUri: 'https://app.example.com/callback' },
        {},
      ),
    ).not.toThrow();
  });

  it('refuses a prefixed name when the site is plain http (not localhost)', () => {
    expect(problemsOf({ cookieName: '__Secure-wos-session', redirectUri: 'http://app.example.com/callback' })).toMatch(
      /only accept over https/,
    );
  });

  it('leaves unprefixed flow cookies alone', () => {
    expect(
      resolveConfig({ ...base, cookieName: 'wos-session', redirectUri: 'https://app.example.com/callback' }, {}).verifierCookiePrefix,
    ).toBe('wos-auth-verifier-');
  });
});

describe('a __Host- session through the whole flow', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ authkit: { cookieName: '__Host-wos-session' } });
  });
  afterEach(() => t.close());

  it('prefixes the flow cookie, sets a __Host--valid session cookie and signs out every prefixed cookie', async () => {
    const login = await request(t.app).get('/login').set(BROWSER).expect(302);
    const [flowLine] = setCookies(login);
    expect(flowLine).toMatch(/^__Host-wos-auth-verifier-[\w-]{22}=/);
    expect(flowLine).toMatch(/; Secure/);
    expect(flowLine).toMatch(/; Path=\//);
    expect(flowLine).not.toMatch(/Domain=/i);

    const authorize = await fetch(login.headers.location as string, { redirect: 'manual' });
    const callback = new URL(authorize.headers.get('location')!);
    const done = await request(t.app)
      .get(`${callback.pathname}${callback.search}`)
      .set(BROWSER)
      .set('Cookie', flowLine!.split(';')[0]!)
      .expect(302);
    const sessionLine = setCookies(done).find((line) => line.startsWith('__Host-wos-session='));
    expect(sessionLine).toMatch(/; Path=\/;.*HttpOnly; Secure; SameSite=Lax$/);
    expect(sessionLine).not.toMatch(/Domain=/i);
    const session = sessionLine!.split(';')[0]!;

    await request(t.app).get('/api/me').set('Cookie', session).expect(200);
    // The unprefixed name is someone else's cookie (e.g. planted from a subdomain): not ours.
    const planted = sealCookieValue(t.emulator.createSession(), { id: '1', secret: COOKIE_PASSWORD });
    await request(t.app).get('/api/me').set('Cookie', `wos-session=${planted}`).expect(401);

    const pending = await request(t.app).get('/login').set(BROWSER);
    const pendingFlow = setCookies(pending)[0]!.split(';')[0]!;
    const out = await request(t.app).get('/logout').set(BROWSER).set('Cookie', `${session}; ${pendingFlow}`).expect(302);
    const cleared = setCookies(out).map((line) => line.split('=')[0]);
    expect(cleared).toEqual(expect.arrayContaining(['__Host-wos-session', pendingFlow.split('=')[0]]));
    for (const line of setCookies(out)) expect(line).toMatch(/Max-Age=0.*Secure/);
  });
});
