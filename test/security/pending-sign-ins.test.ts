import request from 'supertest';
import { BROWSER, setCookies, signIn, startTestApp, type TestApp } from '../helpers/app';
import { MAX_PENDING_SIGN_INS } from '../../lib/flow/sign-in-state';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(() => t.close());

const flowCookieNames = (response: request.Response, cleared: boolean) =>
  setCookies(response)
    .filter((c) => c.startsWith('wos-auth-verifier-') && c.includes('Max-Age=0') === cleared)
    .map((c) => c.slice(0, c.indexOf('=')));

describe('pending sign-in cookies', () => {
  it(`keeps at most ${MAX_PENDING_SIGN_INS} per browser, evicting the oldest`, async () => {
    const agent = request.agent(t.app);
    const started: string[] = [];
    for (let i = 0; i < MAX_PENDING_SIGN_INS; i += 1) {
      const login = await agent.get('/login').set(BROWSER).expect(302);
      expect(flowCookieNames(login, true)).toEqual([]);
      started.push(...flowCookieNames(login, false));
      t.emulator.clock.advance(1);
    }
    const sixth = await agent.get('/login').set(BROWSER).expect(302);
    expect(flowCookieNames(sixth, true)).toEqual([started[0]]);
    t.emulator.clock.advance(1);
    const seventh = await agent.get('/login').set(BROWSER).expect(302);
    expect(flowCookieNames(seventh, true)).toEqual([started[1]]);
  });

  it('sets no flow cookie for prefetches or fetch() calls', async () => {
    for (const headers of [
      { 'Sec-Purpose': 'prefetch' },
      { Purpose: 'prefetch' },
      { 'Sec-Fetch-Mode': 'cors', 'Sec-Fetch-Site': 'same-origin' },
    ]) {
      const response = await request(t.app).get('/login').set(headers).expect(400);
      expect(response.body).toEqual({ error: 'navigation_required', message: expect.any(String) });
      expect(setCookies(response)).toEqual([]);
    }
  });

  it('clears every pending flow cookie at sign-out', async () => {
    const agent = request.agent(t.app);
    await signIn(agent);
    await agent.get('/login').set(BROWSER).expect(302);
    await agent.get('/login').set(BROWSER).expect(302);
    const logout = await agent.get('/logout').set(BROWSER).expect(302);
    expect(flowCookieNames(logout, true)).toHaveLength(2);
  });
});

describe('flow cookie size', () => {
  it('stays the same small size whatever the sign-in asks for (the return path travels in the state, not the cookie)', async () => {
    const longest = `/${'a'.repeat(2046)}`;
    const short = await request(t.app).get('/login').set(BROWSER).expect(302);
    const long = await request(t.app)
      .get(
        `/login?${new URLSearchParams({ returnTo: longest, loginHint: `${'x'.repeat(2000)}@example.com`, organizationId: `org_${'y'.repeat(2000)}` })}`,
      )
      .set(BROWSER)
      .expect(302);
    const [shortLine] = setCookies(short);
    const [longLine] = setCookies(long);
    expect(Buffer.byteLength(longLine!)).toBe(Buffer.byteLength(shortLine!));
    expect(Buffer.byteLength(longLine!)).toBeLessThan(1024);
    // The state itself carries the (checked) return path and is bounded by it.
    const state = new URL(long.headers.location as string).searchParams.get('state')!;
    expect(state.length).toBeLessThan(4096);
  });
});
