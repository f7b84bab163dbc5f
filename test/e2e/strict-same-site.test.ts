import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { chromium, type Browser } from 'playwright-core';
import { createAuthKit, getAuth } from 'authkit-express';
import { startEmulator, type Emulator } from 'authkit-express/testing';
import { clearWorkOSEnv, COOKIE_PASSWORD } from '../helpers/env';

/**
 * `cookieSameSite: 'strict'` in a real browser. The app is on `localhost` and the emulator on
 * `127.0.0.1`, two different sites, as an app and WorkOS always are: the browser comes back from the
 * sign-in page with a cross-site navigation, which carries no Strict cookie.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let browser: Browser;
let emulator: Emulator;
let server: Server;
let origin: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: run \`apt-get install -y chromium\` or set CHROMIUM_PATH.`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  clearWorkOSEnv();
  emulator = await startEmulator();
  const app = express();
  const holder: { authkit?: ReturnType<typeof createAuthKit> } = {};
  app.use((req, res, next) => holder.authkit!.router(req, res, next));
  app.get(
    '/dashboard',
    (req, res, next) => holder.authkit!.requireAuth(req, res, next),
    (req, res) => {
      res.type('html').send(`<p>Signed in as ${getAuth(req).user?.email}</p>`);
    },
  );
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  holder.authkit = createAuthKit({
    ...emulator.settings,
    cookiePassword: COOKIE_PASSWORD,
    redirectUri: `${origin}/callback`,
    cookieSameSite: 'strict',
    logger: { warn() {} },
  });
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server.close(resolve));
  await emulator.close();
});

it('signs in and lands signed in: Lax flow cookie, Strict session cookie, a same-site last step', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/dashboard`);
    await page.waitForURL((url) => url.pathname === '/user_management/authorize');
    const flow = (await context.cookies(origin)).find((cookie) => cookie.name.startsWith('wos-auth-verifier-'));
    expect(flow?.sameSite).toBe('Lax');
    await page.getByLabel('Email').fill('grace@example.com');
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.waitForURL(`${origin}/dashboard`);
    await page.waitForSelector('text=Signed in as grace@example.com');
    const session = (await context.cookies(origin)).find((cookie) => cookie.name === 'wos-session');
    expect(session).toMatchObject({ sameSite: 'Strict', httpOnly: true });
  } finally {
    await context.close();
  }
}, 60_000);
