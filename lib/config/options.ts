import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WorkOS } from '@workos-inc/node';
import type { AuthKitError } from '../errors';
import type { SignedOutReason } from '../model/reasons';
import type { AuthKitUser, Impersonator, OAuthTokens } from '../model/session';
import type { CookiePasswordInput } from './passwords';
import type { SharedStore } from '../model/shared-store';

/** The session cookie's `SameSite` attribute. */
export type SameSite = 'lax' | 'strict' | 'none';

/** A source of the current time in milliseconds; injected so tests and emulators can move time. */
export interface Clock {
  /** Milliseconds since the epoch, like `Date.now()`. */
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
  /** Token-free JSON of the signed-in user for browser code. Default `/auth/session`. */
  session?: string | false;
  /** Opt-in: the access token for browser code, refreshed first. `true` means `/auth/access-token`. Default off. */
  accessToken?: string | boolean;
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
  /**
   * `WORKOS_COOKIE_PASSWORD`. Required, at least 32 characters. Seals the session cookie.
   * To rotate, give a list (newest first) or an `{ id: password }` map (highest id newest):
   * the newest seals, every one unseals, and older sessions are re-sealed on their next refresh.
   */
  cookiePassword?: CookiePasswordInput;
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
  /**
   * `WORKOS_COOKIE_NAME`. Default `__Host-wos-session` when `redirectUri` is https and no
   * `cookieDomain` is set (a sibling subdomain can neither plant nor shadow it), `wos-session`
   * otherwise. A `__Host-` or `__Secure-` prefix makes the browser enforce `Secure` (and, for
   * `__Host-`, no `Domain`); flow cookies get the same prefix.
   */
  cookieName?: string;
  /**
   * A former session cookie name, read only when the request has no cookie under `cookieName`,
   * and moved to `cookieName` on that same response. Default `wos-session` when `cookieName` is
   * the default `__Host-wos-session` (sessions from before that default keep working), none
   * otherwise. `false` stops reading it: do so once your sessions have moved, because a sibling
   * subdomain can plant a cookie under this name for a browser that has no session.
   */
  legacyCookieName?: string | false;
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
  /**
   * Where instances of this app share refresh state (locks, results, sign-outs), so many
   * processes behave as one: `createRedisStore({ client })` from `authkit-express/redis`, or your
   * own `SharedStore`. Default: none (each process on its own, as a single process needs).
   */
  store?: SharedStore;
  /** The longest one store command may take (ms) before the library carries on without it. Default 1000. */
  storeTimeoutMs?: number;
  /** A configured WorkOS client to use instead of building one from the options above. */
  workos?: WorkOS;
  /** Time source. Default `Date`. */
  clock?: Clock;
  /**
   * Refresh this many seconds before the access token expires. Default 60, or 30 for tokens
   * that live 5 minutes or less; 0 refreshes only after expiry. If an early refresh fails while
   * the token is still valid, the request is served with the current token.
   */
  refreshBufferSeconds?: number;
  /**
   * The longest a request waits for one WorkOS call it makes (refresh-token exchange, the
   * callback's code exchange, a key-set fetch), in ms, whatever the SDK's own timeout and retries.
   * Past it, a refresh answers 503 with `Retry-After` and keeps the cookie, the callback answers
   * `code_exchange_failed` (502). A refresh cannot be aborted: it finishes in the background and
   * its result is remembered for the old cookie. Default 5000.
   */
  workosTimeoutMs?: number;
  /**
   * How long an early refresh (the token is still valid, inside `refreshBufferSeconds`) may hold
   * its request, in ms; never past the token's expiry nor `workosTimeoutMs`. If WorkOS answers
   * within it, the new cookie goes on this response; otherwise the request is served with the
   * current token and the refresh finishes in the background: the old cookie gets the new session
   * until the old token expires plus 30 s. `0` never waits. Default 1000.
   */
  earlyRefreshWaitMs?: number;
  /**
   * Remembers sessions already unsealed and verified, for the exact cookie value, so later
   * requests with the same cookie skip both until the token is due for refresh. Bounded (LRU),
   * per instance, dropped on sign-out; an entry costs about twice the cookie's size in memory.
   * Default `{ maxEntries: 10000 }`; `false` switches it off.
   */
  sessionCache?:
    | {
        /** Sessions kept before the least recently used is dropped. Default 10000. */
        maxEntries?: number;
      }
    | false;
  /** Where warnings (and, with `debug`, debug lines) go. Default: `console`. Nothing logged contains tokens, codes or cookie values. */
  logger?: AuthKitLogger;
  /** `WORKOS_DEBUG`. Log each authentication decision through `logger.debug`. Default `false`. */
  debug?: boolean;
  /** Called after a session was refreshed (once per refresh, not per request sharing it). */
  onSessionRefreshSuccess?: (event: SessionRefreshSuccessEvent) => void;
  /** Called when a refresh failed; `isTransient` failures keep the session, `raceLost` ones too. */
  onSessionRefreshError?: (event: SessionRefreshErrorEvent) => void;
  /**
   * Called with every error the routes and guards raise, before it goes to `next(err)`.
   * Send a response here to render your own page; if you do not, the error goes on to `next`.
   */
  onError?: (error: AuthKitError, req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
  /**
   * Called after a sign-in succeeded, before the session cookie is kept and the browser
   * redirected: store the user, record the sign-in. Throwing ends the sign-in without a
   * session (the error goes to `onError` / `next`); answering `res` yourself replaces the redirect.
   */
  onSuccess?: (event: SignInSuccessEvent) => void | Promise<void>;
  /** Called when a request carried a session cookie that was not accepted, with the reason, for monitoring. */
  onSessionRejected?: (event: SessionRejectedEvent) => void;
}

/** Where the library's warnings and debug lines go (`console` by default, each line prefixed `[authkit-express]`). */
export interface AuthKitLogger {
  /** A mistake in set-up or a surprise at run time, with how to fix it; each kind is logged once per instance. */
  warn(message: string): void;
  /** With `debug: true`: one line per authentication decision. */
  debug?(message: string): void;
}

/** What `onSuccess` receives after a sign-in. */
export interface SignInSuccessEvent {
  /** The user WorkOS signed in. */
  user: AuthKitUser;
  /** The new access token. */
  accessToken: string;
  /** The new refresh token (single use; the library keeps it in the cookie). */
  refreshToken: string;
  /** Set when the sign-in is an impersonation. */
  impersonator: Impersonator | undefined;
  /** The upstream provider's tokens, when WorkOS is set to return them (never stored in the cookie). */
  oauthTokens: OAuthTokens | undefined;
  /** How the user signed in (`Password`, `GoogleOAuth`, `SSO`, …). */
  authenticationMethod: string | undefined;
  /** The organization the user signed in to, if any. */
  organizationId: string | undefined;
  /** The custom `state` the sign-in was started with (untrusted input). */
  state: string | undefined;
  /** Where the browser will be sent. */
  returnTo: string;
  /** The callback request (on Koa, `ctx.req`). */
  req: IncomingMessage;
  /** Its response: answer it yourself to replace the redirect. */
  res: ServerResponse;
}

/** What `onSessionRefreshSuccess` receives, once per refresh call. */
export interface SessionRefreshSuccessEvent {
  /** The user as WorkOS returned it with the new tokens. */
  user: AuthKitUser;
  /** The new access token. */
  accessToken: string;
  /** The organization of the refreshed session, if any. */
  organizationId: string | undefined;
  /** Set while the user is impersonated. */
  impersonator: Impersonator | undefined;
}

/** What `onSessionRefreshError` receives, once per failed refresh call. */
export interface SessionRefreshErrorEvent {
  /**
   * A `WorkOSUnavailableError` (`refresh_unavailable`) when transient or a lost race; otherwise an
   * `Error` named `RefreshRejectedError` whose `cause` is what the WorkOS client threw.
   */
  error: unknown;
  /** WorkOS could not answer (network, 408, 429, 5xx): the session is kept. */
  isTransient: boolean;
  /** WorkOS refused a refresh token this process had just rotated: another request won, the session is kept. */
  raceLost: boolean;
}

/**
 * Why a present session was refused: `malformed`, `expired` (the cookie's own seal lifetime, not
 * the access token's), `tampered`, `unknown_password`, `not_a_session`, `duplicate_cookie`,
 * `invalid_token`, `user_mismatch` or `refresh_rejected`.
 */
export type SessionRejectionReason = Exclude<SignedOutReason, 'no_session'>;

/** What `onSessionRejected` receives: never the cookie itself. */
export interface SessionRejectedEvent {
  /** Why the cookie was refused. */
  reason: SessionRejectionReason;
  /** The request that carried it (on Koa, `ctx.req`). */
  req: IncomingMessage;
}
