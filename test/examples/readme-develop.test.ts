import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import express from 'express';
import request from 'supertest';
import ts from 'typescript';
import * as library from '../../lib';
import * as testing from '../../lib/testing';
import { BROWSER } from '../helpers/app';
import { clearWorkOSEnv, COOKIE_PASSWORD } from '../helpers/env';
import { submitSignInPage } from '../helpers/sign-in-page';

/**
 * The in-process block of the README's "Develop against the emulator", run as written but on a
 * free port (`port: 4100` becomes `port: 0`, so the test never holds the CLI's fixed port).
 */
async function runBlock(): Promise<{ authkit: library.AuthKit; emulator: testing.Emulator; logged: string[] }> {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const source = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('## Develop against the emulator')))?.[1];
  if (!source?.includes('port: 4100')) throw new Error('README.md: no ```ts block with port: 4100 under "## Develop against the emulator"');
  const { outputText } = ts.transpileModule(source.replace('port: 4100', 'port: 0'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const logged: string[] = [];
  const modules: Record<string, unknown> = { 'authkit-express': library, 'authkit-express/testing': testing };
  return runInNewContext(`(async () => {\n${outputText}\nreturn { authkit, emulator };\n})()`, {
    require: (name: string) => modules[name],
    exports: {},
    process,
    console: { log: (line: string) => logged.push(line) },
  }).then((result: { authkit: library.AuthKit; emulator: testing.Emulator }) => ({ ...result, logged }));
}

afterEach(clearWorkOSEnv);

it('README "Develop against the emulator": the in-process block signs a person in on the emulator, even with a stale WORKOS_CLIENT_ID set', async () => {
  clearWorkOSEnv();
  Object.assign(process.env, { WORKOS_CLIENT_ID: 'client_from_an_old_env_file', WORKOS_COOKIE_PASSWORD: COOKIE_PASSWORD });
  const { authkit, emulator, logged } = await runBlock();
  try {
    expect(logged).toEqual([`WorkOS emulator dashboard: ${emulator.dashboardUrl}`]);
    const app = express();
    app.use(authkit.router);
    app.get('/me', authkit.requireAuth, (req, res) => void res.json(library.getAuth(req)));
    const browser = request.agent(app);
    const login = await browser.get('/login?returnTo=/me').set(BROWSER).expect(302);
    const callback = await submitSignInPage(emulator, login.headers.location as string, 'ada@example.com');
    await browser.get(`${callback.pathname}${callback.search}`).set(BROWSER).expect(302);
    expect((await browser.get('/me').expect(200)).body).toMatchObject({ user: { id: 'user_ada', email: 'ada@example.com' } });
    expect(emulator.calls.authenticate_code).toBe(1);
  } finally {
    await emulator.close();
  }
});
