import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SignedInAuth } from '../../authorization/auth-state';
import { OrganizationSwitchError } from '../../errors';
import type { AuthKitContext } from '../../core/context';
import { refreshForHelper } from '../../flow/refresh-now';
import { safeReturnPath } from '../../http/return-to';
import { startSignIn } from '../../flow/sign-in';
import { routeLink, type SignInLinkOptions } from '../../flow/sign-in-query';
import { signOut as signOutFlow } from '../../flow/sign-out';
import { requestCookies } from '../../http/cookies';
import { sessionSetCookies } from '../../session/session-cookie';
import type { AuthenticationResult } from '../../model/session';
import { sessionFromAuthentication } from '../../session/session-data';
import { applyCookies, redirect } from './respond';

export interface SwitchOrganizationOptions {
  /** A path on this site to redirect to once switched. Without it, the response is left to you. */
  returnTo?: string;
}

export interface SignOutOptions {
  /** A path on this site to land on after WorkOS ended the session. */
  returnTo?: string;
}

export interface AuthKitHelpers {
  /** A link to the login route that starts a sign-in with these options (the route sets the flow cookie); all but `returnTo` are sealed into it for an hour, so the link works from any site. */
  getSignInUrl(options?: SignInLinkOptions): string;
  /** The same for the sign-up screen. */
  getSignUpUrl(options?: SignInLinkOptions): string;
  /**
   * Refreshes the session now (optionally into another organization), sets the new cookie on
   * `res` and `req.auth`, and returns the new auth. Throws `not_signed_in` (401),
   * `organization_switch_failed` (403, session kept) or `refresh_unavailable` (503).
   */
  refreshSession(req: IncomingMessage, res: ServerResponse, options?: { organizationId?: string }): Promise<SignedInAuth>;
  /**
   * Moves the session into `organizationId`. When the organization demands its own sign-in
   * (`sso_required`, `mfa_enrollment`) the browser is redirected to sign in with it and
   * `undefined` is returned; with `returnTo` a successful switch redirects there.
   */
  switchToOrganization(req: IncomingMessage, res: ServerResponse, organizationId: string, options?: SwitchOrganizationOptions): Promise<SignedInAuth | undefined>;
  /** Ends the session and redirects to WorkOS's sign-out. Call it from your own POST route (it does no CSRF check). */
  signOut(req: IncomingMessage, res: ServerResponse, options?: SignOutOptions): void;
  /** Seals an authentication response from a custom flow (magic auth, email verification, …) into the session cookie on `res`. */
  saveSession(res: ServerResponse, authentication: AuthenticationResult): void;
}

export function createHelpers(ctx: AuthKitContext): AuthKitHelpers {
  const { config } = ctx;

  async function refreshInto(req: IncomingMessage, res: ServerResponse, organizationId: string | undefined): Promise<SignedInAuth | { stepUp: string }> {
    const result = await refreshForHelper(ctx, requestCookies(req), organizationId);
    if ('stepUp' in result) return result;
    applyCookies(res, result.setCookies);
    if ('error' in result) throw result.error;
    (req as IncomingMessage & { auth?: unknown }).auth = result.auth;
    return result.auth;
  }

  return {
    getSignInUrl: (options = {}) => routeLink(config, 'login', options),
    getSignUpUrl: (options = {}) => routeLink(config, 'signUp', options),

    async refreshSession(req, res, options = {}) {
      const result = await refreshInto(req, res, options.organizationId);
      if ('stepUp' in result) throw new OrganizationSwitchError(options.organizationId ?? '', result.stepUp);
      return result;
    },

    async switchToOrganization(req, res, organizationId, options = {}) {
      const returnTo = safeReturnPath(options.returnTo);
      const result = await refreshInto(req, res, organizationId);
      if ('stepUp' in result) {
        const signIn = startSignIn(ctx, { organizationId, returnTo }, requestCookies(req));
        redirect(res, signIn.location, signIn.setCookies);
        return undefined;
      }
      if (returnTo !== undefined) redirect(res, returnTo);
      return result;
    },

    signOut(req, res, options = {}) {
      const target = signOutFlow(ctx, requestCookies(req), options.returnTo);
      redirect(res, target.location, target.setCookies);
    },

    saveSession(res, authentication) {
      // `res.req` is the request this response answers (Node >= 15.7): its cookies tell which stale chunks to delete.
      const cookies = res.req ? requestCookies(res.req) : new Map<string, string>();
      applyCookies(res, sessionSetCookies(sessionFromAuthentication(authentication), config, cookies));
    },
  };
}
