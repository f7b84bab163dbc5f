import type { WorkOS } from '@workos-inc/node';
import { startEmulator, type Emulator } from '../../lib/testing';
import { clearWorkOSEnv } from '../helpers/env';
import { decodeSegment, rejectionOf } from '../helpers/inspect';
import { workosClientFor } from '../helpers/workos-client';

let emulator: Emulator;
let workos: WorkOS;

beforeAll(async () => {
  clearWorkOSEnv();
  emulator = await startEmulator({
    memberships: [
      { userId: 'user_01EMULATOR', organizationId: 'org_a', role: 'member', permissions: ['read'] },
      { userId: 'user_01EMULATOR', organizationId: 'org_b', role: 'admin', permissions: ['read', 'write'] },
    ],
  });
  workos = workosClientFor(emulator);
});
afterEach(() => emulator.reset());
afterAll(() => emulator.close());

function refresh(refreshToken: string, organizationId?: string): ReturnType<WorkOS['userManagement']['authenticateWithRefreshToken']> {
  return workos.userManagement.authenticateWithRefreshToken({ refreshToken, organizationId, clientId: emulator.clientId });
}

describe('rotation', () => {
  it('issues a new pair on every exchange, in the same session', async () => {
    const first = emulator.createSession();
    const second = await refresh(first.refreshToken);
    const third = await refresh(second.refreshToken);
    expect(new Set([first.refreshToken, second.refreshToken, third.refreshToken]).size).toBe(3);
    expect(decodeSegment(third.accessToken, 1).sid).toBe(decodeSegment(first.accessToken, 1).sid);
    expect(third.user.id).toBe('user_01EMULATOR');
    expect(emulator.calls.authenticate_refresh).toBe(2);
  });

  it('stamps tokens with emulator time and the current TTL', async () => {
    emulator.setAccessTokenTtl(60);
    emulator.clock.set(Date.UTC(2030, 0, 1));
    const session = emulator.createSession();
    const claims = decodeSegment(session.accessToken, 1);
    expect(claims.iat).toBeGreaterThanOrEqual(Date.UTC(2030, 0, 1) / 1000);
    expect(claims.iat).toBeLessThan(Date.UTC(2030, 0, 2) / 1000);
    expect(claims.exp).toBe((claims.iat as number) + 60);
  });

  it('replays the same pair within the grace window', async () => {
    const first = emulator.createSession();
    const rotated = await refresh(first.refreshToken);
    emulator.clock.advance(9);
    const replay = await refresh(first.refreshToken);
    expect(replay.accessToken).toBe(rotated.accessToken);
    expect(replay.refreshToken).toBe(rotated.refreshToken);
  });

  it('refuses a replay after the grace window', async () => {
    const first = emulator.createSession();
    await refresh(first.refreshToken);
    emulator.clock.advance(11);
    const error = await rejectionOf(refresh(first.refreshToken));
    expect(error).toMatchObject({
      name: 'OauthException',
      status: 400,
      error: 'invalid_grant',
      errorDescription: 'Refresh token already exchanged.',
    });
  });

  it('refuses any reuse in strict mode', async () => {
    emulator.setRefreshGrace(0);
    const first = emulator.createSession();
    await refresh(first.refreshToken);
    const error = await rejectionOf(refresh(first.refreshToken));
    expect(error).toMatchObject({ name: 'OauthException', error: 'invalid_grant', errorDescription: 'Refresh token already exchanged.' });
  });

  it('refuses an unknown refresh token', async () => {
    const error = await rejectionOf(refresh('not-a-token'));
    expect(error).toMatchObject({ status: 400, error: 'invalid_grant' });
  });

  it('works for a public client without the secret', async () => {
    const publicClient = workosClientFor(emulator, { apiKey: null });
    const first = emulator.createSession();
    const next = await publicClient.userManagement.authenticateWithRefreshToken({
      refreshToken: first.refreshToken,
      clientId: emulator.clientId,
    });
    expect(next.refreshToken).not.toBe(first.refreshToken);
  });
});

