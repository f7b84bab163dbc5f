import type { IncomingMessage } from 'node:http';
import { format } from 'node:util';
import { PRIVATE_CACHE_CONTROL } from '../../http/cache-headers';
import { libraryPageHeaders } from '../../http/page-headers';
import type { Reply } from '../../core/reply';
import type { KoaContext } from './types';

/**
 * Koa's default `ctx.onerror` removes every header before it writes an error, which would drop
 * cookies that must reach the browser with it: the flow cookie's deletion after a failed
 * callback, a session cookie refreshed before the app threw (its refresh token is already spent),
 * a cleared session. So each request remembers the headers we set, and its `onerror` puts them
 * back as `err.headers`, which Koa applies. Only for the one synchronous call: refresh failures
 * are shared between concurrent requests, and a cookie left on a shared error would be sent to
 * whoever meets that error next.
 */
interface Kept {
  cookies: string[];
  headers: Map<string, string>;
}

const kept = new WeakMap<KoaContext, Kept>();
const prepared = new WeakSet<KoaContext>();

function keptFor(ctx: KoaContext): Kept {
  let entry = kept.get(ctx);
  if (!entry) kept.set(ctx, (entry = { cookies: [], headers: new Map() }));
  return entry;
}

/** Once per request, before the adapter reads the URL or sets anything. */
export function prepare(ctx: KoaContext): void {
  if (prepared.has(ctx)) return;
  prepared.add(ctx);
  // The core reads what Express calls `req.originalUrl` (the URL as sent, whatever mounting did
  // to `req.url`) and `req.secure` (https, trusting proxies as configured): Koa has both on `ctx`.
  const req = ctx.req as IncomingMessage & { originalUrl?: unknown; secure?: unknown };
  if (typeof req.originalUrl !== 'string') req.originalUrl = ctx.originalUrl;
  if (typeof req.secure !== 'boolean') req.secure = ctx.secure;
  const onerror = ctx.onerror;
  ctx.onerror = (error: unknown) => onerrorKeepingHeaders(ctx, onerror, error);
}

function isError(value: unknown): value is Error & { headers?: unknown } {
  return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
}

function onerrorKeepingHeaders(ctx: KoaContext, onerror: (error: unknown) => void, thrown: unknown): void {
  const entry = kept.get(ctx);
  if (thrown == null || !entry || (entry.cookies.length === 0 && entry.headers.size === 0) || ctx.headerSent || !ctx.writable) {
    return onerror.call(ctx, thrown);
  }
  // Koa turns anything else into this same Error; doing it first lets the headers ride on it.
  const error: Error & { headers?: unknown } = isError(thrown) ? thrown : new Error(format('non-error thrown: %j', thrown));
  const own = Object.getOwnPropertyDescriptor(error, 'headers');
  try {
    // Not enumerable: error loggers that copy an error's own properties must not log cookies.
    Object.defineProperty(error, 'headers', {
      value: mergeHeaders(error.headers, entry),
      configurable: true,
      enumerable: false,
      writable: true,
    });
  } catch {
    return onerror.call(ctx, error); // a frozen error: Koa's answer, without our headers
  }
  try {
    onerror.call(ctx, error);
  } finally {
    if (own) Object.defineProperty(error, 'headers', own);
    else Reflect.deleteProperty(error, 'headers');
  }
}

function mergeHeaders(original: unknown, entry: Kept): Record<string, string | string[]> {
  const merged: Record<string, string | string[]> = {};
  const cookies: string[] = [];
  const ours = new Set([...entry.headers.keys()].map((name) => name.toLowerCase()));
  if (typeof original === 'object' && original !== null) {
    for (const [name, value] of Object.entries(original)) {
      const lower = name.toLowerCase();
      if (lower === 'set-cookie') cookies.push(...(Array.isArray(value) ? value.map(String) : [String(value)]));
      else if (!ours.has(lower) && (typeof value === 'string' || Array.isArray(value))) merged[name] = value as string | string[];
    }
  }
  for (const [name, value] of entry.headers) merged[name] = value;
  if (cookies.length + entry.cookies.length > 0) merged['Set-Cookie'] = [...cookies, ...entry.cookies];
  return merged;
}

/** Sets a header now and keeps it on an error response too. */
export function keepHeader(ctx: KoaContext, name: string, value: string): void {
  ctx.set(name, value);
  keptFor(ctx).headers.set(name, value);
}

/** Responses that set or depend on the session cookie must never be cached or shared. */
export function markPrivate(ctx: KoaContext): void {
  keepHeader(ctx, 'Cache-Control', PRIVATE_CACHE_CONTROL);
  ctx.vary('Cookie');
}

/** A request a guard let through depends on the session: the app's own `Cache-Control` wins, `Vary: Cookie` is always added. */
export function markSessionDependent(ctx: KoaContext): void {
  if (!ctx.res.hasHeader('Cache-Control')) ctx.set('Cache-Control', PRIVATE_CACHE_CONTROL);
  ctx.vary('Cookie');
}

/** Adds Set-Cookie lines through Koa's response, keeping any already set, and keeps them for an error response too. */
export function setCookies(ctx: KoaContext, lines: readonly string[]): void {
  if (lines.length === 0) return;
  ctx.append('Set-Cookie', [...lines]);
  const entry = keptFor(ctx);
  for (const line of lines) if (!entry.cookies.includes(line)) entry.cookies.push(line);
  markPrivate(ctx);
}

/** Takes back cookies set on this response (a sign-in the app refused after all). */
export function forgetCookies(ctx: KoaContext, lines: readonly string[]): void {
  const drop = new Set(lines);
  const entry = keptFor(ctx);
  entry.cookies = entry.cookies.filter((line) => !drop.has(line));
  const current = ctx.res.getHeader('set-cookie');
  const remaining = (current === undefined ? [] : Array.isArray(current) ? current : [String(current)]).filter((line) => !drop.has(line));
  if (remaining.length > 0) ctx.set('Set-Cookie', remaining);
  else ctx.res.removeHeader('set-cookie');
}

/** True when something answered through `ctx.res` directly (an app hook): Koa must not respond again. */
export function answeredDirectly(ctx: KoaContext): boolean {
  if (!ctx.res.headersSent && !ctx.res.writableEnded) return false;
  ctx.respond = false;
  return true;
}

/** Writes a core reply through Koa, so `ctx.respond`, later middleware and Koa's own response handling all see it. */
export function sendReply(ctx: KoaContext, reply: Reply): void {
  setCookies(ctx, reply.setCookies ?? []);
  if (reply.private) markPrivate(ctx);
  for (const [name, value] of Object.entries(reply.headers ?? {})) ctx.set(name, value);
  switch (reply.kind) {
    case 'redirect':
      return ctx.redirect(reply.location);
    case 'json':
      ctx.status = reply.status;
      ctx.body = reply.body;
      return;
    case 'html':
      ctx.status = reply.status;
      // One of the library's own pages: never framed (see `libraryPageHeaders`).
      for (const [name, value] of Object.entries(libraryPageHeaders(ctx.res.getHeader('Content-Security-Policy')))) ctx.set(name, value);
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = reply.body;
      return;
  }
}
