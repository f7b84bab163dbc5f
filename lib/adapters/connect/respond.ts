import type { ServerResponse } from 'node:http';
import type { Reply } from '../../core/reply';
import { PRIVATE_CACHE_CONTROL, varyOnCookie } from '../../http/cache-headers';
import { libraryPageHeaders } from '../../http/page-headers';

function addVaryCookie(res: ServerResponse): void {
  const vary = res.getHeader('Vary');
  const updated = varyOnCookie(vary === undefined ? undefined : String(vary));
  if (updated !== undefined) res.setHeader('Vary', updated);
}

/** Responses that set or clear the session cookie, or refuse a request, must never be cached or shared. */
export function markPrivate(res: ServerResponse): void {
  res.setHeader('Cache-Control', PRIVATE_CACHE_CONTROL);
  addVaryCookie(res);
}

/**
 * A request a guard let through: what the app answers depends on the session (signed in or
 * not), so shared caches must not store it. The app's own `Cache-Control`, set before or after
 * the guard, wins; `Vary: Cookie` is always added.
 */
export function markSessionDependent(res: ServerResponse): void {
  if (!res.hasHeader('Cache-Control')) res.setHeader('Cache-Control', PRIVATE_CACHE_CONTROL);
  addVaryCookie(res);
}

function setCookieLines(res: ServerResponse): string[] {
  const existing = res.getHeader('set-cookie');
  return existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
}

/** Adds Set-Cookie lines without dropping ones already set (each cookie its own line); the response becomes private. */
export function applyCookies(res: ServerResponse, lines: readonly string[]): void {
  if (lines.length === 0) return;
  res.setHeader('set-cookie', [...setCookieLines(res), ...lines]);
  markPrivate(res);
}

/** Takes back Set-Cookie lines added earlier on this response. */
export function removeCookies(res: ServerResponse, lines: readonly string[]): void {
  const drop = new Set(lines);
  const remaining = setCookieLines(res).filter((line) => !drop.has(line));
  if (remaining.length > 0) res.setHeader('set-cookie', remaining);
  else res.removeHeader('set-cookie');
}

/** Writes a core reply to a `ServerResponse` and ends it. */
export function writeReply(res: ServerResponse, reply: Reply): void {
  applyCookies(res, reply.setCookies ?? []);
  if (reply.private) markPrivate(res);
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.kind === 'redirect') {
    res.statusCode = 302;
    res.setHeader('Location', reply.location);
    res.setHeader('Content-Length', '0');
    return void res.end();
  }
  res.statusCode = reply.status;
  if (reply.kind === 'json') {
    const payload = JSON.stringify(reply.body);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(payload));
    return void res.end(payload);
  }
  // One of the library's own pages: never framed (see `libraryPageHeaders`).
  for (const [name, value] of Object.entries(libraryPageHeaders(res.getHeader('Content-Security-Policy')))) res.setHeader(name, value);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(reply.body));
  res.end(reply.body);
}

/** Stands in for `next` when a plain `node:http` server calls the middleware without one. */
export function finalHandler(res: ServerResponse): (error?: unknown) => void {
  return (error) => {
    if (res.headersSent) return void res.end();
    const status =
      typeof (error as { status?: unknown } | undefined)?.status === 'number' ? (error as { status: number }).status : error ? 500 : 404;
    res.statusCode = status;
    // e.g. Retry-After on a 503 (the http-errors convention).
    const headers = (error as { headers?: unknown } | undefined)?.headers;
    if (typeof headers === 'object' && headers !== null) {
      for (const [name, value] of Object.entries(headers)) if (typeof value === 'string') res.setHeader(name, value);
    }
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(error ? 'Authentication could not be completed.' : 'Not found');
  };
}
