import { WorkOS } from '@workos-inc/node';
import { ConfigurationError } from '../errors';
import type { IronPassword } from '../session/iron';
import { safeReturnPath } from '../http/return-to';
import { pick, type Env } from './env';
import type { AuthKitLogger, AuthKitOptions, Clock, SameSite } from './options';
import { parseCookiePasswords } from './passwords';

/** The session cookie's name on plain http (local development), and the legacy name read while sessions move to `__Host-`. */
export const DEFAULT_COOKIE_NAME = 'wos-session';
/**
 * The default name on an https site without `cookieDomain`: browsers accept a `__Host-` cookie
 * only from the host itself (Secure, Path=/, no Domain), so a sibling subdomain can neither
 * plant nor shadow it, nor the flow cookies, which take the same prefix.
 */
export const HOST_COOKIE_NAME = `__Host-${DEFAULT_COOKIE_NAME}`;
/** 400 days: the longest lifetime browsers accept for a cookie. */
export const DEFAULT_COOKIE_MAX_AGE = 400 * 24 * 60 * 60;
export const DEFAULT_SESSION_CACHE_SIZE = 10_000;
export const DEFAULT_WORKOS_TIMEOUT_MS = 5_000;
export const DEFAULT_EARLY_REFRESH_WAIT_MS = 1_000;
/** Ten minutes: a longer wait is no deadline. */
const MAX_WAIT_MS = 600_000;
/** Flow cookies carry the session cookie's `__Host-`/`__Secure-` prefix, so they cannot be planted from a sibling subdomain either. */
const VERIFIER_COOKIE_NAME = 'wos-auth-verifier-';
const COOKIE_NAME_PATTERN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export interface ResolvedRoutes {
  login: string | false;
  signUp: string | false;
  callback: string | false;
  logout: string | false;
  session: string | false;
  accessToken: string | false;
}

export interface SessionCookieSettings {
  name: string;
  maxAge: number;
  domain: string | undefined;
  sameSite: SameSite;
  secure: boolean;
  path: '/';
  /** Read only when no cookie under `name` came, then moved to `name` on the same response. */
  legacyName: string | undefined;
}

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
  logger: AuthKitLogger;
  debug: boolean;
  hooks: Pick<AuthKitOptions, 'onError' | 'onSessionRejected' | 'onSessionRefreshSuccess' | 'onSessionRefreshError' | 'onSuccess'>;
}

const consoleLogger: AuthKitLogger = {
  warn: (message) => console.warn(`[authkit-express] ${message}`),
  debug: (message) => console.debug(`[authkit-express] ${message}`),
};

function cookiePrefix(name: string): '__Host-' | '__Secure-' | '' {
  if (name.startsWith('__Host-')) return '__Host-';
  if (name.startsWith('__Secure-')) return '__Secure-';
  return '';
}

/** Browsers also treat http://localhost as a secure context and keep Secure cookies there. */
function isLocalhost(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
}

/** Collects problems instead of throwing at the first, so users fix everything in one go. */
class Problems {
  readonly list: string[] = [];
  add(message: string): undefined {
    this.list.push(message);
    return undefined;
  }
}

function requiredString(problems: Problems, value: unknown, source: string, hint: string): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  return problems.add(`${source} is missing: ${hint}`);
}

function absoluteUrl(problems: Problems, value: string | undefined, source: string): URL | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  return problems.add(`${source} must be an absolute http(s) URL such as https://example.com/callback (got "${value}")`);
}

function parseBoolean(problems: Problems, value: unknown, source: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  problems.add(`${source} must be true or false (got "${String(value)}")`);
  return fallback;
}

function parseInteger(problems: Problems, value: unknown, source: string, range: [number, number]): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : NaN;
  if (Number.isInteger(number) && number >= range[0] && number <= range[1]) return number;
  return problems.add(`${source} must be a whole number from ${range[0]} to ${range[1]} (got "${String(value)}")`);
}

/** A value as an error message can show it, whatever it is (a BigInt or a cycle cannot break the report). */
function shown(value: unknown): string {
  if (typeof value === 'number') return String(value);
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

/** An option in whole milliseconds, given as a number (no environment variable backs these). */
function milliseconds(problems: Problems, value: unknown, name: string, range: [number, number], example: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= range[0] && value <= range[1]) return value;
  return problems.add(`option \`${name}\` must be a whole number of milliseconds from ${range[0]} to ${range[1]}, e.g. ${example} (got ${shown(value)})`);
}

