import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestAuthenticator } from '../../core/authenticator';
import { runGuard, type GuardOutcome } from '../../core/guard';
import {
  compileGuardOptions,
  type CompiledGuard,
  type GuardOptions,
  type OptionalGuardOptions,
  type Policy,
} from '../../core/guard-options';
import { compileProtect, type ProtectOptions } from '../../core/protect';
import type { AuthKitContext } from '../../flow/context';
import { pathOf } from '../../http/request-info';
import { forwardError } from './errors';
import { ConnectExchange, requestTarget } from './exchange';
import { finalHandler, markSessionDependent } from './respond';
import type { Middleware, NextFunction } from './types';

/** `requireAuth` and `optionalAuth` work bare (`app.get('/x', requireAuth, h)`) and called with options. */
export interface Guard<Options = GuardOptions> {
  (options?: Options): Middleware;
  (req: IncomingMessage, res: ServerResponse, next: NextFunction): void;
}

/** Secure by default: `app.use(authkit.protect({ unauthenticatedPaths: ['/', '/pricing'] }))`. */
export type Protect = (options?: ProtectOptions) => Middleware;

function isRequest(value: unknown): value is IncomingMessage {
  return typeof value === 'object' && value !== null && 'headers' in value && 'method' in value;
}

function carryOut(exchange: ConnectExchange, outcome: GuardOutcome, next: NextFunction): void {
  exchange.setAuth(outcome.auth);
  switch (outcome.kind) {
    case 'continue':
      markSessionDependent(exchange.res);
      return next();
    case 'reply':
      return exchange.send(outcome.reply);
    case 'check_failed':
      // The app's own error, so it skips our onError hook and goes straight to the app.
      return next(outcome.error);
  }
}

function guardMiddleware(ctx: AuthKitContext, authenticateOnce: RequestAuthenticator, compiled: CompiledGuard): Middleware {
  return (req, res, next) => {
    const exchange = new ConnectExchange(req, res);
    let outcome: GuardOutcome | Promise<GuardOutcome>;
    try {
      outcome = runGuard(ctx, authenticateOnce, compiled, exchange);
    } catch (error) {
      return forwardError(ctx, exchange, next)(error);
    }
    // A cached answer continues the request in this same tick.
    if (outcome instanceof Promise) outcome.then((decided) => carryOut(exchange, decided, next), forwardError(ctx, exchange, next));
    else carryOut(exchange, outcome, next);
  };
}

function createGuard(ctx: AuthKitContext, policy: Policy, authenticateOnce: RequestAuthenticator): Guard {
  const build = (options?: GuardOptions): Middleware => guardMiddleware(ctx, authenticateOnce, compileGuardOptions(policy, options));
  const bare = build();
  function guard(options?: GuardOptions): Middleware;
  function guard(req: IncomingMessage, res: ServerResponse, next: NextFunction): void;
  function guard(first?: GuardOptions | IncomingMessage, res?: ServerResponse, next?: NextFunction): Middleware | void {
    if (isRequest(first) && res) return bare(first, res, next ?? finalHandler(res));
    return build(first as GuardOptions | undefined);
  }
  return guard;
}

function createProtect(ctx: AuthKitContext, authenticateOnce: RequestAuthenticator): Protect {
  const optional = guardMiddleware(ctx, authenticateOnce, compileGuardOptions('optional', undefined));
  return (rawOptions) => {
    const { signInPath, decide } = compileProtect(ctx, rawOptions);
    // Building the guards also validates `signInPath` (TypeError now, not on a request).
    const requireSignIn = guardMiddleware(ctx, authenticateOnce, compileGuardOptions('require', { signInPath }, 'sign-in'));
    const requireSignUp = guardMiddleware(ctx, authenticateOnce, compileGuardOptions('require', { signInPath }, 'sign-up'));
    return (req, res, next = finalHandler(res)) => {
      const decision = decide(req.method, pathOf(requestTarget(req)));
      if (decision === 'pass') return next();
      if (decision === 'optional') return optional(req, res, next);
      (decision === 'sign-up' ? requireSignUp : requireSignIn)(req, res, next);
    };
  };
}

export function createGuards(
  ctx: AuthKitContext,
  authenticateOnce: RequestAuthenticator,
): { requireAuth: Guard; optionalAuth: Guard<OptionalGuardOptions>; protect: Protect } {
  return {
    requireAuth: createGuard(ctx, 'require', authenticateOnce),
    optionalAuth: createGuard(ctx, 'optional', authenticateOnce),
    protect: createProtect(ctx, authenticateOnce),
  };
}
