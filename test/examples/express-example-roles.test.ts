import request from 'supertest';
import { startEmulator, type Emulator } from 'authkit-express/testing';
import { createApp } from '../../examples/express/app';
import { EXAMPLE_DATA } from '../../examples/express/emulator-data';
import { BROWSER, signIn } from '../helpers/app';
import { clearWorkOSEnv, COOKIE_PASSWORD } from '../helpers/env';

const ORIGIN = 'http://localhost:3000';
let emulator: Emulator;

beforeAll(async () => {
  clearWorkOSEnv();
  emulator = await startEmulator(EXAMPLE_DATA);
});
afterEach(() => emulator.reset());
afterAll(() => emulator.close());

const app = () =>
  createApp(
    { ...emulator.settings, cookiePassword: COOKIE_PASSWORD, redirectUri: `${ORIGIN}/callback` },
    { emulatorDashboardUrl: emulator.dashboardUrl },
  );

/** A browser signed in as Ada in Acme with the given role (as if picked on the emulator's page). */
async function adaIn(role: 'admin' | 'member'): Promise<ReturnType<typeof request.agent>> {
  emulator.setAutoApprove({ userId: 'user_01ADA', organizationId: 'org_01ACME', role });
  const browser = request.agent(app());
  await signIn(browser);
  return browser;
}

describe('examples/express with organizations and roles', () => {
  it('serves its style sheet, script and favicon, and links them from every page', async () => {
    const browser = request.agent(app());
    const home = await browser.get('/').set(BROWSER).expect(200);
    expect(home.text).toContain('<link rel="stylesheet" href="/style.css">');
    expect(home.text).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
    await browser
      .get('/style.css')
      .expect(200)
      .expect('Content-Type', /text\/css/);
    await browser
      .get('/session.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    await browser
      .get('/favicon.ico')
      .expect(200)
      .expect('Content-Type', /image\/svg\+xml/);
  });

  it('shows the user, organization, role and permissions on the dashboard, with the switcher and the token panel', async () => {
    const browser = await adaIn('member');
    const page = (await browser.get('/dashboard').set(BROWSER).expect(200)).text;
    expect(page).toContain('ada@example.com');
    expect(page).toMatch(/<dd data-organization>Acme <code>org_01ACME<\/code><\/dd>/);
    expect(page).toContain('<dd data-role>member</dd>');
    expect(page).toContain('<dd data-permissions><span class="badge">reports:read</span></dd>');
    expect(page).toContain('<input type="hidden" name="organizationId" value="org_01GLOBEX">');
    expect(page).toMatch(/id="token" data-expires-at="\d+" data-server-now="[\d.]+"/);
    expect(page).toContain(`href="${emulator.dashboardUrl}"`);
  });

  it('opens the admin page to an admin and answers a member with the 403 page', async () => {
    const admin = await adaIn('admin');
    expect((await admin.get('/admin').set(BROWSER).expect(200)).text).toContain('Admin area');
    const member = await adaIn('member');
    expect((await member.get('/admin').set(BROWSER).expect(403)).text).toContain('Access denied');
    expect((await member.get('/admin').set('Accept', 'application/json').expect(403)).body).toMatchObject({ error: 'forbidden' });
  });

  it('switches organization from the dashboard’s form, and refuses the form from another site', async () => {
    const browser = await adaIn('admin');
    await browser
      .post('/organization')
      .set({ ...BROWSER, 'Sec-Fetch-Site': 'cross-site' })
      .type('form')
      .send({ organizationId: 'org_01GLOBEX' })
      .expect(403);
    const switched = await browser.post('/organization').set(BROWSER).type('form').send({ organizationId: 'org_01GLOBEX' }).expect(302);
    expect(switched.headers.location).toBe('/dashboard');
    const page = (await browser.get('/dashboard').set(BROWSER).expect(200)).text;
    expect(page).toMatch(/<dd data-organization>Globex/);
    expect(page).toContain('<dd data-role>member</dd>');
    await browser.get('/admin').set(BROWSER).expect(403);
    // Not a member: WorkOS refuses, the session stays where it was.
    await browser.post('/organization').set(BROWSER).type('form').send({ organizationId: 'org_other' }).expect(403);
    await browser.post('/organization').set(BROWSER).type('form').send({}).expect(400);
  });

  it('answers the token panel’s poll with the expiry and the server clock, refreshing a token that expired', async () => {
    const browser = await adaIn('member');
    const first = (await browser.get('/api/session').expect(200)).body as { signedIn: boolean; expiresAt: number; serverNow: number };
    expect(first).toEqual({ signedIn: true, expiresAt: expect.any(Number), serverNow: expect.any(Number), organizationId: 'org_01ACME' });
    emulator.clock.advance(first.expiresAt - first.serverNow);
    const after = (await browser.get('/api/session').expect(200)).body as { expiresAt: number };
    expect(after.expiresAt).toBeGreaterThan(first.expiresAt);
    expect(emulator.calls.authenticate_refresh).toBe(1);
    await request(app()).get('/api/session').expect(200, { signedIn: false });
  });

  it('signs out through WorkOS back to the app’s home page', async () => {
    const browser = await adaIn('member');
    const logout = await browser.get('/logout').set(BROWSER).expect(302);
    const workos = new URL(logout.headers.location as string);
    expect(workos.searchParams.get('return_to')).toBe(`${ORIGIN}/`);
    const back = await fetch(workos, { redirect: 'manual' });
    expect(back.headers.get('location')).toBe(`${ORIGIN}/`);
  });
});
