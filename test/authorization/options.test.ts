import { createAuthKit, type AuthKit, type GuardOptions, type ProtectOptions } from '../../lib';
import { clearWorkOSEnv, COOKIE_PASSWORD } from '../helpers/env';

// Configuration mistakes fail when the guard is built (at startup), with a TypeError that
// says what is wrong, instead of letting everyone in (or no one) on requests.

let authkit: AuthKit;
beforeAll(() => {
  clearWorkOSEnv();
  authkit = createAuthKit({
    clientId: 'client_test',
    apiKey: 'sk_test',
    cookiePassword: COOKIE_PASSWORD,
    redirectUri: 'http://localhost:3000/callback',
  });
});

const BAD_REQUIRE: [string, unknown, RegExp][] = [
  ['an empty roles list', { roles: [] }, /roles.*at least one/],
  ['an empty permissions list', { permissions: [] }, /permissions.*at least one/],
  ['an empty anyOf', { permissions: { anyOf: [] } }, /permissions`\.anyOf must list at least one/],
  ['an empty allOf', { entitlements: { allOf: [] } }, /entitlements`\.allOf must list at least one/],
  ['both anyOf and allOf', { roles: { anyOf: ['a'], allOf: ['b'] } }, /exactly one of `anyOf` or `allOf`/],
  ['an unknown mode', { roles: { oneOf: ['a'] } }, /exactly one of `anyOf` or `allOf`.*oneOf/],
  ['an empty mode object', { roles: {} }, /got keys: none/],
  ['anyOf that is not a list', { roles: { anyOf: 'admin' } }, /anyOf must be an array/],
  ['a misspelt option', { permission: 'posts:write' }, /unknown option `permission`/],
  ['a misspelt option next to a valid one', { roles: 'admin', role: 'owner' }, /unknown option `role`/],
  ['a number', { roles: 5 }, /roles.*must be a string, an array/],
  ['null', { featureFlags: null }, /featureFlags.*got null/],
  ['an empty string', { entitlements: '' }, /entitlements.*empty string/],
  ['an empty string in a list', { roles: ['admin', ''] }, /roles`\[1\] must be a non-empty string/],
  ['a number in a list', { permissions: ['a', 3] }, /permissions`\[1\] must be a non-empty string/],
  ['an empty organizationId', { organizationId: '' }, /organizationId.*non-empty string/],
  ['a numeric organizationId', { organizationId: 42 }, /organizationId.*number/],
  ['a check that is not a function', { check: true }, /check.*must be a function/],
  ['a string instead of options', 'admin', /options must be an object/],
  ['an array instead of options', ['admin'], /options must be an object/],
  ['a relative signInPath', { signInPath: 'welcome' }, /signInPath/],
  ['a protocol-relative signInPath', { signInPath: '//evil.example' }, /signInPath/],
  ['a backslash signInPath', { signInPath: '/\\evil.example' }, /signInPath/],
  ['an absolute URL signInPath', { signInPath: 'https://evil.example/login' }, /signInPath/],
  ['a signInPath with a query', { signInPath: '/welcome?x=1' }, /signInPath/],
  ['a signInPath with CR/LF', { signInPath: '/welcome\r\nSet-Cookie: x=1' }, /signInPath/],
];

const BAD_PROTECT: [string, unknown, RegExp][] = [
  ['a string instead of a list', { unauthenticatedPaths: '/public' }, /unauthenticatedPaths must be an array/],
  ['a relative pattern', { unauthenticatedPaths: ['public'] }, /starting with "\/"/],
  ['a non-string pattern', { signUpPaths: [42] }, /signUpPaths.*starting with "\/"/],
  ['a dot segment', { unauthenticatedPaths: ['/public/../admin'] }, /dot segments/],
  ['an empty segment', { unauthenticatedPaths: ['/public//x'] }, /empty segment/],
  ['"**" inside a segment', { unauthenticatedPaths: ['/public**'] }, /whole segment/],
  ['two "**"', { unauthenticatedPaths: ['/**/docs/**'] }, /at most one "\*\*"/],
  ['two "*" in a segment', { unauthenticatedPaths: ['/a*b*c'] }, /at most one "\*"/],
  ['a query', { unauthenticatedPaths: ['/search?q=1'] }, /plain decoded path/],
  ['a percent-encoded pattern', { unauthenticatedPaths: ['/caf%C3%A9'] }, /plain decoded path/],
  ['a backslash', { unauthenticatedPaths: ['/a\\b'] }, /plain decoded path/],
  ['a misspelt option', { unauthenticatedPath: ['/'] }, /unknown option `unauthenticatedPath`/],
  ['authorization requirements (requireAuth only)', { roles: 'admin' }, /unknown option `roles`/],
  ['a bad signInPath', { signInPath: '//evil.example' }, /signInPath/],
  ['not an object', '/public', /options must be an object/],
];

describe('requireAuth options are validated when the guard is built', () => {
  it.each(BAD_REQUIRE)('rejects %s', (_name, options, message) => {
    let thrown: unknown;
    try {
      authkit.requireAuth(options as GuardOptions);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).message).toMatch(/^requireAuth: /);
    expect((thrown as Error).message).toMatch(message);
  });

  it.each([
    ['nothing', undefined],
    ['an empty object', {}],
    [
      'every kind at once',
      {
        roles: 'a',
        permissions: ['b'],
        entitlements: { anyOf: ['c'] },
        featureFlags: { allOf: ['d'] },
        organizationId: 'org_1',
        check: () => true,
        signInPath: '/welcome',
      },
    ],
    ['an object without a prototype', Object.assign(Object.create(null) as object, { roles: ['a'] })],
  ])('accepts %s', (_name, options) => {
    expect(typeof authkit.requireAuth(options as GuardOptions)).toBe('function');
  });

  it('refuses authorization requirements on optionalAuth, which never refuses a request', () => {
    // A type error in TypeScript; JavaScript callers get the TypeError.
    expect(() => authkit.optionalAuth({ roles: 'admin' } as never)).toThrow(/optionalAuth never refuses/);
    expect(() => authkit.optionalAuth({ check: () => true } as never)).toThrow(TypeError);
    expect(typeof authkit.optionalAuth({})).toBe('function');
  });
});

describe('protect options are validated when the middleware is built', () => {
  it.each(BAD_PROTECT)('rejects %s', (_name, options, message) => {
    expect(() => authkit.protect(options as ProtectOptions)).toThrow(TypeError);
    expect(() => authkit.protect(options as ProtectOptions)).toThrow(message);
  });

  it('accepts the documented forms', () => {
    expect(typeof authkit.protect()).toBe('function');
    expect(
      typeof authkit.protect({
        unauthenticatedPaths: ['/', '/public/**', '/docs/*', '/assets/*.css', '/about/'],
        signUpPaths: ['/join'],
        signInPath: '/welcome',
      }),
    ).toBe('function');
  });
});
