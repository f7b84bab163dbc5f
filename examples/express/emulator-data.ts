import type { EmulatorOptions } from 'authkit-express/testing';

/**
 * What `npm run example` puts in the local WorkOS emulator. Ada belongs to two organizations and
 * may sign in to Acme as an admin or as a member (the emulator's sign-in page asks); Grace
 * administers Globex. Any other email signs in as a new user with no organization.
 */
export const EXAMPLE_DATA: Pick<EmulatorOptions, 'users' | 'organizations' | 'roles' | 'memberships'> = {
  users: [
    { id: 'user_01ADA', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
    { id: 'user_01GRACE', email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' },
  ],
  organizations: [
    { id: 'org_01ACME', name: 'Acme' },
    { id: 'org_01GLOBEX', name: 'Globex' },
  ],
  roles: [
    { slug: 'admin', name: 'Admin', permissions: ['reports:read', 'reports:write', 'members:manage'] },
    { slug: 'member', name: 'Member', permissions: ['reports:read'] },
  ],
  memberships: [
    { userId: 'user_01ADA', organizationId: 'org_01ACME', role: 'admin', roles: ['admin', 'member'] },
    { userId: 'user_01ADA', organizationId: 'org_01GLOBEX', role: 'member' },
    { userId: 'user_01GRACE', organizationId: 'org_01GLOBEX', role: 'admin' },
  ],
};