function routePath(problems: Problems, value: string | false | undefined, fallback: string | false, name: string): string | false {
  const path = value === undefined ? fallback : value;
  if (path === false) return false;
  if (!path.startsWith('/') || path.startsWith('//') || /[\s?#\\]/.test(path)) {
    problems.add(`option \`routes.${name}\` must be a plain path starting with "/" (got "${path}")`);
  }
  return path;
}

/**
 * The legacy session cookie name to fall back on: by default `wos-session` when the default
 * `__Host-` name is in use (sessions from before that default keep working), none when the app
 * chose its name; `false` ends the fallback, a name sets one for an app renaming its own cookie.
 */
function resolveLegacyCookieName(problems: Problems, value: unknown, cookieName: string, defaultName: boolean): string | undefined {
  if (value === undefined) return defaultName && cookieName === HOST_COOKIE_NAME ? DEFAULT_COOKIE_NAME : undefined;
  if (value === false) return undefined;
  const chunkOf = (a: string, b: string) => a.startsWith(`${b}.`);
  if (typeof value === 'string' && COOKIE_NAME_PATTERN.test(value) && value !== cookieName && !chunkOf(value, cookieName) && !chunkOf(cookieName, value)) return value;
  return problems.add(
    `option \`legacyCookieName\` must be false or a cookie name other than the session cookie's "${cookieName}" (got ${JSON.stringify(value) ?? String(value)})`,
  );
}

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
 * `ConfigurationError` listing every problem with how to fix it.
 */
export function resolveConfig(options: AuthKitOptions, env: Env = process.env): ResolvedConfig {
  const problems = new Problems();

  const clientIdInput = pick(options, env, 'clientId');
  const clientId = requiredString(problems, clientIdInput.value, clientIdInput.source, 'copy the client ID (client_…) from the WorkOS dashboard, API Keys page.');

  const apiKeyInput = pick(options, env, 'apiKey');
  const apiKey =
    options.workos !== undefined
      ? undefined
      : requiredString(problems, apiKeyInput.value, apiKeyInput.source, 'copy the secret API key (sk_…) from the WorkOS dashboard, or pass a configured client as `workos`.');

  const passwordInput = pick(options, env, 'cookiePassword');
  const passwords =
    passwordInput.value === undefined || passwordInput.value === ''
      ? problems.add(`${passwordInput.source} is missing: set a random secret of at least 32 characters, e.g. \`openssl rand -base64 32\`.`)
      : parseCookiePasswords(passwordInput.value, passwordInput.source, (problem) => problems.add(problem));

  const redirectInput = pick(options, env, 'redirectUri');
  const redirectUri = absoluteUrl(
    problems,
    requiredString(problems, redirectInput.value, redirectInput.source, 'the absolute URL of your callback route, e.g. http://localhost:3000/callback, also listed as a redirect URI in the WorkOS dashboard.'),
    redirectInput.source,
  );

  const hostInput = pick(options, env, 'apiHostname');
  const apiHostname = typeof hostInput.value === 'string' && hostInput.value !== '' ? hostInput.value : 'api.workos.com';
  if (/[/:\s]/.test(apiHostname)) problems.add(`${hostInput.source} must be a bare host name such as api.workos.com, without scheme, port or path (got "${apiHostname}")`);
  const httpsInput = pick(options, env, 'apiHttps');
  const apiHttps = parseBoolean(problems, httpsInput.value, httpsInput.source, true);
  const portInput = pick(options, env, 'apiPort');
  const apiPort = parseInteger(problems, portInput.value, portInput.source, [1, 65535]);

  const domainInput = pick(options, env, 'cookieDomain');
  const cookieDomain = typeof domainInput.value === 'string' && domainInput.value !== '' ? domainInput.value : undefined;
  if (cookieDomain !== undefined && !/^\.?[A-Za-z0-9.-]+$/.test(cookieDomain)) problems.add(`${domainInput.source} must be a domain such as example.com (got "${cookieDomain}")`);
  const nameInput = pick(options, env, 'cookieName');
  const chosenName = typeof nameInput.value === 'string' && nameInput.value !== '' ? nameInput.value : undefined;
  const hostOnlyHttps = redirectUri?.protocol === 'https:' && cookieDomain === undefined;
  const cookieName = chosenName ?? (hostOnlyHttps ? HOST_COOKIE_NAME : DEFAULT_COOKIE_NAME);
  if (!COOKIE_NAME_PATTERN.test(cookieName)) problems.add(`${nameInput.source} is not a valid cookie name (got "${cookieName}")`);
  const legacyCookieName = resolveLegacyCookieName(problems, options.legacyCookieName, cookieName, chosenName === undefined);
  const maxAgeInput = pick(options, env, 'cookieMaxAge');
  const cookieMaxAge = parseInteger(problems, maxAgeInput.value, maxAgeInput.source, [0, DEFAULT_COOKIE_MAX_AGE]) ?? DEFAULT_COOKIE_MAX_AGE;
  const sameSiteInput = pick(options, env, 'cookieSameSite');
  const sameSiteRaw = sameSiteInput.value === undefined ? 'lax' : String(sameSiteInput.value).toLowerCase();
  if (sameSiteRaw !== 'lax' && sameSiteRaw !== 'strict' && sameSiteRaw !== 'none') problems.add(`${sameSiteInput.source} must be lax, strict or none (got "${sameSiteRaw}")`);
  const cookieSameSite = sameSiteRaw as SameSite;
  const prefix = cookiePrefix(cookieName);
  if (prefix === '__Host-' && cookieDomain !== undefined) {
    problems.add(`${domainInput.source} cannot be used with a __Host- cookie name: browsers refuse __Host- cookies that carry a Domain (use __Secure- to share the cookie with subdomains)`);
  }
  if (prefix !== '' && redirectUri !== undefined && redirectUri.protocol !== 'https:' && !isLocalhost(redirectUri)) {
    problems.add(`${nameInput.source} starts with ${prefix}, which browsers only accept over https, but the redirect URI is ${redirectUri.origin}`);
  }

  const signOutInput = pick(options, env, 'signOutRedirectUri');
  const signOutRedirectUri = typeof signOutInput.value === 'string' && signOutInput.value !== '' ? signOutInput.value : undefined;
  if (signOutRedirectUri !== undefined && !signOutRedirectUri.startsWith('/')) absoluteUrl(problems, signOutRedirectUri, signOutInput.source);

  const debugInput = pick(options, env, 'debug');
  const debug = parseBoolean(problems, debugInput.value, debugInput.source, false);
  const refreshBufferSeconds =
    options.refreshBufferSeconds === undefined ? undefined : parseInteger(problems, options.refreshBufferSeconds, 'option `refreshBufferSeconds`', [0, 3600]);

  const workosTimeoutMs = milliseconds(problems, options.workosTimeoutMs, 'workosTimeoutMs', [1, MAX_WAIT_MS], '5000') ?? DEFAULT_WORKOS_TIMEOUT_MS;
  const earlyRefreshWaitMs = milliseconds(problems, options.earlyRefreshWaitMs, 'earlyRefreshWaitMs', [0, MAX_WAIT_MS], '1000, or 0 to never wait') ?? DEFAULT_EARLY_REFRESH_WAIT_MS;

  const sessionCacheSize =
    options.sessionCache === false
      ? 0
      : (parseInteger(problems, options.sessionCache?.maxEntries, 'option `sessionCache.maxEntries`', [1, 10_000_000]) ?? DEFAULT_SESSION_CACHE_SIZE);

  if (options.clock !== undefined && typeof (options.clock as { now?: unknown } | null)?.now !== 'function') {
    problems.add('option `clock` must be an object with a now() method returning milliseconds (leave it out to use Date)');
  }

  const defaultReturnTo = options.defaultReturnTo ?? '/';
  if (safeReturnPath(defaultReturnTo) !== defaultReturnTo) problems.add(`option \`defaultReturnTo\` must be a plain path on this site such as "/" or "/home", in its normalised form (got ${JSON.stringify(defaultReturnTo)})`);

  const routes: ResolvedRoutes = {
    login: routePath(problems, options.routes?.login, '/login', 'login'),
    signUp: routePath(problems, options.routes?.signUp, '/sign-up', 'signUp'),
    callback: routePath(problems, options.routes?.callback, redirectUri?.pathname ?? '/callback', 'callback'),
    logout: routePath(problems, options.routes?.logout, '/logout', 'logout'),
    session: routePath(problems, options.routes?.session, '/auth/session', 'session'),
    // Opt-in: `true` picks the default path.
    accessToken: routePath(problems, options.routes?.accessToken === true ? '/auth/access-token' : (options.routes?.accessToken ?? false), false, 'accessToken'),
  };
  const mounted = Object.entries(routes).filter((entry): entry is [string, string] => entry[1] !== false);
  for (const [name, path] of mounted) {
    const clash = mounted.find(([other, otherPath]) => other < name && otherPath === path);
    if (clash) problems.add(`option \`routes.${name}\` and \`routes.${clash[0]}\` are both "${path}": give each route its own path`);
  }

  const baseUrl = apiOrigin(apiHttps, apiHostname, apiPort);
  const issuerInput = pick(options, env, 'issuer');
  const issuer = typeof issuerInput.value === 'string' && issuerInput.value !== '' ? issuerInput.value : `${baseUrl}/user_management/${clientId ?? ''}`;

  if (problems.list.length > 0 || clientId === undefined || passwords === undefined || redirectUri === undefined) {
    throw new ConfigurationError(problems.list);
  }

  const workos = options.workos ?? new WorkOS(apiKey, { apiHostname, https: apiHttps, port: apiPort, clientId });
  return {
    clientId,
    redirectUri,
    passwords,
    issuer,
    jwksUrl: new URL(workos.userManagement.getJwksUrl(clientId)),
    cookie: {
      name: cookieName,
      maxAge: cookieMaxAge,
      domain: cookieDomain,
      sameSite: cookieSameSite,
      // SameSite=None and prefixed cookies are refused by browsers unless Secure.
      secure: redirectUri.protocol === 'https:' || cookieSameSite === 'none' || prefix !== '',
      path: '/',
      legacyName: legacyCookieName,
    },
    verifierCookiePrefix: `${prefix}${VERIFIER_COOKIE_NAME}`,
    routes,
    defaultReturnTo,
    signOutRedirectUri,
    workos,
    clock: options.clock ?? Date,
    sessionCacheSize,
    refreshBufferSeconds,
    workosTimeoutMs,
    earlyRefreshWaitMs: Math.min(earlyRefreshWaitMs, workosTimeoutMs),
    logger: options.logger ?? consoleLogger,
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
