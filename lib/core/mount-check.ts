import type { AuthKitContext } from '../flow/context';
import type { AuthExchange } from './exchange';

const warned = new WeakSet<object>();

/**
 * The router matches full request paths, so mounted under a prefix (`app.use('/auth',
 * authkit.router)`) it serves nothing it was meant to: `/auth/login` is not its `/login`, and
 * `/login` never reaches it (Express answers "Cannot GET" to both). When a request the router did
 * not match (`path`) would have matched without the prefix, this says so once per instance, with
 * the fix. `routePaths` and `match` are the router's own paths and matcher.
 */
export function warnIfMountedUnderPrefix<Route extends string>(
  ctx: AuthKitContext,
  exchange: AuthExchange,
  path: string,
  routePaths: readonly string[],
  match: (method: string, pathname: string) => Route | undefined,
): void {
  if (warned.has(ctx.config)) return;
  // Cheap first: only a path ending in one of ours can be one of ours under a prefix.
  const routePath = routePaths.find((candidate) => path.length > candidate.length && path.endsWith(candidate));
  if (routePath === undefined) return;
  const prefix = exchange.mountPrefix;
  const meant = match(exchange.method, routePath);
  if (prefix === '' || `${prefix}${routePath}` !== path || meant === undefined) return;
  warned.add(ctx.config);
  ctx.config.logger.warn(
    `authkit.router is mounted under "${prefix}" (as by app.use('${prefix}', authkit.router)), but it matches full request paths: ` +
      `${exchange.method} ${path} is not its ${meant} route ${routePath}, and requests for ${routePath} never reach it. ` +
      `Mount it at the root, app.use(authkit.router); to serve a route under "${prefix}", set its path instead, ` +
      `e.g. routes: { ${meant}: '${prefix}${routePath}' } (the callback's path is the path of redirectUri).`,
  );
}
