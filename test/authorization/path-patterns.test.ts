import { compilePathPatterns } from '../../lib/authorization/path-patterns';

// The matcher only ever removes protection, so every doubt must answer "no match".

const PATTERNS = ['/', '/about', '/public/**', '/docs/*', '/assets/*.css', '/blog/*/comments', '/café'];
const matches = compilePathPatterns('test', PATTERNS);

const PUBLIC: string[] = [
  '/',
  '/about',
  '/about/', // trailing slash, as Express's non-strict routing treats it
  '/public',
  '/public/',
  '/public/page',
  '/public/a/b/c.txt',
  '/%70ublic/page', // decoded, the same path `serve-static` would read
  '/public/hello%20world.txt',
  '/docs/intro',
  '/assets/site.css',
  '/assets/.css',
  '/blog/42/comments',
  '/caf%C3%A9',
];

const PROTECTED: string[] = [
  '/private',
  '/publicity', // a prefix is not a segment
  '/public-admin',
  '/abouts',
  '/about/team',
  '/docs', // `*` is exactly one non-empty segment
  '/docs/',
  '/docs/a/b',
  '/assets/site.js',
  '/assets/css/site.css',
  '/blog/42/comments/7',
  '/blog/comments',
  '/PUBLIC/page', // case-sensitive: Express's routing may differ, so doubt protects
  '/About',
  // Dot segments, raw and encoded, which path resolution (send, proxies) turns into another path.
  '/public/../private',
  '/public/./page',
  '/public/%2e%2e/private',
  '/public/%2E%2E/private',
  '/public/.%2e/private',
  '/public/..',
  // Encoded slashes and backslashes.
  '/public%2F..%2Fprivate',
  '/public/..%2Fprivate',
  '/public/..%2fprivate',
  '/public/a%2Fb',
  '/public/..%5Cprivate',
  '/public/..\\private',
  '/public\\..\\private',
  // Empty segments.
  '//public/page',
  '/public//page',
  '//',
  // Control characters and broken escapes.
  '/public/%00',
  '/public/a%0d%0aSet-Cookie:x',
  '/public/%E0%A4%A',
  '/public/%',
  // Not origin-form at all (absolute-form targets, `*`).
  'http://localhost/public/page',
  '*',
  '',
];

describe('unauthenticatedPaths matching', () => {
  it.each(PUBLIC)('lets %s through', (path) => expect(matches(path)).toBe(true));
  it.each(PROTECTED)('keeps %s protected', (path) => expect(matches(path)).toBe(false));

  it('matches nothing without patterns', () => {
    expect(compilePathPatterns('test', undefined)('/')).toBe(false);
    expect(compilePathPatterns('test', [])('/')).toBe(false);
  });

  it('answers long hostile paths (the pattern language leaves nothing to backtrack over)', () => {
    // One "**" per pattern, compiled to (?:/[^/]+)* whose repetitions cannot overlap, and at most
    // one "*" per segment (options.test.ts proves the rest is refused): matching stays linear. A regression
    // here would hang this test rather than slow it.
    const matcher = compilePathPatterns('test', ['/**/x', '/a*b']);
    expect(matcher(`/${'a/'.repeat(4000)}y`)).toBe(false);
    expect(matcher(`/${'a/'.repeat(4000)}x`)).toBe(true);
    expect(matcher(`/a${'a'.repeat(8000)}`)).toBe(false);
    expect(matcher(`/a${'a'.repeat(8000)}b`)).toBe(true);
  });
});
