import { WorkOS } from '@workos-inc/node';
import { startEmulator, type Emulator } from '../../lib/testing';
import { clearWorkOSEnv } from '../helpers/env';
import { rejectionOf } from '../helpers/inspect';
import { codeFor, workosClientFor } from '../helpers/workos-client';

let emulator: Emulator;
let workos: WorkOS;

beforeAll(async () => {
  clearWorkOSEnv();
  emulator = await startEmulator({ autoApprove: true });
  workos = workosClientFor(emulator);
});
afterEach(() => emulator.reset());
afterAll(() => emulator.close());

function refresh(refreshToken: string): Promise<unknown> {
  return workos.userManagement.authenticateWithRefreshToken({ refreshToken, clientId: emulator.clientId });
}

describe('failNext', () => {
  it('injects a 500 once, then answers normally', async () => {
    emulator.failNext('authenticate_refresh', { status: 500, body: { message: 'boom' } });
    const { refreshToken } = emulator.createSession();
    const error = await rejectionOf(refresh(refreshToken));
    expect(error).toMatchObject({ name: 'GenericServerException', status: 500, message: 'boom' });
    // The faulted call never reached the grant, so the token is still unused.
    await expect(refresh(refreshToken)).resolves.toBeDefined();
  });

  it('injects a 429 with Retry-After', async () => {
    emulator.failNext('authenticate_refresh', {
      status: 429,
      body: { error: 'too_many_requests', error_description: 'slow down' },
      headers: { 'Retry-After': '7' },
    });
    const error = await rejectionOf(refresh(emulator.createSession().refreshToken));
    expect(error).toMatchObject({ name: 'RateLimitExceededException', status: 429, retryAfter: 7 });
  });

  it('drops the connection', async () => {
    emulator.failNext('authenticate_code', { drop: true });
    const code = await codeFor(workos);
    const error = await rejectionOf(workos.userManagement.authenticateWithCode({ code, clientId: emulator.clientId }));
    expect(String(error.message)).toContain('fetch failed');
    expect(emulator.calls.authenticate_code).toBe(1);
  });

  it('delays, then handles normally', async () => {
    emulator.failNext('jwks', { delayMs: 5 });
    const response = await fetch(`${emulator.url}/sso/jwks/${emulator.clientId}`);
    expect(response.status).toBe(200);
  });

  it('applies to the next N calls only', async () => {
    emulator.failNext('jwks', { status: 503 }, 2);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await fetch(`${emulator.url}/sso/jwks/${emulator.clientId}`)).status);
    expect(statuses).toEqual([503, 503, 200]);
  });

  // SDK 11 retries the token endpoint (maxRetries); 10 retries only vault and audit-log paths.
  const sdkRetriesTokenEndpoint = Number(new WorkOS('sk_test_version_probe').version.split('.')[0]) >= 11;

  it(`lets the SDK retry through a fault when it retries (${sdkRetriesTokenEndpoint ? 'it does' : 'this SDK does not'})`, async () => {
    const retrying = workosClientFor(emulator, { maxRetries: 1 });
    emulator.failNext('authenticate_refresh', { status: 429, headers: { 'Retry-After': '0' } });
    const refresh = retrying.userManagement.authenticateWithRefreshToken({
      refreshToken: emulator.createSession().refreshToken,
      clientId: emulator.clientId,
    });
    if (sdkRetriesTokenEndpoint) await expect(refresh).resolves.toBeDefined();
    else await expect(refresh).rejects.toMatchObject({ status: 429 });
    expect(emulator.calls.authenticate_refresh).toBe(sdkRetriesTokenEndpoint ? 2 : 1);
  });

  it('always sends JSON on the SDK endpoints, errors included', async () => {
    const response = await fetch(`${emulator.url}/user_management/authenticate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password', client_id: emulator.clientId }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('answers unknown routes with JSON 404', async () => {
    const response = await fetch(`${emulator.url}/nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
  });
});

describe('counters, request log and reset', () => {
  it('counts and logs every call with its parsed body', async () => {
    const code = await codeFor(workos, { provider: 'authkit', state: 'st' });
    await workos.userManagement.authenticateWithCode({ code, clientId: emulator.clientId });
    await fetch(`${emulator.url}/nope`);
    expect(emulator.calls).toEqual({
      authorize: 1,
      authenticate_code: 1,
      authenticate_refresh: 0,
      jwks: 0,
      logout: 0,
      revoke: 0,
      other: 1,
    });
    expect(emulator.requests.map((r) => `${r.method} ${r.path} ${r.endpoint}`)).toEqual([
      'GET /user_management/authorize authorize',
      'POST /user_management/authenticate authenticate_code',
      'GET /nope other',
    ]);
    expect(emulator.requests[0]?.query.state).toBe('st');
    expect(emulator.requests[1]?.body).toMatchObject({ grant_type: 'authorization_code', code });
  });

  it('resets state, knobs, faults, clock and counters but keeps the key', async () => {
    const kid = (await (await fetch(`${emulator.url}/sso/jwks/${emulator.clientId}`)).json()) as { keys: { kid: string }[] };
    const session = emulator.createSession();
    emulator.addUser({ id: 'user_extra', email: 'extra@example.com' });
    emulator.setAutoApprove(false);
    emulator.setRefreshGrace(0);
    emulator.failNext('authenticate_refresh', { status: 500 });
    emulator.clock.advance(3600);
    const calls = emulator.calls;
    const requests = emulator.requests;

    emulator.reset();

    expect(calls.jwks).toBe(0);
    expect(requests).toHaveLength(0);
    expect(emulator.lastAuthorizeQuery()).toBeUndefined();
    expect(Math.abs(emulator.clock.now() - Date.now())).toBeLessThan(1000);
    expect(() => emulator.createSession({ userId: 'user_extra' })).toThrow();
    await expect(refresh(session.refreshToken)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await authorizeLocation()).searchParams.get('code')).not.toBeNull();
    const after = (await (await fetch(`${emulator.url}/sso/jwks/${emulator.clientId}`)).json()) as { keys: { kid: string }[] };
    expect(after.keys[0]?.kid).toBe(kid.keys[0]?.kid);
  });

  async function authorizeLocation(): Promise<URL> {
    const response = await fetch(
      workos.userManagement.getAuthorizationUrl({ provider: 'authkit', redirectUri: 'http://localhost:3000/cb' }),
      { redirect: 'manual' },
    );
    return new URL(response.headers.get('location') ?? '');
  }
});

describe('close', () => {
  it('frees the port, even with a keep-alive connection open', async () => {
    const own = await startEmulator();
    const port = own.settings.apiPort;
    await fetch(`${own.url}/sso/jwks/${own.clientId}`);
    await own.close();
    await expect(fetch(`${own.url}/sso/jwks/${own.clientId}`)).rejects.toThrow();
    const again = await startEmulator({ port });
    expect(again.url).toBe(own.url);
    await again.close();
  });

  it('cancels pending delays', async () => {
    const own = await startEmulator();
    own.failNext('jwks', { delayMs: 60_000 });
    const pending = fetch(`${own.url}/sso/jwks/${own.clientId}`);
    while (own.calls.jwks < 1) await new Promise((resolve) => setTimeout(resolve, 2));
    await own.close();
    await expect(pending).rejects.toThrow();
  });
});
