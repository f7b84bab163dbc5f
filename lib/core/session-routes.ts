import type { SignedInAuth } from '../authorization/auth-state';
import type { Authentication } from '../flow/authenticate';
import type { AuthKitContext } from '../flow/context';
import { isSameOriginRequest } from '../http/cross-site';
import type { RequestAuthenticator } from './authenticator';
import type { AuthExchange } from './exchange';
import type { Reply } from './reply';

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

/** The 403 for a page on another origin asking for session data (checked before authenticating). */
const CROSS_ORIGIN_SESSION_REPLY: Reply = {
  kind: 'json',
  status: 403,
  body: { error: 'cross_origin', message: 'Session data is only served to this site.' },
};

/** The session routes' JSON for an authenticated request. */
function sessionReply(result: Authentication, withToken: boolean): Reply {
  if (result.status !== 'signed-in') {
    return withToken
      ? { kind: 'json', status: 401, body: { error: 'unauthorized', message: 'Sign in to get an access token.' } }
      : { kind: 'json', status: 200, body: { signedIn: false } };
  }
  if (withToken) return { kind: 'json', status: 200, body: { accessToken: result.auth.accessToken, expiresAt: result.auth.claims.exp } };
  return { kind: 'json', status: 200, body: publicSession(result.auth) };
}

/**
 * `GET /auth/session` (token-free) and the opt-in `GET /auth/access-token`: JSON for this
 * origin's scripts only, never cached, refreshed first like any guarded request (and sharing
 * its answer with any guard that already ran on it: one refresh, one Set-Cookie).
 */
export async function handleSessionRoute(
  ctx: AuthKitContext,
  authenticateOnce: RequestAuthenticator,
  exchange: AuthExchange,
  withToken: boolean,
): Promise<void> {
  exchange.markPrivate();
  exchange.setHeader('X-Content-Type-Options', 'nosniff');
  if (!isSameOriginRequest(exchange, ctx.config.redirectUri.origin)) return exchange.send(CROSS_ORIGIN_SESSION_REPLY);
  exchange.send(sessionReply(await authenticateOnce(exchange), withToken));
}
