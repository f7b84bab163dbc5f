import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import express, { type Express } from 'express';
import request from 'supertest';
import ts from 'typescript';
import * as library from '../../lib';
import { startEmulator, type Emulator } from '../../lib/testing';
import { BROWSER, setCookies, signIn } from '../helpers/app';
import { clearWorkOSEnv, COOKIE_PASSWORD } from '../helpers/env';

/**
 * The README's quick start, run as written: its TypeScript block is taken from README.md,
 * transpiled and run with the four WORKOS_* variables pointing at the emulator. Only two things
 * are swapped under it: `authkit-express` is this repository's source, and `app.listen(3000)`
 * hands the app to the test instead of taking the port.
 */
function quickStartSource(): string {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (!block?.[1]) throw new Error('README.md: no ```ts block under "## Quick start"');
  return block[1];
}

function runQuickStart(source: string): Express {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  let listening: Express | undefined;
  const expressAsUsed = Object.assign((...args: Parameters<typeof express>) => {
    const app = express(...args);
    app.listen = ((port: unknown) => {
      if (port !== 3000) throw new Error(`the quick start listens on ${String(port)}, the README says 3000`);
      listening = app;
    }) as Express['listen'];
    return app;
  }, express);
  const modules: Record<string, unknown> = { express: { __esModule: true, default: expressAsUsed }, 'authkit-express': library };
  const exports = {};
  runInNewContext(outputText, {
    require: (name: string) => {
      if (!(name in modules)) throw new Error(`the quick start imports ${name}, which the README does not install`);
      return modules[name];
    },
    exports,
    module: { exports },
    process,
  });
  if (!listening) throw new Error('the quick start never calls app.listen');
  return listening;
}

describe('README quick start', () => {
  let emulator: Emulator;
  beforeEach(async () => {
    clearWorkOSEnv();
    emulator = await startEmulator({ autoApprove: true });
    // The four variables the quick start reads, plus where the emulator listens (on WorkOS these stay unset).
    Object.assign(process.env, {
      WORKOS_CLIENT_ID: emulator.clientId,
      WORKOS_API_KEY: emulator.apiKey,
      WORKOS_COOKIE_PASSWORD: COOKIE_PASSWORD,
      WORKOS_API_HOSTNAME: emulator.settings.apiHostname,
      WORKOS_API_PORT: String(emulator.settings.apiPort),
      WORKOS_API_HTTPS: 'false',
    });
  });
  afterEach(async () => {
    clearWorkOSEnv();
    await emulator.close();
  });

  it('installs only what its install line lists', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const install = /```sh\n(npm install [^\n]+)\n```/.exec(readme.slice(readme.indexOf('## Quick start')))?.[1];
    expect(install).toBe('npm install authkit-express @workos-inc/node express');
    const imports = [...quickStartSource().matchAll(/from '([^']+)'/g)].map((match) => match[1]);
    expect(imports.every((name) => install?.split(' ').includes(name as string))).toBe(true);
  });

  it('signs in, shows the protected page, and signs out, as written', async () => {
    const app = runQuickStart(quickStartSource());
    const browser = request.agent(app);

    await browser.get('/').set(BROWSER).expect(200, '<a href="/login">Sign in</a>');
    const refused = await browser.get('/account').set(BROWSER).expect(302);
    expect(refused.headers.location).toBe('/login?returnTo=%2Faccount');
    await request(app).get('/account').set('Accept', 'application/json').expect(401);

    const callback = await signIn(browser, refused.headers.location as string);
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe('/account');
    expect(setCookies(callback).some((line) => line.startsWith('wos-session=Fe26.2'))).toBe(true);

    const account = await browser.get('/account').set(BROWSER).expect(200);
    const user = account.body as { email: string; id: string };
    expect(user.id).toMatch(/^user_/);
    await browser.get('/').set(BROWSER).expect(200, `Hi ${user.email} <a href="/logout">Sign out</a>`);

    const logout = await browser.get('/logout').set(BROWSER).expect(302);
    expect(new URL(logout.headers.location as string).pathname).toMatch(/logout/);
    await browser.get('/').set(BROWSER).expect(200, '<a href="/login">Sign in</a>');
  });
});
