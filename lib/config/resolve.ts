import { WorkOS } from '@workos-inc/node';
import { ConfigurationError } from '../errors';
import type { IronPassword } from '../model/password';
import { safeReturnPath } from '../http/return-to';
import { pick, type Env } from './env';
import type { AuthKitLogger, AuthKitOptions, Clock } from './options';
import { parseCookiePasswords } from './passwords';
import type { SharedStore } from '../model/shared-store';
import { absoluteUrl, milliseconds, parseBoolean, parseInteger, Problems, requiredString } from './problems';
import { resolveCookie, type SessionCookieSettings } from './resolve-cookie';
import { resolveRoutes, type ResolvedRoutes } from './resolve-routes';
import { settingNotes } from './setting-notes';

export type { ResolvedRoutes, SessionCookieSettings };

export const DEFAULT_SESSION_CACHE_SIZE = 10_000;
export const DEFAULT_WORKOS_TIMEOUT_MS = 5_000;
export const DEFAULT_EARLY_REFRESH_WAIT_MS = 1_000;
export const DEFAULT_STORE_TIMEOUT_MS = 1_000;
/** Ten minutes: a longer wait is no deadline. */
const MAX_WAIT_MS = 600_000;

/** Everything the library needs, validated once; nothing re-reads options or env after this. */
export interface ResolvedConfig {
  clientId: string;
  redirectUri: URL;
  /** Newest first: the first seals, all unseal. */
  passwords: readonly IronPassword[];
  issuer: string;
  jwksUrl: URL;
  cookie: SessionCookieSettings;
  /** Name prefix of the per-sign-in flow cookies. */
  verifierCookiePrefix: string;
  routes: ResolvedRoutes;
  defaultReturnTo: string;
  signOutRedirectUri: string | undefined;
  workos: WorkOS;
  clock: Clock;
  /** Largest number of verified sessions remembered; 0 when the cache is off. */
  sessionCacheSize: number;
  /** `undefined`: the default rule (60 s, 30 s for short-lived tokens). */
  refreshBufferSeconds: number | undefined;
  /** The longest a request waits for one WorkOS call (ms). */
  workosTimeoutMs: number;
  /** The longest an early refresh holds its request (ms), at most `workosTimeoutMs`; 0 never waits. */
  earlyRefreshWaitMs: number;
  /** Where instances share refresh state; undefined: this process alone. */
  store: SharedStore | undefined;
  /** The longest one store command may take (ms). */
  storeTimeoutMs: number;
  logger: AuthKitLogger;
  debug: boolean;
  hooks: Pick<AuthKitOptions, 'onError' | 'onSessionRejected' | 'onSessionRefreshSuccess' | 'onSessionRefreshError' | 'onSuccess'>;
}

const consoleLogger: AuthKitLogger = {
  warn: (message) => console.warn(`[authkit-express] ${message}`),
  debug: (message) => console.debug(`[authkit-express] ${message}`),
};

/** The API's origin as WorkOS writes it into `iss`: a scheme's default port is left out. */
function apiOrigin(https: boolean, hostname: string, port: number | undefined): string {
  const written = `${https ? 'https' : 'http'}://${hostname}${port !== undefined ? `:${port}` : ''}`;
  try {
    return new URL(written).origin;
  } catch {
    return written; // the host name problem is already reported
  }
}

/**
 * Turns user options and environment variables into a validated configuration, or throws one
 * `ConfigurationError` listing every problem with how to fix it. What was given but is not used
 * (an unknown option, a misspelt `WORKOS_*` variable) is said once through `logger`, or in the
 * error when a required option is missing because of it.
 */
