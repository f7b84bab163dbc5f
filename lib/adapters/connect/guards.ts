import type { IncomingMessage, ServerResponse } from 'node:http';
import { signedOutAuth, type AuthState } from '../../auth';
import { authenticate, type Authentication } from '../../flow/authenticate';
import type { AuthKitContext } from '../../flow/context';
import { safeReturnPath } from '../../flow/return-to';
import { startSignIn } from '../../flow/sign-in';
import { requestCookies } from '../../http/cookies';
import { isPageNavigation, parseRequestTarget } from '../../http/request-info';
import { warnIfInsecureTransport } from '../../http/secure-transport';
import { forwardError } from './errors';
import { applyCookies, finalHandler, markPrivate, redirect, sendJson } from './respond';
import type { Middleware, NextFunction } from './types';

export interface GuardOptions {
  /**
   * Where a refused page navigation is sent. Default: the sign-in route with the current path
   * as `returnTo`. API requests always get 401.
   */
  signInPath?: string;
}

/** `requireAuth` and `optionalAuth` work bare (`app.get('/x', requireAuth, h)`) and called with options. */
export interface Guard {
  (options?: GuardOptions): Middleware;
  (req: IncomingMessage, res: ServerResponse, next: NextFunction): void;
}

type Policy = 'require' | 'optional';

function isRequest(value: unknown): value is IncomingMessage {
  return typeof value === 'object' && value !== null && 'headers' in value && 'method' in value;
}

/** Which instance authenticated a request first, to catch apps that created two. */
const firstAuthenticator = new WeakMap<IncomingMessage, object>();

function reportRejection(ctx: AuthKitContext, req: IncomingMessage, result: Authentication): void {
  const { onSessionRejected } = ctx.config.hooks;
  if (!onSessionRejected || result.status !== 'signed-out' || result.reason === 'no_session') return;
  try {
    onSessionRejected({ reason: result.reason, req });
  } catch (error) {
    // Monitoring must never break a request.
    ctx.config.logger.warn(`onSessionRejected threw: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Authenticates each request once per instance, however many guards run on it: mounting the
 * middleware twice (or `optionalAuth` before `requireAuth`) neither refreshes twice nor sets
 * cookies twice. Two instances on one request would each refresh the same single-use refresh
 * token, so that is reported once.
 */
function createRequestAuthenticator(ctx: AuthKitContext) {
  const seen = new WeakMap<IncomingMessage, Promise<Authentication>>();
  const identity = {};
  let warnedAboutTwoInstances = false;
  return (req: IncomingMessage, res: ServerResponse): Promise<Authentication> => {
    let pending = seen.get(req);
    if (!pending) {
      warnIfInsecureTransport(ctx.config, req);
      const first = firstAuthenticator.get(req);
      if (first === undefined) firstAuthenticator.set(req, identity);
      else if (first !== identity && !warnedAboutTwoInstances) {
        warnedAboutTwoInstances = true;
        ctx.config.logger.warn(
          `Two createAuthKit instances authenticated the same request (${req.method ?? 'GET'} ${parseRequestTarget(req).pathname}). ` +
            'Each refreshes sessions on its own, so they can race and sign people out: create one instance and share its guards.',
        );
      }
      pending = authenticate(ctx, requestCookies(req)).then((result) => {
        applyCookies(res, result.setCookies);
        reportRejection(ctx, req, result);
        return result;
      });
      seen.set(req, pending);
    }
    return pending;
  };
}

function refuse(ctx: AuthKitContext, req: IncomingMessage, res: ServerResponse, options: GuardOptions): void {
  markPrivate(res);
  if (isPageNavigation(req)) {
    // The raw request target can be `//evil.example`: only a checked path travels on.
    const returnTo = safeReturnPath(parseRequestTarget(req).pathAndQuery);
    const loginPath = options.signInPath ?? ctx.config.routes.login;
    if (loginPath !== false) {
      redirect(res, returnTo === undefined ? loginPath : `${loginPath}?${new URLSearchParams({ returnTo })}`);
    } else {
      // No sign-in route mounted: start the hosted sign-in directly.
      const signIn = startSignIn(ctx, { returnTo }, requestCookies(req));
      redirect(res, signIn.location, signIn.setCookies);
    }
    return;
  }
  sendJson(
    res,
    401,
    { error: 'unauthorized', message: 'Sign in to access this resource.' },
    { 'WWW-Authenticate': `AuthKit realm="${ctx.config.redirectUri.host}"` },
  );
}

export function createGuard(ctx: AuthKitContext, policy: Policy, authenticateOnce: ReturnType<typeof createRequestAuthenticator>): Guard {
  const build = (options: GuardOptions = {}): Middleware => (req, res, next) => {
    authenticateOnce(req, res).then(
      (result) => {
        const auth: AuthState = result.status === 'signed-in' ? result.auth : signedOutAuth();
        (req as IncomingMessage & { auth?: AuthState }).auth = auth;
        if (result.status === 'signed-out' && policy === 'require') return refuse(ctx, req, res, options);
        next();
      },
      forwardError(ctx, req, res, next),
    );
  };
  const bare = build();
  function guard(options?: GuardOptions): Middleware;
  function guard(req: IncomingMessage, res: ServerResponse, next: NextFunction): void;
  function guard(first?: GuardOptions | IncomingMessage, res?: ServerResponse, next?: NextFunction): Middleware | void {
    if (isRequest(first) && res) return bare(first, res, next ?? finalHandler(res));
    return build(first as GuardOptions | undefined);
  }
  return guard;
}

export function createGuards(ctx: AuthKitContext): { requireAuth: Guard; optionalAuth: Guard } {
  const authenticateOnce = createRequestAuthenticator(ctx);
  return {
    requireAuth: createGuard(ctx, 'require', authenticateOnce),
    optionalAuth: createGuard(ctx, 'optional', authenticateOnce),
  };
}
