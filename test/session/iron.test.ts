import { execFileSync } from 'node:child_process';
import { createCipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { WorkOS } from '@workos-inc/node';
import fc from 'fast-check';
import { decodeCanonicalBase64url as decodeBase64Url } from '../../lib/encoding/base64url';
import {
  seal,
  sealCookieValue,
  unseal,
  unsealCookieValue,
  type IronPassword,
  type UnsealFailure,
  type UnsealResult,
} from '../../lib/session/iron';

// Call-through spies: the library's crypto stays real, the tests can see what it called.
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual), pbkdf2Sync: jest.fn(actual.pbkdf2Sync) };
});
const timingSafeEqualSpy = jest.mocked(timingSafeEqual);
const pbkdf2Spy = jest.mocked(pbkdf2Sync);

const ROOT = path.resolve(__dirname, '../..');
const SECRET = 'a-cookie-password-of-at-least-32-chars!!';
const OTHER_SECRET = 'another-cookie-password-32-chars-long!!!';
const PASSWORD: IronPassword = { id: '1', secret: SECRET };
const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

const session = {
  accessToken: 'eyJhbGciOiJSUzI1NiJ9.e30.sig',
  refreshToken: 'refresh_01',
  user: { id: 'user_01', email: 'ada@example.com', firstName: 'Ada', metadata: { ünï: 'çødé ✓' } },
  impersonator: null,
  authenticationMethod: 'Password',
  organizationId: 'org_01',
};

// ---------------------------------------------------------------------------------------
// iron-webcrypto runs in a child Node process: it is ESM only, and the project's Jest
// transform (CommonJS) does not load it in-process. Same package, real interop.
// ---------------------------------------------------------------------------------------
type IronPasswordArg = string | { id: string; secret: string } | Record<string, string>;
type IronRequest =
  { op: 'seal'; value: unknown; password: IronPasswordArg; ttl?: number } | { op: 'unseal'; sealed: string; password: IronPasswordArg };
type IronResponse = { ok: true; value: unknown } | { ok: false; error: string };

const IRON_SCRIPT = `
import * as Iron from 'iron-webcrypto';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const r of JSON.parse(input)) {
  try {
    const value = r.op === 'seal'
      ? await Iron.seal(r.value, r.password, { ...Iron.defaults, ttl: r.ttl ?? 0 })
      : await Iron.unseal(r.sealed, r.password, Iron.defaults);
    out.push({ ok: true, value });
  } catch (error) {
    out.push({ ok: false, error: String(error && error.message) });
  }
}
process.stdout.write(JSON.stringify(out));
`;

function ironWebcrypto(requests: IronRequest[]): IronResponse[] {
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', IRON_SCRIPT], {
    cwd: ROOT,
    input: JSON.stringify(requests),
    encoding: 'utf8',
  });
  return JSON.parse(stdout) as IronResponse[];
}

function ironValue(response: IronResponse | undefined): unknown {
  if (!response?.ok) throw new Error(`iron-webcrypto failed: ${response ? response.error : 'no response'}`);
  return response.value;
}

// ---------------------------------------------------------------------------------------
// An independent reference encoder (straight from the format description) to build seals
// with chosen fields: valid MACs around bad plaintext, padding or IV lengths.
// ---------------------------------------------------------------------------------------
function rawSeal(
  plaintext: Buffer,
  secret: string,
  opts: { id?: string; expiration?: string; iv?: Buffer; autoPadding?: boolean } = {},
): string {
  const key = (salt: string): Buffer => pbkdf2Sync(secret, salt, 1, 32, 'sha1');
  const encSalt = randomBytes(32).toString('hex');
  const iv = opts.iv ?? randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key(encSalt), iv.length === 16 ? iv : randomBytes(16));
  cipher.setAutoPadding(opts.autoPadding ?? true);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const base = ['Fe26.2', opts.id ?? '1', encSalt, iv.toString('base64url'), ciphertext.toString('base64url'), opts.expiration ?? ''].join(
    '*',
  );
  const macSalt = randomBytes(32).toString('hex');
  const mac = createHmac('sha256', key(macSalt)).update(base).digest('base64url');
  return `${base}*${macSalt}*${mac}`;
}

