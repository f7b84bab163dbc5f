import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthKitError } from '../../errors';
import type { AuthKitContext } from '../../core/context';
import type { NextFunction } from './types';

/**
 * Hands a failure to the app: our typed errors go to the `onError` hook first (which may render
 * its own page), then, unless it answered, to `next(err)` like any other error.
 */
export function forwardError(ctx: AuthKitContext, req: IncomingMessage, res: ServerResponse, next: NextFunction): (error: unknown) => void {
  return (error) => {
    const { onError } = ctx.config.hooks;
    if (!onError || !(error instanceof AuthKitError)) return next(error);
    Promise.resolve()
      .then(() => onError(error, req, res))
      .then(
        () => {
          if (!res.headersSent && !res.writableEnded) next(error);
        },
        (hookError: unknown) => next(hookError),
      );
  };
}
