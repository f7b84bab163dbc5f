/** The request's cookies by name, the first occurrence of each. */
export interface RequestCookies extends ReadonlyMap<string, string> {
  /**
   * Names the header carried more than once. Left out when no name repeats (nearly every
   * request), so the common path allocates nothing for it.
   */
  readonly duplicates?: ReadonlySet<string>;
}

/**
 * Parses the Cookie header itself, so the library works with and without cookie-parser
 * (and with cookie-parser's signed-cookie mode, which would otherwise hide values).
 * The map keeps the first occurrence of a name; repeated names are listed in `duplicates`,
 * because a repeated name can be a cookie planted from a sibling subdomain or another path,
 * and readers of security-relevant cookies must then refuse rather than pick one.
 */
export function parseCookies(header: string | undefined): RequestCookies {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  let duplicates: Set<string> | undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1) continue;
    const name = pair.slice(0, eq).trim();
    if (name === '') continue;
    if (cookies.has(name)) {
      (duplicates ??= new Set()).add(name);
      continue;
    }
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    cookies.set(name, decodeValue(value));
  }
  return duplicates === undefined ? cookies : Object.assign(cookies, { duplicates });
}

/** Whether the request carried `name` more than once. */
export function isDuplicated(cookies: RequestCookies, name: string): boolean {
  return cookies.duplicates?.has(name) === true;
}

function decodeValue(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export interface CookieAttributes {
  maxAge: number;
  path: string;
  domain?: string | undefined;
  httpOnly: boolean;
  secure: boolean;
  sameSite: 'lax' | 'strict' | 'none';
}

const SAME_SITE_LABEL = { lax: 'Lax', strict: 'Strict', none: 'None' } as const;

/** Serializes one Set-Cookie value (iron seals and base64url pass through encodeURIComponent unchanged). */
export function serializeCookie(name: string, value: string, attributes: CookieAttributes): string {
  const parts = [`${name}=${encodeURIComponent(value)}`];
  parts.push(`Path=${attributes.path}`);
  parts.push(`Max-Age=${attributes.maxAge}`);
  if (attributes.maxAge === 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  if (attributes.domain) parts.push(`Domain=${attributes.domain}`);
  if (attributes.httpOnly) parts.push('HttpOnly');
  if (attributes.secure) parts.push('Secure');
  parts.push(`SameSite=${SAME_SITE_LABEL[attributes.sameSite]}`);
  return parts.join('; ');
}
