import { signedInAuth, type SignedInAuth } from '../authorization/auth-state';
import { AuthKitError, OrganizationSwitchError } from '../errors';
import type { RequestCookies } from '../http/cookies';
import { clearSessionSetCookies, readSessionCookie, sessionSetCookies } from '../session/session-cookie';
import type { SessionData } from '../model/session';
import type { AuthKitContext } from './context';
import { RefreshRejectedError, SessionEndedError } from './refresh-errors';

/** WorkOS answers these when an organization needs its own sign-in before the session may enter it. */
const STEP_UP_CODES = new Set(['sso_required', 'mfa_enrollment']);

export type RefreshNowOutcome =
  | { status: 'refreshed'; session: SessionData; auth: SignedInAuth; setCookies: string[] }
  | { status: 'no_session' }
  /** The organization wants the user to sign in again through it. */
  | { status: 'step_up'; workosCode: string }
  /** WorkOS refused the switch (not a member, …); the session is unchanged. */
  | { status: 'switch_refused'; workosCode: string | undefined; cause: unknown }
  /** The refresh token is dead: the session is over and its cookies are cleared. */
  | { status: 'ended'; setCookies: string[] };

/**
 * Refreshes the request's session right away, optionally into another organization, for
 * `refreshSession` and `switchToOrganization`. Throws `WorkOSUnavailableError` when WorkOS
 * cannot answer, or not within `workosTimeoutMs` (the session is kept).
 */
export async function refreshNow(ctx: AuthKitContext, cookies: RequestCookies, organizationId?: string): Promise<RefreshNowOutcome> {
  const { config } = ctx;
  const read = readSessionCookie(cookies, config);
  if (read.status !== 'present') return { status: 'no_session' };
  const switching = organizationId !== undefined && organizationId !== read.session.organizationId;

  let session: SessionData;
  try {
    session = await ctx.refresh(read.session, organizationId);
  } catch (error) {
    if (!(error instanceof RefreshRejectedError)) throw error;
    if (error instanceof SessionEndedError) return { status: 'ended', setCookies: clearSessionSetCookies(config, cookies) };
    const code = error.workosCode;
    if (switching && code !== undefined && STEP_UP_CODES.has(code)) return { status: 'step_up', workosCode: code };
    // Refusing the organization says nothing about the session itself: keep it.
    if (switching && code !== 'invalid_grant') return { status: 'switch_refused', workosCode: code, cause: error };
    return { status: 'ended', setCookies: clearSessionSetCookies(config, cookies) };
  }

  const setCookies = sessionSetCookies(session, config, cookies);
  const check = await ctx.verifyAccessToken(session.accessToken, session.user.id);
  // A token WorkOS just issued that does not verify: keep what WorkOS returned, but nobody is signed in.
  if (check.status === 'invalid') return { status: 'ended', setCookies };
  return { status: 'refreshed', session, auth: signedInAuth(session, check.claims), setCookies };
}

/**
 * `refreshSession` / `switchToOrganization` without a framework: the new auth, a step-up sign-in,
 * or the error to throw once `setCookies` (clearing an ended session) are on the response.
 */
export async function refreshForHelper(
  ctx: AuthKitContext,
  cookies: RequestCookies,
  organizationId: string | undefined,
): Promise<{ auth: SignedInAuth; setCookies: string[] } | { stepUp: string } | { error: AuthKitError; setCookies: string[] }> {
  const outcome = await refreshNow(ctx, cookies, organizationId);
  switch (outcome.status) {
    case 'refreshed':
      return { auth: outcome.auth, setCookies: outcome.setCookies };
    case 'step_up':
      return { stepUp: outcome.workosCode };
    case 'switch_refused':
      return { error: new OrganizationSwitchError(organizationId ?? '', outcome.workosCode, { cause: outcome.cause }), setCookies: [] };
    case 'ended':
      return { error: new AuthKitError('not_signed_in', 'The session has ended. Sign in again.', 401), setCookies: outcome.setCookies };
    case 'no_session':
      return { error: new AuthKitError('not_signed_in', 'There is no session to refresh. Sign in first.', 401), setCookies: [] };
  }
}
