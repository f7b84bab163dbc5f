import type { RouteOptions } from './options';
import type { Problems } from './problems';

export interface ResolvedRoutes {
  login: string | false;
  signUp: string | false;
  callback: string | false;
  logout: string | false;
  session: string | false;
  accessToken: string | false;
}

function routePath(problems: Problems, value: string | false | undefined, fallback: string | false, name: string): string | false {
  const path = value === undefined ? fallback : value;
  if (path === false) return false;
  if (!path.startsWith('/') || path.startsWith('//') || /[\s?#\\]/.test(path)) {
    problems.add(`option \`routes.${name}\` must be a plain path starting with "/" (got "${path}")`);
  }
  return path;
}

/** The route paths (defaults filled in, `false` for switched-off routes), each checked, no two the same. */
export function resolveRoutes(problems: Problems, routes: RouteOptions | undefined, redirectUri: URL | undefined): ResolvedRoutes {
  const resolved: ResolvedRoutes = {
    login: routePath(problems, routes?.login, '/login', 'login'),
    signUp: routePath(problems, routes?.signUp, '/sign-up', 'signUp'),
    callback: routePath(problems, routes?.callback, redirectUri?.pathname ?? '/callback', 'callback'),
    logout: routePath(problems, routes?.logout, '/logout', 'logout'),
    session: routePath(problems, routes?.session, '/auth/session', 'session'),
    // Opt-in: `true` picks the default path.
    accessToken: routePath(
      problems,
      routes?.accessToken === true ? '/auth/access-token' : (routes?.accessToken ?? false),
      false,
      'accessToken',
    ),
  };
  const mounted = Object.entries(resolved).filter((entry): entry is [string, string] => entry[1] !== false);
  for (const [name, path] of mounted) {
    const clash = mounted.find(([other, otherPath]) => other < name && otherPath === path);
    if (clash) problems.add(`option \`routes.${name}\` and \`routes.${clash[0]}\` are both "${path}": give each route its own path`);
  }
  return resolved;
}
