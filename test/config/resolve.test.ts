import { WorkOS } from '@workos-inc/node';
import { createAuthKit } from '../../lib';
import { resolveConfig } from '../../lib/config/resolve';
import { clearWorkOSEnv, COOKIE_PASSWORD } from '../helpers/env';
import { configurationProblems } from '../helpers/inspect';

const valid = {
  clientId: 'client_123',
  apiKey: 'sk_test_123',
  cookiePassword: COOKIE_PASSWORD,
  redirectUri: 'https://app.example.com/auth/callback',
};

beforeEach(clearWorkOSEnv);

describe('createAuthKit configuration', () => {
  it('reports every missing setting in one error that names the option and its variable', () => {
    const problems = configurationProblems(() => createAuthKit({}));
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/clientId.*WORKOS_CLIENT_ID.*dashboard/);
    expect(problems.join('\n')).toMatch(/apiKey.*WORKOS_API_KEY/);
    expect(problems.join('\n')).toMatch(/cookiePassword.*WORKOS_COOKIE_PASSWORD.*32/);
    expect(problems.join('\n')).toMatch(/redirectUri.*WORKOS_REDIRECT_URI/);
    expect(() => createAuthKit({})).toThrow(/not configured correctly:\n {2}- /);
  });

  it('rejects a short cookie password, a malformed redirect URI and bad values together', () => {
    const problems = configurationProblems(() =>
      createAuthKit({
        ...valid,
        cookiePassword: 'short',
        redirectUri: 'not a url',
        apiPort: 70000,
        cookieSameSite: 'sometimes' as 'lax',
        apiHostname: 'https://api.workos.com',
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/cookiePassword.*at least 32 characters.*has 5/),
      expect.stringMatching(/redirectUri.*absolute http\(s\) URL.*not a url/),
      expect.stringMatching(/apiHostname.*bare host name/),
      expect.stringMatching(/apiPort.*1 to 65535/),
      expect.stringMatching(/cookieSameSite.*lax, strict or none/),
    ]);
  });

  it('rejects a non-http redirect URI and bad route paths', () => {
    const problems = configurationProblems(() =>
      createAuthKit({ ...valid, redirectUri: 'javascript:alert(1)', routes: { login: 'login' } }),
    );
    expect(problems).toEqual([expect.stringMatching(/redirectUri/), expect.stringMatching(/routes\.login.*starting with "\/"/)]);
  });

  it('falls back to WORKOS_* environment variables, and explicit options win', () => {
    const env = {
      WORKOS_CLIENT_ID: 'client_env',
      WORKOS_API_KEY: 'sk_env',
      WORKOS_COOKIE_PASSWORD: COOKIE_PASSWORD,
      WORKOS_REDIRECT_URI: 'http://localhost:4000/cb',
      WORKOS_API_HOSTNAME: '127.0.0.1',
      WORKOS_API_HTTPS: 'false',
      WORKOS_API_PORT: '8787',
      WORKOS_COOKIE_NAME: 'my-session',
      WORKOS_COOKIE_MAX_AGE: '3600',
      WORKOS_COOKIE_SAMESITE: 'Strict',
      WORKOS_COOKIE_DOMAIN: 'example.com',
    };
    const fromEnv = resolveConfig({}, env);
    expect(fromEnv.clientId).toBe('client_env');
    expect(fromEnv.redirectUri.href).toBe('http://localhost:4000/cb');
    expect(fromEnv.routes.callback).toBe('/cb');
    expect(fromEnv.issuer).toBe('http://127.0.0.1:8787/user_management/client_env');
    expect(fromEnv.jwksUrl.href).toBe('http://127.0.0.1:8787/sso/jwks/client_env');
    expect(fromEnv.cookie).toEqual({
      name: 'my-session',
      maxAge: 3600,
      domain: 'example.com',
      sameSite: 'strict',
      secure: false,
      path: '/',
    });

    const explicit = resolveConfig({ clientId: 'client_opt', cookieName: 'opt', apiHttps: true, apiPort: 443 }, env);
    expect(explicit.clientId).toBe('client_opt');
    expect(explicit.cookie.name).toBe('opt');
    expect(explicit.issuer).toBe('https://127.0.0.1/user_management/client_opt');
  });

  it('uses the defaults: api.workos.com, __Host-wos-session (reading wos-session too), 400 days, Lax, Secure for https redirect URIs', () => {
    const config = resolveConfig(valid, {});
    expect(config.issuer).toBe('https://api.workos.com/user_management/client_123');
    expect(config.cookie).toEqual({
      name: '__Host-wos-session',
      maxAge: 34_560_000,
      domain: undefined,
      sameSite: 'lax',
      secure: true,
      path: '/',
      legacyName: 'wos-session',
    });
    expect(config.routes).toEqual({
      login: '/login',
      signUp: '/sign-up',
      callback: '/auth/callback',
      logout: '/logout',
      session: '/auth/session',
      accessToken: false,
    });
  });

  it('refuses a clock without now() (for example one that went through JSON)', () => {
    expect(configurationProblems(() => createAuthKit({ ...valid, clock: {} as never }))).toEqual([
      expect.stringMatching(/`clock` must be an object with a now\(\) method/),
    ]);
  });

  it('refuses two routes on one path, and a bad refreshBufferSeconds or WORKOS_DEBUG', () => {
    const problems = configurationProblems(() =>
      createAuthKit({ ...valid, routes: { logout: '/login', accessToken: '/auth/session' }, refreshBufferSeconds: -1 }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/refreshBufferSeconds` must be a whole number from 0 to 3600/),
      expect.stringMatching(/`routes.logout` and `routes.login` are both "\/login"/),
      expect.stringMatching(
        /`routes.session` and `routes.accessToken` are both "\/auth\/session"|`routes.accessToken` and `routes.session` are both/,
      ),
    ]);
    process.env.WORKOS_DEBUG = 'maybe';
    expect(configurationProblems(() => createAuthKit(valid))).toEqual([expect.stringMatching(/WORKOS_DEBUG must be true or false/)]);
    process.env.WORKOS_DEBUG = 'true';
    expect(resolveConfig(valid).debug).toBe(true);
  });

  it('forces Secure for SameSite=None, and takes a configured issuer and route switches', () => {
    const config = resolveConfig(
      {
        ...valid,
        redirectUri: 'http://localhost/cb',
        cookieSameSite: 'none',
        issuer: 'https://auth.example.com',
        routes: { signUp: false },
      },
      {},
    );
    expect(config.cookie.secure).toBe(true);
    expect(config.issuer).toBe('https://auth.example.com');
    expect(config.routes.signUp).toBe(false);
  });

  it('needs no API key when a configured WorkOS client is passed', () => {
    const workos = new WorkOS('sk_test_given', { clientId: 'client_123' });
    const authkit = createAuthKit({ ...valid, apiKey: undefined, workos });
    expect(authkit.workos).toBe(workos);
  });
});
