import type { RequestView } from './request-view';

/** The path of a request target (`/a/b?x=1` → `/a/b`). */
export function pathOf(target: string): string {
  const queryStart = target.indexOf('?');
  return queryStart === -1 ? target : target.slice(0, queryStart);
}

/** The query of a request target, parsed. */
export function queryOf(target: string): URLSearchParams {
  const queryStart = target.indexOf('?');
  return new URLSearchParams(queryStart === -1 ? '' : target.slice(queryStart + 1));
}

/**
 * True when a person's browser is loading a page (redirecting it to sign in is right);
 * false for fetch/XHR and API clients, which need a 401 they can act on, not an HTML redirect.
 */
export function isPageNavigation(request: RequestView): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const mode = request.header('sec-fetch-mode');
  if (mode !== undefined) return mode === 'navigate';
  if (request.header('x-requested-with') !== undefined) return false;
  return (request.header('accept') ?? '').includes('text/html');
}

/**
 * The path prefix a framework stripped before handing the request on (`/auth` when `/auth/login`
 * arrives as `/login`), from the full path and the one the middleware was given; `''` at the root
 * or when the two are not a prefix and its rest (another middleware rewrote the URL).
 */
export function mountPrefixOf(fullPath: string, relativePath: string): string {
  if (fullPath === relativePath) return '';
  let prefix: string | undefined;
  if (fullPath.endsWith(relativePath)) prefix = fullPath.slice(0, fullPath.length - relativePath.length);
  // The mount point itself (`/auth`) arrives as `/`.
  else if (relativePath === '/') prefix = fullPath;
  return prefix !== undefined && prefix.length > 1 && prefix.startsWith('/') ? prefix : '';
}
