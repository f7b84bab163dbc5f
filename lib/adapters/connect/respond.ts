import type { ServerResponse } from 'node:http';
import { appendSetCookies } from '../../http/cookies';
import { libraryPageHeaders } from '../../http/page-headers';

/** Responses that set or depend on the session cookie must never be cached or shared. */
export function markPrivate(res: ServerResponse): void {
  res.setHeader('Cache-Control', 'private, no-store');
  const vary = res.getHeader('Vary');
  const current = vary === undefined ? '' : String(vary);
  if (!/(^|,)\s*cookie\s*(,|$)/i.test(current)) res.setHeader('Vary', current ? `${current}, Cookie` : 'Cookie');
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
