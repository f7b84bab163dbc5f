import type { AuthKitContext } from '../../core/context';
import { isSameOriginRequest } from '../../http/cross-site';
import { parseRequestTarget } from '../../http/request-info';
import { warnIfInsecureTransport } from '../../http/secure-transport';
import { createRouteMatcher, logoutReply, signInReply, type RouteName } from '../connect/router';
import { CROSS_ORIGIN_SESSION_REPLY, sessionReply } from '../connect/session-routes';
import type { KoaAuthenticator } from './authenticate';
import { handleKoaCallback } from './callback-route';
import { fail } from './errors';
import { markPrivate, prepare, sendReply } from './respond';
import type { KoaContext, KoaMiddleware } from './types';

/**
 * The sign-in, sign-up, callback, sign-out and session routes as one Koa middleware, on the
 * Connect router's route table and replies. Paths match the full request path (`ctx.originalUrl`),
 * wherever the middleware is mounted. Other requests go on to `next()`.
 */
export function createKoaRouter(core: AuthKitContext, authenticate: KoaAuthenticator): KoaMiddleware {
  const { routes } = core.config;
  const matchRoute = createRouteMatcher(routes);

  async function session(ctx: KoaContext, withToken: boolean): Promise<void> {
    markPrivate(ctx);
    ctx.set('X-Content-Type-Options', 'nosniff');
    if (!isSameOriginRequest(ctx.req, core.config.redirectUri.origin)) return sendReply(ctx, CROSS_ORIGIN_SESSION_REPLY);
    // Shared with any guard that already ran on this request: one refresh, one Set-Cookie.
    sendReply(ctx, sessionReply(await authenticate(ctx), withToken));
  }

  async function handle(route: RouteName, ctx: KoaContext, query: URLSearchParams): Promise<void> {
    switch (route) {
      case 'login':
        return sendReply(ctx, signInReply(core, ctx.req, query, 'sign-in'));
      case 'signUp':
        return sendReply(ctx, signInReply(core, ctx.req, query, 'sign-up'));
      case 'callback':
        return handleKoaCallback(core, ctx, query);
      case 'session':
        return session(ctx, false);
      case 'accessToken':
        return session(ctx, true);
      case 'logout': {
        const reply = logoutReply(core, ctx.req, query, routes.logout as string);
        if (reply.private) markPrivate(ctx);
        return sendReply(ctx, reply);
      }
    }
  }

  return async (ctx, next) => {
    prepare(ctx);
    const { pathname, query } = parseRequestTarget(ctx.req);
    const route = matchRoute(ctx.method, pathname);
    if (route === undefined) return void (await next());
    warnIfInsecureTransport(core.config, ctx.req);
    try {
      await handle(route, ctx, query);
    } catch (error) {
      await fail(core, ctx, error);
    }
  };
}
