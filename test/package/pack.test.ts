// The package as users get it: built into a private directory (so a concurrent `npm run build`
// cannot pull dist/ from under the test), packed with `npm pack`, checked by
// @arethetypeswrong/cli and publint, installed offline into a scratch app, then loaded with
// `require` and `import` in child Node processes and compiled against with TypeScript.
import { execFile, type ExecFileException } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killStrayClis, startCli } from '../helpers/cli-process';
import { entryPoints, expectedSurfaces, readPackageJson, ROOT, type Surface } from './entry-points';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment without npm's script variables (`npm_config_local_prefix` would point npm back at this repository) or WorkOS settings. */
const childEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|WORKOS_)/i.test(name)));

function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: childEnv, maxBuffer: 16 * 1024 * 1024 }, (error: ExecFileException | null, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

async function runOk(command: string, args: string[], cwd: string): Promise<Run> {
  const result = await run(command, args, cwd);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

const bin = (name: string): string => join(ROOT, 'node_modules', '.bin', name);
const node = process.execPath;
const pkg = readPackageJson();
const entries = entryPoints(pkg).filter((entry) => entry.source !== undefined);
const expected = expectedSurfaces();
/** What package.json `files` publishes besides the build. */
const DOCUMENTS = pkg.files.filter((file) => file !== 'dist');
/** CI swaps the SDK major under the suite; the scratch app gets the same one as its peer. */
const sdkMajor = process.env.AUTHKIT_TEST_WORKOS_SDK;
const sdkDir = join(ROOT, 'node_modules', ...(sdkMajor && sdkMajor !== '11' ? [`workos-node-${sdkMajor}`] : ['@workos-inc', 'node']));

let work: string;
let app: string;
let tarball: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'authkit-express-pack-'));
  const stage = join(work, 'stage');
  app = join(work, 'app');
  mkdirSync(app, { recursive: true });

  await runOk(node, [join(ROOT, 'scripts', 'build.mjs'), '--out-dir', join(stage, 'dist')], ROOT);
  // The package.json as published, less entry points whose source does not exist yet.
  const staged = structuredClone(pkg);
  for (const { subpath, source } of entryPoints(pkg)) {
    if (source !== undefined) continue;
    delete staged.exports[subpath];
    delete staged.typesVersions?.['*']?.[subpath.slice(2)];
  }
  writeFileSync(join(stage, 'package.json'), JSON.stringify(staged, null, 2));
  // The published documents beside dist/ (README, LICENSE, CHANGELOG), as package.json `files` lists them.
  for (const file of DOCUMENTS) cpSync(join(ROOT, file), join(stage, file));
  await runOk('npm', ['pack', '--silent', '--pack-destination', work], stage);
  tarball = join(
    work,
    readdirSync(work).find((file) => file.startsWith(`${pkg.name}-`) && file.endsWith('.tgz'))!,
  );

  // Offline install: the dependency (jose) comes packed from this repository's node_modules,
  // the peer (@workos-inc/node) and the type packages are linked from it afterwards.
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true }));
  await runOk('npm', ['pack', '--silent', '--pack-destination', work, join(ROOT, 'node_modules', 'jose')], work);
  const jose = join(
    work,
    readdirSync(work).find((file) => file.startsWith('jose-'))!,
  );
  await runOk(
    'npm',
    [
      'install',
      '--offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--legacy-peer-deps',
      '--no-package-lock',
      '--prefix',
      app,
      tarball,
      jose,
    ],
    app,
  );
  const link = (target: string, ...path: string[]): void => {
    mkdirSync(join(app, 'node_modules', ...path.slice(0, -1)), { recursive: true });
    symlinkSync(target, join(app, 'node_modules', ...path), 'dir');
  };
  link(sdkDir, '@workos-inc', 'node');
  link(join(ROOT, 'node_modules', '@types', 'node'), '@types', 'node');
  link(join(ROOT, 'node_modules', '@types', 'express'), '@types', 'express');
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('has types right for every entry point and module system (@arethetypeswrong/cli)', async () => {
    const result = await run(bin('attw'), [tarball, '--no-color', '--no-emoji', '--format', 'table-flipped'], work);
    expect({ code: result.code, output: result.stdout + result.stderr }).toMatchObject({
      code: 0,
      output: expect.stringContaining('No problems found'),
    });
  });

  it('passes publint (warnings count as errors)', async () => {
    const result = await run(bin('publint'), ['run', tarball, '--strict'], work);
    expect({ code: result.code, output: result.stdout + result.stderr }).toMatchObject({
      code: 0,
      output: expect.not.stringMatching(/Errors:|Warnings:/),
    });
  });

  it('ships the built files, README, LICENSE and CHANGELOG, and nothing from lib/ or test/', async () => {
    const listing = (await runOk('tar', ['-tzf', tarball], work)).stdout.split('\n').filter(Boolean);
    expect(DOCUMENTS).toEqual(['README.md', 'LICENSE', 'CHANGELOG.md']);
    expect(listing).toEqual(
      expect.arrayContaining(['package/package.json', ...DOCUMENTS.map((file) => `package/${file}`), 'package/dist/cjs/_vendor/jose.cjs']),
    );
    // The bin, executable in the tarball (npm also marks it so on install).
    const binLine = (await runOk('tar', ['-tvzf', tarball], work)).stdout
      .split('\n')
      .find((line) => line.endsWith(' package/dist/cjs/testing/cli/main.cjs'));
    expect(binLine).toMatch(/^-rwxr-xr-x /);
    expect(listing.filter((file) => !/^package\/(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/(esm|cjs)\/)/.test(file))).toEqual(
      [],
    );
    for (const { stem } of entries) {
      expect(listing).toEqual(
        expect.arrayContaining(
          [`dist/esm/${stem}.mjs`, `dist/esm/${stem}.d.mts`, `dist/cjs/${stem}.cjs`, `dist/cjs/${stem}.d.cts`].map(
            (file) => `package/${file}`,
          ),
        ),
      );
    }
  });
});

