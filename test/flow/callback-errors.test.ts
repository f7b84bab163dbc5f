import request from 'supertest';
import { CallbackError } from '../../lib';
import { BROWSER, setCookies, startTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
let seenErrors: CallbackError[];
beforeEach(async () => {
  seenErrors = [];
  t = await startTestApp({ onError: (error) => error instanceof CallbackError && seenErrors.push(error) });
});
afterEach(() => t.close());

/** Starts a sign-in and returns where the emulator sent the browser back, plus the flow cookie. */
async function startFlow(agent: ReturnType<typeof request.agent> | ReturnType<typeof request>) {
  const login = await agent.get('/login').set(BROWSER).expect(302);
  const [name, value] = setCookies(login)[0]!.split(';')[0]!.split('=') as [string, string];
  const authorize = await fetch(login.headers.location as string, { redirect: 'manual' });
  return { callback: new URL(authorize.headers.get('location') as string), cookieName: name, cookieValue: value };
}

async function pendingCallback(agent: ReturnType<typeof request.agent>): Promise<URL> {
  return (await startFlow(agent)).callback;
}

describe('callback refusals', () => {
  it('refuses a callback without state', async () => {
    const response = await request(t.app).get('/callback?code=abc').set(BROWSER).expect(400);
    expect(response.body).toEqual({ code: 'missing_state' });
    expect(t.emulator.calls.authenticate_code).toBe(0);
  });

  it('refuses a state that was not sealed by us', async () => {
    const response = await request(t.app).get('/callback?code=abc&state=forged').set(BROWSER).expect(400);
    expect(response.body).toEqual({ code: 'invalid_state' });
  });

  it('refuses a callback that another browser started (no flow cookie) without exchanging the code', async () => {
    const callback = await pendingCallback(request.agent(t.app));
    const response = await request(t.app).get(`${callback.pathname}${callback.search}`).set(BROWSER).expect(400);
    expect(response.body).toEqual({ code: 'missing_verifier' });
    expect(t.emulator.calls.authenticate_code).toBe(0);
  });

  it('refuses a state paired with the flow cookie of a different sign-in', async () => {
    const a = await startFlow(request(t.app));
    const b = await startFlow(request(t.app));
    const response = await request(t.app)
      .get(`${b.callback.pathname}${b.callback.search}`)
      .set(BROWSER)
      .set('Cookie', `${b.cookieName}=${a.cookieValue}`)
      .expect(400);
    expect(response.body).toEqual({ code: 'state_mismatch' });
    expect(t.emulator.calls.authenticate_code).toBe(0);
  });

  it('refuses an expired state', async () => {
    const agent = request.agent(t.app);
    const callback = await pendingCallback(agent);
    t.emulator.clock.advance(11 * 60);
    const response = await agent.get(`${callback.pathname}${callback.search}`).set(BROWSER).expect(400);
    expect(response.body).toEqual({ code: 'invalid_state' });
  });

  it('reports a WorkOS error redirect without exchanging anything and clears the flow cookie', async () => {
    t.emulator.failAuthorize('access_denied', 'The user <b>cancelled</b>.');
    const agent = request.agent(t.app);
    const callback = await pendingCallback(agent);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    const response = await agent.get(`${callback.pathname}${callback.search}`).set(BROWSER).expect(400);
    expect(response.body).toEqual({ code: 'authorization_denied' });
    expect(seenErrors.at(-1)).toMatchObject({ workosError: 'access_denied', workosErrorDescription: 'The user <b>cancelled</b>.' });
    expect(seenErrors.at(-1)?.message).not.toContain('<b>');
    expect(setCookies(response)).toContainEqual(expect.stringMatching(/^wos-auth-verifier-[^=]+=; .*Max-Age=0/));
    expect(t.emulator.calls.authenticate_code).toBe(0);
  });

  it('reports a code WorkOS refuses as code_exchange_failed', async () => {
    const agent = request.agent(t.app);
    const callback = await pendingCallback(agent);
    callback.searchParams.set('code', 'not-a-real-code');
    const response = await agent.get(`${callback.pathname}${callback.search}`).set(BROWSER).expect(400);
    expect(response.body).toEqual({ code: 'code_exchange_failed' });
    expect(JSON.stringify(response.headers)).not.toContain('not-a-real-code');
  });

  it('sends a signed-in user on when the callback is replayed (back button)', async () => {
    const agent = request.agent(t.app);
    const login = await agent.get('/login').set(BROWSER).expect(302);
    const authorize = await fetch(login.headers.location as string, { redirect: 'manual' });
    const callback = new URL(authorize.headers.get('location') as string);
    await agent.get(`${callback.pathname}${callback.search}`).set(BROWSER).expect(302);
    const replay = await agent.get(`${callback.pathname}${callback.search}`).set(BROWSER).expect(302);
    expect(replay.headers.location).toBe('/');
    expect(t.emulator.calls.authenticate_code).toBe(1);
  });

  it('lets two tabs sign in at once', async () => {
    const agent = request.agent(t.app);
    const tabA = await pendingCallback(agent);
    const tabB = await pendingCallback(agent);
    await agent.get(`${tabB.pathname}${tabB.search}`).set(BROWSER).expect(302);
    await agent.get(`${tabA.pathname}${tabA.search}`).set(BROWSER).expect(302);
    expect(t.emulator.calls.authenticate_code).toBe(2);
    await agent.get('/api/me').expect(200);
  });
});
