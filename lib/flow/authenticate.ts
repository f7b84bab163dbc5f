import { signedInAuth, type SignedInAuth } from '../auth';
import { clearSessionSetCookies, readSessionCookie, sessionSetCookies, type SessionRejection } from '../session/session-cookie';
import type { SessionData } from '../session/session-data';
import type { AccessTokenClaims } from '../tokens/claims';
import type { TokenRejection } from '../tokens/verify-access-token';
import type { AuthKitContext } from './context';
import { RefreshRejectedError } from './refresh';
import { isRefreshDue } from './refresh-timing';

export type SignedOutReason = 'no_session' | SessionRejection | TokenRejection | 'refresh_rejected';

export type Authentication =
  | { status: 'signed-in'; auth: SignedInAuth; setCookies: string[] }
  | { status: 'signed-out'; reason: SignedOutReason; setCookies: string[] };

function debug(ctx: AuthKitContext, message: string): void {
  if (ctx.config.debug) ctx.config.logger.debug?.(message);
}

function errorName(error: unknown): string {
  return error instanceof Error ? `${error.name}${'code' in error && typeof error.code === 'string' ? ` ${error.code}` : ''}` : 'error';
}

/**
 * Loads the session from the request's cookies, verifies its access token and refreshes it when
 * it has expired or is within `refreshBufferSeconds` of expiring, handing back the new cookie to
 * set on this same response.
 * - A missing, foreign or tampered cookie is "signed out" and left alone (it may belong to
 *   another deployment or a newer password).
 * - An early refresh that fails in any way serves the request with the current, still valid
 *   token and keeps the cookie. That includes a refusal: another instance may have rotated the
 *   token (strict rotation answers `invalid_grant`) and already sent the browser a new cookie;
 *   a revoked session still ends when the token expires, at most the buffer later.
 * - An expired token whose refresh WorkOS refused for good clears the cookie; every other failure
 *   (outage, rate limit, lost race) keeps it and throws `WorkOSUnavailableError` (503 + Retry-After).
 */
export async function authenticate(ctx: AuthKitContext, cookies: ReadonlyMap<string, string>): Promise<Authentication> {
  const { config } = ctx;
  const read = readSessionCookie(cookies, config);
  if (read.status === 'absent') return { status: 'signed-out', reason: 'no_session', setCookies: [] };
  if (read.status === 'rejected') return { status: 'signed-out', reason: read.reason, setCookies: [] };

  const session = read.session;
  const check = await ctx.verifyAccessToken(session.accessToken, session.user.id);
  if (check.status === 'invalid') return { status: 'signed-out', reason: check.reason, setCookies: [] };
  const current: AccessTokenClaims | undefined = check.status === 'valid' ? check.claims : undefined;
  if (current && !isRefreshDue(current, config.clock.now(), config.refreshBufferSeconds)) {
    return { status: 'signed-in', auth: signedInAuth(session, current), setCookies: [] };
  }

  let refreshed: SessionData;
  try {
    refreshed = await ctx.refresh(session, undefined, { early: current !== undefined });
  } catch (error) {
    if (current) {
      debug(ctx, `early refresh failed (${errorName(error)}); serving the still valid access token`);
      return { status: 'signed-in', auth: signedInAuth(session, current), setCookies: [] };
    }
    if (error instanceof RefreshRejectedError) {
      debug(ctx, `refresh refused (${error.workosCode ?? 'no code'}); clearing the session cookie`);
      return { status: 'signed-out', reason: 'refresh_rejected', setCookies: clearSessionSetCookies(config, cookies) };
    }
    debug(ctx, `refresh failed (${errorName(error)}); session kept`);
    throw error;
  }
  // The old refresh token is spent now: keep what WorkOS returned even if this request is refused.
  // A session too large for the cookie cap throws `session_too_large` here: it goes to next(err)
  // and the old cookie is kept, as nothing is set.
  const setCookies = sessionSetCookies(refreshed, config, cookies);
  const renewed = await ctx.verifyAccessToken(refreshed.accessToken, refreshed.user.id);
  if (renewed.status !== 'valid') {
    return { status: 'signed-out', reason: renewed.status === 'invalid' ? renewed.reason : 'invalid_token', setCookies };
  }
  return { status: 'signed-in', auth: signedInAuth(refreshed, renewed.claims), setCookies };
}