/** Prints each entry point's runtime surface, then signs a request in through the built package. */
function consumerScript(load: (specifier: string) => string): string {
  return `
const http = require('node:http');
(async () => {
  const kind = (v) => (typeof v === 'function' && /^class[\\s{]/.test(Function.prototype.toString.call(v)) ? 'class' : typeof v);
  const surface = {};
  for (const [subpath, specifier] of JSON.parse(process.argv[2])) {
    const mod = ${load('specifier')};
    surface[subpath] = Object.fromEntries(Object.keys(mod).sort().map((name) => [name, kind(mod[name])]));
  }

  const { createAuthKit, getAuth, AuthKitError, ConfigurationError } = ${load("'authkit-express'")};
  const { startEmulator } = ${load("'authkit-express/testing'")};
  let configError;
  try {
    createAuthKit({});
  } catch (error) {
    configError = error instanceof ConfigurationError && error instanceof AuthKitError ? error.code : String(error);
  }
  const emulator = await startEmulator();
  const authkit = createAuthKit({ ...emulator.settings, cookiePassword: 'a-cookie-password-of-at-least-32-chars!', redirectUri: 'http://localhost:3000/callback' });
  const server = http.createServer((req, res) => {
    if (req.url === '/session') {
      authkit.saveSession(res, emulator.createSession());
      return res.end();
    }
    authkit.requireAuth(req, res, (error) => {
      const auth = getAuth(req);
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ error: error ? String(error) : null, email: auth.user && auth.user.email, branded: auth === req.auth }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = 'http://127.0.0.1:' + server.address().port;
  try {
    const cookie = (await fetch(base + '/session')).headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
    const me = await (await fetch(base + '/me', { headers: { cookie, accept: 'application/json' } })).json();
    const anonymous = (await fetch(base + '/me', { headers: { accept: 'application/json' } })).status;
    process.stdout.write(JSON.stringify({ surface, configError, me, anonymous }));
  } finally {
    server.close();
    await emulator.close();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;
}

describe.each([
  ['require', 'consumer.cjs', (specifier: string) => `require(${specifier})`],
  ['import', 'consumer.mjs', (specifier: string) => `(await import(${specifier}))`],
])('installed in an app, loaded with %s', (_how, file, load) => {
  let output: {
    surface: Record<string, Surface>;
    configError: unknown;
    me: { error: unknown; email: unknown; branded: unknown };
    anonymous: number;
  };

  beforeAll(async () => {
    const source = consumerScript(load);
    // `require` is not defined in an ES module: the ESM consumer gets it from node:module.
    writeFileSync(
      join(app, file),
      file.endsWith('.mjs')
        ? `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${source}`
        : source,
    );
    const specifiers = entries.map(({ subpath, specifier }) => [subpath, specifier]);
    output = JSON.parse((await runOk(node, [file, JSON.stringify(specifiers)], app)).stdout);
  }, 30_000);

  it('exports exactly the checked-in names from every entry point', () => {
    expect(output.surface).toEqual(expected);
  });

  it('signs a request in: jose, the SDK peer and the emulator all load', () => {
    expect(output.configError).toBe('configuration_invalid');
    expect(output.me).toEqual({ error: null, email: expect.stringContaining('@'), branded: true });
    expect(output.anonymous).toBe(401);
  });
});

describe('npx authkit-express emulator, in the app', () => {
  afterEach(killStrayClis);

  it('runs the packed bin offline: prints its port and settings, serves WorkOS and the dashboard, stops on Ctrl+C', async () => {
    const running = await startCli('npx', ['--offline', '--no', 'authkit-express', 'emulator', '--port', '0'], app);
    const origin = `http://127.0.0.1:${running.port}`;
    expect(running.stdout()).toContain(`WorkOS emulator on ${origin}`);
    expect(running.env).toMatchObject({
      WORKOS_CLIENT_ID: 'client_emulator',
      WORKOS_API_HTTPS: 'false',
      WORKOS_API_PORT: String(running.port),
    });
    const jwks = (await (await fetch(`${origin}/sso/jwks/client_emulator`)).json()) as { keys: unknown[] };
    expect(jwks.keys).toHaveLength(1);
    expect((await fetch(`${origin}/dashboard`)).status).toBe(200);
    // Ctrl+C reaches npm and the emulator alike: the emulator closes, npm then ends by the signal as it always does.
    const exit = await running.stop('SIGINT');
    expect(exit.stdout).toContain('WorkOS emulator stopped (SIGINT).');
    expect(exit.stderr).toBe('');
    await expect(fetch(`${origin}/dashboard`)).rejects.toThrow();
  }, 30_000);
});

