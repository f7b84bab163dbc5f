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
import { fail } from './errors';
import { KoaExchange } from './exchange';
import { markSessionDependent, prepare } from './respond';
import type { KoaContext, KoaMiddleware, KoaNext } from './types';

/** `requireAuth` and `optionalAuth` work bare (`app.use(authkit.requireAuth)`) and called with options. */
export interface KoaGuard<Options = GuardOptions> {
  (options?: Options): KoaMiddleware;
  (ctx: KoaContext, next: KoaNext): Promise<void>;
}

/** Secure by default: `app.use(authkit.protect({ unauthenticatedPaths: ['/'] }))` guards every other path. */
export type KoaProtect = (options?: ProtectOptions) => KoaMiddleware;

function isContext(value: unknown): value is KoaContext {
  return typeof value === 'object' && value !== null && 'req' in value && 'res' in value && 'state' in value;
}

const noNext: KoaNext = () => Promise.resolve();

/** The core's guard, answered through `ctx`. */
function guardMiddleware(core: AuthKitContext, authenticateOnce: RequestAuthenticator, compiled: CompiledGuard): KoaMiddleware {
  return async (ctx, next) => {
    prepare(ctx);
    const exchange = new KoaExchange(ctx);
    let outcome: GuardOutcome;
    try {
      outcome = await runGuard(core, authenticateOnce, compiled, exchange);
    } catch (error) {
      return fail(core, exchange, error);
    }
    // Always ours, so a `ctx.state.auth` set by other middleware is never taken for a session.
    exchange.setAuth(outcome.auth);
    if (outcome.kind === 'reply') return exchange.send(outcome.reply);
    // A `check` that throws is the app's own error: it goes to Koa as it is, past `onError`.
    if (outcome.kind === 'check_failed') throw outcome.error;
    markSessionDependent(ctx);
    await next();
  };
}

function createGuard(core: AuthKitContext, policy: Policy, authenticateOnce: RequestAuthenticator): KoaGuard {
  const build = (options?: GuardOptions): KoaMiddleware => guardMiddleware(core, authenticateOnce, compileGuardOptions(policy, options));
  const bare = build();
  function guard(options?: GuardOptions): KoaMiddleware;
  function guard(ctx: KoaContext, next: KoaNext): Promise<void>;
  function guard(first?: GuardOptions | KoaContext, next?: KoaNext): KoaMiddleware | Promise<void> {
    if (isContext(first)) return bare(first, next ?? noNext);
    return build(first);
  }
  return guard;
}

function createProtect(core: AuthKitContext, authenticateOnce: RequestAuthenticator): KoaProtect {
  const optional = guardMiddleware(core, authenticateOnce, compileGuardOptions('optional', undefined));
  return (options) => {
    const { signInPath, decide } = compileProtect(core, options);
    // Building the guards also validates `signInPath` (TypeError now, not on a request).
    const requireSignIn = guardMiddleware(core, authenticateOnce, compileGuardOptions('require', { signInPath }, 'sign-in'));
    const requireSignUp = guardMiddleware(core, authenticateOnce, compileGuardOptions('require', { signInPath }, 'sign-up'));
    return async (ctx, next) => {
      prepare(ctx);
      const decision = decide(ctx.method, pathOf(ctx.originalUrl));
      if (decision === 'pass') return void (await next());
      if (decision === 'optional') return optional(ctx, next);
      return (decision === 'sign-up' ? requireSignUp : requireSignIn)(ctx, next);
    };
  };
}

export function createKoaGuards(
  core: AuthKitContext,
  authenticateOnce: RequestAuthenticator,
): { requireAuth: KoaGuard; optionalAuth: KoaGuard<OptionalGuardOptions>; protect: KoaProtect } {
  return {
    requireAuth: createGuard(core, 'require', authenticateOnce),
    optionalAuth: createGuard(core, 'optional', authenticateOnce),
    protect: createProtect(core, authenticateOnce),
  };
}
