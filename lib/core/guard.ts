import { signedOutAuth, type AuthState } from '../authorization/auth-state';
import { isAuthorized } from '../authorization/evaluate';
import { hasRequirements } from '../authorization/requirements';
import type { Authentication } from '../flow/authenticate';
import type { AuthKitContext } from '../flow/context';
import { startSignIn } from '../flow/sign-in';
import { isPageNavigation } from '../http/request-info';
import { safeReturnPath } from '../http/return-to';
import type { RequestAuthenticator } from './authenticator';
import type { AuthExchange } from './exchange';
import type { CompiledGuard, ScreenHint } from './guard-options';
import { loopCutShort } from './guard-loop';
import { forbiddenReply } from './pages';
import type { Reply } from './reply';

/**
 * What a guard decided, for the adapter to carry out. The auth always goes on the request first
 * (a refused request can still be logged by the app's error handling).
 * - `continue`: on to the app; the response depends on the session.
 * - `reply`: refused (sign in, 401 or 403), answered with `reply`.
 * - `check_failed`: the app's own `check` threw; its error goes to the app as it is, past `onError`.
 */
export type GuardOutcome =
  | { kind: 'continue'; auth: AuthState }
  | { kind: 'reply'; auth: AuthState; reply: Reply }
  | { kind: 'check_failed'; auth: AuthState; error: unknown };

/** What a signed-out request gets from `requireAuth`: page navigations go to sign in, anything else 401. */
export function refusal(ctx: AuthKitContext, exchange: AuthExchange, signInPath: string | undefined, screenHint: ScreenHint): Reply {
  if (isPageNavigation(exchange)) {
    // The raw request target can be `//evil.example`: only a checked path travels on.
    const returnTo = safeReturnPath(exchange.target);
    const { routes } = ctx.config;
    const loginPath = screenHint === 'sign-up' ? routes.signUp : (signInPath ?? routes.login);
    if (loginPath !== false) {
      return {
        kind: 'redirect',
        location: returnTo === undefined ? loginPath : `${loginPath}?${new URLSearchParams({ returnTo })}`,
        private: true,
      };
    }
    // No sign-in route mounted: start the hosted sign-in directly.
    const signIn = startSignIn(ctx, { returnTo, screenHint }, exchange.cookies);
    return { kind: 'redirect', location: signIn.location, setCookies: signIn.setCookies, private: true };
  }
  return {
    kind: 'json',
    status: 401,
    body: { error: 'unauthorized', message: 'Sign in to access this resource.' },
    headers: { 'WWW-Authenticate': `AuthKit realm="${ctx.config.redirectUri.host}"` },
    private: true,
  };
}

/** A refusal, unless it would send the browser round in circles (a guard mounted before the router). */
function refused(ctx: AuthKitContext, exchange: AuthExchange, auth: AuthState, reply: Reply): GuardOutcome {
  return { kind: 'reply', auth, reply: loopCutShort(ctx, exchange, reply) ?? reply };
}

/** Runs the requirements for a signed-in request: 403 when they fail. */
async function authorize(
  ctx: AuthKitContext,
  exchange: AuthExchange,
  compiled: CompiledGuard,
  auth: Authentication & { status: 'signed-in' },
): Promise<GuardOutcome> {
  let allowed: boolean;
  try {
    allowed = await isAuthorized(auth.auth, compiled.requirements, exchange.req);
  } catch (error) {
    return { kind: 'check_failed', auth: auth.auth, error };
  }
  return allowed
    ? { kind: 'continue', auth: auth.auth }
    : refused(ctx, exchange, auth.auth, forbiddenReply(exchange, ctx.config.routes.logout));
}

function decide(
  ctx: AuthKitContext,
  exchange: AuthExchange,
  compiled: CompiledGuard,
  result: Authentication,
): GuardOutcome | Promise<GuardOutcome> {
  const auth: AuthState = result.status === 'signed-in' ? result.auth : signedOutAuth();
  if (compiled.policy === 'optional') return { kind: 'continue', auth };
  if (result.status === 'signed-out') return refused(ctx, exchange, auth, refusal(ctx, exchange, compiled.signInPath, compiled.screenHint));
  if (!hasRequirements(compiled.requirements)) return { kind: 'continue', auth };
  return authorize(ctx, exchange, compiled, result);
}

/**
 * `requireAuth` / `optionalAuth` for one request, written once for every adapter. A cached
 * session without requirements is decided synchronously (no promise), so adapters can continue
 * the request in the same tick. Throws (or rejects) when authentication itself failed (WorkOS
 * unavailable, …): the adapter hands that to `onError` and the framework.
 */
export function runGuard(
  ctx: AuthKitContext,
  authenticateOnce: RequestAuthenticator,
  compiled: CompiledGuard,
  exchange: AuthExchange,
): GuardOutcome | Promise<GuardOutcome> {
  const outcome = authenticateOnce(exchange);
  if (outcome instanceof Promise) return outcome.then((result) => decide(ctx, exchange, compiled, result));
  return decide(ctx, exchange, compiled, outcome);
}
