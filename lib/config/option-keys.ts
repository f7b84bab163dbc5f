import { closestName } from './closest-name';
import { ENV_NAMES } from './env';
import type { AuthKitOptions, RouteOptions } from './options';

/**
 * Every key of `AuthKitOptions`, once: `satisfies` fails the build when an option is added to the
 * type but not here (or the other way round), so the unknown-option check cannot drift.
 */
const OPTION_KEYS = {
  clientId: true,
  apiKey: true,
  cookiePassword: true,
  redirectUri: true,
  apiHostname: true,
  apiHttps: true,
  apiPort: true,
  issuer: true,
  cookieName: true,
  legacyCookieName: true,
  cookieMaxAge: true,
  cookieDomain: true,
  cookieSameSite: true,
  defaultReturnTo: true,
  signOutRedirectUri: true,
  routes: true,
  workos: true,
  clock: true,
  refreshBufferSeconds: true,
  workosTimeoutMs: true,
  earlyRefreshWaitMs: true,
  sessionCache: true,
  store: true,
  storeTimeoutMs: true,
  logger: true,
  debug: true,
  onSessionRefreshSuccess: true,
  onSessionRefreshError: true,
  onError: true,
  onSuccess: true,
  onSessionRejected: true,
} as const satisfies Record<keyof AuthKitOptions, true>;

const ROUTE_KEYS = {
  login: true,
  signUp: true,
  callback: true,
  logout: true,
  session: true,
  accessToken: true,
} as const satisfies Record<keyof RouteOptions, true>;

export type OptionKey = keyof typeof OPTION_KEYS;

/** A key the options type does not have (plain JavaScript, or an object built elsewhere), and the option it most likely meant. */
export interface UnknownOption {
  /** As written: `cookiePasword`, `routes.logn`. */
  key: string;
  /** The option it most likely meant, written the same way; `undefined` when none is close. */
  meant: string | undefined;
  /** The top-level option `meant` names, so a required one's "missing" line can carry the hint. */
  option: OptionKey | undefined;
}

const optionNames = Object.keys(OPTION_KEYS) as OptionKey[];
const routeNames = Object.keys(ROUTE_KEYS);
const envNames = Object.entries(ENV_NAMES) as [OptionKey, string][];

function keysOf(value: unknown): string[] {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
}

/** Short names need a closer match: one edit from `debug` is a typo, two is another word. */
function tolerance(key: string): number {
  return key.length >= 6 ? 2 : 1;
}

/** The option an unknown top-level key most likely meant: a near spelling, or its environment variable's name (`WORKOS_CLIENT_ID`). */
function meantOption(key: string): OptionKey | undefined {
  const byEnvName = closestName(
    key,
    envNames.map(([, name]) => name),
    0,
  );
  if (byEnvName !== undefined) return envNames.find(([, name]) => name === byEnvName)?.[0];
  return closestName(key, optionNames, tolerance(key)) as OptionKey | undefined;
}

/** The keys of `options` (and of `options.routes`) that are not options, each with what it most likely meant. */
export function unknownOptions(options: unknown): UnknownOption[] {
  const unknown: UnknownOption[] = [];
  for (const key of keysOf(options)) {
    if (Object.hasOwn(OPTION_KEYS, key)) continue;
    const option = meantOption(key);
    unknown.push({ key, meant: option, option });
  }
  for (const key of keysOf((options as { routes?: unknown } | null)?.routes)) {
    if (Object.hasOwn(ROUTE_KEYS, key)) continue;
    const route = closestName(key, routeNames, tolerance(key));
    unknown.push({ key: `routes.${key}`, meant: route === undefined ? undefined : `routes.${route}`, option: undefined });
  }
  return unknown;
}