function expectFailure(result: UnsealResult, reason: UnsealFailure): void {
  expect(result).toEqual({ ok: false, reason });
}

/** Replaces one character of part `index` with a different one from the same alphabet. */
function flipPart(sealed: string, index: number, alphabet = 'AB'): string {
  const parts = sealed.split('*');
  const part = parts[index] ?? '';
  const at = Math.floor(part.length / 2);
  const replacement = part[at] === alphabet[0] ? alphabet[1] : alphabet[0];
  parts[index] = part.slice(0, at) + replacement + part.slice(at + 1);
  return parts.join('*');
}

function replacePart(sealed: string, index: number, value: string): string {
  const parts = sealed.split('*');
  parts[index] = value;
  return parts.join('*');
}

const savedEnv: Record<string, string | undefined> = {};
beforeAll(() => {
  for (const name of Object.keys(process.env).filter((key) => key.startsWith('WORKOS_'))) {
    savedEnv[name] = process.env[name];
    delete process.env[name];
  }
});
afterAll(() => {
  Object.assign(process.env, savedEnv);
});
beforeEach(() => {
  timingSafeEqualSpy.mockClear();
  pbkdf2Spy.mockClear();
});

describe('seal / unseal', () => {
  it('round-trips JSON values', () => {
    for (const value of [session, 'text', 42, true, null, [1, 'two', { three: 3 }], { nested: { emoji: '😀' } }]) {
      const sealed = seal(value, PASSWORD);
      expect(sealed).toMatch(/^Fe26\.2\*1\*[0-9a-f]{64}\*[\w-]{22}\*[\w-]+\*\*[0-9a-f]{64}\*[\w-]{43}$/);
      expect(unseal(sealed, [PASSWORD])).toEqual({ ok: true, value, passwordId: '1' });
    }
  });

  it('uses fresh salts and IVs every time', () => {
    expect(seal(session, PASSWORD)).not.toBe(seal(session, PASSWORD));
  });

  it('drops undefined properties like JSON.stringify and refuses values with no JSON form', () => {
    expect(unseal(seal({ a: 1, b: undefined }, PASSWORD), [PASSWORD])).toMatchObject({ ok: true, value: { a: 1 } });
    expect(() => seal(undefined, PASSWORD)).toThrow(TypeError);
    expect(() => seal(() => 1, PASSWORD)).toThrow(TypeError);
  });

  it('refuses short passwords and bad ids when sealing', () => {
    expect(() => seal(session, { id: '1', secret: 'x'.repeat(31) })).toThrow(/too short/);
    expect(() => seal(session, { id: 'a-b', secret: SECRET })).toThrow(/id/);
    expect(() => seal(session, { id: '1', secret: SECRET }, { ttlSeconds: -1 })).toThrow(RangeError);
    expect(() => seal(session, { id: '1', secret: SECRET }, { ttlSeconds: Number.NaN })).toThrow(RangeError);
  });

  it('treats an invalid password list as a configuration error', () => {
    const sealed = seal(session, PASSWORD);
    expect(() => unseal(sealed, [{ id: '1', secret: 'short' }])).toThrow(/too short/);
    expect(() => unseal(sealed, [PASSWORD, { id: 'bad id', secret: SECRET }])).toThrow(/id/);
  });

  it('picks the password by id (rotation) and reports which one opened the seal', () => {
    const oldPassword = { id: 'old', secret: OTHER_SECRET };
    const newPassword = { id: 'new', secret: SECRET };
    const sealed = seal(session, oldPassword);
    expect(sealed.split('*')[1]).toBe('old');
    expect(unseal(sealed, [newPassword, oldPassword])).toEqual({ ok: true, value: session, passwordId: 'old' });
    expectFailure(unseal(sealed, [newPassword]), 'unknown_password');
    expectFailure(unseal(sealed, []), 'unknown_password');
  });

  it('opens a seal with an empty password id with the first (newest) password, then the others', () => {
    const sealed = seal(session, { id: '', secret: SECRET });
    expect(sealed.startsWith('Fe26.2**')).toBe(true);
    expect(
      unseal(sealed, [
        { id: 'newest', secret: SECRET },
        { id: 'older', secret: OTHER_SECRET },
      ]),
    ).toEqual({
      ok: true,
      value: session,
      passwordId: 'newest',
    });
    expect(
      unseal(sealed, [
        { id: 'newest', secret: OTHER_SECRET },
        { id: 'older', secret: SECRET },
      ]),
    ).toMatchObject({ ok: true, passwordId: 'older' });
    expectFailure(unseal(sealed, [{ id: 'newest', secret: OTHER_SECRET }]), 'tampered');
  });

  it('wrong password with the right id is tampered', () => {
    expectFailure(unseal(seal(session, PASSWORD), [{ id: '1', secret: OTHER_SECRET }]), 'tampered');
  });
});

