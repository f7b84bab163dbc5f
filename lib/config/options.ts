import type { WorkOS } from '@workos-inc/node';

export type SameSite = 'lax' | 'strict' | 'none';

/** A source of the current time in milliseconds; injected so tests and emulators can move time. */
export interface Clock {
  now(): number;
}

/** Paths of the routes `router` serves; `false` switches a route off. */
export interface RouteOptions {
  /** Default `/login`. */
  login?: string | false;
  /** Default `/sign-up`. */
  signUp?: string | false;
  /** Default: the path of `redirectUri`. */
  callback?: string | false;
  /** Default `/logout` (GET and POST). */
  logout?: string | false;
}

/**
 * Options of `createAuthKit`. Every option with an environment variable falls back to
 * it; an explicit option always wins.
 */
export interface AuthKitOptions {
  /** `WORKOS_CLIENT_ID`. Required. */
  clientId?: string;
  /** `WORKOS_API_KEY`. Required unless `workos` is given. */
  apiKey?: string;
  /** `WORKOS_COOKIE_PASSWORD`. Required, at least 32 characters. Seals the session cookie. */
  cookiePassword?: string;
  /** `WORKOS_REDIRECT_URI`. Required: absolute URL of the callback route. */
  redirectUri?: string;
  /** `WORKOS_API_HOSTNAME`. Default `api.workos.com`. */
  apiHostname?: string;
  /** `WORKOS_API_HTTPS`. Default `true`. */
  apiHttps?: boolean;
  /** `WORKOS_API_PORT`. Default: the scheme's port. */
  apiPort?: number;
  /** `WORKOS_ISSUER`. Expected `iss` of access tokens. Default `<api base URL>/user_management/<clientId>`. */
  issuer?: string;
  /** `WORKOS_COOKIE_NAME`. Default `wos-session`. */
  cookieName?: string;
  /** `WORKOS_COOKIE_MAX_AGE`, in seconds. Default 400 days (the browser maximum). */
  cookieMaxAge?: number;
  /** `WORKOS_COOKIE_DOMAIN`. Default: none (host-only cookie). */
  cookieDomain?: string;
  /** `WORKOS_COOKIE_SAMESITE`. Default `lax`. */
  cookieSameSite?: SameSite;
  /** Where a successful sign-in lands when no `returnTo` was asked for. Default `/`. */
  defaultReturnTo?: string;
  /**
   * `WORKOS_SIGN_OUT_REDIRECT_URI`. Where sign-out sends the browser: passed to WorkOS as
   * `return_to` (it must be allowed in the WorkOS dashboard), and used directly when there is no
   * session to end. Absolute URL or a path on this site. Default: `/` on the origin of `redirectUri`
   * when there is no session; the dashboard's default sign-out redirect otherwise.
   */
  signOutRedirectUri?: string;
  /** Route paths; each can be switched off with `false`. */
  routes?: RouteOptions;
  /** A configured WorkOS client to use instead of building one from the options above. */
  workos?: WorkOS;
  /** Time source. Default `Date`. */
  clock?: Clock;
}
