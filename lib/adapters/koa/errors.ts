import { AuthKitError } from '../../errors';
import type { AuthKitContext } from '../../core/context';
import { answeredDirectly, markPrivate } from './respond';
import type { KoaContext } from './types';

/**
 * Hands a failure to the app the Koa way: our typed errors go to the `onError` hook first (it
 * may answer through `ctx.res`; then Koa must not respond), then the error itself is thrown, so
 * Koa's error handling and the app's error middleware see its class, `code`, `status`,
 * `expose` and `headers` (`Retry-After`). Anything else is thrown as it is.
 */
export async function fail(core: AuthKitContext, ctx: KoaContext, error: unknown): Promise<void> {
  if (!(error instanceof AuthKitError)) throw error;
  markPrivate(ctx);
  const { onError } = core.config.hooks;
  if (onError) {
    // A hook that throws hands its own error on instead, as `next(hookError)` does for Express.
    await onError(error, ctx.req, ctx.res);
    if (answeredDirectly(ctx)) return;
  }
  throw error;
}
