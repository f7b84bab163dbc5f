import { canonicalPath, compilePathPatterns } from '../authorization/path-patterns';
import type { AuthKitContext } from '../flow/context';
import { isOwnRoute } from './own-routes';

/** Options of `authkit.protect()`; patterns match the full request path, wherever it is mounted. */
export interface ProtectOptions {
  /**
   * Paths anyone may open (they still get `req.auth`, possibly signed out). `*` is one path
   * segment, `**` any number of segments; exact and case-sensitive otherwise. A path that
   * is ambiguous (encoded slash, dot segment, `//`) never matches and stays protected.
   */
  unauthenticatedPaths?: readonly string[];
  /** Protected paths whose signed-out visitors are sent to the sign-up screen instead of sign-in. */
  signUpPaths?: readonly string[];
  /** Where other signed-out page navigations go (a path on this site, let through as public). */
  signInPath?: string;
}

const KNOWN_OPTIONS = new Set(['unauthenticatedPaths', 'signUpPaths', 'signInPath']);

function readOptions(options: unknown): ProtectOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError('protect: options must be an object such as { unauthenticatedPaths: ["/"] }');
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw new TypeError(`protect: unknown option \`${key}\` (known: ${[...KNOWN_OPTIONS].join(', ')})`);
  }
  return options as ProtectOptions;
}

/** What `protect` does with a request: pass (our own routes), `optionalAuth`, or `requireAuth` towards sign-in or sign-up. */
export type ProtectDecision = 'pass' | 'optional' | 'sign-in' | 'sign-up';

/** `protect`'s options, checked once. */
export interface CompiledProtect {
  signInPath: string | undefined;
  decide(method: string | undefined, pathname: string): ProtectDecision;
}

/** `protect`'s options checked once (TypeError now, not on a request), as a decision per method and full path. */
export function compileProtect(ctx: AuthKitContext, rawOptions: unknown): CompiledProtect {
  const options = readOptions(rawOptions);
  const isUnauthenticated = compilePathPatterns('protect: unauthenticatedPaths', options.unauthenticatedPaths);
  const isSignUp = compilePathPatterns('protect: signUpPaths', options.signUpPaths);
  // A `signInPath` that is not a string is refused with a TypeError when the guards are built.
  const signInPage = typeof options.signInPath === 'string' ? canonicalPath(options.signInPath) : undefined;
  return {
    signInPath: options.signInPath,
    decide(method, pathname) {
      // The library's own routes pass untouched: protecting them would send the sign-in back to sign-in forever.
      if (isOwnRoute(ctx.config.routes, method, pathname)) return 'pass';
      if (isUnauthenticated(pathname) || (signInPage !== undefined && canonicalPath(pathname) === signInPage)) return 'optional';
      return isSignUp(pathname) ? 'sign-up' : 'sign-in';
    },
  };
}
