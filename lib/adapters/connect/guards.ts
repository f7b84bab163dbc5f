import type { IncomingMessage, ServerResponse } from 'node:http';
import { signedOutAuth, type AuthState, type SignedInAuth } from '../../authorization/auth-state';
import { isAuthorized } from '../../authorization/evaluate';
import { compileRequirements, hasRequirements, type AuthorizationRequirements, type CompiledRequirements } from '../../authorization/requirements';
import type { AuthKitContext } from '../../core/context';
import { safeReturnPath } from '../../http/return-to';
import { startSignIn } from '../../flow/sign-in';
import { requestCookies } from '../../http/cookies';
import { isPageNavigation, parseRequestTarget } from '../../http/request-info';
import { forwardError } from './errors';
import { forbid } from './forbidden-page';
import { createProtect, type Protect } from './protect';
import { finalHandler, markPrivate, markSessionDependent, sendReply, type Reply } from './respond';
import type { RequestAuthenticator } from './request-auth';
import type { Authentication } from '../../flow/authenticate';
import type { Middleware, NextFunction } from './types';

/**
 * Options of `requireAuth`. Signed out: page navigations go to sign in, other requests get 401.
 * Signed in without every requirement given: 403 (JSON, or a short page for navigations).
 * `optionalAuth` takes none of the authorization options.
 */
export interface GuardOptions extends AuthorizationRequirements {
  /**
   * Where a refused page navigation is sent (a path on this site). Default: the sign-in route
   * with the current path as `returnTo`. API requests always get 401.
   */
  signInPath?: string;
}

/** `requireAuth` and `optionalAuth` work bare (`app.get('/x', requireAuth, h)`) and called with options. */
export interface Guard<Options = GuardOptions> {
  (options?: Options): Middleware;
  (req: IncomingMessage, res: ServerResponse, next: NextFunction): void;
}

/** `optionalAuth` never refuses, so it takes no requirements (passing some is a type error, and throws). */
export type OptionalGuardOptions = Record<string, never>;

export type Policy = 'require' | 'optional';
export type ScreenHint = 'sign-in' | 'sign-up';

/** Guard options checked once, when the middleware is built. */
export interface CompiledGuard {
  signInPath: string | undefined;
  requirements: CompiledRequirements;
}

