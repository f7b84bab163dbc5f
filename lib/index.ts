import type { IncomingMessage } from 'node:http';
import type { WorkOS } from '@workos-inc/node';
import { createGuards, type Guard, type OptionalGuardOptions } from './adapters/connect/guards';
import type { Protect } from './adapters/connect/protect';
import { errorHandler, type ErrorMiddleware } from './adapters/connect/error-handler';
import { createHelpers, type AuthKitHelpers } from './adapters/connect/helpers';
import { createRequestAuthenticator } from './adapters/connect/request-auth';
import { createRouter } from './adapters/connect/router';
import type { Middleware } from './adapters/connect/types';
import { isIssuedAuth, signedOutAuth, type AuthState } from './authorization/auth-state';
import type { AuthKitOptions } from './config/options';
import { createAuthKitContext } from './core/context';

export interface AuthKit extends AuthKitHelpers {
  /** GET login, sign-up and callback routes; GET and POST logout. Mount with `app.use(authkit.router)`. */
  router: Middleware;
  /** Refuses signed-out requests: page navigations are sent to sign in, other requests get 401. */
  requireAuth: Guard;
  /** Sets `req.auth` (possibly signed out) and always continues. */
  optionalAuth: Guard<OptionalGuardOptions>;
  /** Secure by default: `app.use(authkit.protect({ unauthenticatedPaths }))` guards every other path. */
  protect: Protect;
  /** Error middleware that answers the library's errors (status, `Retry-After`, JSON or a short page); mount it after your routes. */
  errorHandler: ErrorMiddleware;
  /** The configured WorkOS client. */
  workos: WorkOS;
}

/** Builds the routes and guards for one WorkOS application; throws `ConfigurationError` listing every problem. */
export function createAuthKit(options: AuthKitOptions = {}): AuthKit {
  const ctx = createAuthKitContext(options);
  // One authenticator per instance: guards, protect and the session routes share each request's result.
  const authenticateRequest = createRequestAuthenticator(ctx);
  return {
    router: createRouter(ctx, authenticateRequest),
    ...createGuards(ctx, authenticateRequest),
    ...createHelpers(ctx),
    errorHandler,
    workos: ctx.config.workos,
  };
}

/** The auth state a guard put on this request; signed out when no guard ran or another library set `req.auth`. */
export function getAuth(req: IncomingMessage): AuthState {
  const auth = (req as IncomingMessage & { auth?: unknown }).auth;
  return isIssuedAuth(auth) ? auth : signedOutAuth();
}

export * from './shared-exports';
export type { AuthKitHelpers } from './adapters/connect/helpers';
export type { ErrorMiddleware } from './adapters/connect/error-handler';
export type { Guard, OptionalGuardOptions } from './adapters/connect/guards';
export type { Protect } from './adapters/connect/protect';
export type { Middleware, NextFunction } from './adapters/connect/types';
