import type { ServerResponse } from 'node:http';
import { PRIVATE_CACHE_CONTROL, varyOnCookie } from '../../http/cache-headers';
import { appendSetCookies } from '../../http/cookies';
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

export function applyCookies(res: ServerResponse, setCookies: readonly string[]): void {
  if (setCookies.length === 0) return;
  appendSetCookies(res, setCookies);
  markPrivate(res);
}

export function redirect(res: ServerResponse, location: string, setCookies: readonly string[] = []): void {
  applyCookies(res, setCookies);
  res.statusCode = 302;
  res.setHeader('Location', location);
  res.setHeader('Content-Length', '0');
  res.end();
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const payload = JSON.stringify(body);
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.end(payload);
}

/**
 * An answer described without a framework, so the Connect and Koa adapters give the same one:
 * `sendReply` writes it to a `ServerResponse`, the Koa adapter through `ctx`.
 */
export type Reply =
  | { kind: 'redirect'; location: string; setCookies?: readonly string[] }
  | { kind: 'json'; status: number; body: unknown; headers?: Readonly<Record<string, string>> }
  | { kind: 'html'; status: number; body: string };

export function sendReply(res: ServerResponse, reply: Reply): void {
  if (reply.kind === 'redirect') return redirect(res, reply.location, reply.setCookies);
  if (reply.kind === 'json') return sendJson(res, reply.status, reply.body, reply.headers);
  sendHtml(res, reply.status, reply.body);
}

/** One of the library's own HTML pages: never framed (see `libraryPageHeaders`). */
export function sendHtml(res: ServerResponse, status: number, body: string): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(libraryPageHeaders(res.getHeader('Content-Security-Policy')))) res.setHeader(name, value);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** Stands in for `next` when a plain `node:http` server calls the middleware without one. */
export function finalHandler(res: ServerResponse): (error?: unknown) => void {
  return (error) => {
    if (res.headersSent) return void res.end();
    const status = typeof (error as { status?: unknown } | undefined)?.status === 'number' ? (error as { status: number }).status : error ? 500 : 404;
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
