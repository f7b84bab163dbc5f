import type { AuthKitContext } from './context';
import { createSignInState, evictOldestVerifierCookies } from './sign-in-state';
import { returnPathOr } from '../http/return-to';

export interface SignInOptions {
  /** Path on this site to land on after signing in; anything else falls back to `defaultReturnTo`. */
  returnTo?: string | undefined;
  screenHint?: 'sign-in' | 'sign-up' | undefined;
  /** Sign in to this organization (its SSO connection when it has one). */
  organizationId?: string | undefined;
  /** Pre-fills the email field. */
  loginHint?: string | undefined;
  /** Sends the user to the SSO connection of this domain. */
  domainHint?: string | undefined;
  /** Sign in through this SSO connection directly, skipping AuthKit's page. */
  connectionId?: string | undefined;
  /** Accepts this invitation while signing up. */
  invitationToken?: string | undefined;
  /** `login` or `consent`, passed to WorkOS as is. */
  prompt?: string | undefined;
  /** Require an active sign-in within this many seconds. */
  maxAge?: number | undefined;
  /**
   * Your own small value (at most 1024 characters) handed back to `onSuccess` as `state`.
   * Sealed, so WorkOS and the browser cannot read or change it in transit; but whoever starts a
   * sign-in picks it, so treat it as untrusted input.
   */
  state?: string | undefined;
}

export interface Redirect {
  location: string;
  setCookies: string[];
}

/**
 * The WorkOS authorize URL for a new sign-in, plus the cookie that binds it to this browser
 * (and deletions of its oldest pending sign-ins beyond the cap).
 */
export function startSignIn(ctx: AuthKitContext, options: SignInOptions, cookies: ReadonlyMap<string, string>): Redirect {
  const { config } = ctx;
  const returnTo = returnPathOr(options.returnTo, config.defaultReturnTo);
  const { state, codeChallenge, setCookie } = createSignInState(config, returnTo, options.state);
  // A connection is its own provider: WorkOS takes one of provider, connection or organization.
  const viaConnection = Boolean(options.connectionId);
  const location = config.workos.userManagement.getAuthorizationUrl({
    ...(viaConnection ? { connectionId: options.connectionId } : { provider: 'authkit', screenHint: options.screenHint }),
    clientId: config.clientId,
    redirectUri: config.redirectUri.href,
    state,
    codeChallenge,
    codeChallengeMethod: 'S256',
    organizationId: options.organizationId || undefined,
    loginHint: options.loginHint || undefined,
    domainHint: options.domainHint || undefined,
    invitationToken: options.invitationToken || undefined,
    prompt: options.prompt || undefined,
    maxAge: options.maxAge,
  });
  return { location, setCookies: [...evictOldestVerifierCookies(config, cookies), setCookie] };
}
