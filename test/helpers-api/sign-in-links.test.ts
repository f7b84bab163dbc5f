import request from 'supertest';
import { BROWSER, cookieValue, setCookies, startTestApp, type TestApp } from '../helpers/app';
import type { SignInSuccessEvent } from '../../lib';

let t: TestApp;
const successes: Array<Omit<SignInSuccessEvent, 'req' | 'res'>> = [];
afterEach(() => t?.close());

async function start(onSuccess?: (event: SignInSuccessEvent) => void | Promise<void>, errors?: unknown[]) {
  successes.length = 0;
  t = await startTestApp({
    authkit: {
      onSuccess: async (event) => {
        const { req: _req, res: _res, ...rest } = event;
        successes.push(rest);
        await onSuccess?.(event);
      },
    },
    onError: (error) => errors?.push(error),
  });
}

/** Follows a link to the login route through the emulator back to the callback. */
async function completeSignIn(link: string, extraCookies: string[] = []) {
  const login = await request(t.app).get(link).set(BROWSER).expect(302);
  const flow = setCookies(login)
    .map((line) => line.split(';')[0]!)
    .join('; ');
  const authorize = await fetch(login.headers.location as string, { redirect: 'manual' });
  const callback = new URL(authorize.headers.get('location')!);
  return request(t.app)
    .get(`${callback.pathname}${callback.search}`)
    .set(BROWSER)
    .set('Cookie', [flow, ...extraCookies].join('; '));
}

describe('getSignInUrl / getSignUpUrl', () => {
  beforeEach(() => start());

  it('link to the routes with every option, which the route passes to WorkOS', async () => {
    const link = t.authkit.getSignInUrl({
      returnTo: '/reports?year=2026',
      organizationId: 'org_1',
      loginHint: 'ada@example.com',
      domainHint: 'example.com',
      invitationToken: 'inv_1',
      prompt: 'login',
      maxAge: 300,
      state: 'from-pricing-page',
    });
    expect(link.startsWith('/login?')).toBe(true);
    const login = await request(t.app).get(link).set(BROWSER).expect(302);
    const authorize = new URL(login.headers.location as string).searchParams;
    expect(
      Object.fromEntries([...authorize].filter(([key]) => !['state', 'code_challenge', 'redirect_uri', 'client_id'].includes(key))),
    ).toEqual({
      provider: 'authkit',
      screen_hint: 'sign-in',
      response_type: 'code',
      code_challenge_method: 'S256',
      organization_id: 'org_1',
      login_hint: 'ada@example.com',
      domain_hint: 'example.com',
      invitation_token: 'inv_1',
      prompt: 'login',
      max_age: '300',
    });
    // The custom state is sealed into WorkOS's state, not readable in the URL.
    expect(authorize.get('state')).not.toContain('from-pricing-page');
  });

  it('sends the sign-up screen hint, and a connection instead of the AuthKit provider', async () => {
    const signUp = await request(t.app).get(t.authkit.getSignUpUrl()).set(BROWSER).expect(302);
    expect(new URL(signUp.headers.location as string).searchParams.get('screen_hint')).toBe('sign-up');
    const sso = await request(t.app)
      .get(t.authkit.getSignInUrl({ connectionId: 'conn_1' }))
      .set(BROWSER)
      .expect(302);
    const query = new URL(sso.headers.location as string).searchParams;
    expect(query.get('connection_id')).toBe('conn_1');
    expect(query.has('provider')).toBe(false);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a state over 1024 characters', { state: 'x'.repeat(1025) }],
    ['a negative maxAge', { maxAge: -1 }],
    ['a fractional maxAge', { maxAge: 1.5 }],
    ['a login hint over 2048 characters', { loginHint: 'x'.repeat(2049) }],
  ])('refuses %s, both when building the link and on the route', async (_name, options) => {
    expect(() => t.authkit.getSignInUrl(options)).toThrow(RangeError);
    const query = new URLSearchParams(Object.entries(options).map(([key, value]): [string, string] => [key, String(value)]));
    const response = await request(t.app).get(`/login?${query}`).set(BROWSER).expect(400);
    expect(response.body.error).toBe('invalid_request');
    expect(setCookies(response)).toEqual([]);
  });
});

describe('onSuccess', () => {
  it('receives the sign-in with the custom state and where the browser goes', async () => {
    await start();
    const done = await completeSignIn(t.authkit.getSignInUrl({ returnTo: '/reports', state: 'campaign=42' }));
    expect(done.status).toBe(302);
    expect(done.headers.location).toBe('/reports');
    expect(successes).toEqual([
      expect.objectContaining({
        user: expect.objectContaining({ email: 'ada@example.com' }),
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        state: 'campaign=42',
        returnTo: '/reports',
        organizationId: undefined,
      }),
    ]);
    expect(cookieValue(done, 'wos-session')).toBeDefined();
  });

  it('ends the sign-in without a session when it throws, and still deletes the flow cookie', async () => {
    const errors: unknown[] = [];
    await start(() => {
      throw new Error('user store down');
    }, errors);
    const done = await completeSignIn('/login');
    expect(done.status).toBe(500);
    expect(errors).toEqual([expect.objectContaining({ message: 'user store down' })]);
    const lines = setCookies(done);
    expect(lines.some((line) => line.startsWith('wos-session='))).toBe(false);
    expect(lines).toEqual([expect.stringMatching(/^wos-auth-verifier-[\w-]+=; .*Max-Age=0/)]);
  });

  it('may answer the request itself; the browser is still signed in', async () => {
    await start((event) => {
      event.res.statusCode = 200;
      event.res.setHeader('Content-Type', 'text/html');
      event.res.end('<p>Welcome aboard</p>');
    });
    const done = await completeSignIn('/login');
    expect(done.status).toBe(200);
    expect(done.text).toBe('<p>Welcome aboard</p>');
    expect(cookieValue(done, 'wos-session')).toBeDefined();
  });

  it('is not called for a replayed callback of a signed-in browser', async () => {
    await start();
    const login = await request(t.app).get('/login').set(BROWSER).expect(302);
    const flow = setCookies(login)[0]!.split(';')[0]!;
    const authorize = await fetch(login.headers.location as string, { redirect: 'manual' });
    const callback = new URL(authorize.headers.get('location')!);
    const first = await request(t.app).get(`${callback.pathname}${callback.search}`).set(BROWSER).set('Cookie', flow).expect(302);
    const session = `wos-session=${cookieValue(first, 'wos-session')}`;
    await request(t.app).get(`${callback.pathname}${callback.search}`).set(BROWSER).set('Cookie', session).expect(302);
    expect(successes).toHaveLength(1);
  });
});
