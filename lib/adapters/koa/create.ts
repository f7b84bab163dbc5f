import type { WorkOS } from '@workos-inc/node';
import type { AuthKitOptions } from '../../config/options';
import { createAuthKitContext } from '../../core/context';
import { createRequestAuthenticator } from '../connect/request-auth';
import { koaAuthenticator } from './authenticate';
import type { OptionalGuardOptions } from '../connect/guards';
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

/** Builds the Koa routes and guards for one WorkOS application; throws `ConfigurationError` listing every problem. */
export function createKoaAuthKit(options: AuthKitOptions = {}): KoaAuthKit {
  // Built as `authkit-express`'s createAuthKit builds it, so both adapters behave the same.
  const core = createAuthKitContext(options);
  // One authenticator per instance: guards, protect and the session routes share each request's result.
  const authenticate = koaAuthenticator(createRequestAuthenticator(core));
  return {
    router: createKoaRouter(core, authenticate),
    ...createKoaGuards(core, authenticate),
    ...createKoaHelpers(core),
    workos: core.config.workos,
  };
}
