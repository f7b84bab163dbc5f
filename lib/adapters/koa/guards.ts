import { signedOutAuth } from '../../authorization/auth-state';
import { isAuthorized } from '../../authorization/evaluate';
import { hasRequirements } from '../../authorization/requirements';
import type { AuthKitContext } from '../../core/context';
import type { Authentication } from '../../flow/authenticate';
import { parseRequestTarget } from '../../http/request-info';
import { forbiddenReply } from '../connect/forbidden-page';
import { compileGuardOptions, refusal, type CompiledGuard, type GuardOptions, type OptionalGuardOptions, type Policy, type ScreenHint } from '../connect/guards';
import { compileProtect, type ProtectOptions } from '../connect/protect';
import type { KoaAuthenticator } from './authenticate';
import { fail } from './errors';
import { markPrivate, markSessionDependent, prepare, sendReply } from './respond';
import { setAuth } from './state';
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

/** The same policy as the Connect guards (refusal, 403, requirements), answered through `ctx`. */
function guardMiddleware(core: AuthKitContext, policy: Policy, authenticate: KoaAuthenticator, compiled: CompiledGuard, screenHint: ScreenHint = 'sign-in'): KoaMiddleware {
  return async (ctx, next) => {
    prepare(ctx);
    let result: Authentication;
    try {
      result = await authenticate(ctx);
    } catch (error) {
      return fail(core, ctx, error);
    }
    // Always ours, so a `ctx.state.auth` set by other middleware is never taken for a session.
    setAuth(ctx, result.status === 'signed-in' ? result.auth : signedOutAuth());
    if (policy === 'require') {
      if (result.status === 'signed-out') {
        markPrivate(ctx);
        return sendReply(ctx, refusal(core, ctx.req, compiled.signInPath, screenHint));
      }
      // A `check` that throws is the app's own error: it goes to Koa as it is, past `onError`.
      if (hasRequirements(compiled.requirements) && !(await isAuthorized(result.auth, compiled.requirements, ctx.req))) {
        markPrivate(ctx);
        return sendReply(ctx, forbiddenReply(ctx.req, core.config.routes.logout));
      }
    }
    markSessionDependent(ctx);
    await next();
  };
}

function createGuard(core: AuthKitContext, policy: Policy, authenticate: KoaAuthenticator): KoaGuard {
  const build = (options?: GuardOptions): KoaMiddleware => guardMiddleware(core, policy, authenticate, compileGuardOptions(policy, options));
  const bare = build();
  function guard(options?: GuardOptions): KoaMiddleware;
  function guard(ctx: KoaContext, next: KoaNext): Promise<void>;
  function guard(first?: GuardOptions | KoaContext, next?: KoaNext): KoaMiddleware | Promise<void> {
    if (isContext(first)) return bare(first, next ?? noNext);
    return build(first);
  }
  return guard;
}

export function createKoaGuards(core: AuthKitContext, authenticate: KoaAuthenticator): { requireAuth: KoaGuard; optionalAuth: KoaGuard<OptionalGuardOptions>; protect: KoaProtect } {
  const optional = guardMiddleware(core, 'optional', authenticate, compileGuardOptions('optional', undefined));
  const protect: KoaProtect = (options) => {
    const { signInPath, decide } = compileProtect(core, options);
    // Building the guards also validates `signInPath` (TypeError now, not on a request).
    const requireSignIn = guardMiddleware(core, 'require', authenticate, compileGuardOptions('require', { signInPath }), 'sign-in');
    const requireSignUp = guardMiddleware(core, 'require', authenticate, compileGuardOptions('require', { signInPath }), 'sign-up');
    return async (ctx, next) => {
      prepare(ctx);
      const decision = decide(ctx.method, parseRequestTarget(ctx.req).pathname);
      if (decision === 'pass') return void (await next());
      if (decision === 'optional') return optional(ctx, next);
      return (decision === 'sign-up' ? requireSignUp : requireSignIn)(ctx, next);
    };
  };
  return { requireAuth: createGuard(core, 'require', authenticate), optionalAuth: createGuard(core, 'optional', authenticate), protect };
}
