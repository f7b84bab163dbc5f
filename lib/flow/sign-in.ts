import type { AuthKitContext } from './context';
import { createSignInState, evictOldestVerifierCookies } from './sign-in-state';
import { returnPathOr } from './return-to';

export interface SignInOptions {
  /** Path on this site to land on after signing in; anything else falls back to `defaultReturnTo`. */
  returnTo?: string | undefined;
  screenHint?: 'sign-in' | 'sign-up';
  organizationId?: string | undefined;
  loginHint?: string | undefined;
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
  const { state, codeChallenge, setCookie } = createSignInState(config, returnTo);
  const location = config.workos.userManagement.getAuthorizationUrl({
    provider: 'authkit',
    clientId: config.clientId,
    redirectUri: config.redirectUri.href,
    state,
    codeChallenge,
    codeChallengeMethod: 'S256',
    screenHint: options.screenHint,
    organizationId: options.organizationId || undefined,
    loginHint: options.loginHint || undefined,
  });
  return { location, setCookies: [...evictOldestVerifierCookies(config, cookies), setCookie] };
}
