import type { SignInOptions } from './sign-in';
import { MAX_CUSTOM_STATE_LENGTH } from './sign-in-state';

/** The sign-in options a link to the login route may carry, by query parameter name. */
const TEXT_KEYS = ['returnTo', 'organizationId', 'loginHint', 'domainHint', 'connectionId', 'invitationToken', 'prompt', 'state'] as const;
/** Generous for any real id or hint; keeps a crafted link from bloating the authorize URL. */
const MAX_VALUE_LENGTH = 2048;

export type SignInLinkOptions = Omit<SignInOptions, 'screenHint'>;

/** The query string of a link to the login (or sign-up) route that starts a sign-in with `options`. */
export function signInQuery(options: SignInLinkOptions): URLSearchParams {
  const query = new URLSearchParams();
  for (const key of TEXT_KEYS) {
    const value = options[key];
    if (value !== undefined && value !== '') query.set(key, value);
  }
  if (options.maxAge !== undefined) query.set('maxAge', String(options.maxAge));
  const problem = checkSignInOptions(options);
  if (problem) throw new RangeError(problem);
  return query;
}

/** Reads the options back on the login route; anyone can write such a link, so each value is bounded. */
export function signInOptionsFromQuery(query: URLSearchParams): { ok: true; options: SignInLinkOptions } | { ok: false; problem: string } {
  const options: SignInLinkOptions = {};
  for (const key of TEXT_KEYS) {
    const value = query.get(key);
    if (value !== null && value !== '') options[key] = value;
  }
  const maxAge = query.get('maxAge');
  if (maxAge !== null && maxAge !== '') options.maxAge = /^\d{1,9}$/.test(maxAge) ? Number(maxAge) : NaN;
  const problem = checkSignInOptions(options);
  return problem ? { ok: false, problem } : { ok: true, options };
}

function checkSignInOptions(options: SignInLinkOptions): string | undefined {
  if (options.state !== undefined && options.state.length > MAX_CUSTOM_STATE_LENGTH) {
    return `state must be at most ${MAX_CUSTOM_STATE_LENGTH} characters.`;
  }
  for (const key of TEXT_KEYS) {
    const value = options[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') return `${key} must be text.`;
    // An unusable returnTo falls back to the default path instead (never an error).
    if (key !== 'returnTo' && value.length > MAX_VALUE_LENGTH) return `${key} must be text of at most ${MAX_VALUE_LENGTH} characters.`;
  }
  if (options.maxAge !== undefined && !(Number.isInteger(options.maxAge) && options.maxAge >= 0)) return 'maxAge must be a whole number of seconds.';
  return undefined;
}

/** `getSignInUrl` / `getSignUpUrl` for every adapter: the route's path with the sign-in options as its query. */
export function routeLink(path: string | false, routeName: string, options: SignInLinkOptions): string {
  if (path === false) throw new Error(`This helper links to the ${routeName} route, which is switched off (routes.${routeName}: false).`);
  const query = signInQuery(options).toString();
  return query === '' ? path : `${path}?${query}`;
}
