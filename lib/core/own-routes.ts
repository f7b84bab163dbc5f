import type { ResolvedRoutes } from '../config/resolve';

/**
 * True for the methods and raw paths of the library's own pages (sign-in, sign-up, callback,
 * sign-out), which no guard may answer: sending them to sign in would loop forever. `protect`
 * lets exactly these through, and a guard that meets one anyway says it is mounted too early.
 */
export function isOwnRoute(routes: ResolvedRoutes, method: string | undefined, pathname: string): boolean {
  if (method === 'GET' || method === 'HEAD')
    return pathname === routes.login || pathname === routes.signUp || pathname === routes.callback || pathname === routes.logout;
  return method === 'POST' && pathname === routes.logout;
}
