/**
 * Issue 12, finding 7: a sealed value of the wrong type gave a 500 (`organizationId:
 * { toString: 'x' }` threw in the debug log line, and in the refresh path with an expired token).
 * With the real cookie password and real emulator tokens, every field of the seal gets values of
 * the wrong type; each must read as "not a session": signed out (401 from requireAuth), the
 * cookie left alone, no WorkOS call, never a 500, on Express and Koa, with debug on and off,
 * with a valid and with an expired access token (the refresh path).
 */
import fc from 'fast-check';
import type { AuthenticationResult } from '../../lib/testing';
import { parseSessionData } from '../../lib/session/parse-session';
import type { SessionData } from '../../lib/model/session';
import { ADAPTERS, startSealedApp, type SealedApp } from './sealed-apps';
import { sessionCookieFor, touchesSessionCookie } from '../helpers/session-cookie';

type Kind = 'token' | 'record' | 'string' | 'nullableString' | 'boolean' | 'userTag' | 'metadata' | 'impersonator';

/** Every field of the sealed session, with the type `@workos-inc/node` seals it with. */
const FIELDS: ReadonlyArray<[path: string, kind: Kind]> = [
  ['accessToken', 'token'],
  ['refreshToken', 'token'],
  ['user', 'record'],
  ['user.id', 'token'],
  ['user.object', 'userTag'],
  ['user.email', 'string'],
  ['user.emailVerified', 'boolean'],
  ['user.firstName', 'nullableString'],
  ['user.lastName', 'nullableString'],
  ['user.name', 'nullableString'],
  ['user.profilePictureUrl', 'nullableString'],
  ['user.lastSignInAt', 'nullableString'],
  ['user.locale', 'nullableString'],
  ['user.externalId', 'nullableString'],
  ['user.createdAt', 'string'],
  ['user.updatedAt', 'string'],
  ['user.metadata', 'metadata'],
  ['impersonator', 'impersonator'],
  ['impersonator.email', 'string'],
  ['impersonator.reason', 'nullableString'],
  ['organizationId', 'string'],
  ['authenticationMethod', 'string'],
];

/** Wrong-typed values; JSON is all a seal can hold, so "throwing" toString/valueOf are non-callable ones. */
const HOSTILE: ReadonlyArray<[label: string, value: unknown]> = [
  ['{ toString: "x" }', { toString: 'x' }],
  ['{ toString: 1, valueOf: 1 }', { toString: 1, valueOf: 1 }],
  ['an object with a __proto__ key', JSON.parse('{"__proto__":{"toString":"x","polluted":"yes"}}')],
  ['an array of strings', ['org_a', 'org_b']],
  ['an empty array', []],
  ['a number', 42],
  ['zero', 0],
  ['true', true],
  ['null', null],
  ['an empty object', {}],
  ['an empty string', ''],
  ['the string "true"', 'true'],
  ['a nested object of non-strings', { plan: { tier: 'pro', seats: [1, 2] } }],
];

/** Which of the hostile values a kind accepts (they are right for it, so not part of its table). */
const VALID_FOR: Record<Kind, readonly string[]> = {
  token: ['the string "true"'], // a string: it reaches the token check and fails there (invalid_token / user_mismatch)
  record: [],
  string: ['an empty string', 'the string "true"'],
  nullableString: ['an empty string', 'the string "true"', 'null'],
  boolean: ['true'],
  userTag: [],
  metadata: ['{ toString: "x" }', 'an empty object'],
  impersonator: ['null'],
};

interface Case {
  label: string;
  build(base: SessionData): unknown;
}

/** A JSON copy of `base` with `value` at `path` (what the seal will hold). */
function withValue(base: SessionData, path: string, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  const keys = path.split('.');
  let target = copy;
  for (const key of keys.slice(0, -1)) {
    if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
    target = target[key] as Record<string, unknown>;
  }
  target[keys[keys.length - 1]!] = value;
  return copy;
}

/** The base session, with the JSON `member` spliced last (so it wins) into the object at `path` ('' = top level). */
function withRawMember(base: SessionData, path: string, member: string): unknown {
  const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  const parent = path === '' ? copy : (copy[path] as Record<string, unknown>);
  const text = JSON.stringify(parent);
  const spliced = JSON.parse(`{${text.length > 2 ? `${text.slice(1, -1)},` : ''}${member}}`) as Record<string, unknown>;
  return path === '' ? spliced : { ...copy, [path]: spliced };
}