// skipLibCheck keeps these compiles fast; declarations that failed to resolve would still show,
// as the `@ts-expect-error` lines below then go unused (attw checks resolution inside them too).
describe('TypeScript in the app (module NodeNext, strict)', () => {
  const tsconfig = (files: string[]): string =>
    JSON.stringify({
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        strict: true,
        noEmit: true,
        types: ['node'],
        skipLibCheck: true,
      },
      files,
    });
  const usage = (augment: boolean): string => `
${augment ? "import 'authkit-express/express';" : ''}
import type { Request } from 'express';
import { createAuthKit, getAuth, type AuthState, type SignedInAuth } from 'authkit-express';
import { startEmulator } from 'authkit-express/testing';

export async function main(req: Request): Promise<string | null> {
  const emulator = await startEmulator();
  const authkit = createAuthKit({ ...emulator.settings, cookiePassword: 'x'.repeat(32) });
  const guard: (req: Request, res: never, next: () => void) => void = authkit.requireAuth({ permissions: 'posts:write' });
  void guard;
  const state: AuthState = getAuth(req);
  // @ts-expect-error signed out, \`user\` is null: narrow first
  void state.user.email;
  const signedIn: SignedInAuth | null = state.user ? state : null;
  // @ts-expect-error guard options are checked
  authkit.requireAuth({ role: 'admin' });
  ${augment ? 'const direct: AuthState | undefined = req.auth;\n  // @ts-expect-error `req.auth` is undefined on a request no guard saw\n  void req.auth.user;\n  return direct?.user ? direct.user.email : (signedIn?.user.email ?? null);' : 'return signedIn?.user.email ?? null;'}
}
`;

  const tsc = (project: string): Promise<Run> => run(node, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], app);
  let withAugmentation: Promise<Run>;
  let withoutAugmentation: Promise<Run>;

  beforeAll(() => {
    writeFileSync(join(app, 'with-augmentation.mts'), usage(true));
    writeFileSync(join(app, 'with-augmentation.cts'), usage(true));
    writeFileSync(join(app, 'tsconfig.with.json'), tsconfig(['with-augmentation.mts', 'with-augmentation.cts']));
    writeFileSync(join(app, 'without-augmentation.cts'), `${usage(false)}\nexport const auth = (req: Request) => req.auth;\n`);
    writeFileSync(join(app, 'tsconfig.without.json'), tsconfig(['without-augmentation.cts']));
    // Two separate programs (one import of the augmentation affects the whole program), compiled side by side.
    withAugmentation = tsc('tsconfig.with.json');
    withoutAugmentation = tsc('tsconfig.without.json');
  });

  it('compiles ESM and CommonJS consumers, with `req.auth` typed once authkit-express/express is imported', async () => {
    const result = await withAugmentation;
    expect({ code: result.code, output: result.stdout }).toEqual({ code: 0, output: '' });
  }, 30_000);

  it('leaves Express’s `req.auth` alone without that import (no clash with express-jwt or Clerk)', async () => {
    const result = await withoutAugmentation;
    const errors = result.stdout.split('\n').filter((line) => line.includes('error TS'));
    expect(errors).toEqual([
      expect.stringMatching(/^without-augmentation\.cts\(\d+,\d+\): error TS2339: Property 'auth' does not exist on type 'Request/),
    ]);
  }, 30_000);
});
