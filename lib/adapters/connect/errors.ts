import type { AuthExchange } from '../../core/exchange';
import { offerToErrorHook } from '../../core/on-error';
import type { AuthKitContext } from '../../flow/context';
import type { NextFunction } from './types';

/**
 * Hands a failure to the app: our typed errors go to the `onError` hook first (which may render
 * its own page), then, unless it answered, to `next(err)` like any other error.
 */
export function forwardError(ctx: AuthKitContext, exchange: AuthExchange, next: NextFunction): (error: unknown) => void {
  return (error) => {
    const offered = offerToErrorHook(ctx, exchange, error);
    if (offered === false) return next(error);
    offered.then(
      (answered) => {
        if (!answered) next(error);
      },
      (hookError: unknown) => next(hookError),
    );
  };
}