describe('expiry', () => {
  const sealed = seal(session, PASSWORD, { ttlSeconds: 10, now: T0 });

  it('writes the expiration in milliseconds', () => {
    expect(sealed.split('*')[5]).toBe(String(T0 + 10_000));
    expect(seal(session, PASSWORD, { ttlSeconds: 0, now: T0 }).split('*')[5]).toBe('');
  });

  it('accepts a seal until 60 s of skew past its expiration', () => {
    expect(unseal(sealed, [PASSWORD], { now: T0 })).toMatchObject({ ok: true });
    expect(unseal(sealed, [PASSWORD], { now: T0 + 10_000 + 59_999 })).toMatchObject({ ok: true });
    expectFailure(unseal(sealed, [PASSWORD], { now: T0 + 10_000 + 60_000 }), 'expired');
    expectFailure(unseal(sealed, [PASSWORD], { now: T0 + 86_400_000 }), 'expired');
  });

  it('uses the real clock when no now is given', () => {
    const fresh = seal(session, PASSWORD, { ttlSeconds: 60 });
    expect(unseal(fresh, [PASSWORD])).toMatchObject({ ok: true });
    expectFailure(unseal(fresh, [PASSWORD], { now: Date.now() + 3_600_000 }), 'expired');
  });

  it('checks the MAC before the expiration: an edited expiration is tampered, not expired', () => {
    const edited = replacePart(seal(session, PASSWORD), 5, '1');
    expectFailure(unseal(edited, [PASSWORD], { now: T0 }), 'tampered');
  });

  it('rejects expiration syntax iron does not write', () => {
    for (const expiration of ['abc', '0', '-5', '1.5', '01', ' 1', '1e12', '9'.repeat(30)]) {
      const crafted = rawSeal(Buffer.from('{}'), SECRET, { expiration });
      expectFailure(unseal(crafted, [PASSWORD], { now: T0 }), 'malformed');
    }
  });
});

