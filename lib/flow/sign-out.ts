import type { AuthKitContext } from './context';
import type { RequestCookies } from '../http/cookies';
import { clearSessionSetCookies, findSessionCookie, readSessionCookie } from '../session/session-cookie';
import { decodeUnverified } from '../tokens/claims';
import { endedSessionTtlMs } from './ended-sessions';
import { safeReturnPath } from '../http/return-to';
import { clearPendingVerifierCookies } from './sign-in-state';
import type { Redirect } from './sign-in';

/**
 * Ends the session here and at WorkOS: clears the session cookie and any pending sign-in
 * cookies, then sends the browser to the WorkOS sign-out URL for the session id. The id is
 * read from the access token without verifying it, so an expired session still signs out
 * (WorkOS checks the id itself). Never throws on a broken or missing session. The cookie's
 * entry in the verified-session cache is dropped first, and the session id is listed as ended in
 * this process, so no older cookie of the session is refreshed or handed a successor again.
 */
export function signOut(ctx: AuthKitContext, cookies: RequestCookies, requestedReturnTo?: unknown): Redirect {
  const { config, sessionCache } = ctx;
  if (sessionCache !== undefined) {
    // However the rest goes, this cookie is no longer served from memory.
    const raw = findSessionCookie(cookies, config);
    if (raw.status === 'present') sessionCache.forget(raw.value);
  }
  const setCookies = clearSessionSetCookies(config, cookies);
  setCookies.push(...clearPendingVerifierCookies(config, cookies));

  const returnPath = safeReturnPath(requestedReturnTo);
  const configured = config.signOutRedirectUri;
  const returnTo =
    returnPath !== undefined
      ? new URL(returnPath, config.redirectUri.origin).href
      : configured !== undefined
        ? new URL(configured, config.redirectUri.origin).href
        : undefined;

  const read = readSessionCookie(cookies, config);
  const claims = read.status === 'present' ? decodeUnverified(read.session.accessToken) : undefined;
  const sessionId = claims?.sid;
  if (typeof sessionId === 'string' && sessionId !== '') {
    // Only a cookie that unsealed names a session here, so nobody ends a session they do not hold.
    ctx.endedSessions.add(sessionId, endedSessionTtlMs(claims));
    // Other instances learn it through the shared store; the redirect does not wait for it (the
    // store bounds and swallows its own failures).
    void ctx.sharedRefresh?.end(sessionId, endedSessionTtlMs(claims));
    return { location: config.workos.userManagement.getLogoutUrl({ sessionId, returnTo }), setCookies };
  }
  return { location: returnTo ?? new URL('/', config.redirectUri.origin).href, setCookies };
}
