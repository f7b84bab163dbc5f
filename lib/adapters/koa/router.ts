import type { RequestAuthenticator } from '../../core/authenticator';
import { createCoreRouter } from '../../core/router';
import type { AuthKitContext } from '../../flow/context';
import { fail } from './errors';
import { KoaExchange } from './exchange';
import { prepare } from './respond';
import type { KoaMiddleware } from './types';

/**
 * The sign-in, sign-up, callback, sign-out and session routes as one Koa middleware. Paths match
 * the full request path (`ctx.originalUrl`), wherever the middleware is mounted. Other requests
 * go on to `next()`.
 */
export function createKoaRouter(core: AuthKitContext, authenticateOnce: RequestAuthenticator): KoaMiddleware {
  const router = createCoreRouter(core, authenticateOnce);
  return async (ctx, next) => {
    prepare(ctx);
    const exchange = new KoaExchange(ctx);
    const route = router.match(exchange);
    if (route === undefined) return void (await next());
    try {
      await router.handle(route, exchange);
    } catch (error) {
      await fail(core, exchange, error);
    }
  };
}
