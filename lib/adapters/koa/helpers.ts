import type { SignedInAuth } from '../../authorization/auth-state';
import { OrganizationSwitchError } from '../../errors';
import type { AuthKitContext } from '../../core/context';
import { safeReturnPath } from '../../http/return-to';
import { startSignIn } from '../../flow/sign-in';
import { signOut as signOutFlow } from '../../flow/sign-out';
import { requestCookies } from '../../http/cookies';
import { sessionSetCookies } from '../../session/session-cookie';
import type { AuthenticationResult } from '../../model/session';
import { sessionFromAuthentication } from '../../session/session-data';
import { refreshForHelper } from '../../flow/refresh-now';
import { routeLink, type SignInLinkOptions } from '../../flow/sign-in-query';
import type { SignOutOptions, SwitchOrganizationOptions } from '../connect/helpers';
import { prepare, sendReply, setCookies } from './respond';
import { setAuth } from './state';
import type { KoaContext } from './types';

/** The Express helpers with `ctx` in place of `(req, res)`; errors are thrown for Koa's error handling, with their cookies kept. */
export interface KoaAuthKitHelpers {
  /** A link to the login route that starts a sign-in with these options (the route sets the flow cookie); all but `returnTo` are sealed into it for an hour, so the link works from any site. */
  getSignInUrl(options?: SignInLinkOptions): string;
  /** The same for the sign-up screen. */
  getSignUpUrl(options?: SignInLinkOptions): string;
  /**
   * Refreshes the session now (optionally into another organization), sets the new cookie and
   * `ctx.state.auth`, and returns the new auth. Throws `not_signed_in` (401),
   * `organization_switch_failed` (403, session kept) or `refresh_unavailable` (503).
   */
  refreshSession(ctx: KoaContext, options?: { organizationId?: string }): Promise<SignedInAuth>;
  /**
   * Moves the session into `organizationId`. When the organization demands its own sign-in
   * (`sso_required`, `mfa_enrollment`) the browser is redirected to sign in with it and
   * `undefined` is returned; with `returnTo` a successful switch redirects there.
   */
  switchToOrganization(ctx: KoaContext, organizationId: string, options?: SwitchOrganizationOptions): Promise<SignedInAuth | undefined>;
  /** Ends the session and redirects to WorkOS's sign-out. Call it from your own POST route (it does no CSRF check). */
  signOut(ctx: KoaContext, options?: SignOutOptions): void;
  /** Seals an authentication response from a custom flow (magic auth, email verification, …) into the session cookie. */
  saveSession(ctx: KoaContext, authentication: AuthenticationResult): void;
}

export function createKoaHelpers(core: AuthKitContext): KoaAuthKitHelpers {
  const { config } = core;

  async function refreshInto(ctx: KoaContext, organizationId: string | undefined): Promise<SignedInAuth | { stepUp: string }> {
    prepare(ctx);
    const result = await refreshForHelper(core, requestCookies(ctx.req), organizationId);
    if ('stepUp' in result) return result;
    setCookies(ctx, result.setCookies);
    if ('error' in result) throw result.error;
    setAuth(ctx, result.auth);
    return result.auth;
  }

  return {
    getSignInUrl: (options = {}) => routeLink(config, 'login', options),
    getSignUpUrl: (options = {}) => routeLink(config, 'signUp', options),

    async refreshSession(ctx, options = {}) {
      const result = await refreshInto(ctx, options.organizationId);
      if ('stepUp' in result) throw new OrganizationSwitchError(options.organizationId ?? '', result.stepUp);
      return result;
    },

    async switchToOrganization(ctx, organizationId, options = {}) {
      const returnTo = safeReturnPath(options.returnTo);
      const result = await refreshInto(ctx, organizationId);
      if ('stepUp' in result) {
        const signIn = startSignIn(core, { organizationId, returnTo }, requestCookies(ctx.req));
        sendReply(ctx, { kind: 'redirect', location: signIn.location, setCookies: signIn.setCookies });
        return undefined;
      }
      if (returnTo !== undefined) ctx.redirect(returnTo);
      return result;
    },

    signOut(ctx, options = {}) {
      prepare(ctx);
      const target = signOutFlow(core, requestCookies(ctx.req), options.returnTo);
      sendReply(ctx, { kind: 'redirect', location: target.location, setCookies: target.setCookies });
    },

    saveSession(ctx, authentication) {
      prepare(ctx);
      setCookies(ctx, sessionSetCookies(sessionFromAuthentication(authentication), config, requestCookies(ctx.req)));
    },
  };
}