describe('contention mode', () => {
  it('answers a replay within grace with 429 and Retry-After', async () => {
    emulator.setRefreshContention(true);
    const first = emulator.createSession();
    await refresh(first.refreshToken);
    const error = await rejectionOf(refresh(first.refreshToken));
    expect(error).toMatchObject({ name: 'RateLimitExceededException', status: 429, retryAfter: 1 });
  });

  it('answers a concurrent exchange of the same token with 429', async () => {
    emulator.setRefreshContention(true);
    emulator.failNext('authenticate_refresh', { delayMs: 50 });
    const first = emulator.createSession();
    const slow = refresh(first.refreshToken);
    // Wait until the slow exchange has arrived, so the second one overlaps it.
    while (emulator.calls.authenticate_refresh < 1) await new Promise((resolve) => setTimeout(resolve, 2));
    const error = await rejectionOf(refresh(first.refreshToken));
    expect(error).toMatchObject({ status: 429, retryAfter: 1 });
    await expect(slow).resolves.toMatchObject({ user: { id: 'user_01EMULATOR' } });
  });
});

describe('ended sessions', () => {
  it('fails refresh after revokeSession through the SDK', async () => {
    const session = emulator.createSession();
    await workos.userManagement.revokeSession({ sessionId: decodeSegment(session.accessToken, 1).sid as string });
    const error = await rejectionOf(refresh(session.refreshToken));
    expect(error).toMatchObject({ status: 400, error: 'invalid_grant', errorDescription: 'Session has already ended.' });
    expect(emulator.calls.revoke).toBe(1);
  });

  it('fails refresh after emulator.revokeSession, even within grace', async () => {
    const session = emulator.createSession();
    await refresh(session.refreshToken);
    emulator.revokeSession(decodeSegment(session.accessToken, 1).sid as string);
    await expect(refresh(session.refreshToken)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('requires the API key to revoke', async () => {
    const session = emulator.createSession();
    const response = await fetch(`${emulator.url}/user_management/sessions/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ session_id: decodeSegment(session.accessToken, 1).sid }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/json');
    await expect(refresh(session.refreshToken)).resolves.toBeDefined();
  });

  it('signs out through the logout URL and redirects to return_to', async () => {
    const session = emulator.createSession();
    const sessionId = decodeSegment(session.accessToken, 1).sid as string;
    const url = workos.userManagement.getLogoutUrl({ sessionId, returnTo: 'http://localhost:3000/bye' });
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://localhost:3000/bye');
    expect(emulator.calls.logout).toBe(1);
    await expect(refresh(session.refreshToken)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('shows a signed-out page without return_to', async () => {
    const session = emulator.createSession();
    const url = workos.userManagement.getLogoutUrl({ sessionId: decodeSegment(session.accessToken, 1).sid as string });
    const response = await fetch(url);
    expect(response.url).toBe(`${emulator.url}/emulator/signed-out`);
    expect(await response.text()).toContain('Signed out');
  });
});

describe('organization switching', () => {
  it('switches to another organization the user belongs to, and keeps it', async () => {
    const first = emulator.createSession({ organizationId: 'org_a' });
    expect(decodeSegment(first.accessToken, 1)).toMatchObject({ org_id: 'org_a', role: 'member', permissions: ['read'] });
    const switched = await refresh(first.refreshToken, 'org_b');
    expect(switched.organizationId).toBe('org_b');
    expect(decodeSegment(switched.accessToken, 1)).toMatchObject({ org_id: 'org_b', role: 'admin', permissions: ['read', 'write'] });
    const kept = await refresh(switched.refreshToken);
    expect(kept.organizationId).toBe('org_b');
  });

  it('refuses an organization the user is not a member of, without consuming the token', async () => {
    const first = emulator.createSession({ organizationId: 'org_a' });
    const error = await rejectionOf(refresh(first.refreshToken, 'org_other'));
    expect(error).toMatchObject({
      name: 'GenericServerException',
      status: 403,
      rawData: expect.objectContaining({ code: 'organization_membership_required' }),
    });
    const next = await refresh(first.refreshToken);
    expect(next.organizationId).toBe('org_a');
  });
});
