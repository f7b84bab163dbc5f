// `npm run example` in a real browser: examples/express started as server.ts starts it (on the
// built-in emulator with the example's users, organizations and roles), driven through headless
// Chromium: sign-in picking an organization and role on the emulator's page, the admin page (403
// for a member, 200 for an admin), an organization switch, a refresh triggered from the emulator's
// dashboard, and sign-out back to the app.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Emulator } from 'authkit-express/testing';
import { startExample, type RunningExample } from '../../examples/express/start';

/** Debian's Chromium (`apt-get install chromium`, done by .ci/run); never a downloaded browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let browser: Browser;
let example: RunningExample;
let emulator: Emulator;
let url: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: run \`apt-get install -y chromium\` or set CHROMIUM_PATH.`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  // No WORKOS_* settings: the example starts its own emulator.
  example = await startExample(0, {});
  emulator = example.emulator!;
  url = example.url;
});
afterAll(async () => {
  await browser?.close();
  await example?.close();
});

/** On the emulator's sign-in page: continue as Ada, then pick the organization and role. */
async function signInAsAda(page: Page, choice: string): Promise<void> {
  await page.waitForURL((at) => at.pathname === '/user_management/authorize');
  await page.getByRole('button', { name: /Ada Lovelace/ }).click();
  await page.getByRole('heading', { name: 'Choose an organization' }).waitFor();
  await page.getByRole('button', { name: choice, exact: true }).click();
}

const text = async (page: Page, selector: string): Promise<string> => ((await page.textContent(selector)) ?? '').trim();

it('signs in picking organization and role, guards the admin page, switches organization, refreshes on demand and signs out back to the app', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    // The styled home page, its style sheet and favicon.
    const home = await page.goto(`${url}/`);
    expect(home?.status()).toBe(200);
    expect(await text(page, 'h1')).toBe('authkit-express example');
    expect((await page.request.get(`${url}/style.css`)).headers()['content-type']).toContain('text/css');
    expect((await page.request.get(`${url}/favicon.ico`)).status()).toBe(200);

    // A member of Acme: the dashboard shows it, the admin page answers 403.
    await page.goto(`${url}/dashboard`);
    await signInAsAda(page, 'Acme · Member');
    await page.waitForURL(`${url}/dashboard`);
    expect(await text(page, '[data-organization]')).toContain('Acme');
    expect(await text(page, '[data-role]')).toBe('member');
    expect(await text(page, '[data-permissions]')).toBe('reports:read');
    const denied = await page.goto(`${url}/admin`);
    expect(denied?.status()).toBe(403);
    expect(await text(page, 'h1')).toBe('Access denied');

    // Sign out: through the emulator and back to the app's home page.
    await page.goto(`${url}/dashboard`);
    await page.getByRole('link', { name: 'Sign out' }).click();
    await page.waitForURL(`${url}/`);
    expect(await page.textContent('body')).toContain('You are signed out');

    // An admin of Acme, picked on the emulator's page: the admin page opens.
    await page.goto(`${url}/admin`);
    await signInAsAda(page, 'Acme · Admin');
    await page.waitForURL(`${url}/admin`);
    expect(await text(page, 'h1')).toBe('Admin area');
    expect((await page.reload())?.status()).toBe(200);

    // Switch to Globex, where Ada is a member: the token says so, and the admin page is closed again.
    await page.goto(`${url}/dashboard`);
    await page.getByRole('button', { name: 'Switch to Globex' }).click();
    await page.waitForURL(`${url}/dashboard`);
    expect(await text(page, '[data-organization]')).toContain('Globex');
    expect(await text(page, '[data-role]')).toBe('member');
    expect((await page.request.get(`${url}/admin`, { headers: { Accept: 'application/json' } })).status()).toBe(403);

    // The dashboard page stays open, polling. On the emulator's dashboard, expire its access token now.
    const sessionId = await text(page, '#token code');
    const refreshes = emulator.calls.authenticate_refresh;
    const emulatorPage = await context.newPage();
    await emulatorPage.goto(emulator.dashboardUrl);
    await emulatorPage.locator(`tr[data-session="${sessionId}"]`).getByRole('button', { name: 'Expire access token now' }).click();
    await emulatorPage.getByText('Access token expired').waitFor();
    // The app's next request (the page's poll) finds the token expired and refreshes it, once.
    await page.locator('#token ol.log li.ok').first().waitFor();
    expect(await text(page, '#token ol.log li.ok')).toContain('token refreshed');
    expect(emulator.calls.authenticate_refresh).toBe(refreshes + 1);
    await page.reload();
    expect(await text(page, '[data-organization]')).toContain('Globex');
    await emulatorPage.reload();
    expect(await text(emulatorPage, `tr[data-session="${sessionId}"]`)).toMatch(/expires in \d+ s/);

    // Sign out from the app: WorkOS ends the session and sends the browser back to the app.
    await page.getByRole('link', { name: 'Sign out' }).click();
    await page.waitForURL(`${url}/`);
    expect(await page.textContent('body')).toContain('You are signed out');
    expect((await context.cookies(url)).find((cookie) => cookie.name === 'wos-session')).toBeUndefined();
    await emulatorPage.reload();
    expect(await emulatorPage.locator(`tr[data-session="${sessionId}"]`).count()).toBe(0);
  } finally {
    await context.close();
  }
}, 90_000);
