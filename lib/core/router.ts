import type { AuthKitContext } from '../flow/context';
import { pathOf, queryOf } from '../http/request-info';
import { warnIfInsecureTransport } from '../http/secure-transport';
import type { RequestAuthenticator } from './authenticator';
import { handleCallback } from './callback-route';
import type { AuthExchange } from './exchange';
import { warnIfMountedUnderPrefix } from './mount-check';
import { handleSessionRoute } from './session-routes';
import { logoutReply, signInReply } from './sign-routes';

/** The library's routes by name; `logout` answers GET and POST, the others GET (and HEAD). */
export type RouteName = 'login' | 'signUp' | 'callback' | 'session' | 'accessToken' | 'logout';

export interface CoreRouter {
  /**
   * The route a request is for, by method and full path (not a mount-relative one); `undefined`
   * for the app's own requests (after a warning, once, when the router looks mounted under a prefix).
   */
  match(exchange: AuthExchange): RouteName | undefined;
  /** Answers the request through `exchange`; rejects with what the adapter must hand to `onError` and the framework. */
  handle(route: RouteName, exchange: AuthExchange): Promise<void>;
}

/** The sign-in, sign-up, callback, session and sign-out routes, written once for every adapter. */
export function createCoreRouter(ctx: AuthKitContext, authenticateOnce: RequestAuthenticator): CoreRouter {
  const { routes } = ctx.config;
  const getRoutes = new Map<string, RouteName>();
  const postRoutes = new Map<string, RouteName>();
  for (const name of ['login', 'signUp', 'callback', 'session', 'accessToken', 'logout'] as const) {
    const path = routes[name];
    if (path !== false) getRoutes.set(path, name);
  }
  if (routes.logout !== false) postRoutes.set(routes.logout, 'logout');
  const routePaths = [...getRoutes.keys()];

  const routeFor = (method: string, pathname: string): RouteName | undefined =>
    (method === 'GET' || method === 'HEAD' ? getRoutes : method === 'POST' ? postRoutes : undefined)?.get(pathname);

  return {
    match(exchange) {
      const path = pathOf(exchange.target);
      const route = routeFor(exchange.method, path);
      if (route === undefined) warnIfMountedUnderPrefix(ctx, exchange, path, routePaths, routeFor);
      return route;
    },

    async handle(route, exchange) {
      warnIfInsecureTransport(ctx.config, exchange);
      const query = queryOf(exchange.target);
      switch (route) {
        case 'login':
          return exchange.send(signInReply(ctx, exchange, query, 'sign-in'));
        case 'signUp':
          return exchange.send(signInReply(ctx, exchange, query, 'sign-up'));
        case 'callback':
          return handleCallback(ctx, exchange, query);
        case 'session':
          return handleSessionRoute(ctx, authenticateOnce, exchange, false);
        case 'accessToken':
          return handleSessionRoute(ctx, authenticateOnce, exchange, true);
        case 'logout':
          return exchange.send(logoutReply(ctx, exchange, query, routes.logout as string));
      }
    },
  };
}
