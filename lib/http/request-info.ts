import type { IncomingMessage } from 'node:http';

/** Express rewrites `req.url` under a mount point; `originalUrl` keeps what the browser asked for. */
export function fullUrl(req: IncomingMessage): string {
  const original = (req as IncomingMessage & { originalUrl?: unknown }).originalUrl;
  return typeof original === 'string' ? original : (req.url ?? '/');
}

/** Path and query of the request as the browser sent them. */
export function parseRequestTarget(req: IncomingMessage): { pathname: string; query: URLSearchParams; pathAndQuery: string } {
  const target = fullUrl(req);
  const queryStart = target.indexOf('?');
  const pathname = queryStart === -1 ? target : target.slice(0, queryStart);
  const query = new URLSearchParams(queryStart === -1 ? '' : target.slice(queryStart + 1));
  return { pathname, query, pathAndQuery: target };
}

/** One request header as a string (the first, when a client repeated it). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * True when a person's browser is loading a page (redirecting it to sign in is right);
 * false for fetch/XHR and API clients, which need a 401 they can act on, not an HTML redirect.
 */
export function isPageNavigation(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const mode = header(req, 'sec-fetch-mode');
  if (mode !== undefined) return mode === 'navigate';
  if (header(req, 'x-requested-with') !== undefined) return false;
  return (header(req, 'accept') ?? '').includes('text/html');
}

export function userAgent(req: IncomingMessage): string | undefined {
  return header(req, 'user-agent');
}
