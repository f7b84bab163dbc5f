import type { SignedInAuth } from '../authorization/auth-state';
import { OrganizationSwitchError } from '../errors';
import type { AuthKitContext } from '../flow/context';
import { refreshForHelper } from '../flow/refresh-now';
import { startSignIn } from '../flow/sign-in';
import { routeLink, type SignInLinkOptions } from '../flow/sign-in-query';
import { signOut as signOutFlow } from '../flow/sign-out';
import { safeReturnPath } from '../http/return-to';
import type { AuthenticationResult } from '../model/session';
import { sessionSetCookies } from '../session/session-cookie';
import { sessionFromAuthentication } from '../session/session-data';
import type { AuthExchange } from './exchange';

/** Options of `switchToOrganization`. */
export interface SwitchOrganizationOptions {
  /** A path on this site to redirect to once switched. Without it, the response is left to you. */
  returnTo?: string;
}

/** Options of `signOut`. */
export interface SignOutOptions {
  /** A path on this site to land on after WorkOS ended the session. */
  returnTo?: string;
}

/** The helpers every adapter exposes, on an exchange; the adapters only translate their signatures. */
export interface CoreHelpers {
  getSignInUrl(options?: SignInLinkOptions): string;
  getSignUpUrl(options?: SignInLinkOptions): string;
  refreshSession(exchange: AuthExchange, options?: { organizationId?: string }): Promise<SignedInAuth>;
  switchToOrganization(
    exchange: AuthExchange,
    organizationId: string,
    options?: SwitchOrganizationOptions,
  ): Promise<SignedInAuth | undefined>;
  signOut(exchange: AuthExchange, options?: SignOutOptions): void;
  saveSession(exchange: AuthExchange, authentication: AuthenticationResult): void;
}

export function createCoreHelpers(ctx: AuthKitContext): CoreHelpers {
  const { config } = ctx;

  /** The new auth (also put on the request), or the step-up WorkOS asks for; throws once an ended session's cookies are cleared. */
  async function refreshInto(exchange: AuthExchange, organizationId: string | undefined): Promise<SignedInAuth | { stepUp: string }> {
    const result = await refreshForHelper(ctx, exchange.cookies, organizationId);
    if ('stepUp' in result) return result;
    exchange.setCookies(result.setCookies);
    if ('error' in result) throw result.error;
    exchange.setAuth(result.auth);
    return result.auth;
  }

  return {
    getSignInUrl: (options = {}) => routeLink(config, 'login', options),
    getSignUpUrl: (options = {}) => routeLink(config, 'signUp', options),

    async refreshSession(exchange, options = {}) {
      const result = await refreshInto(exchange, options.organizationId);
      if ('stepUp' in result) throw new OrganizationSwitchError(options.organizationId ?? '', result.stepUp);
      return result;
    },

    async switchToOrganization(exchange, organizationId, options = {}) {
      const returnTo = safeReturnPath(options.returnTo);
      const result = await refreshInto(exchange, organizationId);
      if ('stepUp' in result) {
        const signIn = startSignIn(ctx, { organizationId, returnTo }, exchange.cookies);
        exchange.send({ kind: 'redirect', location: signIn.location, setCookies: signIn.setCookies });
        return undefined;
      }
      if (returnTo !== undefined) exchange.send({ kind: 'redirect', location: returnTo });
      return result;
    },

    signOut(exchange, options = {}) {
      const target = signOutFlow(ctx, exchange.cookies, options.returnTo);
      exchange.send({ kind: 'redirect', location: target.location, setCookies: target.setCookies });
    },

    saveSession(exchange, authentication) {
      exchange.setCookies(sessionSetCookies(sessionFromAuthentication(authentication), config, exchange.cookies));
    },
  };
}
