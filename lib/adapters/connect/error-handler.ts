import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthKitError } from '../../errors';
import { isPageNavigation } from '../../http/request-info';
import { messagePage } from './message-page';
import { markPrivate, sendHtml, sendJson } from './respond';
import type { NextFunction } from './types';

export type ErrorMiddleware = (error: unknown, req: IncomingMessage, res: ServerResponse, next: NextFunction) => void;

const TITLES: Partial<Record<number, string>> = { 400: 'Sign-in failed', 401: 'Sign in required', 403: 'Not allowed', 503: 'Try again shortly' };

/**
 * Express error middleware for the library's own errors (`app.use(authkit.errorHandler)` after
 * your routes): the error's status and headers (`Retry-After` on 503s), JSON for APIs and a
 * short page for browsers, never cached. The message is shown only when `expose` is true;
 * anything that is not an `AuthKitError` goes on to your next error handler.
 */
export const errorHandler: ErrorMiddleware = (error, req, res, next) => {
  if (!(error instanceof AuthKitError) || res.headersSent) return next(error);
  const message = error.expose ? error.message : 'Authentication is unavailable right now. Try again in a moment.';
  markPrivate(res);
  const headers = (error as AuthKitError & { headers?: Record<string, string> }).headers ?? {};
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (!isPageNavigation(req)) return sendJson(res, error.status, { error: error.code, message });
  sendHtml(res, error.status, messagePage(TITLES[error.status] ?? 'Something went wrong', message));
};
