import { startEmulator, type Emulator } from '../../lib/testing';
import { clearWorkOSEnv } from '../helpers/env';
import { workosClientFor } from '../helpers/workos-client';

let emulator: Emulator;

beforeAll(async () => {
  clearWorkOSEnv();
  emulator = await startEmulator({
    users: [{ id: 'user_ada', email: 'ada@example.com' }],
    organizations: [{ id: 'org_acme', name: 'Acme' }],
    memberships: [
      { userId: 'user_ada', organizationId: 'org_acme', roles: ['admin', 'member'] },
      { userId: 'user_ada', organizationId: 'org_globex', role: 'member' },
    ],
  });
});
afterAll(() => emulator.close());

describe('GET /user_management/organization_memberships', () => {
  it('lists a user’s memberships through the real SDK, with organization names and roles', async () => {
    const list = await workosClientFor(emulator).userManagement.listOrganizationMemberships({ userId: 'user_ada' });
    expect(list.data).toEqual([
      expect.objectContaining({
        object: 'organization_membership',
        id: expect.stringMatching(/^om_[0-9A-F]{26}$/),
        userId: 'user_ada',
        organizationId: 'org_acme',
        organizationName: 'Acme',
        status: 'active',
        role: { slug: 'admin' },
        roles: [{ slug: 'admin' }, { slug: 'member' }],
      }),
      expect.objectContaining({ organizationId: 'org_globex', organizationName: 'org_globex', role: { slug: 'member' } }),
    ]);
    const again = await workosClientFor(emulator).userManagement.listOrganizationMemberships({ userId: 'user_ada' });
    expect(again.data.map((m) => m.id)).toEqual(list.data.map((m) => m.id));
  });

  it('filters by organization and status', async () => {
    const workos = workosClientFor(emulator);
    expect((await workos.userManagement.listOrganizationMemberships({ organizationId: 'org_globex' })).data).toHaveLength(1);
    expect((await workos.userManagement.listOrganizationMemberships({ userId: 'user_ada', statuses: ['inactive'] })).data).toEqual([]);
  });

  it('needs the API key and a user or organization', async () => {
    const url = `${emulator.url}/user_management/organization_memberships?user_id=user_ada`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { Authorization: 'Bearer sk_wrong' } })).status).toBe(401);
    const unfiltered = await fetch(`${emulator.url}/user_management/organization_memberships`, {
      headers: { Authorization: `Bearer ${emulator.apiKey}` },
    });
    expect(unfiltered.status).toBe(422);
  });
});
