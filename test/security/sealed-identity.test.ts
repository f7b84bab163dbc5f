/**
 * Issue 12, finding 2: identity fields came from the seal without a check. With the cookie
 * password and their own account, an attacker sealed their own valid access token (no org_id)
 * next to `organizationId: 'org_acme'` and a forged email, and passed
 * `requireAuth({ organizationId: 'org_acme' })`. Every authorization input must come from the
 * verified token; the sealed organization may only be sent to WorkOS, which checks membership.
 * Real emulator tokens, the real cookie password, real HTTP, on Express and Koa.
 */
import type { EmulatorOptions } from '../../lib/testing';
import { ADAPTERS, ORG, startSealedApp, type SealedApp } from './sealed-apps';
import { sessionCookieFor, touchesSessionCookie } from '../helpers/session-cookie';

const CEO = { id: 'user_ceo', email: 'ceo@victim.example', firstName: 'Cee', lastName: 'Eo' };
const ATTACKER = { id: 'user_attacker', email: 'mallory@attacker.example', firstName: 'Mallory', lastName: null };
const EMULATOR: EmulatorOptions = {
  users: [CEO, ATTACKER],
  memberships: [{ userId: CEO.id, organizationId: ORG, role: 'admin', roles: ['admin'], permissions: ['billing:manage'] }],
};
const SAME_ORIGIN = { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' };

interface MeBody {
  user: { id: string; email: string };
  sessionId: string;
  organizationId?: string;
  role?: string;
  roles: string[];
  permissions: string[];
  impersonator?: { email: string; reason: string | null };
  claims: { sub: string; sid: string; org_id?: string };
}

describe.each(ADAPTERS)('%s: authorization comes from the verified token, never from the seal', (adapter) => {
  let app: SealedApp;
  beforeAll(async () => {
    app = await startSealedApp(adapter, { debug: true, emulator: EMULATOR });
  });
  afterAll(() => app.close());
  beforeEach(() => {
    app.debugLines.length = 0;
  });

  /** The probe: the attacker's own valid token, the victim's organization and email sealed beside it. */
  function forgedSeal(extra: Record<string, unknown> = {}) {
    const own = app.emulator.createSession({ userId: ATTACKER.id });
    return { cookie: sessionCookieFor({ ...own, user: { ...own.user, email: CEO.email }, organizationId: ORG, ...extra }) };
  }

  it('the real member passes the organization guard (the control)', async () => {
    const ceo = app.emulator.createSession({ userId: CEO.id, organizationId: ORG });
    const response = await app.http().get('/acme').set('Cookie', sessionCookieFor(ceo)).expect(200);
    expect((response.body as MeBody).organizationId).toBe(ORG);
    await app.http().get('/acme-check').set('Cookie', sessionCookieFor(ceo)).expect(200);
  });

  it('a sealed organization beside a token without org_id: 403 from requireAuth({ organizationId }) and from a custom check', async () => {
    const { cookie } = forgedSeal();
    const refused = await app.http().get('/acme').set('Cookie', cookie).expect(403);
    expect(refused.text).not.toContain(ORG);
    expect(touchesSessionCookie(refused)).toBe(false);
    await app.http().get('/acme-check').set('Cookie', cookie).expect(403);
  });

  it("req.auth, the session route and the debug line carry the token's organization (none), roles and ids only", async () => {
    const { cookie } = forgedSeal({ role: 'admin', roles: ['admin'], permissions: ['billing:manage'], sessionId: 'session_of_ceo' });
    const me = (await app.http().get('/api/me').set('Cookie', cookie).expect(200)).body as MeBody;
    expect(me.organizationId).toBeUndefined();
    expect(me.claims.org_id).toBeUndefined();
    expect(me.role).toBeUndefined();
    expect(me.roles).toEqual([]);
    expect(me.permissions).toEqual([]);
    expect(me.user.id).toBe(ATTACKER.id);
    expect(me.claims.sub).toBe(ATTACKER.id);
    expect(me.sessionId).toBe(me.claims.sid);
    // Documented: the email is only as trustworthy as the cookie password; apps key users by user.id.
    expect(me.user.email).toBe(CEO.email);
    expect(app.debugLines).toEqual([`GET /api/me: signed in as ${ATTACKER.id}`]);

    const session = (await app.http().get('/auth/session').set(SAME_ORIGIN).set('Cookie', cookie).expect(200)).body as Record<
      string,
      unknown
    >;
    expect(session).toMatchObject({ signedIn: true, organizationId: null, role: null, roles: [], permissions: [], impersonator: null });
    expect(JSON.stringify(session)).not.toContain(ORG);

    await app.http().get('/has-admin').set('Cookie', cookie).expect(200, { admin: false });
  });

  it('the refresh path sends the sealed organization to WorkOS, which refuses a non-member: never signed in to it', async () => {
    const own = app.emulator.createSession({ userId: ATTACKER.id });
    app.emulator.clock.advance(301);
    const refreshesBefore = app.emulator.requests.filter((entry) => entry.endpoint === 'authenticate_refresh').length;
    const response = await app
      .http()
      .get('/acme')
      .set('Cookie', sessionCookieFor({ ...own, organizationId: ORG }));
    expect(response.status).toBe(401);
    expect(response.text).not.toContain(ORG);
    const refreshes = app.emulator.requests.filter((entry) => entry.endpoint === 'authenticate_refresh').slice(refreshesBefore);
    expect(refreshes.map((entry) => (entry.body as { organization_id?: unknown }).organization_id)).toEqual([ORG]);
    expect(app.errors).toEqual([]);
  });

  it("after a real refresh, the organization is the new token's", async () => {
    const ceo = app.emulator.createSession({ userId: CEO.id, organizationId: ORG });
    app.emulator.clock.advance(301);
    const response = await app.http().get('/acme').set('Cookie', sessionCookieFor(ceo)).expect(200);
    expect(touchesSessionCookie(response)).toBe(true);
    expect((response.body as MeBody).organizationId).toBe(ORG);
  });

  it('a sealed impersonator without an act claim is ignored', async () => {
    const own = app.emulator.createSession({ userId: ATTACKER.id });
    const cookie = sessionCookieFor({ ...own, impersonator: { email: 'support@workos.example', reason: 'ticket 42' } });
    expect(((await app.http().get('/api/me').set('Cookie', cookie).expect(200)).body as MeBody).impersonator).toBeUndefined();
    const session = (await app.http().get('/auth/session').set(SAME_ORIGIN).set('Cookie', cookie).expect(200)).body as {
      impersonator: unknown;
    };
    expect(session.impersonator).toBeNull();
  });

  it('with an act claim the impersonator is act.sub; the sealed reason is kept only for that same impersonator', async () => {
    const impersonated = app.emulator.createSession({
      userId: CEO.id,
      impersonator: { email: 'support@workos.example', reason: 'ticket 42' },
    });
    const impersonatorOf = async (sealed: unknown) =>
      ((await app.http().get('/api/me').set('Cookie', sessionCookieFor(sealed)).expect(200)).body as MeBody).impersonator;

    await expect(impersonatorOf(impersonated)).resolves.toEqual({ email: 'support@workos.example', reason: 'ticket 42' });
    await expect(
      impersonatorOf({ ...impersonated, impersonator: { email: 'someone-else@example.com', reason: 'forged' } }),
    ).resolves.toEqual({
      email: 'support@workos.example',
      reason: null,
    });
    await expect(impersonatorOf({ ...impersonated, impersonator: null })).resolves.toEqual({
      email: 'support@workos.example',
      reason: null,
    });
  });
});
