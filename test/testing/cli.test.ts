// The emulator CLI as users run it: built by scripts/build.mjs into a private directory, then
// started as its own process (`node dist/cjs/testing/cli/main.cjs emulator …`) and talked to
// over HTTP. The packed tarball's `npx authkit-express emulator` is tested in test/package/pack.test.ts.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { createAuthKit, getAuth } from '../../lib';
import { BROWSER } from '../helpers/app';
import { childEnv, killStrayClis, runCli, startCli, type RunningCli } from '../helpers/cli-process';
import { clearWorkOSEnv } from '../helpers/env';
import { findOldNode } from '../helpers/old-node';
import { submitSignInPage } from '../helpers/sign-in-page';
import { ROOT } from '../package/entry-points';

let work: string;
let bin: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'authkit-express-cli-'));
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--out-dir', join(work, 'dist')], { cwd: ROOT }, (error) =>
      error ? reject(error) : resolve(),
    ),
  );
  // Where a built file looks for its dependencies, as in an installed package.
  symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'), 'dir');
  bin = join(work, 'dist', 'cjs', 'testing', 'cli', 'main.cjs');
}, 120_000);
afterEach(() => {
  killStrayClis();
  clearWorkOSEnv();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cli = (...args: string[]): Promise<RunningCli> => startCli(process.execPath, [bin, 'emulator', ...args], work);

describe('the built bin', () => {
  it('is an executable script with a node hashbang', () => {
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(statSync(bin).mode & 0o111).toBe(0o111);
  });

  it('prints the help with every option and exits 0', async () => {
    const result = await runCli(bin, ['emulator', '--help'], work);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('Usage: authkit-express emulator [options]');
    expect(result.stdout).toContain('--env-file <path>');
  });

  it('refuses a bad option with a pointer to --help and exit code 2, starting nothing', async () => {
    const result = await runCli(process.execPath, [bin, 'emulator', '--port', 'eighty'], work);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toContain("--port must be a whole number from 0 to 65535, not 'eighty'");
    expect(result.stderr).toContain('--help');
  });
});

const oldNode = findOldNode();

// Skipped only on a machine with no Node older than 22.11 (CI has Debian's Node 20).
(oldNode ? describe : describe.skip)(`the built bin on an old Node (${oldNode ?? 'none found'})`, () => {
  it('prints what to do and exits 1 before starting an emulator', async () => {
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      // A timeout: should the check ever fail to stop it, the emulator (on a free port) is killed.
      const child = execFile(
        oldNode as string,
        [bin, 'emulator', '--port', '0'],
        { cwd: work, env: childEnv(), timeout: 15_000 },
        (_error, stdout, stderr) => done({ code: child.exitCode, stdout, stderr }),
      );
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('authkit-express emulator needs Node.js 22.11 or newer');
    expect(result.stderr).toContain('nvm install 22');
    expect(result.stdout).not.toContain('WorkOS emulator on');
  }, 30_000);
});

describe('authkit-express emulator', () => {
  it('prints the WORKOS_* lines that point createAuthKit() at it: a person signs in and shows up on the dashboard', async () => {
    const running = await cli('--port', '0');
    expect(running.stdout()).toContain(`WorkOS emulator on http://127.0.0.1:${running.port}`);
    expect(running.stdout()).toContain(`Dashboard: http://127.0.0.1:${running.port}/dashboard`);
    expect(Object.keys(running.env)).toEqual([
      'WORKOS_CLIENT_ID',
      'WORKOS_API_KEY',
      'WORKOS_API_HOSTNAME',
      'WORKOS_API_HTTPS',
      'WORKOS_API_PORT',
      'WORKOS_REDIRECT_URI',
      'WORKOS_COOKIE_PASSWORD',
    ]);
    expect(running.env).toMatchObject({
      WORKOS_API_HOSTNAME: '127.0.0.1',
      WORKOS_API_HTTPS: 'false',
      WORKOS_REDIRECT_URI: 'http://localhost:3000/callback',
    });
    expect(running.env.WORKOS_COOKIE_PASSWORD!.length).toBeGreaterThanOrEqual(32);

    // The app reads exactly those lines from its environment, as after pasting them into .env.
    Object.assign(process.env, running.env);
    const authkit = createAuthKit();
    const app = express();
    app.use(authkit.router);
    app.get('/me', authkit.requireAuth, (req, res) => void res.json({ email: getAuth(req).user?.email }));
    const browser = request.agent(app);
    const login = await browser.get('/login?returnTo=/me').set(BROWSER).expect(302);
    const callback = await submitSignInPage(
      { url: `http://127.0.0.1:${running.port}` },
      login.headers.location as string,
      'lin@example.com',
    );
    await browser.get(`${callback.pathname}${callback.search}`).set(BROWSER).expect(302);
    expect((await browser.get('/me').expect(200)).body).toEqual({ email: 'lin@example.com' });

    const dashboard = await (await fetch(`http://127.0.0.1:${running.port}/dashboard`)).text();
    expect(dashboard).toMatch(/<tr data-session="session_[0-9A-F]+">[\s\S]*?lin@example.com/);

    const exit = await running.stop('SIGTERM');
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('WorkOS emulator stopped (SIGTERM).');
    await expect(fetch(`http://127.0.0.1:${running.port}/dashboard`)).rejects.toThrow();
  });

  it('stops cleanly on Ctrl+C (SIGINT)', async () => {
    const running = await cli('--port', '0');
    const exit = await running.stop('SIGINT');
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    expect(exit.stdout).toContain('WorkOS emulator stopped (SIGINT).');
  });

  it('says what to do when the port is taken, and exits 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = await runCli(process.execPath, [bin, 'emulator', '--port', String(port)], work);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `port ${port} on 127.0.0.1 is in use (another emulator?). Pass --port <n>, or --port 0 for a free one.`,
      );
    } finally {
      blocker.close();
    }
  });

  it('starts with the users, organizations, roles and memberships of --data, and takes its options', async () => {
    const data = join(work, 'seed.json');
    writeFileSync(
      data,
      JSON.stringify({
        users: [{ id: 'user_lin', email: 'lin@example.com' }],
        organizations: [{ id: 'org_acme', name: 'Acme' }],
        roles: [{ slug: 'admin', permissions: ['posts:write'] }],
        memberships: [{ userId: 'user_lin', organizationId: 'org_acme', role: 'admin' }],
      }),
    );
    const running = await cli('--port=0', '--data', data, '--client-id', 'client_mine', '--api-key', 'sk_mine', '--access-token-ttl', '60');
    expect(running.env).toMatchObject({ WORKOS_CLIENT_ID: 'client_mine', WORKOS_API_KEY: 'sk_mine' });
    expect(running.stdout()).toContain('Sign in with any email, or as lin@example.com.');
    const page = await (await fetch(`http://127.0.0.1:${running.port}/dashboard`)).text();
    expect(page).toContain('lin@example.com');
    expect(page).toContain('Acme (admin)');
    expect(page).toContain('posts:write');
    expect(page).toContain('name="seconds" type="number" min="1" value="60"');
    await running.stop('SIGTERM');
  });

  it('explains a --data file it cannot use, and exits 1', async () => {
    const data = join(work, 'bad-seed.json');
    writeFileSync(data, JSON.stringify({ user: [] }));
    const result = await runCli(process.execPath, [bin, 'emulator', '--port', '0', '--data', data], work);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`--data ${data}: unknown key 'user' (expected users, organizations, roles, memberships)`);
  });

  it('writes the lines to --env-file, keeping keys already there (with a warning when they miss the emulator) unless --force', async () => {
    const envFile = join(work, '.env');
    writeFileSync(envFile, 'PORT=3000\nWORKOS_API_PORT=1\nWORKOS_COOKIE_PASSWORD=mine-mine-mine-mine-mine-mine-mine-mine\n');
    const first = await cli('--port', '0', '--env-file', envFile);
    const written = readFileSync(envFile, 'utf8');
    expect(written).toContain('PORT=3000\nWORKOS_API_PORT=1\nWORKOS_COOKIE_PASSWORD=mine-mine-mine-mine-mine-mine-mine-mine\n');
    expect(written).toContain(
      `WORKOS_CLIENT_ID=client_emulator\nWORKOS_API_KEY=sk_test_emulator\nWORKOS_API_HOSTNAME=127.0.0.1\nWORKOS_API_HTTPS=false\n`,
    );
    expect(first.stdout()).toContain(`Kept WORKOS_API_PORT, WORKOS_COOKIE_PASSWORD already in ${envFile} (--force replaces them).`);
    expect(first.stdout()).toContain(
      `Warning: WORKOS_API_PORT in ${envFile} is '1', not '${first.port}': your app will not reach this emulator. Rerun with --force.`,
    );
    await first.stop('SIGTERM');

    const forced = await cli('--port', '0', '--env-file', envFile, '--force');
    const replaced = readFileSync(envFile, 'utf8');
    expect(replaced).toContain(`PORT=3000\nWORKOS_API_PORT=${forced.port}\nWORKOS_COOKIE_PASSWORD=${forced.env.WORKOS_COOKIE_PASSWORD}\n`);
    expect(replaced.match(/WORKOS_CLIENT_ID=/g)).toHaveLength(1);
    expect(forced.stdout()).not.toContain('Warning');
    await forced.stop('SIGTERM');
  });
});
