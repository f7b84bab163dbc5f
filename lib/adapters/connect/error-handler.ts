import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorReply } from '../../core/error-reply';
import { AuthKitError } from '../../errors';
import { ConnectExchange } from './exchange';
import { writeReply } from './respond';
import type { NextFunction } from './types';

/** Connect/Express error middleware (four parameters), the type of `authkit.errorHandler`. */
export type ErrorMiddleware = (error: unknown, req: IncomingMessage, res: ServerResponse, next: NextFunction) => void;

/**
 * Express error middleware for the library's own errors (`app.use(authkit.errorHandler)` after
 * your routes): the error's status and headers (`Retry-After` on 503s), JSON for APIs and a
 * short page for browsers, never cached. The message is shown only when `expose` is true;
 * anything that is not an `AuthKitError` goes on to your next error handler.
 */
export const errorHandler: ErrorMiddleware = (error, req, res, next) => {
  if (!(error instanceof AuthKitError) || res.headersSent) return next(error);
  writeReply(res, errorReply(error, new ConnectExchange(req, res)));
};