/** The real fields moved under `__proto__` keys: a reader that follows prototypes would find them. */
function prototypeCases(): Case[] {
  return [
    {
      label: 'the whole session under a top-level __proto__ key',
      build: (base) => JSON.parse(`{"__proto__":${JSON.stringify(base)}}`),
    },
    {
      label: 'user.id only under user.__proto__',
      build: (base) => {
        const { id, ...rest } = base.user;
        return { ...base, user: JSON.parse(`{"__proto__":{"id":${JSON.stringify(id)}},${JSON.stringify(rest).slice(1)}`) };
      },
    },
    {
      label: 'impersonator fields only under impersonator.__proto__',
      build: (base) => ({ ...base, impersonator: JSON.parse('{"__proto__":{"email":"support@example.com","reason":null}}') }),
    },
    {
      label: 'user.metadata with a __proto__ key holding an object',
      build: (base) => withRawMember(base, 'user', '"metadata":{"__proto__":{"isAdmin":"yes"}}'),
    },
    { label: 'the session is an array', build: (base) => [base] },
    { label: 'the session is a string', build: (base) => JSON.stringify(base) },
  ];
}

const CASES: readonly Case[] = [
  ...FIELDS.flatMap(([path, kind]) =>
    HOSTILE.filter(([label]) => !VALID_FOR[kind].includes(label)).map(([label, value]) => ({
      label: `${path} = ${label}`,
      // A field inside the impersonator needs one to exist.
      build: (base: SessionData) =>
        withValue(
          path.startsWith('impersonator.') ? { ...base, impersonator: { email: 'support@example.com', reason: null } } : base,
          path,
          value,
        ),
    })),
  ),
  ...prototypeCases(),
];

/** What must hold for a hostile seal: nothing but "signed out (not_a_session)". */
async function problemsWith(app: SealedApp, debug: boolean, cookie: string): Promise<string[]> {
  app.debugLines.length = 0;
  app.rejections.length = 0;
  const refreshesBefore = app.emulator.calls.authenticate_refresh;
  const errorsBefore = app.errors.length;
  const response = await app.http().get('/api/me').set('Cookie', cookie);
  const problems: string[] = [];
  if (response.status !== 401) problems.push(`status ${response.status}`);
  if (touchesSessionCookie(response)) problems.push('Set-Cookie for the session');
  if (app.errors.length !== errorsBefore) problems.push(`error: ${String(app.errors[app.errors.length - 1])}`);
  if (app.emulator.calls.authenticate_refresh !== refreshesBefore) problems.push('asked WorkOS to refresh');
  if (app.rejections.join() !== 'not_a_session') problems.push(`rejected as ${app.rejections.join() || 'nothing'}`);
  const expectedLines = debug ? ['GET /api/me: signed out (not_a_session)'] : [];
  if (app.debugLines.join('\n') !== expectedLines.join('\n')) problems.push(`debug log ${JSON.stringify(app.debugLines)}`);
  return problems;
}

