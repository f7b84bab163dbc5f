import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SignedInAuth } from '../../auth';
import type { AuthKitContext } from '../../flow/context';
import { isSameOriginRequest } from '../../http/cross-site';
import { forwardError } from './errors';
import { markPrivate, sendJson } from './respond';
import type { RequestAuthenticator } from './request-auth';
import type { NextFunction } from './types';

/** What browser code may know about the session: never a token. */
export function publicSession(auth: SignedInAuth) {
  return {
    signedIn: true as const,
    user: auth.user,
    organizationId: auth.organizationId ?? null,
    role: auth.role ?? null,
    roles: auth.roles,
    permissions: auth.permissions,
    entitlements: auth.entitlements,
    featureFlags: auth.featureFlags,
    impersonator: auth.impersonator ?? null,
    /** When the access token expires (epoch seconds); the session itself lasts longer. */
    expiresAt: auth.claims.exp,
  };
}

/**
 * `GET /auth/session` (token-free) and the opt-in `GET /auth/access-token`: JSON for this
 * origin's scripts only, never cached, refreshed first like any guarded request.
 */
export function sessionRoute(ctx: AuthKitContext, authenticateRequest: RequestAuthenticator, withToken: boolean) {
  return async (req: IncomingMessage, res: ServerResponse, _query: URLSearchParams, next: NextFunction): Promise<void> => {
    markPrivate(res);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (!isSameOriginRequest(req, ctx.config.redirectUri.origin)) {
      return sendJson(res, 403, { error: 'cross_origin', message: 'Session data is only served to this site.' });
    }
    let result;
    try {
      // Shared with any guard that already ran on this request: one refresh, one Set-Cookie.
      result = await authenticateRequest(req, res);
    } catch (error) {
      return forwardError(ctx, req, res, next)(error);
    }
    if (result.status !== 'signed-in') {
      return withToken ? sendJson(res, 401, { error: 'unauthorized', message: 'Sign in to get an access token.' }) : sendJson(res, 200, { signedIn: false });
    }
    if (withToken) return sendJson(res, 200, { accessToken: result.auth.accessToken, expiresAt: result.auth.claims.exp });
    sendJson(res, 200, publicSession(result.auth));
  };
}
