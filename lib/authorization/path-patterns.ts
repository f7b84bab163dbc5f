/**
 * Path globs for `protect()`: `*` is one path segment (or, inside a segment, any run of its
 * characters), `**` is any number of whole segments (including none), everything else is
 * literal and case-sensitive. A trailing slash is ignored on both patterns and paths. At most
 * one `**` per pattern and one `*` inside a segment keep matching linear (no ReDoS).
 *
 * Invariant: these lists only ever *remove* protection, so any path this module cannot read
 * unambiguously matches nothing and stays protected.
 */

export type PathMatcher = (rawPathname: string) => boolean;

// Control characters: never part of a page anyone links to.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compileSegment(option: string, pattern: string, segment: string): string {
  if (segment === '**') return '(?:/[^/]+)*';
  if (segment === '*') return '/[^/]+';
  if (segment.includes('**')) throw new TypeError(`${option}: "**" must be a whole segment in "${pattern}"`);
  if (segment.split('*').length > 2) throw new TypeError(`${option}: at most one "*" inside a segment in "${pattern}"`);
  if (segment === '.' || segment === '..') throw new TypeError(`${option}: dot segments are not allowed in "${pattern}"`);
  return `/${segment.split('*').map(escapeRegExp).join('[^/]*')}`;
}

function compilePattern(option: string, pattern: unknown): string {
  if (typeof pattern !== 'string' || !pattern.startsWith('/')) {
    throw new TypeError(`${option}: each pattern must be a string starting with "/" (got ${JSON.stringify(pattern) ?? String(pattern)})`);
  }
  if (/[?#%\\]/.test(pattern) || CONTROL.test(pattern)) {
    throw new TypeError(`${option}: write "${pattern}" as a plain decoded path, without "?", "#", "%", "\\" or control characters`);
  }
  const trimmed = pattern.length > 1 && pattern.endsWith('/') ? pattern.slice(0, -1) : pattern;
  if (trimmed === '/') return '';
  const segments = trimmed.slice(1).split('/');
  if (segments.some((segment) => segment === '')) throw new TypeError(`${option}: empty segment ("//") in "${pattern}"`);
  if (segments.filter((segment) => segment === '**').length > 1) throw new TypeError(`${option}: at most one "**" in "${pattern}"`);
  return segments.map((segment) => compileSegment(option, pattern, segment)).join('');
}

/**
 * The decoded path as `/a/b` (`''` for the root), or undefined when it is ambiguous: encoded
 * slashes or backslashes, dot segments (raw or encoded, which `send`/proxies may resolve to
 * another path), empty segments (`//public`), control characters or broken escapes.
 */
export function canonicalPath(rawPathname: string): string | undefined {
  if (!rawPathname.startsWith('/') || rawPathname.includes('\\')) return undefined;
  if (rawPathname === '/') return '';
  // One trailing slash is dropped (`//` keeps an empty segment and is refused below).
  const raw = rawPathname.endsWith('/') ? rawPathname.slice(0, -1) : rawPathname;
  const decoded: string[] = [];
  for (const segment of raw.slice(1).split('/')) {
    let value: string;
    try {
      value = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    if (value === '' || value === '.' || value === '..' || /[/\\]/.test(value) || CONTROL.test(value)) return undefined;
    decoded.push(value);
  }
  return `/${decoded.join('/')}`;
}

/** Compiles the patterns once; throws a TypeError naming `option` for a malformed list or pattern. */
export function compilePathPatterns(option: string, patterns: unknown): PathMatcher {
  if (patterns === undefined) return () => false;
  if (!Array.isArray(patterns)) throw new TypeError(`${option} must be an array of path patterns such as ["/", "/public/**"]`);
  if (patterns.length === 0) return () => false;
  const source = patterns.map((pattern) => compilePattern(option, pattern)).join('|');
  const regex = new RegExp(`^(?:${source})$`);
  return (rawPathname) => {
    const path = canonicalPath(rawPathname);
    return path !== undefined && regex.test(path);
  };
}
