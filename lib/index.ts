import type { IncomingMessage } from 'node:http';
import type { WorkOS } from '@workos-inc/node';
import { createGuards, type Guard } from './adapters/connect/guards';
import { createRouter } from './adapters/connect/router';
import type { Middleware } from './adapters/connect/types';
import { isIssuedAuth, signedOutAuth, type AuthState } from './auth';
import { resolveConfig } from './config/resolve';
import type { AuthKitOptions } from './config/options';
import type { AuthKitContext } from './flow/context';
import { createRefresher } from './flow/refresh';
import { createAccessTokenVerifier } from './tokens/verify-access-token';

export interface AuthKit {
  /** GET login, sign-up and callback routes; GET and POST logout. Mount with `app.use(authkit.router)`. */
  router: Middleware;
  /** Refuses signed-out requests: page navigations are sent to sign in, other requests get 401. */
  requireAuth: Guard;
  /** Sets `req.auth` (possibly signed out) and always continues. */
  optionalAuth: Guard;
  /** The configured WorkOS client. */
  workos: WorkOS;
}

/** Builds the routes and guards for one WorkOS application; throws `ConfigurationError` listing every problem. */
export function createAuthKit(options: AuthKitOptions = {}): AuthKit {
  const config = resolveConfig(options);
  const ctx: AuthKitContext = {
    config,
    verifyAccessToken: createAccessTokenVerifier(config),
    refresh: createRefresher(config),
  };
  return { router: createRouter(ctx), ...createGuards(ctx), workos: config.workos };
}

/** The auth state a guard put on this request; signed out when no guard ran or another library set `req.auth`. */
export function getAuth(req: IncomingMessage): AuthState {
  const auth = (req as IncomingMessage & { auth?: unknown }).auth;
  return isIssuedAuth(auth) ? auth : signedOutAuth();
}

export type { AuthKitLogger, AuthKitOptions, Clock, RouteOptions, SameSite, SessionRejectedEvent, SessionRejectionReason } from './config/options';
export type { CookiePasswordInput } from './config/passwords';
export type { AuthState, SignedInAuth, SignedOutAuth } from './auth';
export type { AuthKitUser, Impersonator, SessionData } from './session/session-data';
export type { AccessTokenClaims } from './tokens/claims';
export type { Guard, GuardOptions } from './adapters/connect/guards';
export type { Middleware, NextFunction } from './adapters/connect/types';
export { AuthKitError, CallbackError, ConfigurationError, WorkOSUnavailableError, type AuthKitErrorCode } from './errors';
