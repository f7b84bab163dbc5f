import type { WorkOS } from '@workos-inc/node';
import { startEmulator, type Emulator } from '../../lib/testing';
import { REDIRECT_URI } from '../helpers/app-setup';
import { clearWorkOSEnv } from '../helpers/env';
import { authorizeRedirect, workosClientFor } from '../helpers/workos-client';

let emulator: Emulator;
let workos: WorkOS;

beforeAll(async () => {
  clearWorkOSEnv();
  emulator = await startEmulator({
    users: [
      { id: 'user_ada', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
      { id: 'user_grace', email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' },
    ],
    memberships: [{ userId: 'user_grace', organizationId: 'org_navy', role: 'admin' }],
  });
  workos = workosClientFor(emulator);
});
afterEach(() => emulator.reset());
afterAll(() => emulator.close());

async function approveForm(fields: Record<string, string>): Promise<Response> {
  return fetch(`${emulator.url}/user_management/authorize/approve`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
}

const baseParams = (): Record<string, string> => ({
  client_id: emulator.clientId,
  redirect_uri: REDIRECT_URI,
  response_type: 'code',
  provider: 'authkit',
  state: 's1',
});

describe('auto-approve', () => {
  it('redirects to redirect_uri with a code and the state as sent', async () => {
    emulator.setAutoApprove(true);
    const location = await authorizeRedirect(workos, { provider: 'authkit', state: 'a b/c?d' });
    expect(location.origin + location.pathname).toBe(REDIRECT_URI);
    expect(location.searchParams.get('code')).toMatch(/^[\w-]{20,}$/);
    expect(location.searchParams.get('state')).toBe('a b/c?d');
    expect(emulator.lastAuthorizeQuery()).toMatchObject({
      client_id: emulator.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      provider: 'authkit',
      state: 'a b/c?d',
    });
  });

  it('omits state when none was sent', async () => {
    emulator.setAutoApprove(true);
    const location = await authorizeRedirect(workos);
    expect(location.searchParams.has('state')).toBe(false);
  });

  it('signs in the chosen user and organization', async () => {
    emulator.setAutoApprove({ userId: 'user_grace', organizationId: 'org_navy' });
    const code = (await authorizeRedirect(workos)).searchParams.get('code') ?? '';
    const auth = await workos.userManagement.authenticateWithCode({ code, clientId: emulator.clientId });
    expect(auth.user.id).toBe('user_grace');
    expect(auth.organizationId).toBe('org_navy');
  });

  it('takes the organization from the query when the option has none', async () => {
    emulator.setAutoApprove({ userId: 'user_grace' });
    const code = (await authorizeRedirect(workos, { provider: 'authkit', organizationId: 'org_navy' })).searchParams.get('code') ?? '';
    const auth = await workos.userManagement.authenticateWithCode({ code, clientId: emulator.clientId });
    expect(auth.organizationId).toBe('org_navy');
  });
});

describe('failAuthorize', () => {
  it('redirects once with error, error_description and state', async () => {
    emulator.setAutoApprove(true);
    emulator.failAuthorize('access_denied', 'User said no');
    const failed = await authorizeRedirect(workos, { provider: 'authkit', state: 'st' });
    expect(Object.fromEntries(failed.searchParams)).toEqual({
      error: 'access_denied',
      error_description: 'User said no',
      state: 'st',
    });
    const next = await authorizeRedirect(workos);
    expect(next.searchParams.get('code')).not.toBeNull();
  });
});

describe('parameter checks', () => {
  it('answers an unknown client_id with a 400 page, not a redirect', async () => {
    const response = await fetch(
      `${emulator.url}/user_management/authorize?${new URLSearchParams({ ...baseParams(), client_id: 'client_other' })}`,
      { redirect: 'manual' },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('text/html');
  });

  it('answers a missing redirect_uri with a 400 page', async () => {
    const { redirect_uri: _omitted, ...params } = baseParams();
    const response = await fetch(`${emulator.url}/user_management/authorize?${new URLSearchParams(params)}`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
  });

  it('redirects with unsupported_response_type for anything but code', async () => {
    const response = await fetch(
      `${emulator.url}/user_management/authorize?${new URLSearchParams({ ...baseParams(), response_type: 'token' })}`,
      { redirect: 'manual' },
    );
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('unsupported_response_type');
    expect(location.searchParams.get('state')).toBe('s1');
  });

  it('refuses a plain PKCE challenge', async () => {
    const params = { ...baseParams(), code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' };
    const response = await fetch(`${emulator.url}/user_management/authorize?${new URLSearchParams(params)}`, {
      redirect: 'manual',
    });
    expect(new URL(response.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
  });
});

describe('sign-in page', () => {
  it('renders users, the sign-up heading and the original parameters as hidden fields', async () => {
    const url = workos.userManagement.getAuthorizationUrl({
      provider: 'authkit',
      redirectUri: REDIRECT_URI,
      state: 'st',
      screenHint: 'sign-up',
    });
    const response = await fetch(url);
    const page = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(page).toContain('<h1>Create account</h1>');
    expect(page).toContain('value="user_ada"');
    expect(page).toContain('grace@example.com');
    expect(page).toContain('<input type="hidden" name="state" value="st">');
    expect(page).toContain('<option value="org_navy">org_navy</option>');
  });

  it('says Sign in by default', async () => {
    const page = await (await fetch(workos.userManagement.getAuthorizationUrl({ provider: 'authkit', redirectUri: REDIRECT_URI }))).text();
    expect(page).toContain('<h1>Sign in</h1>');
  });

  it('escapes a hostile login_hint and state', async () => {
    const hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const url = workos.userManagement.getAuthorizationUrl({
      provider: 'authkit',
      redirectUri: REDIRECT_URI,
      loginHint: hostile,
      state: hostile,
    });
    const response = await fetch(url);
    const page = await response.text();
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('approves a listed user through the form and keeps the state', async () => {
    const response = await approveForm({ ...baseParams(), user_id: 'user_grace', organization_id: 'org_navy' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('state')).toBe('s1');
    const code = location.searchParams.get('code') ?? '';
    const auth = await workos.userManagement.authenticateWithCode({ code, clientId: emulator.clientId });
    expect(auth.user.email).toBe('grace@example.com');
    expect(auth.organizationId).toBe('org_navy');
    expect(emulator.calls.other).toBe(1);
  });

  it('creates a user for a new email', async () => {
    const response = await approveForm({ ...baseParams(), email: 'new.person@example.com' });
    const code = new URL(response.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const auth = await workos.userManagement.authenticateWithCode({ code, clientId: emulator.clientId });
    expect(auth.user).toMatchObject({ email: 'new.person@example.com', firstName: null, emailVerified: true });
    expect(auth.user.id).toMatch(/^user_/);
  });

  it('re-renders the page for an invalid email', async () => {
    const response = await approveForm({ ...baseParams(), email: 'not-an-email' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Enter a valid email address.');
  });

  it('checks the carried parameters again on approve', async () => {
    const response = await approveForm({ ...baseParams(), client_id: 'client_other', user_id: 'user_ada' });
    expect(response.status).toBe(400);
  });
});