export function resolveConfig(options: AuthKitOptions, env: Env = process.env): ResolvedConfig {
  const problems = new Problems();
  const notes = settingNotes(options, env);

  const clientIdInput = pick(options, env, 'clientId');
  const clientId = requiredString(
    problems,
    clientIdInput.value,
    clientIdInput.source,
    'copy the client ID (client_…) from the WorkOS dashboard, API Keys page.',
    () => notes.whyMissing('clientId'),
  );

  const apiKeyInput = pick(options, env, 'apiKey');
  const apiKey =
    options.workos !== undefined
      ? undefined
      : requiredString(
          problems,
          apiKeyInput.value,
          apiKeyInput.source,
          'copy the secret API key (sk_…) from the WorkOS dashboard, or pass a configured client as `workos`.',
          () => notes.whyMissing('apiKey'),
        );

  const passwordInput = pick(options, env, 'cookiePassword');
  const passwords =
    passwordInput.value === undefined || passwordInput.value === ''
      ? problems.add(
          `${passwordInput.source} is missing${notes.whyMissing('cookiePassword')}: set a random secret of at least 32 characters, e.g. \`openssl rand -base64 32\`.`,
        )
      : parseCookiePasswords(passwordInput.value, passwordInput.source, (problem) => problems.add(problem));

  const redirectInput = pick(options, env, 'redirectUri');
  const redirectUri = absoluteUrl(
    problems,
    requiredString(
      problems,
      redirectInput.value,
      redirectInput.source,
      'the absolute URL of your callback route, e.g. http://localhost:3000/callback, also listed as a redirect URI in the WorkOS dashboard.',
      () => notes.whyMissing('redirectUri'),
    ),
    redirectInput.source,
  );

  const hostInput = pick(options, env, 'apiHostname');
  const apiHostname = typeof hostInput.value === 'string' && hostInput.value !== '' ? hostInput.value : 'api.workos.com';
  if (/[/:\s]/.test(apiHostname))
    problems.add(
      `${hostInput.source} must be a bare host name such as api.workos.com, without scheme, port or path (got "${apiHostname}")`,
    );
  const httpsInput = pick(options, env, 'apiHttps');
  const apiHttps = parseBoolean(problems, httpsInput.value, httpsInput.source, true);
  const portInput = pick(options, env, 'apiPort');
  const apiPort = parseInteger(problems, portInput.value, portInput.source, [1, 65535]);

  const { cookie, verifierCookiePrefix } = resolveCookie(problems, options, env, redirectUri);

  const signOutInput = pick(options, env, 'signOutRedirectUri');
  const signOutRedirectUri = typeof signOutInput.value === 'string' && signOutInput.value !== '' ? signOutInput.value : undefined;
  if (signOutRedirectUri !== undefined && !signOutRedirectUri.startsWith('/'))
    absoluteUrl(problems, signOutRedirectUri, signOutInput.source);

  const debugInput = pick(options, env, 'debug');
  const debug = parseBoolean(problems, debugInput.value, debugInput.source, false);
  const refreshBufferSeconds =
    options.refreshBufferSeconds === undefined
      ? undefined
      : parseInteger(problems, options.refreshBufferSeconds, 'option `refreshBufferSeconds`', [0, 3600]);

  const workosTimeoutMs =
    milliseconds(problems, options.workosTimeoutMs, 'workosTimeoutMs', [1, MAX_WAIT_MS], '5000') ?? DEFAULT_WORKOS_TIMEOUT_MS;
  const earlyRefreshWaitMs =
    milliseconds(problems, options.earlyRefreshWaitMs, 'earlyRefreshWaitMs', [0, MAX_WAIT_MS], '1000, or 0 to never wait') ??
    DEFAULT_EARLY_REFRESH_WAIT_MS;

  const sessionCacheSize =
    options.sessionCache === false
      ? 0
      : (parseInteger(problems, options.sessionCache?.maxEntries, 'option `sessionCache.maxEntries`', [1, 10_000_000]) ??
        DEFAULT_SESSION_CACHE_SIZE);

  const store = options.store;
  if (store !== undefined && !isSharedStore(store)) {
    problems.add(
      'option `store` must be a SharedStore (get, set, setIfAbsent, delete), e.g. createRedisStore({ client }) from authkit-express/redis',
    );
  }
  const storeTimeoutMs =
    milliseconds(problems, options.storeTimeoutMs, 'storeTimeoutMs', [1, MAX_WAIT_MS], '1000') ?? DEFAULT_STORE_TIMEOUT_MS;

  if (options.clock !== undefined && typeof (options.clock as { now?: unknown } | null)?.now !== 'function') {
    problems.add('option `clock` must be an object with a now() method returning milliseconds (leave it out to use Date)');
  }

  const defaultReturnTo = options.defaultReturnTo ?? '/';
  if (safeReturnPath(defaultReturnTo) !== defaultReturnTo)
    problems.add(
      `option \`defaultReturnTo\` must be a plain path on this site such as "/" or "/home", in its normalised form (got ${JSON.stringify(defaultReturnTo)})`,
    );

  const routes = resolveRoutes(problems, options.routes, redirectUri);

  const baseUrl = apiOrigin(apiHttps, apiHostname, apiPort);
  const issuerInput = pick(options, env, 'issuer');
  const issuer =
    typeof issuerInput.value === 'string' && issuerInput.value !== '' ? issuerInput.value : `${baseUrl}/user_management/${clientId ?? ''}`;

  if (problems.list.length > 0 || clientId === undefined || passwords === undefined || redirectUri === undefined) {
    throw new ConfigurationError(problems.list);
  }

  const logger = options.logger ?? consoleLogger;
  for (const warning of notes.warnings()) logger.warn(warning);
  const workos = options.workos ?? new WorkOS(apiKey, { apiHostname, https: apiHttps, port: apiPort, clientId });
  return {
    clientId,
    redirectUri,
    passwords,
    issuer,
    jwksUrl: new URL(workos.userManagement.getJwksUrl(clientId)),
    cookie,
    verifierCookiePrefix,
    routes,
    defaultReturnTo,
    signOutRedirectUri,
    workos,
    clock: options.clock ?? Date,
    sessionCacheSize,
    refreshBufferSeconds,
    workosTimeoutMs,
    earlyRefreshWaitMs: Math.min(earlyRefreshWaitMs, workosTimeoutMs),
    store,
    storeTimeoutMs,
    logger,
    debug,
    hooks: {
      onError: options.onError,
      onSessionRejected: options.onSessionRejected,
      onSessionRefreshSuccess: options.onSessionRefreshSuccess,
      onSessionRefreshError: options.onSessionRefreshError,
      onSuccess: options.onSuccess,
    },
  };
}

function isSharedStore(value: unknown): value is SharedStore {
  const store = value as Partial<Record<keyof SharedStore, unknown>> | null;
  return (
    typeof store === 'object' &&
    store !== null &&
    typeof store.get === 'function' &&
    typeof store.set === 'function' &&
    typeof store.setIfAbsent === 'function' &&
    typeof store.delete === 'function'
  );
}
