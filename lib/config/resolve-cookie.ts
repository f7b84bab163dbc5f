import { pick, type Env } from './env';
import type { AuthKitOptions, SameSite } from './options';
import { parseInteger, type Problems } from './problems';

/** The session cookie's name on plain http (local development), and the legacy name read while sessions move to `__Host-`. */
export const DEFAULT_COOKIE_NAME = 'wos-session';
/**
 * The default name on an https site without `cookieDomain`: browsers accept a `__Host-` cookie
 * only from the host itself (Secure, Path=/, no Domain), so a sibling subdomain can neither
 * plant nor shadow it, nor the flow cookies, which take the same prefix.
 */
export const HOST_COOKIE_NAME = `__Host-${DEFAULT_COOKIE_NAME}`;
/** 400 days: the longest lifetime browsers accept for a cookie. */
export const DEFAULT_COOKIE_MAX_AGE = 400 * 24 * 60 * 60;
/** Flow cookies carry the session cookie's `__Host-`/`__Secure-` prefix, so they cannot be planted from a sibling subdomain either. */
const VERIFIER_COOKIE_NAME = 'wos-auth-verifier-';
const COOKIE_NAME_PATTERN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export interface SessionCookieSettings {
  name: string;
  maxAge: number;
  domain: string | undefined;
  sameSite: SameSite;
  secure: boolean;
  path: '/';
  /** Read only when no cookie under `name` came, then moved to `name` on the same response. */
  legacyName: string | undefined;
}

function cookiePrefix(name: string): '__Host-' | '__Secure-' | '' {
  if (name.startsWith('__Host-')) return '__Host-';
  if (name.startsWith('__Secure-')) return '__Secure-';
  return '';
}

/** Browsers also treat http://localhost as a secure context and keep Secure cookies there. */
function isLocalhost(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
}

/**
 * The legacy session cookie name to fall back on: by default `wos-session` when the default
 * `__Host-` name is in use (sessions from before that default keep working), none when the app
 * chose its name; `false` ends the fallback, a name sets one for an app renaming its own cookie.
 */
function resolveLegacyCookieName(problems: Problems, value: unknown, cookieName: string, defaultName: boolean): string | undefined {
  if (value === undefined) return defaultName && cookieName === HOST_COOKIE_NAME ? DEFAULT_COOKIE_NAME : undefined;
  if (value === false) return undefined;
  const chunkOf = (a: string, b: string) => a.startsWith(`${b}.`);
  if (
    typeof value === 'string' &&
    COOKIE_NAME_PATTERN.test(value) &&
    value !== cookieName &&
    !chunkOf(value, cookieName) &&
    !chunkOf(cookieName, value)
  )
    return value;
  return problems.add(
    `option \`legacyCookieName\` must be false or a cookie name other than the session cookie's "${cookieName}" (got ${JSON.stringify(value) ?? String(value)})`,
  );
}

/** The session cookie's settings and the flow cookies' name prefix, from the options, the environment and the redirect URI. */
export function resolveCookie(
  problems: Problems,
  options: AuthKitOptions,
  env: Env,
  redirectUri: URL | undefined,
): { cookie: SessionCookieSettings; verifierCookiePrefix: string } {
  const domainInput = pick(options, env, 'cookieDomain');
  const cookieDomain = typeof domainInput.value === 'string' && domainInput.value !== '' ? domainInput.value : undefined;
  if (cookieDomain !== undefined && !/^\.?[A-Za-z0-9.-]+$/.test(cookieDomain))
    problems.add(`${domainInput.source} must be a domain such as example.com (got "${cookieDomain}")`);
  const nameInput = pick(options, env, 'cookieName');
  const chosenName = typeof nameInput.value === 'string' && nameInput.value !== '' ? nameInput.value : undefined;
  const hostOnlyHttps = redirectUri?.protocol === 'https:' && cookieDomain === undefined;
  const cookieName = chosenName ?? (hostOnlyHttps ? HOST_COOKIE_NAME : DEFAULT_COOKIE_NAME);
  if (!COOKIE_NAME_PATTERN.test(cookieName)) problems.add(`${nameInput.source} is not a valid cookie name (got "${cookieName}")`);
  const legacyName = resolveLegacyCookieName(problems, options.legacyCookieName, cookieName, chosenName === undefined);
  const maxAgeInput = pick(options, env, 'cookieMaxAge');
  const maxAge = parseInteger(problems, maxAgeInput.value, maxAgeInput.source, [0, DEFAULT_COOKIE_MAX_AGE]) ?? DEFAULT_COOKIE_MAX_AGE;
  const sameSiteInput = pick(options, env, 'cookieSameSite');
  const sameSiteRaw = sameSiteInput.value === undefined ? 'lax' : String(sameSiteInput.value).toLowerCase();
  if (sameSiteRaw !== 'lax' && sameSiteRaw !== 'strict' && sameSiteRaw !== 'none')
    problems.add(`${sameSiteInput.source} must be lax, strict or none (got "${sameSiteRaw}")`);
  const sameSite = sameSiteRaw as SameSite;
  const prefix = cookiePrefix(cookieName);
  if (prefix === '__Host-' && cookieDomain !== undefined) {
    problems.add(
      `${domainInput.source} cannot be used with a __Host- cookie name: browsers refuse __Host- cookies that carry a Domain (use __Secure- to share the cookie with subdomains)`,
    );
  }
  if (prefix !== '' && redirectUri !== undefined && redirectUri.protocol !== 'https:' && !isLocalhost(redirectUri)) {
    problems.add(
      `${nameInput.source} starts with ${prefix}, which browsers only accept over https, but the redirect URI is ${redirectUri.origin}`,
    );
  }
  return {
    cookie: {
      name: cookieName,
      maxAge,
      domain: cookieDomain,
      sameSite,
      // SameSite=None and prefixed cookies are refused by browsers unless Secure.
      secure: redirectUri?.protocol === 'https:' || sameSite === 'none' || prefix !== '',
      path: '/',
      legacyName,
    },
    verifierCookiePrefix: `${prefix}${VERIFIER_COOKIE_NAME}`,
  };
}
