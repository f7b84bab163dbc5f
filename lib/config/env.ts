import type { AuthKitOptions } from './options';

export type EnvBacked = Exclude<
  keyof AuthKitOptions,
  | 'routes'
  | 'legacyCookieName'
  | 'workos'
  | 'clock'
  | 'defaultReturnTo'
  | 'logger'
  | 'onError'
  | 'onSessionRejected'
  | 'refreshBufferSeconds'
  | 'workosTimeoutMs'
  | 'earlyRefreshWaitMs'
  | 'onSessionRefreshSuccess'
  | 'onSessionRefreshError'
  | 'onSuccess'
  | 'sessionCache'
  | 'store'
  | 'storeTimeoutMs'
>;

/** The environment variable behind each option, spelled as authkit-nextjs spells them. */
export const ENV_NAMES: Readonly<Record<EnvBacked, string>> = {
  clientId: 'WORKOS_CLIENT_ID',
  apiKey: 'WORKOS_API_KEY',
  cookiePassword: 'WORKOS_COOKIE_PASSWORD',
  redirectUri: 'WORKOS_REDIRECT_URI',
  apiHostname: 'WORKOS_API_HOSTNAME',
  apiHttps: 'WORKOS_API_HTTPS',
  apiPort: 'WORKOS_API_PORT',
  issuer: 'WORKOS_ISSUER',
  cookieName: 'WORKOS_COOKIE_NAME',
  cookieMaxAge: 'WORKOS_COOKIE_MAX_AGE',
  cookieDomain: 'WORKOS_COOKIE_DOMAIN',
  cookieSameSite: 'WORKOS_COOKIE_SAMESITE',
  signOutRedirectUri: 'WORKOS_SIGN_OUT_REDIRECT_URI',
  debug: 'WORKOS_DEBUG',
};

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads one option: the explicit value wins, then the environment variable (empty counts as
 * unset). Returns the raw value plus where it came from, so error messages can name the source.
 */
export function pick<K extends EnvBacked>(
  options: AuthKitOptions,
  env: Env,
  key: K,
): { value: AuthKitOptions[K] | string | undefined; source: string } {
  const explicit = options[key];
  if (explicit !== undefined) return { value: explicit, source: `option \`${key}\`` };
  const fromEnv = env[ENV_NAMES[key]];
  if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, source: ENV_NAMES[key] };
  return { value: undefined, source: `option \`${key}\` / ${ENV_NAMES[key]}` };
}
