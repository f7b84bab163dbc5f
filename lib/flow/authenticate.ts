import { signedInAuth, type SignedInAuth } from '../auth';
import { clearSessionSetCookies, readSessionCookie, sessionSetCookies, type SessionRejection } from '../session/session-cookie';
import type { TokenRejection } from '../tokens/verify-access-token';
import type { AuthKitContext } from './context';
import { RefreshRejectedError } from './refresh';

export type SignedOutReason = 'no_session' | SessionRejection | TokenRejection | 'refresh_rejected';

export type Authentication =
  | { status: 'signed-in'; auth: SignedInAuth; setCookies: string[] }
  | { status: 'signed-out'; reason: SignedOutReason; setCookies: string[] };

/**
 * Loads the session from the request's cookies, verifies its access token and, when the token
 * has expired, refreshes it and hands back the new cookie to set on this same response.
 * A missing, foreign or tampered cookie is "signed out" and is left alone (it may belong to
 * another deployment or a newer password); only a refresh token WorkOS refused clears it.
 * Throws `WorkOSUnavailableError` when WorkOS cannot be reached: that is not "signed out".
 */
export async function authenticate(ctx: AuthKitContext, cookies: ReadonlyMap<string, string>): Promise<Authentication> {
  const { config } = ctx;
  const read = readSessionCookie(cookies, config);
  if (read.status === 'absent') return { status: 'signed-out', reason: 'no_session', setCookies: [] };
  if (read.status === 'rejected') return { status: 'signed-out', reason: read.reason, setCookies: [] };

  const session = read.session;
  const check = await ctx.verifyAccessToken(session.accessToken, session.user.id);
  if (check.status === 'valid') return { status: 'signed-in', auth: signedInAuth(session, check.claims), setCookies: [] };
  if (check.status === 'invalid') return { status: 'signed-out', reason: check.reason, setCookies: [] };

  let refreshed;
  try {
    refreshed = await ctx.refresh(session);
  } catch (error) {
    if (error instanceof RefreshRejectedError) {
      return { status: 'signed-out', reason: 'refresh_rejected', setCookies: clearSessionSetCookies(config, cookies) };
    }
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
