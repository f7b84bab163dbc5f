import type { RequestView } from './request-view';

/** A Host header we can turn into an origin: a name or IP literal and an optional port, nothing else. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/** `scheme://host:port` of a URL (default ports dropped), or undefined when it is not an http(s) URL. */
function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The origin the browser addressed: the scheme it used (the socket's TLS, or a forwarded proto the
 * framework was told to trust) and the Host header. A page on another origin cannot change either.
 */
function requestOrigin(request: RequestView): string | undefined {
  const host = request.header('host');
  if (host === undefined || !HOST.test(host)) return undefined;
  return originOf(`${request.secure ? 'https' : 'http'}://${host}`);
}

/** Exact origin match (scheme, host and port) with the app's origin (a URL's `.origin`) or the one this request was sent to. */
function isOurOrigin(value: string, request: RequestView, appOrigin: string): boolean {
  if (value === 'null') return false;
  const origin = originOf(value);
  return origin !== undefined && (origin === appOrigin || origin === requestOrigin(request));
}

/**
 * True only when the request proves that a page of this very origin sent it: `Sec-Fetch-Site:
 * same-origin`, or, from a browser without Fetch Metadata, an `Origin` (else `Referer`) whose
 * scheme, host and port are ours. Everything else is unproven: no headers (a `rel=noreferrer`
 * link, an old browser's image), `none` (typed URL, bookmark, a link in an email), `same-site`
 * (a sibling subdomain), `cross-site`, `Origin: null`, or another scheme or port.
 * Security invariant: state-changing GETs (sign-out) and attacker-chosen sign-in options are
 * honoured only when this is true.
 */
export function isProvenSameOrigin(request: RequestView, appOrigin: string): boolean {
  const site = request.header('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin';
  const origin = request.header('origin');
  if (origin !== undefined) return isOurOrigin(origin, request, appOrigin);
  const referer = request.header('referer');
  if (referer !== undefined) return isOurOrigin(referer, request, appOrigin);
  return false;
}

/**
 * True for requests that must not start a sign-in: speculative prefetches, and fetch/XHR
 * (Sec-Fetch-Mode other than navigate). Each sign-in sets a flow cookie, and prefetches
 * piling them up have broken sites with 431 errors.
 */
export function isBackgroundRequest(request: RequestView): boolean {
  const purpose = `${request.header('sec-purpose') ?? ''} ${request.header('purpose') ?? ''} ${request.header('x-purpose') ?? ''}`;
  if (/prefetch|preview/i.test(purpose)) return true;
  const mode = request.header('sec-fetch-mode');
  return mode !== undefined && mode !== 'navigate';
}

/**
 * For reading session data (not for changing state): true when the page asking is on this very
 * origin, or nobody is (a typed URL, curl: no page can read the answer). Stricter than "same
 * site": a sibling subdomain must not read session data, even if an over-permissive CORS setup
 * would let it.
 */
export function isSameOriginRequest(request: RequestView, appOrigin: string): boolean {
  const site = request.header('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const origin = request.header('origin');
  if (origin !== undefined) return isOurOrigin(origin, request, appOrigin);
  const referer = request.header('referer');
  if (referer !== undefined) return isOurOrigin(referer, request, appOrigin);
  return true;
}
