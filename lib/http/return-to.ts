const MAX_RETURN_TO_LENGTH = 2048;
const PROBE_ORIGIN = 'http://return-to.invalid';
// Control characters (CR/LF included), backslashes and their percent-encoded forms, and
// encoded slashes: each has been used to turn a path into another host.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\u0000-\u001f\u007f\\]|%(?:2f|5c|0[0-9a-f]|1[0-9a-f]|7f)/i;

/**
 * Returns `candidate` when it is a path on this site, otherwise undefined. Only same-origin
 * relative paths pass: no scheme, no `//host`, no `/\host`, no userinfo, no control
 * characters, nothing that only becomes another host after URL normalisation.
 */
export function safeReturnPath(candidate: unknown): string | undefined {
  if (typeof candidate !== 'string') return undefined;
  if (candidate.length === 0 || candidate.length > MAX_RETURN_TO_LENGTH) return undefined;
  if (!candidate.startsWith('/') || candidate.startsWith('//')) return undefined;
  if (FORBIDDEN.test(candidate)) return undefined;
  let resolved: URL;
  try {
    resolved = new URL(candidate, PROBE_ORIGIN);
  } catch {
    return undefined;
  }
  if (resolved.origin !== PROBE_ORIGIN) return undefined;
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  // Dot segments can collapse `/..//host` into `//host`: check the normalised form again.
  if (path.startsWith('//') || path.length > MAX_RETURN_TO_LENGTH) return undefined;
  return path;
}

/** The safe path, or the fallback (never an error: a hostile `returnTo` just lands at home). */
export function returnPathOr(candidate: unknown, fallback: string): string {
  return safeReturnPath(candidate) ?? fallback;
}
