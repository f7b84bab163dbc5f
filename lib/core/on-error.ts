import { AuthKitError } from '../errors';
import type { AuthKitContext } from '../flow/context';
import type { AuthExchange } from './exchange';

/**
 * Offers one of our own errors to the app's `onError` hook, which may render its own page.
 * `false` at once when there is nothing to offer (no hook, or not an `AuthKitError`: the app's
 * own error, or a bug): the error goes on to the framework. Otherwise a promise of whether the
 * hook answered the request itself (then nothing more may be sent); it rejects with the hook's
 * own error if the hook threw.
 */
export function offerToErrorHook(ctx: AuthKitContext, exchange: AuthExchange, error: unknown): false | Promise<boolean> {
  const { onError } = ctx.config.hooks;
  if (!onError || !(error instanceof AuthKitError)) return false;
  return Promise.resolve()
    .then(() => onError(error, exchange.req, exchange.res))
    .then(() => exchange.answered());
}
