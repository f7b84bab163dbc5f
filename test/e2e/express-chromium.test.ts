import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { startEmulator, type Emulator } from 'authkit-express/testing';
import { createApp } from '../../examples/express/app';
import { clearWorkOSEnv, COOKIE_PASSWORD } from '../helpers/env';

/** Debian's Chromium (`apt-get install chromium`, done by .ci/run); never a downloaded browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let browser: Browser;
let emulator: Emulator;
let server: Server;
let origin: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: run \`apt-get install -y chromium\` or set CHROMIUM_PATH.`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});
afterAll(() => browser?.close());

beforeEach(async () => {
  clearWorkOSEnv();
  // The interactive sign-in page a person sees with `npm run example`.
  emulator = await startEmulator();
  // The redirect URI needs the port, so listen first and build the app with it.
  const holder: { app?: ReturnType<typeof createApp> } = {};
  server = createServer((req, res) => holder.app!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  holder.app = createApp({
    ...emulator.settings,
    cookiePassword: COOKIE_PASSWORD,
    redirectUri: `${origin}/callback`,
    logger: { warn() {} },
  });
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await emulator.close();
});

it('a person signs in on the emulator page, uses the app past token expiry, and signs out', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/dashboard`);
    // Refused: sent to sign in, which lands on the emulator's hosted page.
    await page.waitForURL((url) => url.pathname === '/user_management/authorize');
    await page.getByLabel('Email').fill('grace@example.com');
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.waitForURL(`${origin}/dashboard`);
    expect(await page.textContent('body')).toContain('grace@example.com');

    const session = (await context.cookies(origin)).find((cookie) => cookie.name === 'wos-session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    // The flow cookie was deleted at the callback.
    expect((await context.cookies(origin)).filter((cookie) => cookie.name.startsWith('wos-auth-verifier-'))).toEqual([]);

    // An hour later the access token has long expired: the page still works and the cookie is renewed.
    emulator.clock.advance(60 * 60);
    await page.reload();
    expect(await page.textContent('body')).toContain('grace@example.com');
    const renewed = (await context.cookies(origin)).find((cookie) => cookie.name === 'wos-session');
    expect(renewed?.value).not.toBe(session?.value);
    expect(emulator.calls.authenticate_refresh).toBe(1);

    // A same-site link signs out (no confirmation page), through WorkOS and back.
    await page.getByRole('link', { name: 'Sign out' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/dashboard'));
    expect((await context.cookies(origin)).find((cookie) => cookie.name === 'wos-session')).toBeUndefined();
    await page.goto(`${origin}/`);
    expect(await page.textContent('body')).toContain('You are signed out');
  } finally {
    await context.close();
  }
}, 60_000);

it('another origin of the same site (a sibling) cannot sign out or frame the sign-out page, nor choose the organization of a sign-in', async () => {
  // 127.0.0.1 on another port: same-site to the browser (Sec-Fetch-Site: same-site), another origin.
  const sibling = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><body>
      <img src="${origin}/logout" alt="">
      <iframe src="${origin}/logout"></iframe>
      <a id="out" href="${origin}/logout" rel="noreferrer">win a prize</a>
      <a id="in" href="${origin}/login?organizationId=org_attacker">sign in</a>
    </body>`);
  });
  await new Promise<void>((resolve) => sibling.listen(0, '127.0.0.1', resolve));
  const siblingOrigin = `http://127.0.0.1:${(sibling.address() as AddressInfo).port}`;
  const context = await browser.newContext();
  const page = await context.newPage();
  const signedIn = async () => (await context.cookies(origin)).some((cookie) => cookie.name === 'wos-session');
  try {
    await page.goto(`${origin}/dashboard`);
    await page.waitForURL((url) => url.pathname === '/user_management/authorize');
    await page.getByLabel('Email').fill('grace@example.com');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${origin}/dashboard`);

    await page.goto(siblingOrigin, { waitUntil: 'load' });
    expect(await signedIn()).toBe(true);
    // The framed confirmation page was refused by the browser (X-Frame-Options / frame-ancestors).
    const framed = page.frames().find((frame) => frame !== page.mainFrame());
    expect(framed).toBeDefined();
    expect(framed?.url()).not.toBe(`${origin}/logout`);
    expect(await framed?.locator('button').count()).toBe(0);

    // The link (no referrer) leads to the confirmation page, not to a sign-out.
    await page.click('#out');
    await page.waitForURL(`${origin}/logout`);
    expect(await page.textContent('h1')).toBe('Sign out?');
    expect(await signedIn()).toBe(true);
    // Its button posts from our own origin and signs out.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname !== '/logout');
    expect(await signedIn()).toBe(false);

    // A sign-in link on the sibling starts a plain sign-in: the organization it names is dropped.
    await page.goto(siblingOrigin, { waitUntil: 'load' });
    await page.click('#in');
    await page.waitForURL((url) => url.pathname === '/user_management/authorize');
    expect(new URL(page.url()).searchParams.has('organization_id')).toBe(false);
    expect(new URL(page.url()).searchParams.get('provider')).toBe('authkit');
  } finally {
    await context.close();
    await new Promise((resolve) => sibling.close(resolve));
  }
}, 60_000);
