import { AuthKitError } from '../errors';
import { isPageNavigation } from '../http/request-info';
import type { RequestView } from '../http/request-view';
import { messagePage } from './pages';
import type { Reply } from './reply';

const TITLES: Partial<Record<number, string>> = {
  400: 'Sign-in failed',
  401: 'Sign in required',
  403: 'Not allowed',
  503: 'Try again shortly',
};

/**
 * How `errorHandler` answers one of the library's errors: its status and headers (`Retry-After`
 * on 503s), JSON for APIs and a short page for browsers, never cached. The message is shown only
 * when `expose` is true.
 */
export function errorReply(error: AuthKitError, request: RequestView): Reply {
  const message = error.expose ? error.message : 'Authentication is unavailable right now. Try again in a moment.';
  const headers = (error as AuthKitError & { headers?: Record<string, string> }).headers ?? {};
  if (!isPageNavigation(request))
    return { kind: 'json', status: error.status, body: { error: error.code, message }, headers, private: true };
  return {
    kind: 'html',
    status: error.status,
    body: messagePage(TITLES[error.status] ?? 'Something went wrong', message),
    headers,
    private: true,
  };
}
