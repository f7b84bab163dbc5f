import request from 'supertest';
import { getAuth, type GuardOptions } from '../../lib';
import { BROWSER, startTestApp, type TestApp } from '../helpers/app';
import { API, MEMBERSHIPS, sessionCookie, type SessionName } from './fixtures';

// Every requirement kind, allowed and forbidden, for API calls and page navigations, against
// real access tokens the emulator signed from the memberships in fixtures.ts.

interface Case {
  name: string;
  options: GuardOptions;
  session: SessionName;
  allowed: boolean;
}

const CASES: Case[] = [
  // roles: a plain list is any-of
  { name: 'roles: the one role held', options: { roles: 'editor' }, session: 'editor', allowed: true },
  { name: 'roles: a role not held', options: { roles: 'admin' }, session: 'editor', allowed: false },
  { name: 'roles: plain list is any-of', options: { roles: ['admin', 'editor'] }, session: 'editor', allowed: true },
  { name: 'roles: plain list, none held', options: { roles: ['admin', 'owner'] }, session: 'editor', allowed: false },
  { name: 'roles: allOf with one missing', options: { roles: { allOf: ['admin', 'editor'] } }, session: 'editor', allowed: false },
  { name: 'roles: allOf from the roles claim', options: { roles: { allOf: ['admin', 'billing'] } }, session: 'multi', allowed: true },
  { name: 'roles: second entry of the roles claim', options: { roles: 'billing' }, session: 'multi', allowed: true },
  { name: 'roles: membership without roles', options: { roles: 'editor' }, session: 'plain', allowed: false },
  // permissions: a plain list is all-of
  { name: 'permissions: one held', options: { permissions: 'posts:write' }, session: 'editor', allowed: true },
  { name: 'permissions: plain list, all held', options: { permissions: ['posts:read', 'posts:write'] }, session: 'editor', allowed: true },
  {
    name: 'permissions: plain list is all-of',
    options: { permissions: ['posts:read', 'posts:delete'] },
    session: 'editor',
    allowed: false,
  },
  {
    name: 'permissions: anyOf, one held',
    options: { permissions: { anyOf: ['posts:delete', 'posts:write'] } },
    session: 'editor',
    allowed: true,
  },
  {
    name: 'permissions: anyOf, none held',
    options: { permissions: { anyOf: ['posts:delete', 'users:manage'] } },
    session: 'editor',
    allowed: false,
  },
  { name: 'permissions: another membership', options: { permissions: 'posts:write' }, session: 'multi', allowed: false },
  // entitlements
  { name: 'entitlements: held', options: { entitlements: 'audit-logs' }, session: 'editor', allowed: true },
  { name: 'entitlements: plain list is all-of', options: { entitlements: ['audit-logs', 'sso'] }, session: 'editor', allowed: false },
  { name: 'entitlements: anyOf', options: { entitlements: { anyOf: ['sso', 'audit-logs'] } }, session: 'editor', allowed: true },
  { name: 'entitlements: none in the token', options: { entitlements: 'audit-logs' }, session: 'plain', allowed: false },
  // feature flags
  { name: 'featureFlags: on', options: { featureFlags: 'new-editor' }, session: 'editor', allowed: true },
  { name: 'featureFlags: off', options: { featureFlags: 'dark-mode' }, session: 'editor', allowed: false },
  { name: 'featureFlags: anyOf', options: { featureFlags: { anyOf: ['dark-mode', 'new-editor'] } }, session: 'editor', allowed: true },
  { name: 'featureFlags: plain list is all-of', options: { featureFlags: ['new-editor', 'dark-mode'] }, session: 'editor', allowed: false },
  // organization
  { name: 'organizationId: the session organization', options: { organizationId: 'org_editor' }, session: 'editor', allowed: true },
  { name: 'organizationId: another organization', options: { organizationId: 'org_other' }, session: 'editor', allowed: false },
  { name: 'organizationId: session without one', options: { organizationId: 'org_editor' }, session: 'noOrg', allowed: false },
  // custom check
  { name: 'check: true', options: { check: () => true }, session: 'plain', allowed: true },
  { name: 'check: false', options: { check: () => false }, session: 'editor', allowed: false },
  { name: 'check: async true', options: { check: async () => true }, session: 'plain', allowed: true },
  { name: 'check: truthy but not true', options: { check: (() => 'yes') as unknown as () => boolean }, session: 'editor', allowed: false },
  { name: 'check: forgot to return', options: { check: (() => undefined) as unknown as () => boolean }, session: 'editor', allowed: false },
  {
    name: 'check: sees the verified auth',
    options: { check: (auth) => auth.has({ permission: 'posts:write' }) },
    session: 'editor',
    allowed: true,
  },
  {
    name: 'check: sees the verified auth (refused)',
    options: { check: (auth) => auth.has({ permission: 'posts:write' }) },
    session: 'multi',
    allowed: false,
  },
  {
    name: 'check: sees the request',
    options: { check: (_auth, req) => req.headers['x-tenant'] === 'acme' },
    session: 'plain',
    allowed: true,
  },
  // everything at once: each must hold
  {
    name: 'combined: all hold',
    options: {
      roles: 'editor',
      permissions: 'posts:write',
      entitlements: 'audit-logs',
      featureFlags: 'new-editor',
      organizationId: 'org_editor',
    },
    session: 'editor',
    allowed: true,
  },
  {
    name: 'combined: one fails',
    options: {
      roles: 'editor',
      permissions: 'posts:delete',
      entitlements: 'audit-logs',
      featureFlags: 'new-editor',
      organizationId: 'org_editor',
    },
    session: 'editor',
    allowed: false,
  },
];

