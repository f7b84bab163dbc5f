/** What a response that sets, clears or reveals the session must say to every cache. */
export const PRIVATE_CACHE_CONTROL = 'private, no-store';

const VARIES_ON_COOKIE = /(^|,)\s*(cookie|\*)\s*(,|$)/i;

/**
 * The `Vary` value that adds `Cookie` to `current`, or `undefined` when it already varies on it
 * (or on everything): a shared cache must never hand one visitor's page to another.
 */
export function varyOnCookie(current: string | undefined): string | undefined {
  if (current === undefined || current === '') return 'Cookie';
  return VARIES_ON_COOKIE.test(current) ? undefined : `${current}, Cookie`;
}
