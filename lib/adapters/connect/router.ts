import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthKitContext } from '../../flow/context';
import { signOut } from '../../flow/sign-out';
import { startSignIn } from '../../flow/sign-in';
import { signInOptionsFromQuery } from '../../flow/sign-in-query';
import { requestCookies } from '../../http/cookies';
import { isBackgroundRequest, isCrossSite } from '../../http/cross-site';
import { isPageNavigation, parseRequestTarget } from '../../http/request-info';
import { safeReturnPath } from '../../flow/return-to';
import { warnIfInsecureTransport } from '../../http/secure-transport';
import { forwardError } from './errors';
import { handleCallback } from './callback-route';
import type { RequestAuthenticator } from './request-auth';
import { sessionRoute } from './session-routes';
import { signOutConfirmationPage } from './sign-out-page';
import { finalHandler, markPrivate, redirect, sendJson } from './respond';
import type { Middleware, NextFunction } from './types';

type RouteHandler = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams, next: NextFunction) => void | Promise<void>;

/**
 * The sign-in, sign-up, callback and sign-out routes as one Connect middleware. Paths are
 * matched against the full request path (not the mount-relative one), so guards can always
 * point browsers at the sign-in route; mount it with `app.use(authkit.router)`.
 */
export function createRouter(ctx: AuthKitContext, authenticateRequest: RequestAuthenticator): Middleware {
  const { routes } = ctx.config;
  const getRoutes = new Map<string, RouteHandler>();
  const postRoutes = new Map<string, RouteHandler>();

  const signIn = (screenHint: 'sign-in' | 'sign-up'): RouteHandler => (req, res, query) => {
    if (isBackgroundRequest(req)) {
      // No flow cookie for prefetches and fetch(): only a page the person opens signs in.
      return sendJson(res, 400, { error: 'navigation_required', message: 'Open this address in the browser to sign in.' });
    }
    const parsed = signInOptionsFromQuery(query);
    if (!parsed.ok) return sendJson(res, 400, { error: 'invalid_request', message: parsed.problem });
    const options = { ...parsed.options, screenHint };
    const target = startSignIn(ctx, options, requestCookies(req));
    redirect(res, target.location, target.setCookies);
  };

  const callback: RouteHandler = (req, res, query, next) => handleCallback(ctx, req, res, query, next);

  const logout = (logoutPath: string): RouteHandler => (req, res, query) => {
    const returnTo = query.get('returnTo') ?? undefined;
    if (isCrossSite(req, ctx.config.redirectUri.origin)) {
      markPrivate(res);
      if (req.method === 'POST' || !isPageNavigation(req)) {
        return sendJson(res, 403, { error: 'cross_site_sign_out', message: 'Sign-out must be started from this site.' });
      }
      res.statusCode = 200;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      return void res.end(signOutConfirmationPage(logoutPath, safeReturnPath(returnTo)));
    }
    const target = signOut(ctx, requestCookies(req), returnTo);
    redirect(res, target.location, target.setCookies);
  };

  if (routes.login !== false) getRoutes.set(routes.login, signIn('sign-in'));
  if (routes.signUp !== false) getRoutes.set(routes.signUp, signIn('sign-up'));
  if (routes.callback !== false) getRoutes.set(routes.callback, callback);
  if (routes.session !== false) getRoutes.set(routes.session, sessionRoute(ctx, authenticateRequest, false));
  if (routes.accessToken !== false) getRoutes.set(routes.accessToken, sessionRoute(ctx, authenticateRequest, true));
  if (routes.logout !== false) {
    getRoutes.set(routes.logout, logout(routes.logout));
    postRoutes.set(routes.logout, logout(routes.logout));
  }

  return (req, res, next = finalHandler(res)) => {
    const { pathname, query } = parseRequestTarget(req);
    const table = req.method === 'GET' || req.method === 'HEAD' ? getRoutes : req.method === 'POST' ? postRoutes : undefined;
    const handler = table?.get(pathname);
    if (!handler) return next();
    warnIfInsecureTransport(ctx.config, req);
    Promise.resolve(handler(req, res, query, next)).catch(forwardError(ctx, req, res, next));
  };
}
