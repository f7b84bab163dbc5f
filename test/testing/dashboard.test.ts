import { request as httpRequest } from 'node:http';
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
    users: [
      { id: 'user_ada', email: 'ada@example.com', firstName: '<script>alert(1)</script>' },
      { id: 'user_grace', email: 'grace@example.com' },
    ],
    organizations: [{ id: 'org_acme', name: 'Acme & Co' }],
    roles: [{ slug: 'admin', name: 'Admin', permissions: ['reports:write'] }],
    memberships: [{ userId: 'user_ada', organizationId: 'org_acme', role: 'admin' }],
  });
  workos = workosClientFor(emulator);
});
afterEach(() => emulator.reset());
afterAll(() => emulator.close());

const SAME_ORIGIN = { 'Sec-Fetch-Site': 'same-origin' };

/** Posts a dashboard form; answers the status and, after a redirect, the notice shown. */
async function act(
  fields: Record<string, string>,
  headers: Record<string, string> = SAME_ORIGIN,
): Promise<{ status: number; notice?: string }> {
  const response = await fetch(emulator.dashboardUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
  if (response.status !== 303) return { status: response.status };
  const page = await (await fetch(new URL(response.headers.get('location')!, emulator.url))).text();
  return { status: 303, notice: /<p role="status"[^>]*>([^<]*)<\/p>/.exec(page)?.[1] };
}

const dashboardPage = async (): Promise<string> => (await fetch(emulator.dashboardUrl)).text();
const refresh = (refreshToken: string) => workos.userManagement.authenticateWithRefreshToken({ refreshToken, clientId: emulator.clientId });

describe('GET /dashboard', () => {
  it('shows users, organizations with members, roles and live sessions, escaped', async () => {
    const session = emulator.createSession({ userId: 'user_ada', organizationId: 'org_acme' });
    const sid = decodeSegment(session.accessToken, 1).sid as string;
    const response = await fetch(emulator.dashboardUrl);
    const page = await response.text();
    expect(response.status).toBe(200);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>');
    expect(page).toContain('Acme &amp; Co');
    expect(page).toContain('ada@example.com (admin)');
    expect(page).toContain('reports:write');
    expect(page).toMatch(
      new RegExp(`<tr data-session="${sid}">[\\s\\S]*?ada@example.com[\\s\\S]*?Acme &amp; Co[\\s\\S]*?admin[\\s\\S]*?expires in \\d+ s`),
    );
  });

  it('cannot be framed, and is not a WorkOS call: not counted, logged or faulted', async () => {
    emulator.failNext('other', { status: 500 });
    const response = await fetch(emulator.dashboardUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(emulator.calls.other).toBe(0);
    expect(emulator.requests).toEqual([]);
  });

  it('answers only a loopback Host (no DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(emulator.dashboardUrl, { headers: { Host: `evil.example:${emulator.settings.apiPort}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });
});

describe('POST /dashboard', () => {
  it('refuses actions from other origins or without proof of origin', async () => {
    const session = emulator.createSession();
    const sid = decodeSegment(session.accessToken, 1).sid as string;
    const revoke = { action: 'revoke', session_id: sid };
    expect(await act(revoke, {})).toEqual({ status: 403 });
    expect(await act(revoke, { 'Sec-Fetch-Site': 'cross-site' })).toEqual({ status: 403 });
    expect(await act(revoke, { 'Sec-Fetch-Site': 'same-site' })).toEqual({ status: 403 });
    expect(await act(revoke, { Origin: 'http://127.0.0.1:1' })).toEqual({ status: 403 });
    // The session survived all of them.
    await expect(refresh(session.refreshToken)).resolves.toBeDefined();
  });

  it('takes an action from a client without Sec-Fetch-Site whose Origin is the emulator', async () => {
    const session = emulator.createSession();
    const sid = decodeSegment(session.accessToken, 1).sid as string;
    expect(await act({ action: 'revoke', session_id: sid }, { Origin: emulator.url })).toMatchObject({ status: 303 });
  });

  it('revokes a session: gone from the list, its next refresh is invalid_grant', async () => {
    const session = emulator.createSession();
    const sid = decodeSegment(session.accessToken, 1).sid as string;
    expect(await act({ action: 'revoke', session_id: sid })).toEqual({ status: 303, notice: expect.stringContaining('revoked') });
    expect(await dashboardPage()).not.toContain(sid);
    expect(await rejectionOf(refresh(session.refreshToken))).toMatchObject({ error: 'invalid_grant' });
  });

  it('expires a session’s access token now by moving the emulator clock to its expiry', async () => {
    const session = emulator.createSession();
    const { sid, exp } = decodeSegment(session.accessToken, 1) as { sid: string; exp: number };
    expect(Math.floor(emulator.clock.now() / 1000)).toBeLessThan(exp);
    expect(await act({ action: 'expire', session_id: sid })).toMatchObject({ status: 303, notice: expect.stringContaining('expired') });
    // Expired by jose's rule (the library's too): floor(now / 1000) >= exp.
    expect(Math.floor(emulator.clock.now() / 1000)).toBeGreaterThanOrEqual(exp);
    expect(await dashboardPage()).toMatch(/expired \d+ s ago/);
    // The refresh token still works: the app refreshes and goes on.
    await expect(refresh(session.refreshToken)).resolves.toBeDefined();
  });

  it('makes the next refresh calls fail as chosen, then clears what is left', async () => {
    const session = emulator.createSession();
    expect(await act({ action: 'fail-refresh', fault: 'server_error', times: '2' })).toMatchObject({ status: 303 });
    expect(await dashboardPage()).toContain('Armed for the next refresh calls: 500 × 2.');
    expect(await rejectionOf(refresh(session.refreshToken))).toMatchObject({ status: 500 });
    await act({ action: 'clear-faults' });
    expect(await dashboardPage()).toContain('No refresh failure armed.');
    const renewed = await refresh(session.refreshToken);

    await act({ action: 'fail-refresh', fault: 'invalid_grant', times: '1' });
    expect(await rejectionOf(refresh(renewed.refreshToken))).toMatchObject({ error: 'invalid_grant' });
    // An injected failure does not consume the token.
    await expect(refresh(renewed.refreshToken)).resolves.toBeDefined();
  });

  it('rotates the signing key: the key set serves only the new one', async () => {
    const kid = async () =>
      ((await (await fetch(`${emulator.url}/sso/jwks/${emulator.clientId}`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    const before = await kid();
    expect(await act({ action: 'rotate-key' })).toMatchObject({ status: 303, notice: expect.stringContaining('rotated') });
    const after = await kid();
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
    expect(decodeSegment(emulator.createSession().accessToken, 0).kid).toBe(after[0]);
  });

  it('sets the access-token lifetime of tokens issued from then on', async () => {
    expect(await act({ action: 'token-ttl', seconds: '60' })).toMatchObject({ status: 303 });
    const { iat, exp } = decodeSegment(emulator.createSession().accessToken, 1) as { iat: number; exp: number };
    expect(exp - iat).toBe(60);
  });

  it('says so when an action names no live session or a bad value', async () => {
    expect(await act({ action: 'revoke', session_id: 'session_nope' })).toMatchObject({ notice: expect.stringContaining('Nothing done') });
    expect(await act({ action: 'fail-refresh', fault: 'meteor' })).toMatchObject({ notice: expect.stringContaining('Nothing done') });
    expect(await act({ action: 'token-ttl', seconds: '-1' })).toMatchObject({ notice: expect.stringContaining('Nothing done') });
    expect((await fetch(`${emulator.dashboardUrl}?done=%3Cb%3E`)).status).toBe(200);
  });
});
