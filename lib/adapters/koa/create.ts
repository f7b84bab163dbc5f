import type { WorkOS } from '@workos-inc/node';
import type { AuthKitOptions } from '../../config/options';
import { createRequestAuthenticator } from '../../core/authenticator';
import { createAuthKitContext } from '../../core/context';
import type { OptionalGuardOptions } from '../../core/guard-options';
import type { AuthKitContext } from '../../flow/context';
import { createKoaGuards, type KoaGuard, type KoaProtect } from './guards';
import { createKoaHelpers, type KoaAuthKitHelpers } from './helpers';
import { createKoaRouter } from './router';
import type { KoaMiddleware } from './types';

export interface KoaAuthKit extends KoaAuthKitHelpers {
  /** GET login, sign-up, callback and session routes; GET and POST logout. Mount with `app.use(authkit.router)`. */
  router: KoaMiddleware;
  /** Refuses signed-out requests: page navigations are sent to sign in, other requests get 401; missing requirements 403. */
  requireAuth: KoaGuard;
  /** Sets `ctx.state.auth` (possibly signed out) and always continues. */
  optionalAuth: KoaGuard<OptionalGuardOptions>;
  /** Secure by default: `app.use(authkit.protect({ unauthenticatedPaths }))` guards every other path. */
  protect: KoaProtect;
  /** The configured WorkOS client. */
  workos: WorkOS;
}

/** The Koa middleware of one instance, on a context built by the core. */
export function koaAuthKit(core: AuthKitContext): KoaAuthKit {
  // One authenticator per instance: guards, protect and the session routes share each request's result.
  const authenticateOnce = createRequestAuthenticator(core);
  return {
    router: createKoaRouter(core, authenticateOnce),
    ...createKoaGuards(core, authenticateOnce),
    ...createKoaHelpers(core),
    workos: core.config.workos,
  };
}

/** Builds the Koa routes and guards for one WorkOS application; throws `ConfigurationError` listing every problem. */
export function createKoaAuthKit(options: AuthKitOptions = {}): KoaAuthKit {
  return koaAuthKit(createAuthKitContext(options));
}
