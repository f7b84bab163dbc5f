import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SignedInAuth } from '../../authorization/auth-state';
import { createCoreHelpers, type SignOutOptions, type SwitchOrganizationOptions } from '../../core/helpers';
import type { AuthKitContext } from '../../flow/context';
import type { SignInLinkOptions } from '../../flow/sign-in-query';
import type { AuthenticationResult } from '../../model/session';
import { ConnectExchange } from './exchange';

/** The helpers for the less common paths, on the `createAuthKit` result; they take Express's (or Node's) `req` and `res`. */
export interface AuthKitHelpers {
  /**
   * A link to the login route that starts a sign-in with these options (the route sets the flow
   * cookie); all but `returnTo` are sealed into it for an hour, so the link works from any site.
   */
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
  switchToOrganization(
    req: IncomingMessage,
    res: ServerResponse,
    organizationId: string,
    options?: SwitchOrganizationOptions,
  ): Promise<SignedInAuth | undefined>;
  /** Ends the session and redirects to WorkOS's sign-out. Call it from your own POST route (it does no CSRF check). */
  signOut(req: IncomingMessage, res: ServerResponse, options?: SignOutOptions): void;
  /** Seals an authentication response from a custom flow (magic auth, email verification, …) into the session cookie on `res`. */
  saveSession(res: ServerResponse, authentication: AuthenticationResult): void;
}

/** The core helpers with Express's `(req, res)` in place of an exchange. */
export function createHelpers(ctx: AuthKitContext): AuthKitHelpers {
  const core = createCoreHelpers(ctx);
  return {
    getSignInUrl: core.getSignInUrl,
    getSignUpUrl: core.getSignUpUrl,
    refreshSession: (req, res, options) => core.refreshSession(new ConnectExchange(req, res), options),
    switchToOrganization: (req, res, organizationId, options) =>
      core.switchToOrganization(new ConnectExchange(req, res), organizationId, options),
    signOut: (req, res, options) => core.signOut(new ConnectExchange(req, res), options),
    // `res.req` is the request this response answers: its cookies tell which stale chunks to delete.
    saveSession: (res, authentication) => core.saveSession(new ConnectExchange(res.req, res), authentication),
  };
}
