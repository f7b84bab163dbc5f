/**
 * Issue 16, "mistakes caught where they are made": configuration that is given but not used (a
 * misspelt WORKOS_* variable, an unknown option key, an explicit `undefined`) is named, with the
 * fix, in the ConfigurationError when it leaves a required option missing, else in one warning
 * through `logger` when the instance is created. Both entry points (Express/Connect and Koa).
 */
import express from 'express';
import request from 'supertest';
import { createAuthKit, type AuthKitOptions } from '../../lib';
import { createAuthKit as createKoaAuthKit } from '../../lib/koa';
import { startEmulator, type Emulator } from '../../lib/testing';
import { BROWSER, signIn } from '../helpers/app';
import { REDIRECT_URI } from '../helpers/app-setup';
import { clearWorkOSEnv, COOKIE_PASSWORD } from '../helpers/env';
import { configurationProblems } from '../helpers/inspect';
import { createMemoryStore } from '../../lib/store/memory-store';

const valid = { clientId: 'client_123', apiKey: 'sk_test_123', cookiePassword: COOKIE_PASSWORD, redirectUri: REDIRECT_URI };

/** Variables a test sets, removed again after it (some are not WORKOS_-prefixed, so clearWorkOSEnv misses them). */
const setNames: string[] = [];
function setEnv(variables: Record<string, string>): void {
  for (const [name, value] of Object.entries(variables)) {
    setNames.push(name);
    process.env[name] = value;
  }
}
beforeEach(clearWorkOSEnv);
afterEach(() => {
  for (const name of setNames.splice(0)) delete process.env[name];
});

function warningsOf(create: (logger: AuthKitOptions['logger']) => unknown): string[] {
  const warnings: string[] = [];
  create({ warn: (message) => warnings.push(message) });
  return warnings;
}

describe('a misspelt WORKOS_* variable', () => {
  it.each([
    ['WORKOS_COOKIE_PASWORD', 'cookiePassword', 'WORKOS_COOKIE_PASSWORD'],
    ['WORKOS_CLIENTID', 'clientId', 'WORKOS_CLIENT_ID'],
    ['workos_client_id', 'clientId', 'WORKOS_CLIENT_ID'],
    ['WORKOS_REDIRECT_URL', 'redirectUri', 'WORKOS_REDIRECT_URI'],
    ['WORKOS_APIKEY', 'apiKey', 'WORKOS_API_KEY'],
  ] as const)('%s that leaves %s missing is named in the missing line', (name, option, meant) => {
    setEnv({ [name]: option === 'cookiePassword' ? COOKIE_PASSWORD : 'value' });
    const problems = configurationProblems(() => createAuthKit({ ...valid, [option]: undefined }));
    expect(problems).toEqual([expect.stringContaining(`${meant} is missing (${name} is set: did you mean ${meant}?`)]);
  });

  it('in an optional variable (WORKOS_APIPORT) is a warning, once, with the fix', async () => {
    setEnv({ WORKOS_APIPORT: '8080' });
    const warnings: string[] = [];
    const authkit = createAuthKit({ ...valid, logger: { warn: (message) => warnings.push(message) } });
    const app = express().use(authkit.router);
    await request(app).get('/login').set(BROWSER).expect(302);
    await request(app).get('/login').set(BROWSER).expect(302);
    expect(warnings).toEqual([
      'WORKOS_APIPORT is set, but authkit-express does not read it: did you mean WORKOS_API_PORT? Until it is renamed, `apiPort` keeps its default.',
    ]);
  });

  it('is caught through the Koa entry point too', () => {
    setEnv({ WORKOS_API_HOST: '127.0.0.1' });
    const warnings = warningsOf((logger) => createKoaAuthKit({ ...valid, logger }));
    expect(warnings).toEqual([expect.stringMatching(/^WORKOS_API_HOST is set.*did you mean WORKOS_API_HOSTNAME\?/)]);
  });

  it('is not reported when the option got its value anyway (explicitly, or from the right name)', () => {
    setEnv({ WORKOS_REDIRECT_URL: 'http://localhost:3000/other', WORKOS_API_PORTT: '8080', WORKOS_API_PORT: '8080' });
    expect(warningsOf((logger) => createAuthKit({ ...valid, logger }))).toEqual([]);
  });

  it('leaves alone what other WorkOS tools read, and names that only resemble ours', () => {
    setEnv({
      WORKOS_WEBHOOK_SECRET: 'whsec',
      WORKOS_CLAIM_TOKEN: 'claim',
      WORKOS_ORGANIZATION_ID: 'org_1',
      WORKOS_CONNECTION_ID: 'conn_1',
      NEXT_PUBLIC_WORKOS_REDIRECT_URI: 'http://localhost:3000/callback',
      VITE_WORKOS_CLIENT_ID: 'client_1',
      WORKER_CLIENT_ID: 'worker',
      WORKOS_SOMETHING_ELSE: 'x',
    });
    expect(warningsOf((logger) => createAuthKit({ ...valid, logger }))).toEqual([]);
  });
});

