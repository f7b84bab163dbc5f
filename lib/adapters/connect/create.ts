import type { IncomingMessage } from 'node:http';
import type { WorkOS } from '@workos-inc/node';
import { isIssuedAuth, signedOutAuth, type AuthState } from '../../authorization/auth-state';
import type { AuthKitOptions } from '../../config/options';
import { createRequestAuthenticator } from '../../core/authenticator';
import { createAuthKitContext } from '../../core/context';
import type { OptionalGuardOptions } from '../../core/guard-options';
import type { AuthKitContext } from '../../flow/context';
import { errorHandler, type ErrorMiddleware } from './error-handler';
import { createGuards, type Guard, type Protect } from './guards';
import { createHelpers, type AuthKitHelpers } from './helpers';
import { createRouter } from './router';
import type { Middleware } from './types';

/** What `createAuthKit` returns: the routes, the guards, the error handler and the helpers of one WorkOS application. */
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

/** The Connect/Express middleware of one instance, on a context built by the core. */
export function connectAuthKit(ctx: AuthKitContext): AuthKit {
  // One authenticator per instance: guards, protect and the session routes share each request's result.
  const authenticateOnce = createRequestAuthenticator(ctx);
  return {
    router: createRouter(ctx, authenticateOnce),
    ...createGuards(ctx, authenticateOnce),
    ...createHelpers(ctx),
    errorHandler,
    workos: ctx.config.workos,
  };
}

/** Builds the routes and guards for one WorkOS application; throws `ConfigurationError` listing every problem. */
export function createAuthKit(options: AuthKitOptions = {}): AuthKit {
  return connectAuthKit(createAuthKitContext(options));
}

/** The auth state a guard put on this request; signed out when no guard ran or another library set `req.auth`. */
export function getAuth(req: IncomingMessage): AuthState {
  const auth = (req as IncomingMessage & { auth?: unknown }).auth;
  return isIssuedAuth(auth) ? auth : signedOutAuth();
}
