import type { IncomingMessage, ServerResponse } from 'node:http';
import request from 'supertest';
import { startEmulator, type Emulator } from 'authkit-express/testing';
import { createApp as createConnectApp } from '../../examples/connect/app';
import { createHandler } from '../../examples/connect/http';
import { createApp as createKoaApp } from '../../examples/koa/app';
import type { AuthKitOptions } from '../../lib';
import { BROWSER } from '../helpers/app';
import { sealedSession } from '../helpers/cookie-apps';
import { clearWorkOSEnv, COOKIE_PASSWORD } from '../helpers/env';

let emulator: Emulator;
beforeAll(async () => {
  clearWorkOSEnv();
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

type Listener = (req: IncomingMessage, res: ServerResponse) => void;
const examples: Array<[string, (options: AuthKitOptions) => Listener]> = [
  ['examples/connect', (options) => createConnectApp(options)],
  ['examples/connect/http', (options) => createHandler(options)],
  ['examples/koa', (options) => createKoaApp(options).callback()],
];

it.each(examples)('%s signs out through WorkOS back to its home page', async (_name, create) => {
  const listener = create({ ...emulator.settings, cookiePassword: COOKIE_PASSWORD, redirectUri: 'http://localhost:3000/callback' });
  const browser = request.agent(listener);
  const logout = await browser
    .get('/logout')
    .set({ ...BROWSER, Cookie: `wos-session=${sealedSession(emulator)}` })
    .expect(302);
  const workos = new URL(logout.headers.location as string);
  expect(workos.pathname).toBe('/user_management/sessions/logout');
  expect(workos.searchParams.get('return_to')).toBe('http://localhost:3000/');
});
