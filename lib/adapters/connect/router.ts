import type { RequestAuthenticator } from '../../core/authenticator';
import { createCoreRouter } from '../../core/router';
import type { AuthKitContext } from '../../flow/context';
import { forwardError } from './errors';
import { ConnectExchange } from './exchange';
import { finalHandler } from './respond';
import type { Middleware } from './types';

/**
 * The sign-in, sign-up, callback, session and sign-out routes as one Connect middleware. Paths
 * are matched against the full request path (not the mount-relative one), so guards can always
 * point browsers at the sign-in route; mount it with `app.use(authkit.router)`.
 */
export function createRouter(ctx: AuthKitContext, authenticateOnce: RequestAuthenticator): Middleware {
  const router = createCoreRouter(ctx, authenticateOnce);
  return (req, res, next = finalHandler(res)) => {
    const exchange = new ConnectExchange(req, res);
    const route = router.match(exchange);
    if (route === undefined) return next();
    router.handle(route, exchange).catch(forwardError(ctx, exchange, next));
  };
}
