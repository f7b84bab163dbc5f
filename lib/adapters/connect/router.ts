import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthKitContext } from '../../core/context';
import { signOut } from '../../flow/sign-out';
import { startSignIn } from '../../flow/sign-in';
import { signInOptionsFromQuery } from '../../flow/sign-in-query';
import { reportIgnoredSignInOptions } from '../../flow/ignored-sign-in-options';
import { requestCookies } from '../../http/cookies';
import { isBackgroundRequest, isProvenSameOrigin } from '../../http/cross-site';
import { isPageNavigation, parseRequestTarget } from '../../http/request-info';
import { safeReturnPath } from '../../http/return-to';
import { warnIfInsecureTransport } from '../../http/secure-transport';
import { forwardError } from './errors';
import { handleCallback } from './callback-route';
import type { RequestAuthenticator } from './request-auth';
import { sessionRoute } from './session-routes';
import { signOutConfirmationPage } from './sign-out-page';
import { finalHandler, markPrivate, sendReply, type Reply } from './respond';
import type { Middleware, NextFunction } from './types';

type RouteHandler = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams, next: NextFunction) => void | Promise<void>;

/** The library's routes by name; `logout` answers GET and POST, the others GET (and HEAD). */
export type RouteName = 'login' | 'signUp' | 'callback' | 'session' | 'accessToken' | 'logout';

/** The route a request is for, matched on its method and full path (not a mount-relative one). */
export function createRouteMatcher(routes: AuthKitContext['config']['routes']): (method: string | undefined, pathname: string) => RouteName | undefined {
  const getRoutes = new Map<string, RouteName>();
  const postRoutes = new Map<string, RouteName>();
  for (const name of ['login', 'signUp', 'callback', 'session', 'accessToken', 'logout'] as const) {
    const path = routes[name];
    if (path !== false) getRoutes.set(path, name);
  }
  if (routes.logout !== false) postRoutes.set(routes.logout, 'logout');
  return (method, pathname) => (method === 'GET' || method === 'HEAD' ? getRoutes : method === 'POST' ? postRoutes : undefined)?.get(pathname);
}

/**
 * `GET /login` and `/sign-up`: the redirect to the hosted sign-in with a fresh flow cookie. The
 * options that choose the connection, organization or account count only from this origin or
 * from a link sealed by `getSignInUrl` (see `signInOptionsFromQuery`).
 */
export function signInReply(ctx: AuthKitContext, req: IncomingMessage, query: URLSearchParams, screenHint: 'sign-in' | 'sign-up'): Reply {
  if (isBackgroundRequest(req)) {
    // No flow cookie for prefetches and fetch(): only a page the person opens signs in.
    return { kind: 'json', status: 400, body: { error: 'navigation_required', message: 'Open this address in the browser to sign in.' } };
  }
  const parsed = signInOptionsFromQuery(ctx.config, query, isProvenSameOrigin(req, ctx.config.redirectUri.origin));
  if (!parsed.ok) return { kind: 'json', status: 400, body: { error: 'invalid_request', message: parsed.problem } };
  reportIgnoredSignInOptions(ctx.config, parsed.ignored);
  const options = { ...parsed.options, screenHint };
  const target = startSignIn(ctx, options, requestCookies(req));
  return { kind: 'redirect', location: target.location, setCookies: target.setCookies };
}

/**
 * `GET|POST /logout`. Only a request that proves it comes from a page of this origin signs out
 * directly; any other POST or background request gets 403, any other page navigation a
 * confirmation page whose form posts back same-origin (`private`: both answers must be marked
 * uncacheable). So no link, image or form elsewhere, even on a sibling subdomain or with the
 * referrer suppressed, can sign anyone out.
 */
export function logoutReply(ctx: AuthKitContext, req: IncomingMessage, query: URLSearchParams, logoutPath: string): Reply & { private?: true } {
  const returnTo = query.get('returnTo') ?? undefined;
  if (!isProvenSameOrigin(req, ctx.config.redirectUri.origin)) {
    if (req.method === 'POST' || !isPageNavigation(req)) {
      return { kind: 'json', status: 403, body: { error: 'cross_site_sign_out', message: 'Sign-out must be started from this site.' }, private: true };
    }
    return { kind: 'html', status: 200, body: signOutConfirmationPage(logoutPath, safeReturnPath(returnTo)), private: true };
  }
  const target = signOut(ctx, requestCookies(req), returnTo);
  return { kind: 'redirect', location: target.location, setCookies: target.setCookies };
}

/**
 * The sign-in, sign-up, callback and sign-out routes as one Connect middleware. Paths are
 * matched against the full request path (not the mount-relative one), so guards can always
 * point browsers at the sign-in route; mount it with `app.use(authkit.router)`.
 */
export function createRouter(ctx: AuthKitContext, authenticateRequest: RequestAuthenticator): Middleware {
  const { routes } = ctx.config;
  const matchRoute = createRouteMatcher(routes);

  const signIn = (screenHint: 'sign-in' | 'sign-up'): RouteHandler => (req, res, query) => sendReply(res, signInReply(ctx, req, query, screenHint));

  const logout: RouteHandler = (req, res, query) => {
    const reply = logoutReply(ctx, req, query, routes.logout as string);
    if (reply.private) markPrivate(res);
    sendReply(res, reply);
  };

  const handlers: Record<RouteName, RouteHandler> = {
    login: signIn('sign-in'),
    signUp: signIn('sign-up'),
    callback: (req, res, query, next) => handleCallback(ctx, req, res, query, next),
    session: sessionRoute(ctx, authenticateRequest, false),
    accessToken: sessionRoute(ctx, authenticateRequest, true),
    logout,
  };

  return (req, res, next = finalHandler(res)) => {
    const { pathname, query } = parseRequestTarget(req);
    const route = matchRoute(req.method, pathname);
    if (route === undefined) return next();
    warnIfInsecureTransport(ctx.config, req);
    Promise.resolve(handlers[route](req, res, query, next)).catch(forwardError(ctx, req, res, next));
  };
}