describe('interop with iron-webcrypto v2', () => {
  it('iron-webcrypto opens what we seal (with and without password ids, with ttl)', () => {
    const withId = seal(session, { id: 'k2', secret: SECRET });
    const noId = seal(session, { id: '', secret: SECRET });
    const withTtl = seal(session, PASSWORD, { ttlSeconds: 3600 });
    const responses = ironWebcrypto([
      { op: 'unseal', sealed: withId, password: { k2: SECRET } },
      { op: 'unseal', sealed: noId, password: SECRET },
      { op: 'unseal', sealed: noId, password: { default: SECRET } },
      { op: 'unseal', sealed: withTtl, password: { '1': SECRET } },
      { op: 'unseal', sealed: withId, password: { k2: OTHER_SECRET } },
    ]);
    expect(ironValue(responses[0])).toEqual(session);
    expect(ironValue(responses[1])).toEqual(session);
    expect(ironValue(responses[2])).toEqual(session);
    expect(ironValue(responses[3])).toEqual(session);
    expect(responses[4]).toEqual({ ok: false, error: 'Bad hmac value' });
  });

  it('we open what iron-webcrypto seals (with and without password ids, with ttl)', () => {
    const responses = ironWebcrypto([
      { op: 'seal', value: session, password: { id: 'rotated_7', secret: SECRET } },
      { op: 'seal', value: session, password: SECRET },
      { op: 'seal', value: [1, 'ü', null], password: { id: '1', secret: SECRET }, ttl: 3_600_000 },
    ]);
    const [withId, noId, withTtl] = responses.map((response) => String(ironValue(response)));
    expect(unseal(withId ?? '', [PASSWORD, { id: 'rotated_7', secret: SECRET }])).toEqual({
      ok: true,
      value: session,
      passwordId: 'rotated_7',
    });
    expect(unseal(noId ?? '', [PASSWORD])).toEqual({ ok: true, value: session, passwordId: '1' });
    expect(unseal(withTtl ?? '', [PASSWORD])).toEqual({ ok: true, value: [1, 'ü', null], passwordId: '1' });
    expectFailure(unseal(withTtl ?? '', [PASSWORD], { now: Date.now() + 3 * 3_600_000 }), 'expired');
    // The id is a hint: a password under another id still opens it (ids shift as lists rotate).
    expect(unseal(withId ?? '', [PASSWORD])).toEqual({ ok: true, value: session, passwordId: '1' });
    expectFailure(unseal(withId ?? '', [{ id: '1', secret: OTHER_SECRET }]), 'unknown_password');
  });
});

