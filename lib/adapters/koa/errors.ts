import type { AuthExchange } from '../../core/exchange';
import { offerToErrorHook } from '../../core/on-error';
import { AuthKitError } from '../../errors';
import type { AuthKitContext } from '../../flow/context';

/**
 * Hands a failure to the app the Koa way: our typed errors go to the `onError` hook first (it
 * may answer through `ctx.res`; then Koa must not respond), then the error itself is thrown, so
 * Koa's error handling and the app's error middleware see its class, `code`, `status`,
 * `expose` and `headers` (`Retry-After`). Anything else is thrown as it is.
 */
export async function fail(core: AuthKitContext, exchange: AuthExchange, error: unknown): Promise<void> {
  if (!(error instanceof AuthKitError)) throw error;
  exchange.markPrivate();
  // A hook that throws hands its own error on instead, as `next(hookError)` does for Express.
  const offered = offerToErrorHook(core, exchange, error);
  if (offered !== false && (await offered)) return;
  throw error;
}