// Backslashes and `//` can make a redirect target another host; `?`/`#` would break `?returnTo=`.
// eslint-disable-next-line no-control-regex -- rejecting control characters is the point
const UNSAFE_SIGN_IN_PATH = /[\u0000-\u001f\u007f\\?#\s]/;

/** Throws a TypeError for any mistake, so a typo fails at startup instead of on requests. */
export function compileGuardOptions(policy: Policy, options: unknown): CompiledGuard {
  const name = policy === 'require' ? 'requireAuth' : 'optionalAuth';
  const requirements = compileRequirements(name, options, ['signInPath']);
  if (policy === 'optional' && hasRequirements(requirements)) {
    throw new TypeError('optionalAuth never refuses a request: pass roles, permissions and other requirements to requireAuth');
  }
  const signInPath = (options as { signInPath?: unknown } | undefined)?.signInPath;
  if (signInPath !== undefined) {
    if (typeof signInPath !== 'string' || !signInPath.startsWith('/') || signInPath.startsWith('//') || UNSAFE_SIGN_IN_PATH.test(signInPath)) {
      throw new TypeError(`${name}: option \`signInPath\` must be a path on this site such as "/welcome" (no query, no "//")`);
    }
  }
  return { signInPath: signInPath as string | undefined, requirements };
}

function isRequest(value: unknown): value is IncomingMessage {
  return typeof value === 'object' && value !== null && 'headers' in value && 'method' in value;
}

/** What a signed-out request gets from `requireAuth`: page navigations go to sign in, anything else 401. */
export function refusal(ctx: AuthKitContext, req: IncomingMessage, signInPath: string | undefined, screenHint: ScreenHint): Reply {
  if (isPageNavigation(req)) {
    // The raw request target can be `//evil.example`: only a checked path travels on.
    const returnTo = safeReturnPath(parseRequestTarget(req).pathAndQuery);
    const { routes } = ctx.config;
    const loginPath = screenHint === 'sign-up' ? routes.signUp : (signInPath ?? routes.login);
    if (loginPath !== false) {
      return { kind: 'redirect', location: returnTo === undefined ? loginPath : `${loginPath}?${new URLSearchParams({ returnTo })}` };
    }
    // No sign-in route mounted: start the hosted sign-in directly.
    const signIn = startSignIn(ctx, { returnTo, screenHint }, requestCookies(req));
    return { kind: 'redirect', location: signIn.location, setCookies: signIn.setCookies };
  }
  return {
    kind: 'json',
    status: 401,
    body: { error: 'unauthorized', message: 'Sign in to access this resource.' },
    headers: { 'WWW-Authenticate': `AuthKit realm="${ctx.config.redirectUri.host}"` },
  };
}

function refuse(ctx: AuthKitContext, req: IncomingMessage, res: ServerResponse, signInPath: string | undefined, screenHint: ScreenHint): void {
  markPrivate(res);
  sendReply(res, refusal(ctx, req, signInPath, screenHint));
}

/** Runs the requirements for a signed-in request: 403 when they fail, `next(err)` when `check` throws. */
function authorize(ctx: AuthKitContext, auth: SignedInAuth, requirements: CompiledRequirements, req: IncomingMessage, res: ServerResponse, next: NextFunction): void {
  if (!hasRequirements(requirements)) {
    markSessionDependent(res);
    return next();
  }
  // `.then(() => …)` also turns a synchronous throw from `check` into a rejection.
  Promise.resolve()
    .then(() => isAuthorized(auth, requirements, req))
    .then(
      (allowed) => {
        if (!allowed) return forbid(req, res, ctx.config.routes.logout);
        markSessionDependent(res);
        next();
      },
      // The app's own error, so it skips our onError hook and goes straight to the app.
      (error: unknown) => next(error),
    );
}

function guardMiddleware(
  ctx: AuthKitContext,
  policy: Policy,
  authenticateOnce: RequestAuthenticator,
  compiled: CompiledGuard,
  screenHint: ScreenHint = 'sign-in',
): Middleware {
  return (req, res, next) => {
    const proceed = (result: Authentication): void => {
      const auth: AuthState = result.status === 'signed-in' ? result.auth : signedOutAuth();
      (req as IncomingMessage & { auth?: AuthState }).auth = auth;
      if (policy === 'optional') {
        markSessionDependent(res);
        return next();
      }
      if (result.status === 'signed-out') return refuse(ctx, req, res, compiled.signInPath, screenHint);
      authorize(ctx, result.auth, compiled.requirements, req, res, next);
    };
    let outcome: Authentication | Promise<Authentication>;
    try {
      outcome = authenticateOnce(req, res);
    } catch (error) {
      return forwardError(ctx, req, res, next)(error);
    }
    // A cached answer continues the request in this same tick.
    if (outcome instanceof Promise) outcome.then(proceed, forwardError(ctx, req, res, next));
    else proceed(outcome);
  };
}

export function createGuard(ctx: AuthKitContext, policy: Policy, authenticateOnce: RequestAuthenticator): Guard {
  const build = (options?: GuardOptions): Middleware => guardMiddleware(ctx, policy, authenticateOnce, compileGuardOptions(policy, options));
  const bare = build();
  function guard(options?: GuardOptions): Middleware;
  function guard(req: IncomingMessage, res: ServerResponse, next: NextFunction): void;
  function guard(first?: GuardOptions | IncomingMessage, res?: ServerResponse, next?: NextFunction): Middleware | void {
    if (isRequest(first) && res) return bare(first, res, next ?? finalHandler(res));
    return build(first as GuardOptions | undefined);
  }
  return guard;
}

export function createGuards(ctx: AuthKitContext, authenticateOnce: RequestAuthenticator): { requireAuth: Guard; optionalAuth: Guard<OptionalGuardOptions>; protect: Protect } {
  const optional = compileGuardOptions('optional', undefined);
  return {
    requireAuth: createGuard(ctx, 'require', authenticateOnce),
    optionalAuth: createGuard(ctx, 'optional', authenticateOnce),
    protect: createProtect(ctx, {
      optional: guardMiddleware(ctx, 'optional', authenticateOnce, optional),
      require: (signInPath, screenHint) =>
        guardMiddleware(ctx, 'require', authenticateOnce, compileGuardOptions('require', { signInPath }), screenHint),
    }),
  };
}
