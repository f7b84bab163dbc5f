import type { SignedInAuth } from '../../authorization/auth-state';
import { createCoreHelpers, type SignOutOptions, type SwitchOrganizationOptions } from '../../core/helpers';
import type { AuthKitContext } from '../../flow/context';
import type { SignInLinkOptions } from '../../flow/sign-in-query';
import type { AuthenticationResult } from '../../model/session';
import { KoaExchange } from './exchange';
import { prepare } from './respond';
import type { KoaContext } from './types';

/** The Express helpers with `ctx` in place of `(req, res)`; errors are thrown for Koa's error handling, with their cookies kept. */
export interface KoaAuthKitHelpers {
  /**
   * A link to the login route that starts a sign-in with these options (the route sets the flow
   * cookie); all but `returnTo` are sealed into it for an hour, so the link works from any site.
   */
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

function exchangeFor(ctx: KoaContext): KoaExchange {
  prepare(ctx);
  return new KoaExchange(ctx);
}

/** The core helpers with Koa's `ctx` in place of an exchange. */
export function createKoaHelpers(core: AuthKitContext): KoaAuthKitHelpers {
  const helpers = createCoreHelpers(core);
  return {
    getSignInUrl: helpers.getSignInUrl,
    getSignUpUrl: helpers.getSignUpUrl,
    refreshSession: (ctx, options) => helpers.refreshSession(exchangeFor(ctx), options),
    switchToOrganization: (ctx, organizationId, options) => helpers.switchToOrganization(exchangeFor(ctx), organizationId, options),
    signOut: (ctx, options) => helpers.signOut(exchangeFor(ctx), options),
    saveSession: (ctx, authentication) => helpers.saveSession(exchangeFor(ctx), authentication),
  };
}
