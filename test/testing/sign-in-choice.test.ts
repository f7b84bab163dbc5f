import type { WorkOS } from '@workos-inc/node';
import { startEmulator, type Emulator } from '../../lib/testing';
import { REDIRECT_URI } from '../helpers/app-setup';
import { clearWorkOSEnv } from '../helpers/env';
import { decodeSegment } from '../helpers/inspect';
import { workosClientFor } from '../helpers/workos-client';

let emulator: Emulator;
let workos: WorkOS;

beforeAll(async () => {
  clearWorkOSEnv();
  emulator = await startEmulator({
    users: [
      { id: 'user_ada', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
      { id: 'user_grace', email: 'grace@example.com' },
    ],
    organizations: [
      { id: 'org_acme', name: 'Acme <Corp>' },
      { id: 'org_globex', name: 'Globex' },
    ],
    roles: [
      { slug: 'admin', name: 'Admin', permissions: ['reports:read', 'reports:write'] },
      { slug: 'member', name: 'Member', permissions: ['reports:read'] },
    ],
    memberships: [
      { userId: 'user_ada', organizationId: 'org_acme', roles: ['admin', 'member'] },
      { userId: 'user_ada', organizationId: 'org_globex', role: 'member' },
      { userId: 'user_grace', organizationId: 'org_globex', role: 'admin' },
    ],
  });
  workos = workosClientFor(emulator);
});
afterEach(() => emulator.reset());
afterAll(() => emulator.close());

const baseParams = (): Record<string, string> => ({
  client_id: emulator.clientId,
  redirect_uri: REDIRECT_URI,
  response_type: 'code',
  provider: 'authkit',
  state: 's1',
});

function post(fields: Record<string, string>): Promise<Response> {
  return fetch(`${emulator.url}/user_management/authorize/approve`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
}

/** The choice page's forms, each as the fields a click on its button would submit. */
function choices(html: string): { label: string; fields: Record<string, string> }[] {
  return [...html.matchAll(/<form method="post" action="[^"]+">([\s\S]*?)<button type="submit">([^<]*)<\/button><\/form>/g)].map(
    ([, inner, label]) => ({
      label: label!.replaceAll('&lt;', '<').replaceAll('&gt;', '>'),
      fields: Object.fromEntries(
        [...inner!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, name, value]) => [name!, value!]),
      ),
    }),
  );
}

async function claimsAfter(response: Response): Promise<Record<string, unknown>> {
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location')!);
  expect(location.searchParams.get('state')).toBe('s1');
  const auth = await workos.userManagement.authenticateWithCode({ code: location.searchParams.get('code')!, clientId: emulator.clientId });
  return decodeSegment(auth.accessToken, 1);
}

