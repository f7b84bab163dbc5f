import {
  compileRequirements,
  hasRequirements,
  type AuthorizationRequirements,
  type CompiledRequirements,
} from '../authorization/requirements';

/**
 * Options of `requireAuth`. Signed out: page navigations go to sign in, other requests get 401.
 * Signed in without every requirement given: 403 (JSON, or a short page for navigations).
 * `optionalAuth` takes none of the authorization options.
 */
export interface GuardOptions extends AuthorizationRequirements {
  /**
   * Where a refused page navigation is sent (a path on this site). Default: the sign-in route
   * with the current path as `returnTo`. API requests always get 401.
   */
  signInPath?: string;
}

/** `optionalAuth` never refuses, so it takes no requirements (passing some is a type error, and throws). */
export type OptionalGuardOptions = Record<string, never>;

export type Policy = 'require' | 'optional';
export type ScreenHint = 'sign-in' | 'sign-up';

/** Guard options checked once, when the middleware is built. */
export interface CompiledGuard {
  policy: Policy;
  signInPath: string | undefined;
  screenHint: ScreenHint;
  requirements: CompiledRequirements;
}

// Backslashes and `//` can make a redirect target another host; `?`/`#` would break `?returnTo=`.
// eslint-disable-next-line no-control-regex -- rejecting control characters is the point
const UNSAFE_SIGN_IN_PATH = /[\u0000-\u001f\u007f\\?#\s]/;

/** Throws a TypeError for any mistake, so a typo fails at startup instead of on requests. */
export function compileGuardOptions(policy: Policy, options: unknown, screenHint: ScreenHint = 'sign-in'): CompiledGuard {
  const name = policy === 'require' ? 'requireAuth' : 'optionalAuth';
  const requirements = compileRequirements(name, options, ['signInPath']);
  if (policy === 'optional' && hasRequirements(requirements)) {
    throw new TypeError('optionalAuth never refuses a request: pass roles, permissions and other requirements to requireAuth');
  }
  const signInPath = (options as { signInPath?: unknown } | undefined)?.signInPath;
  if (signInPath !== undefined) {
    if (
      typeof signInPath !== 'string' ||
      !signInPath.startsWith('/') ||
      signInPath.startsWith('//') ||
      UNSAFE_SIGN_IN_PATH.test(signInPath)
    ) {
      throw new TypeError(`${name}: option \`signInPath\` must be a path on this site such as "/welcome" (no query, no "//")`);
    }
  }
  return { policy, signInPath: signInPath as string | undefined, screenHint, requirements };
}