describe('interop with @workos-inc/node', () => {
  function fakeJwt(claims: Record<string, unknown>): string {
    const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}.c2ln`;
  }

  it('the SDK reads our cookie (getSessionFromCookie, no network)', async () => {
    const workos = new WorkOS('sk_test_x', { clientId: 'client_x' });
    const cookie = sealCookieValue(session, { id: '1', secret: SECRET });
    expect(cookie.endsWith('~2')).toBe(true);
    await expect(workos.userManagement.getSessionFromCookie({ sessionData: cookie, cookiePassword: SECRET })).resolves.toEqual(session);
    // The SDK only knows password id 1: anything else reads as an empty session there.
    const otherId = sealCookieValue(session, { id: '2', secret: SECRET });
    await expect(workos.userManagement.getSessionFromCookie({ sessionData: otherId, cookiePassword: SECRET })).resolves.toEqual({});
  });

  it('we read the cookie the SDK seals in authenticateWithCode({ session: { sealSession } })', async () => {
    const accessToken = fakeJwt({ sid: 'session_01', org_id: 'org_01' });
    const requests: string[] = [];
    const fetchFn: typeof fetch = async (input) => {
      requests.push(String(input));
      const body = {
        user: {
          object: 'user',
          id: 'user_01',
          email: 'ada@example.com',
          email_verified: true,
          first_name: 'Ada',
          last_name: 'L',
          profile_picture_url: null,
          last_sign_in_at: null,
          locale: null,
          created_at: '2026-01-01T00:00:00.000Z',
          updated_at: '2026-01-01T00:00:00.000Z',
          external_id: null,
          metadata: {},
        },
        organization_id: 'org_01',
        access_token: accessToken,
        refresh_token: 'refresh_01',
        authentication_method: 'Password',
      };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const workos = new WorkOS('sk_test_x', { clientId: 'client_x', fetchFn, maxRetries: 0 });
    const response = await workos.userManagement.authenticateWithCode({
      clientId: 'client_x',
      code: 'code_01',
      session: { sealSession: true, cookiePassword: SECRET },
    });
    expect(requests).toHaveLength(1);
    const cookie = response.sealedSession ?? '';
    expect(cookie).toMatch(/^Fe26\.2\*1\*.*~2$/);

    const result = unsealCookieValue<{ accessToken: string; refreshToken: string; organizationId: string; user: { id: string } }>(cookie, [
      { id: '1', secret: SECRET },
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.passwordId).toBe('1');
    expect(result.value).toMatchObject({
      accessToken,
      refreshToken: 'refresh_01',
      organizationId: 'org_01',
      authenticationMethod: 'Password',
    });
    expect(result.value.user.id).toBe('user_01');
    // And our own re-seal of it reads back in the SDK.
    await expect(
      workos.userManagement.getSessionFromCookie({ sessionData: sealCookieValue(result.value, PASSWORD), cookiePassword: SECRET }),
    ).resolves.toEqual(result.value);
  });
});

describe('cookie wrappers', () => {
  it('accept the cookie with or without the ~2 suffix', () => {
    const cookie = sealCookieValue(session, PASSWORD);
    expect(cookie).toMatch(/~2$/);
    expect(unsealCookieValue(cookie, [PASSWORD])).toEqual({ ok: true, value: session, passwordId: '1' });
    expect(unsealCookieValue(cookie.slice(0, -2), [PASSWORD])).toEqual({ ok: true, value: session, passwordId: '1' });
    expect(unseal(cookie.slice(0, -2), [PASSWORD])).toEqual({ ok: true, value: session, passwordId: '1' });
    expectFailure(unseal(cookie, [PASSWORD]), 'malformed'); // the raw seal API wants no suffix
  });

  it('reads other versions like the SDK: value.persistent when present', () => {
    const legacy = `${seal({ persistent: session, flash: 1 }, PASSWORD)}~1`;
    expect(unsealCookieValue(legacy, [PASSWORD])).toEqual({ ok: true, value: session, passwordId: '1' });
    const plain = `${seal(session, PASSWORD)}~1`;
    expect(unsealCookieValue(plain, [PASSWORD])).toEqual({ ok: true, value: session, passwordId: '1' });
    const v2WithPersistent = `${seal({ persistent: 'x' }, PASSWORD)}~2`;
    expect(unsealCookieValue(v2WithPersistent, [PASSWORD])).toMatchObject({ ok: true, value: { persistent: 'x' } });
  });

  it('rejects a version that is not a number, and passes failures through', () => {
    const sealed = seal(session, PASSWORD);
    for (const cookie of [`${sealed}~`, `${sealed}~x`, `${sealed}~2~2`, `${sealed}~-2`, '~2', '']) {
      expectFailure(unsealCookieValue(cookie, [PASSWORD]), 'malformed');
    }
    expectFailure(unsealCookieValue(`${flipPart(sealed, 4)}~2`, [PASSWORD]), 'tampered');
    expectFailure(
      unsealCookieValue(sealCookieValue(session, PASSWORD, { ttlSeconds: 1, now: T0 }), [PASSWORD], { now: T0 + 120_000 }),
      'expired',
    );
    expectFailure(unsealCookieValue(sealCookieValue(session, { id: 'x', secret: OTHER_SECRET }), [PASSWORD]), 'unknown_password');
  });
});

describe('hostile input', () => {
  const good = seal(session, PASSWORD);
  const goodParts = good.split('*');
  const cases: Array<[string, string, UnsealFailure]> = [
    ['empty string', '', 'malformed'],
    ['garbage', 'garbage', 'malformed'],
    ['only stars', '*******', 'malformed'],
    ['wrong prefix', replacePart(good, 0, 'Fe26.1'), 'malformed'],
    ['lowercase prefix', replacePart(good, 0, 'fe26.2'), 'malformed'],
    ['7 parts', goodParts.slice(0, 7).join('*'), 'malformed'],
    ['9 parts', `${good}*x`, 'malformed'],
    ['flipped ciphertext', flipPart(good, 4), 'tampered'],
    ['flipped iv', flipPart(good, 3), 'tampered'],
    ['flipped hmac', flipPart(good, 7), 'tampered'],
    ['flipped encryption salt', flipPart(good, 2, '01'), 'tampered'],
    ['flipped hmac salt', flipPart(good, 6, '01'), 'tampered'],
    ['flipped password id', replacePart(good, 1, '2'), 'unknown_password'],
    ['truncated by 3 chars (shorter MAC)', good.slice(0, -3), 'tampered'],
    ['shorter MAC', replacePart(good, 7, randomBytes(28).toString('base64url')), 'tampered'],
    ['longer hmac', `${good}AAAA`, 'tampered'],
    ['empty hmac', replacePart(good, 7, ''), 'tampered'],
    ['truncated in the middle', good.slice(0, Math.floor(good.length / 2)), 'malformed'],
    ['truncated ciphertext (not whole blocks)', replacePart(good, 4, (goodParts[4] ?? '').slice(0, -4)), 'malformed'],
    ['empty ciphertext', replacePart(good, 4, ''), 'malformed'],
    ['short iv', replacePart(good, 3, 'AAAAAAAAAAAAAAAAAAAA'), 'malformed'],
    ['non-base64 char in ciphertext', flipPart(good, 4, '!!'), 'malformed'],
    ['standard base64 chars', flipPart(good, 7, '++'), 'malformed'],
    ['padding', replacePart(good, 7, `${goodParts[7] ?? ''}=`), 'malformed'],
    ['impossible base64 length', replacePart(good, 7, `${goodParts[7] ?? ''}AA`), 'malformed'],
    ['non-canonical base64 (unused bits set)', replacePart(good, 3, `${(goodParts[3] ?? '').slice(0, -1)}B`), 'malformed'],
    ['non-hex salt', replacePart(good, 2, 'zz'), 'malformed'],
    ['empty salt', replacePart(good, 6, ''), 'malformed'],
    ['bad password id', replacePart(good, 1, 'a-b'), 'malformed'],
    ['expiration abc', replacePart(good, 5, 'abc'), 'malformed'],
    ['expiration 0', replacePart(good, 5, '0'), 'malformed'],
    ['negative expiration', replacePart(good, 5, '-1'), 'malformed'],
    ['unknown id', replacePart(good, 1, 'nope'), 'unknown_password'],
    ['huge string', `Fe26.2*1*${'a'.repeat(70_000)}`, 'malformed'],
    ['huge seal-shaped string', replacePart(good, 4, 'A'.repeat(80_000)), 'malformed'],
    ['NUL and unicode', `Fe26.2*1*\u0000*\u{1F600}*x*y*z*w`, 'malformed'],
  ];

  it.each(cases)('%s', (_name, input, reason) => {
    expect(() => unseal(input, [PASSWORD])).not.toThrow();
    expectFailure(unseal(input, [PASSWORD]), reason);
    expect(() => unsealCookieValue(`${input}~2`, [PASSWORD])).not.toThrow();
    expectFailure(unsealCookieValue(`${input}~2`, [PASSWORD]), reason);
  });

  it('the first hostile seal was not a lucky choice: the good one opens', () => {
    expect(unseal(good, [PASSWORD])).toMatchObject({ ok: true });
  });

  it('does no crypto at all for oversized or ill-formed input', () => {
    for (const [, input, reason] of cases) {
      if (reason !== 'malformed') continue;
      pbkdf2Spy.mockClear();
      unseal(input, [PASSWORD]);
      expect(pbkdf2Spy).not.toHaveBeenCalled();
    }
  });

  it('a valid MAC around non-JSON plaintext is malformed', () => {
    expectFailure(unseal(rawSeal(Buffer.from('{not json'), SECRET), [PASSWORD]), 'malformed');
    expect(unseal(rawSeal(Buffer.from('{"a":1}'), SECRET), [PASSWORD])).toEqual({ ok: true, value: { a: 1 }, passwordId: '1' });
  });

  it('a valid MAC around bad padding is tampered', () => {
    const block = Buffer.alloc(16, 0x41); // last byte 0x41 is no valid PKCS#7 padding
    expectFailure(unseal(rawSeal(block, SECRET, { autoPadding: false }), [PASSWORD]), 'tampered');
  });

  it('a valid MAC around a wrong-length IV is malformed', () => {
    expectFailure(unseal(rawSeal(Buffer.from('{}'), SECRET, { iv: randomBytes(12) }), [PASSWORD]), 'malformed');
  });

  it('never throws on random mutations of a good seal', () => {
    const alphabet = 'AZaz09-_*~.=+/!\u0000é';
    for (let i = 0; i < 400; i += 1) {
      const chars = [...good];
      const edits = 1 + (i % 4);
      for (let e = 0; e < edits; e += 1) {
        const at = (i * 7919 + e * 104_729) % chars.length;
        const op = (i + e) % 3;
        const ch = alphabet[(i + e) % alphabet.length] ?? 'A';
        if (op === 0) chars[at] = ch;
        else if (op === 1) chars.splice(at, 1);
        else chars.splice(at, 0, ch);
      }
      const mutated = chars.join('');
      let result: UnsealResult | undefined;
      expect(() => {
        result = unsealCookieValue(mutated, [PASSWORD]);
      }).not.toThrow();
      if (mutated !== good) expect(result?.ok).toBe(false);
    }
  });
});

describe('canonical base64url', () => {
  /** The definition: only the alphabet, no impossible length, and exactly what re-encoding the bytes spells. */
  const reference = (text: string): Buffer | undefined => {
    if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
    const bytes = Buffer.from(text, 'base64url');
    return bytes.toString('base64url') === text ? bytes : undefined;
  };

  it('accepts exactly the one spelling of each byte string', () => {
    const alphabet = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', '+', '/', '=', ' ', '.', '%'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 24 }), (characters) => {
        const text = characters.join('');
        expect(decodeBase64Url(text)).toEqual(reference(text));
      }),
      { numRuns: 2_000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 0, max: 63 }), (bytes, lastValue) => {
        const text = Buffer.from(bytes).toString('base64url');
        expect(decodeBase64Url(text)).toEqual(Buffer.from(bytes));
        // Any other last character: accepted only where reference says so (unused bits zero).
        if (text.length > 0) {
          const other = `${text.slice(0, -1)}${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[lastValue]}`;
          expect(decodeBase64Url(other)).toEqual(reference(other));
        }
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('MAC comparison', () => {
  it('compares equal-length MACs with crypto.timingSafeEqual', () => {
    const good = seal(session, PASSWORD);
    timingSafeEqualSpy.mockClear();
    expect(unseal(good, [PASSWORD]).ok).toBe(true);
    expect(timingSafeEqualSpy).toHaveBeenCalledTimes(1);

    const wrongMac = replacePart(good, 7, randomBytes(32).toString('base64url'));
    timingSafeEqualSpy.mockClear();
    expectFailure(unseal(wrongMac, [PASSWORD]), 'tampered');
    expect(timingSafeEqualSpy).toHaveBeenCalledTimes(1);
    const [provided, expected] = timingSafeEqualSpy.mock.calls[0] ?? [];
    expect(Buffer.from(provided as Uint8Array).length).toBe(32);
    expect(Buffer.from(expected as Uint8Array).length).toBe(32);
  });

  it('a different-length MAC is tampered without throwing', () => {
    const good = seal(session, PASSWORD);
    for (const mac of [
      randomBytes(31).toString('base64url'),
      randomBytes(33).toString('base64url'),
      randomBytes(64).toString('base64url'),
    ]) {
      expect(() => unseal(replacePart(good, 7, mac), [PASSWORD])).not.toThrow();
      expectFailure(unseal(replacePart(good, 7, mac), [PASSWORD]), 'tampered');
    }
  });

  it('decrypts nothing when the MAC is wrong', () => {
    const good = seal(session, PASSWORD);
    pbkdf2Spy.mockClear();
    expectFailure(unseal(flipPart(good, 7), [PASSWORD]), 'tampered');
    // One derivation for the integrity key, none for the encryption key.
    expect(pbkdf2Spy).toHaveBeenCalledTimes(1);
    pbkdf2Spy.mockClear();
    expect(unseal(good, [PASSWORD]).ok).toBe(true);
    expect(pbkdf2Spy).toHaveBeenCalledTimes(2);
  });
});
