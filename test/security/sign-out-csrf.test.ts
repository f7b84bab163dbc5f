import request from 'supertest';
import { BROWSER, setCookies, signIn, startTestApp, type TestApp } from '../helpers/app';
import { APP_ORIGIN } from '../helpers/app-setup';

let t: TestApp;
let agent: ReturnType<typeof request.agent>;
beforeEach(async () => {
  t = await startTestApp();
  agent = request.agent(t.app);
  await signIn(agent);
});
afterEach(() => t.close());

const clearsSession = (response: request.Response) => setCookies(response).some((c) => c.startsWith('wos-session=;'));

async function stillSignedIn(): Promise<void> {
  await agent.get('/api/me').expect(200);
}

describe('sign-out cannot be triggered from another site', () => {
  const crossSite: Array<[string, Record<string, string>, 'get' | 'post']> = [
    ['an <img> on another site', { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-Dest': 'image' }, 'get'],
    ['a fetch() from another site', { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'cors' }, 'get'],
    [
      'a form POST from another site',
      { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate', Origin: 'https://evil.example' },
      'post',
    ],
    ['an old browser form POST (Origin only)', { Origin: 'https://evil.example' }, 'post'],
    ['an old browser with an opaque origin', { Origin: 'null' }, 'post'],
    ['an old browser image (Referer only)', { Referer: 'https://evil.example/page' }, 'get'],
  ];

  it.each(crossSite)('%s is refused with 403 and the session survives', async (_name, headers, method) => {
    const response = await agent[method]('/logout').set(headers).expect(403);
    expect(response.body).toEqual({ error: 'cross_site_sign_out', message: expect.any(String) });
    expect(clearsSession(response)).toBe(false);
    await stillSignedIn();
  });

  it('a cross-site link gets a confirmation page instead of signing out; its button signs out', async () => {
    const page = await agent
      .get('/logout?returnTo=%2Fbye')
      .set({ ...BROWSER, 'Sec-Fetch-Site': 'cross-site' })
      .expect(200)
      .expect('content-type', /text\/html/);
    expect(clearsSession(page)).toBe(false);
    expect(page.text).toContain('<form method="post" action="/logout?returnTo=%2Fbye">');
    await stillSignedIn();
    // The button posts from our own page.
    const confirmed = await agent.post('/logout?returnTo=%2Fbye').set({ 'Sec-Fetch-Site': 'same-origin', Origin: APP_ORIGIN }).expect(302);
    expect(clearsSession(confirmed)).toBe(true);
    expect(new URL(confirmed.headers.location as string).searchParams.get('return_to')).toBe(`${APP_ORIGIN}/bye`);
  });

  it('escapes a hostile returnTo on the confirmation page (and drops it: it is not a path)', async () => {
    const page = await agent
      .get('/logout?returnTo=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E')
      .set({ ...BROWSER, 'Sec-Fetch-Site': 'cross-site' })
      .expect(200);
    expect(page.text).not.toContain('<script>');
    expect(page.text).toContain('action="/logout"');
  });
});

// A sibling subdomain, a typed URL and a request without site headers prove nothing about their
// origin: they get the confirmation page or 403 (test/security/sign-out-origin.test.ts).
describe('same-origin sign-out works', () => {
  const sameSite: Array<[string, Record<string, string>, 'get' | 'post']> = [
    ['an <a href="/logout"> on our page', { ...BROWSER, 'Sec-Fetch-Site': 'same-origin' }, 'get'],
    ['a same-site form POST', { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'navigate', Origin: APP_ORIGIN }, 'post'],
    ['an old browser form POST with our Origin', { Origin: APP_ORIGIN }, 'post'],
    ['an old browser link with our Referer', { Referer: `${APP_ORIGIN}/dashboard` }, 'get'],
  ];

  it.each(sameSite)('%s signs out', async (_name, headers, method) => {
    const response = await agent[method]('/logout').set(headers).expect(302);
    expect(clearsSession(response)).toBe(true);
    await agent.get('/api/me').expect(401);
  });
});