describe('the sign-in page with several memberships', () => {
  it('shows organization names (escaped) in the first page’s organization list', async () => {
    const page = await (await fetch(workos.userManagement.getAuthorizationUrl({ provider: 'authkit', redirectUri: REDIRECT_URI }))).text();
    expect(page).toContain('<option value="org_acme">Acme &lt;Corp&gt;</option>');
    expect(page).toContain('<option value="org_globex">Globex</option>');
  });

  it('asks a user with several memberships to pick an organization and role, one button each', async () => {
    const response = await post({ ...baseParams(), email: 'ada@example.com' });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1>Choose an organization</h1>');
    expect(choices(html).map((choice) => choice.label)).toEqual([
      'Acme <Corp> · Admin',
      'Acme <Corp> · Member',
      'Globex · Member',
      'Without an organization',
    ]);
    expect(choices(html)[0]!.fields).toMatchObject({
      ...baseParams(),
      user_id: 'user_ada',
      chosen: '1',
      organization_id: 'org_acme',
      role: 'admin',
    });
  });

  it('puts the picked organization, role and that role’s permissions in the access token', async () => {
    const page = await (await post({ ...baseParams(), user_id: 'user_ada' })).text();
    const member = choices(page).find((choice) => choice.label === 'Acme <Corp> · Member')!;
    expect(await claimsAfter(await post(member.fields))).toMatchObject({
      sub: 'user_ada',
      org_id: 'org_acme',
      role: 'member',
      roles: ['member'],
      permissions: ['reports:read'],
    });
    const admin = choices(page).find((choice) => choice.label === 'Acme <Corp> · Admin')!;
    expect(await claimsAfter(await post(admin.fields))).toMatchObject({
      role: 'admin',
      roles: ['admin'],
      permissions: ['reports:read', 'reports:write'],
    });
  });

  it('signs in without an organization when asked to', async () => {
    const page = await (await post({ ...baseParams(), user_id: 'user_ada' })).text();
    const none = choices(page).find((choice) => choice.label === 'Without an organization')!;
    const claims = await claimsAfter(await post(none.fields));
    expect(claims).not.toHaveProperty('org_id');
    expect(claims).not.toHaveProperty('role');
  });

  it('offers only the roles of the organization picked on the first page', async () => {
    const html = await (await post({ ...baseParams(), user_id: 'user_ada', organization_id: 'org_acme' })).text();
    expect(choices(html).map((choice) => choice.label)).toEqual(['Acme <Corp> · Admin', 'Acme <Corp> · Member']);
  });

  it('goes straight back with one choice, permissions from the role definitions', async () => {
    expect(await claimsAfter(await post({ ...baseParams(), user_id: 'user_ada', organization_id: 'org_globex' }))).toMatchObject({
      org_id: 'org_globex',
      role: 'member',
      permissions: ['reports:read'],
    });
    // One membership and no organization picked: as before, no organization.
    expect(await claimsAfter(await post({ ...baseParams(), user_id: 'user_grace' }))).not.toHaveProperty('org_id');
  });

  it('refuses a role the membership does not have', async () => {
    const response = await post({ ...baseParams(), user_id: 'user_grace', chosen: '1', organization_id: 'org_globex', role: 'owner' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('not one of the membership');
    const other = await post({ ...baseParams(), user_id: 'user_ada', chosen: '1', organization_id: 'org_globex', role: 'admin' });
    expect(other.status).toBe(400);
  });
});

describe('a picked role on later tokens', () => {
  it('stays through refreshes and is dropped when the session switches organization', async () => {
    const session = emulator.createSession({ userId: 'user_ada', organizationId: 'org_acme', role: 'member' });
    expect(decodeSegment(session.accessToken, 1)).toMatchObject({ role: 'member', permissions: ['reports:read'] });
    const refreshed = await workos.userManagement.authenticateWithRefreshToken({
      refreshToken: session.refreshToken,
      clientId: emulator.clientId,
    });
    expect(decodeSegment(refreshed.accessToken, 1)).toMatchObject({ org_id: 'org_acme', role: 'member' });
    const switched = await workos.userManagement.authenticateWithRefreshToken({
      refreshToken: refreshed.refreshToken,
      clientId: emulator.clientId,
      organizationId: 'org_globex',
    });
    expect(decodeSegment(switched.accessToken, 1)).toMatchObject({ org_id: 'org_globex', role: 'member' });
    const back = await workos.userManagement.authenticateWithRefreshToken({
      refreshToken: switched.refreshToken,
      clientId: emulator.clientId,
      organizationId: 'org_acme',
    });
    // Back in Acme with the membership's own roles and the permissions of both.
    expect(decodeSegment(back.accessToken, 1)).toMatchObject({
      roles: ['admin', 'member'],
      permissions: ['reports:read', 'reports:write'],
    });
  });

  it('is taken by auto-approve and checked by createSession', async () => {
    emulator.setAutoApprove({ userId: 'user_ada', organizationId: 'org_acme', role: 'admin' });
    const url = workos.userManagement.getAuthorizationUrl({ provider: 'authkit', redirectUri: REDIRECT_URI });
    const code = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
    const auth = await workos.userManagement.authenticateWithCode({ code, clientId: emulator.clientId });
    expect(decodeSegment(auth.accessToken, 1)).toMatchObject({ role: 'admin', roles: ['admin'] });
    expect(() => emulator.createSession({ userId: 'user_grace', organizationId: 'org_globex', role: 'member' })).toThrow(/not a role/);
  });
});
