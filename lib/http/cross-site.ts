import type { IncomingMessage } from 'node:http';
import { header } from './request-info';

function sameOrigin(value: string, req: IncomingMessage, appOrigin: string): boolean {
  try {
    const url = new URL(value);
    return url.origin === appOrigin || url.host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * True when another site made the browser send this request (a link, image or form on
 * evil.example). Browsers say so in Sec-Fetch-Site; older ones are judged by Origin, then
 * Referer. A request with none of them (typed URL, bookmark, curl) is not cross-site.
 */
export function isCrossSite(req: IncomingMessage, appOrigin: string): boolean {
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined) return site === 'cross-site';
  const origin = header(req, 'origin');
  if (origin !== undefined) return origin === 'null' || !sameOrigin(origin, req, appOrigin);
  const referer = header(req, 'referer');
  if (referer !== undefined) return !sameOrigin(referer, req, appOrigin);
  return false;
}

/**
 * True for requests that must not start a sign-in: speculative prefetches, and fetch/XHR
 * (Sec-Fetch-Mode other than navigate). Each sign-in sets a flow cookie, and prefetches
 * piling them up have broken sites with 431 errors.
 */
export function isBackgroundRequest(req: IncomingMessage): boolean {
  const purpose = `${header(req, 'sec-purpose') ?? ''} ${header(req, 'purpose') ?? ''} ${header(req, 'x-purpose') ?? ''}`;
  if (/prefetch|preview/i.test(purpose)) return true;
  const mode = header(req, 'sec-fetch-mode');
  return mode !== undefined && mode !== 'navigate';
}

/**
 * True only when the page asking is on this very origin (or nobody is: a typed URL, curl).
 * Stricter than `!isCrossSite`: a sibling subdomain is same-site but must not read session
 * data, even if an over-permissive CORS setup would let it.
 */
export function isSameOriginRequest(req: IncomingMessage, appOrigin: string): boolean {
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const origin = header(req, 'origin');
  if (origin !== undefined) return origin !== 'null' && sameOrigin(origin, req, appOrigin);
  const referer = header(req, 'referer');
  if (referer !== undefined) return sameOrigin(referer, req, appOrigin);
  return true;
}