describe.each(ADAPTERS)('%s: a sealed value of the wrong type is "not a session", never a 500', (adapter) => {
  describe.each([true, false])('debug: %s', (debug) => {
    let app: SealedApp;
    beforeAll(async () => {
      app = await startSealedApp(adapter, { debug });
    });
    afterAll(() => app.close());

    it.each(['valid', 'expired'])(
      `every wrong-typed field (${CASES.length} seals), access token %s: 401, cookie kept, no refresh, no error`,
      async (state) => {
        const base: AuthenticationResult = app.emulator.createSession();
        if (state === 'expired') app.emulator.clock.advance(301);
        // The untouched session works, so each refusal below is the value's doing.
        await app.http().get('/api/me').set('Cookie', sessionCookieFor(base)).expect(200);

        const failures: string[] = [];
        for (const hostile of CASES) {
          const problems = await problemsWith(app, debug, sessionCookieFor(hostile.build(base)));
          if (problems.length > 0) failures.push(`${hostile.label}: ${problems.join('; ')}`);
        }
        expect(failures).toEqual([]);
      },
    );

    it('the issue\'s probe: organizationId { toString: "x" } with a valid and an expired token, and on the session route', async () => {
      const valid = app.emulator.createSession();
      await app
        .http()
        .get('/api/me')
        .set('Cookie', sessionCookieFor({ ...valid, organizationId: { toString: 'x' } }))
        .expect(401);
      await app
        .http()
        .get('/auth/session')
        .set({ 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' })
        .set('Cookie', sessionCookieFor({ ...valid, organizationId: { toString: 'x' } }))
        .expect(200, { signedIn: false });
      const expired = app.emulator.createSession();
      app.emulator.clock.advance(301);
      const response = await app
        .http()
        .get('/api/me')
        .set('Cookie', sessionCookieFor({ ...expired, organizationId: { toString: 'x' } }))
        .expect(401);
      expect(touchesSessionCookie(response)).toBe(false);
      expect(app.errors).toEqual([]);
    });
  });
});

describe.each(ADAPTERS)('%s: lenient where real cookies are, and nothing but known fields gets through', (adapter) => {
  let app: SealedApp;
  beforeAll(async () => {
    app = await startSealedApp(adapter, { debug: true });
  });
  afterAll(() => app.close());

  it('accepts what the SDK may write: nulls in nullable fields, no impersonator or null, empty metadata, fields left out', async () => {
    const base = app.emulator.createSession();
    const { name: _name, lastSignInAt: _last, locale: _locale, externalId: _external, metadata: _metadata, ...older } = base.user;
    const variants: unknown[] = [
      { ...base, impersonator: null },
      { ...base, user: { ...base.user, firstName: null, lastName: null, name: null, profilePictureUrl: null, metadata: {} } },
      { ...base, user: older },
      { accessToken: base.accessToken, refreshToken: base.refreshToken, user: base.user },
    ];
    for (const variant of variants) await app.http().get('/api/me').set('Cookie', sessionCookieFor(variant)).expect(200);
    expect(app.errors).toEqual([]);
  });

  it('drops unknown and prototype keys: a top-level __proto__ organization and extra fields never reach req.auth', async () => {
    const base = app.emulator.createSession();
    const sealed = withRawMember(
      { ...base, role: 'admin', permissions: ['everything'] } as unknown as SessionData,
      '',
      '"__proto__":{"organizationId":"org_acme","isAdmin":true}',
    );
    const response = await app.http().get('/api/me').set('Cookie', sessionCookieFor(sealed)).expect(200);
    const body = response.body as Record<string, unknown>;
    expect(body.organizationId).toBeUndefined();
    expect(body.role).toBeUndefined();
    expect(body.permissions).toEqual([]);
    expect(body).not.toHaveProperty('isAdmin');
    // Nothing in this process was polluted either.
    expect(({} as Record<string, unknown>).organizationId).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();

    const metadata = withRawMember(base as unknown as SessionData, 'user', '"metadata":{"__proto__":"x","toString":"y"}');
    const me = await app.http().get('/api/me').set('Cookie', sessionCookieFor(metadata)).expect(200);
    expect((me.body as { user: { metadata: Record<string, string> } }).user.metadata).toEqual(
      JSON.parse('{"__proto__":"x","toString":"y"}'),
    );
    expect(app.errors).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
// Properties: any JSON value at any field, checked by the parser and, over HTTP, by the app.
// ---------------------------------------------------------------------------------------

const PATHS = FIELDS.map(([path]) => path);
const TRICKY_KEYS = ['__proto__', 'toString', 'valueOf', 'constructor', 'id', 'email', 'sub'];
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(...HOSTILE.map(([, value]) => value)),
  fc.dictionary(fc.constantFrom(...TRICKY_KEYS), fc.jsonValue(), { maxKeys: 3 }),
);

/** What a session handed to the rest of the library must look like, checked independently of the parser. */
function expectCleanSession(session: SessionData): void {
  const plain = (value: unknown) => typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
  const optional = (value: unknown, type: 'string' | 'boolean', nullable = false) =>
    value === undefined || typeof value === type || (nullable && value === null);
  expect(plain(session)).toBe(true);
  expect(
    Object.keys(session).every((key) =>
      ['accessToken', 'refreshToken', 'user', 'impersonator', 'authenticationMethod', 'organizationId'].includes(key),
    ),
  ).toBe(true);
  expect(typeof session.accessToken === 'string' && session.accessToken.length > 0).toBe(true);
  expect(typeof session.refreshToken === 'string' && session.refreshToken.length > 0).toBe(true);
  expect(optional(session.organizationId, 'string')).toBe(true);
  expect(optional(session.authenticationMethod, 'string')).toBe(true);
  if (session.impersonator !== undefined) {
    expect(
      plain(session.impersonator) &&
        typeof session.impersonator.email === 'string' &&
        optional(session.impersonator.reason, 'string', true),
    ).toBe(true);
  }
  const { user } = session;
  expect(plain(user) && typeof user.id === 'string' && user.id.length > 0).toBe(true);
  expect(user.object === undefined || user.object === 'user').toBe(true);
  expect(optional(user.email, 'string') && optional(user.createdAt, 'string') && optional(user.updatedAt, 'string')).toBe(true);
  expect(optional(user.emailVerified, 'boolean')).toBe(true);
  for (const field of ['firstName', 'lastName', 'name', 'profilePictureUrl', 'lastSignInAt', 'locale', 'externalId'] as const) {
    expect(optional(user[field], 'string', true)).toBe(true);
  }
  if (user.metadata !== undefined) {
    expect(plain(user.metadata) && Object.values(user.metadata).every((value) => typeof value === 'string')).toBe(true);
  }
  // What logs and map keys do with these values: never throws.
  expect(() => `${session.organizationId}${session.authenticationMethod}${user.id}${user.email}`).not.toThrow();
}

describe('parseSessionData for any JSON at any field', () => {
  const base = {
    accessToken: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln',
    refreshToken: 'refresh_01',
    user: {
      object: 'user',
      id: 'user_01',
      email: 'ada@example.com',
      emailVerified: true,
      name: null,
      firstName: 'Ada',
      lastName: 'L',
      profilePictureUrl: null,
      lastSignInAt: null,
      locale: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      externalId: null,
      metadata: { plan: 'pro' },
    },
    impersonator: { email: 'support@example.com', reason: null },
    authenticationMethod: 'Password',
    organizationId: 'org_01',
  } satisfies SessionData;

  it('returns undefined or a clean, typed copy that keeps the value given when it was right', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), anyJson, (path, value) => {
        // Through JSON, as an unsealed cookie is.
        const sealed: unknown = JSON.parse(JSON.stringify(withValue(base, path, value)));
        const session = parseSessionData(sealed);
        if (session === undefined) return;
        expectCleanSession(session);
        expect(session).not.toBe(sealed);
        const kept = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], session);
        const given = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], sealed);
        if (path === 'impersonator' && given === null) expect(kept).toBeUndefined();
        // A whole user or impersonator keeps only its known fields; any other accepted value is kept as given.
        else if (path === 'user' || path === 'impersonator') expect(given).toMatchObject(kept as object);
        else expect(kept).toEqual(given);
      }),
      { numRuns: 3000 },
    );
  });
});

describe.each(ADAPTERS)('%s: any JSON at any field over HTTP, expired token and debug on', (adapter) => {
  const RUNS = 60;
  let app: SealedApp;
  beforeAll(async () => {
    app = await startSealedApp(adapter, { debug: true });
  });
  afterAll(() => app.close());

  it('never answers 5xx, and a refused seal never has its cookie touched', async () => {
    // One real session per run, all expired, so an accepted value takes the refresh path.
    const sessions = Array.from({ length: RUNS + 10 }, () => app.emulator.createSession());
    app.emulator.clock.advance(301);
    let next = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PATHS), anyJson, async (path, value) => {
        const base = sessions[next++ % sessions.length]!;
        const response = await app
          .http()
          .get('/api/me')
          .set('Cookie', sessionCookieFor(withValue(base, path, value)));
        expect(response.status).toBeLessThan(500);
        if (response.status === 401 && app.rejections[app.rejections.length - 1] === 'not_a_session')
          expect(touchesSessionCookie(response)).toBe(false);
      }),
      { numRuns: RUNS },
    );
    expect(app.errors).toEqual([]);
  });
});