describe('an unknown option key (plain JavaScript)', () => {
  it('that leaves a required option missing is named in its missing line', () => {
    const options = { ...valid, cookiePassword: undefined, cookiePasword: COOKIE_PASSWORD };
    expect(configurationProblems(() => createAuthKit(options))).toEqual([
      expect.stringContaining('WORKOS_COOKIE_PASSWORD is missing (option `cookiePasword` was given: did you mean `cookiePassword`?'),
    ]);
  });

  it('is otherwise a warning naming the closest option, once per instance', async () => {
    const warnings: string[] = [];
    const options = {
      ...valid,
      cookiePasword: COOKIE_PASSWORD,
      WORKOS_DEBUG: true,
      colour: 'blue',
      routes: { logn: '/sign-in' },
      logger: { warn: (message: string) => warnings.push(message) },
    };
    const app = express().use(createAuthKit(options as AuthKitOptions).router);
    await request(app).get('/login').set(BROWSER).expect(302);
    expect(warnings).toEqual([
      'createAuthKit ignores the unknown option `cookiePasword`: did you mean `cookiePassword`?',
      'createAuthKit ignores the unknown option `WORKOS_DEBUG`: did you mean `debug`?',
      "createAuthKit ignores the unknown option `colour` (the README's Options section lists them all).",
      'createAuthKit ignores the unknown option `routes.logn`: did you mean `routes.login`?',
    ]);
  });

  it('is caught through the Koa entry point too', () => {
    const warnings = warningsOf((logger) => createKoaAuthKit({ ...valid, redirectURI: REDIRECT_URI, logger } as AuthKitOptions));
    expect(warnings).toEqual(['createAuthKit ignores the unknown option `redirectURI`: did you mean `redirectUri`?']);
  });

  it('says nothing about a correct setup that uses every option', () => {
    const warnings: string[] = [];
    const every: Required<AuthKitOptions> = {
      ...valid,
      apiHostname: 'api.workos.com',
      apiHttps: true,
      apiPort: 443,
      issuer: 'https://api.workos.com/user_management/client_123',
      cookieName: 'wos-session',
      legacyCookieName: false,
      cookieMaxAge: 3600,
      cookieDomain: 'example.com',
      cookieSameSite: 'lax',
      defaultReturnTo: '/',
      signOutRedirectUri: '/',
      routes: {
        login: '/login',
        signUp: '/sign-up',
        callback: '/callback',
        logout: '/logout',
        session: '/auth/session',
        accessToken: true,
      },
      workos: createAuthKit(valid).workos,
      clock: Date,
      refreshBufferSeconds: 60,
      workosTimeoutMs: 5000,
      earlyRefreshWaitMs: 1000,
      sessionCache: { maxEntries: 10 },
      store: createMemoryStore(Date),
      storeTimeoutMs: 1000,
      logger: { warn: (message) => warnings.push(message) },
      debug: false,
      onSessionRefreshSuccess: () => undefined,
      onSessionRefreshError: () => undefined,
      onError: () => undefined,
      onSuccess: () => undefined,
      onSessionRejected: () => undefined,
    };
    createAuthKit(every);
    createKoaAuthKit(every);
    expect(warnings).toEqual([]);
  });
});

describe('an option given as undefined counts as not given', () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startEmulator({ autoApprove: true });
  });
  afterEach(() => emulator.close());

  /** Signs in through an app on these options: proves the emulator's client ID (and the rest) reached the library. */
  async function signsIn(options: AuthKitOptions): Promise<void> {
    const authkit = createAuthKit({ cookiePassword: COOKIE_PASSWORD, redirectUri: REDIRECT_URI, ...options });
    const app = express().use(authkit.router);
    const callback = await signIn(request.agent(app));
    expect(callback.status).toBe(302);
    expect(callback.headers['set-cookie']).toEqual(expect.arrayContaining([expect.stringMatching(/^wos-session=Fe26\.2/)]));
  }

  it('undefined first, the emulator spread after it: the emulator wins', async () => {
    const fromEnv = { clientId: process.env.WORKOS_CLIENT_ID, apiKey: process.env.WORKOS_API_KEY };
    await signsIn({ ...fromEnv, ...emulator.settings });
  });

  it('the emulator spread first, then a set variable: the variable wins', async () => {
    setEnv({ WORKOS_CLIENT_ID: emulator.settings.clientId });
    await signsIn({ ...emulator.settings, clientId: process.env.WORKOS_CLIENT_ID });
  });

  it('the emulator spread first, then an explicit undefined: the WORKOS_* variable is used', async () => {
    setEnv({ WORKOS_CLIENT_ID: emulator.settings.clientId });
    await signsIn({ ...emulator.settings, clientId: undefined });
  });

  it('the emulator spread first, then an unset variable: the error names the cause and the fix', () => {
    const problems = configurationProblems(() =>
      createAuthKit({
        ...emulator.settings,
        clientId: process.env.WORKOS_CLIENT_ID,
        cookiePassword: COOKIE_PASSWORD,
        redirectUri: REDIRECT_URI,
      }),
    );
    expect(problems).toEqual([
      'option `clientId` / WORKOS_CLIENT_ID is missing (option `clientId` is undefined: in { ...settings, clientId: process.env.WORKOS_CLIENT_ID } ' +
        'an unset variable replaces the value spread before it; write clientId: process.env.WORKOS_CLIENT_ID ?? settings.clientId): ' +
        'copy the client ID (client_…) from the WorkOS dashboard, API Keys page.',
    ]);
  });
});