const MODES = [
  { mode: 'API', headers: API },
  { mode: 'navigation', headers: BROWSER },
] as const;

/** Every string the case requires: the 403 must not hand out the app's access model. */
function requiredValues(options: GuardOptions): string[] {
  const values: unknown[] = [options.roles, options.permissions, options.entitlements, options.featureFlags, options.organizationId];
  return values.flatMap((value) =>
    typeof value === 'string'
      ? [value]
      : Array.isArray(value)
        ? value
        : value && typeof value === 'object'
          ? Object.values(value).flat()
          : [],
  ) as string[];
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    emulator: { memberships: MEMBERSHIPS },
    configure: (app, authkit) => {
      CASES.forEach((testCase, index) => {
        app.get(`/case/${index}`, authkit.requireAuth(testCase.options), (req, res) =>
          res.json({ ok: true, email: getAuth(req).user?.email }),
        );
      });
    },
  });
});
afterAll(() => t.close());

describe.each(MODES)('requireAuth requirements ($mode)', ({ mode, headers }) => {
  it.each(CASES.map((testCase, index) => ({ ...testCase, index })))(
    '$name → allowed: $allowed',
    async ({ index, session, allowed, options }) => {
      const { cookie, accessToken } = sessionCookie(t.emulator, session);
      const response = await request(t.app).get(`/case/${index}`).set(headers).set('X-Tenant', 'acme').set('Cookie', cookie);
      if (allowed) {
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ ok: true, email: 'ada@example.com' });
        return;
      }
      // Signed in but not allowed: 403, never a sign-in redirect (which would loop).
      expect(response.status).toBe(403);
      expect(response.headers.location).toBeUndefined();
      expect(response.headers['cache-control']).toBe('private, no-store');
      expect(response.headers.vary).toMatch(/\bCookie\b/);
      expect(response.text).not.toContain(accessToken);
      for (const value of requiredValues(options)) expect(response.text).not.toContain(value);
      if (mode === 'API') {
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(response.body).toEqual({ error: 'forbidden', message: expect.any(String) });
      } else {
        expect(response.headers['content-type']).toMatch(/^text\/html/);
        expect(response.text).toContain('<h1>Access denied</h1>');
      }
    },
  );
});
