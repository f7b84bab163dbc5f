import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SignedInAuth } from '../../authorization/auth-state';
import type { Authentication } from '../../flow/authenticate';
import type { AuthKitContext } from '../../core/context';
import { isSameOriginRequest } from '../../http/cross-site';
import { forwardError } from './errors';
import { markPrivate, sendReply, type Reply } from './respond';
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
/** The 403 for a page on another origin asking for session data (checked before authenticating). */
export const CROSS_ORIGIN_SESSION_REPLY: Reply = { kind: 'json', status: 403, body: { error: 'cross_origin', message: 'Session data is only served to this site.' } };

/** The session routes' JSON for an authenticated request. */
export function sessionReply(result: Authentication, withToken: boolean): Reply {
  if (result.status !== 'signed-in') {
    return withToken
      ? { kind: 'json', status: 401, body: { error: 'unauthorized', message: 'Sign in to get an access token.' } }
      : { kind: 'json', status: 200, body: { signedIn: false } };
  }
  if (withToken) return { kind: 'json', status: 200, body: { accessToken: result.auth.accessToken, expiresAt: result.auth.claims.exp } };
  return { kind: 'json', status: 200, body: publicSession(result.auth) };
}

export function sessionRoute(ctx: AuthKitContext, authenticateRequest: RequestAuthenticator, withToken: boolean) {
  return async (req: IncomingMessage, res: ServerResponse, _query: URLSearchParams, next: NextFunction): Promise<void> => {
    markPrivate(res);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (!isSameOriginRequest(req, ctx.config.redirectUri.origin)) return sendReply(res, CROSS_ORIGIN_SESSION_REPLY);
    let result;
    try {
      // Shared with any guard that already ran on this request: one refresh, one Set-Cookie.
      result = await authenticateRequest(req, res);
    } catch (error) {
      return forwardError(ctx, req, res, next)(error);
    }
    sendReply(res, sessionReply(result, withToken));
  };
}
