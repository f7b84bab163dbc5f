import { createHmac, createPublicKey, randomBytes, type JsonWebKey } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { sealCookieValue } from '../../lib/session/iron';
import { createAccessTokenVerifier, type TokenCheck } from '../../lib/tokens/verify-access-token';
import { COOKIE_PASSWORD } from '../helpers/env';
import { BROWSER, setCookies, startTestApp, type TestApp } from '../helpers/app';

/**
 * Hostile access tokens inside a session cookie sealed with the RIGHT password, so the cookie
 * layer accepts it and only the token check stands between the token and the app.
 */

const USER_ID = 'user_01EMULATOR';
const EVIL_ISSUER = 'https://evil.example/user_management/client_emulator';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(() => t.close());

const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const nowSeconds = (): number => Math.floor(t.emulator.clock.now() / 1000);
const jwksUrl = (): URL => new URL(`${t.emulator.url}/sso/jwks/${t.emulator.clientId}`);

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = nowSeconds();
  return { iss: t.emulator.issuer, sub: USER_ID, sid: 'session_forged', iat: now, exp: now + 300, ...overrides };
}

const expiredClaims = (overrides: Record<string, unknown> = {}) =>
  claims({ iat: nowSeconds() - 600, exp: nowSeconds() - 300, ...overrides });
const sign = (payload: Record<string, unknown>, header: Record<string, unknown> = {}) => t.emulator.signAccessToken(payload, header);
const currentKid = (): string => JSON.parse(Buffer.from(sign({}).split('.')[0] ?? '', 'base64url').toString()).kid as string;

/** The emulator's public key, as an attacker can download it from the JWKS. */
async function publicJwk(): Promise<JsonWebKey & { kid: string }> {
  const body = (await (await fetch(jwksUrl())).json()) as { keys: Array<JsonWebKey & { kid: string }> };
  const [key] = body.keys;
  if (!key) throw new Error('JWKS served no key');
  return key;
}

/** HS256 "signed" with bytes of the RSA public key: the classic algorithm-confusion forgery. */
async function hmacWithPublicKey(secret: (jwk: JsonWebKey & { kid: string }) => Buffer | string): Promise<string> {
  const jwk = await publicJwk();
  const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: jwk.kid })}.${b64(claims())}`;
  return `${input}.${createHmac('sha256', secret(jwk)).update(input).digest('base64url')}`;
}
const publicKeyOf = (jwk: JsonWebKey) => createPublicKey({ key: jwk, format: 'jwk' });

function noneToken(alg: string, withSignature: boolean): string {
  // The emulator signs with RS256 whatever the header claims, so this carries a genuine signature.
  const signed = sign(claims(), { alg });
  return withSignature ? signed : signed.replace(/\.[^.]+$/, '.');
}

type Reason = Extract<TokenCheck, { status: 'invalid' }>['reason'];
type Case = [name: string, token: () => string | Promise<string>, reason?: Reason];

const hostile: Case[] = [
  ['expired and with a wrong issuer', () => sign(expiredClaims({ iss: EVIL_ISSUER }))],
  ['expired and of another user', () => sign(expiredClaims({ sub: 'user_someone_else' })), 'user_mismatch'],
  ['expired and without sid', () => sign(expiredClaims({ sid: undefined }))],
  ...['none', 'None', 'NONE', 'nOnE'].flatMap((alg): Case[] => [
    [`alg "${alg}" without signature`, () => noneToken(alg, false)],
    [`alg "${alg}" with a signature`, () => noneToken(alg, true)],
  ]),
  ['alg "none" hand-made, unsigned', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
  [
    'HS256 keyed with the public key as SPKI PEM text',
    () => hmacWithPublicKey((jwk) => publicKeyOf(jwk).export({ type: 'spki', format: 'pem' })),
  ],
  [
    'HS256 keyed with the public key as PKCS#1 PEM text',
    () => hmacWithPublicKey((jwk) => publicKeyOf(jwk).export({ type: 'pkcs1', format: 'pem' })),
  ],
  [
    'HS256 keyed with the public key as SPKI DER bytes',
    () => hmacWithPublicKey((jwk) => publicKeyOf(jwk).export({ type: 'spki', format: 'der' })),
  ],
  ['HS256 keyed with the public key as JWK JSON text', () => hmacWithPublicKey((jwk) => JSON.stringify(jwk))],
  ['HS256 keyed with the modulus bytes', () => hmacWithPublicKey((jwk) => Buffer.from(jwk.n ?? '', 'base64url'))],
  ...['RS512', 'RS384', 'PS256', 'ES256', 'HS256', 'rs256', ''].map((alg): Case => [
    `alg "${alg}" in the header over an RS256 signature by the right key`,
    () => sign(claims(), { alg }),
  ]),
  ['alg missing from the header', () => sign(claims(), { alg: undefined })],
  ['signed by an unknown (foreign) key', () => t.emulator.signAccessToken(claims(), {}, 'foreign')],
  ['signed by a foreign key claiming the current kid', () => t.emulator.signAccessToken(claims(), { kid: currentKid() }, 'foreign')],
  [
    'signed by a foreign key that names its own JWKS (jku)',
    () => t.emulator.signAccessToken(claims(), { jku: 'http://127.0.0.1:1/jwks' }, 'foreign'),
  ],
  ['without kid', () => sign(claims(), { kid: undefined })],
  ['with an empty kid', () => sign(claims(), { kid: '' })],
  ['with a numeric kid', () => sign(claims(), { kid: 1 })],
  ['with an unknown kid', () => sign(claims(), { kid: 'key_unknown' })],
  [
    'with a crit header naming an unknown extension',
    () => sign(claims(), { crit: ['urn:example:must-understand'], 'urn:example:must-understand': true }),
  ],
  ['with an unencoded payload (b64: false)', () => sign(claims(), { crit: ['b64'], b64: false })],
  ['with a wrong issuer', () => sign(claims({ iss: EVIL_ISSUER }))],
  ['with the issuer plus a trailing slash', () => sign(claims({ iss: `${t.emulator.issuer}/` }))],
  ['without issuer', () => sign(claims({ iss: undefined }))],
  ['with the sub of another user', () => sign(claims({ sub: 'user_someone_else' })), 'user_mismatch'],
  ['without sub', () => sign(claims({ sub: undefined }))],
  ['without sid', () => sign(claims({ sid: undefined }))],
  ['without exp', () => sign(claims({ exp: undefined }))],
  ['with exp as a string', () => sign(claims({ exp: String(nowSeconds() + 300) }))],
  ['with a numeric sid', () => sign(claims({ sid: 42 }))],
  ['with nbf in the future', () => sign(claims({ nbf: nowSeconds() + 120 }))],
  [
    'with the payload swapped after signing',
    () => {
      const [header, , signature] = sign(claims({ sub: 'user_other' })).split('.');
      return `${header}.${b64(claims())}.${signature}`;
    },
  ],
  [
    'with the signature of another token',
    () => `${sign(claims()).split('.').slice(0, 2).join('.')}.${sign(claims({ sid: 'x' })).split('.')[2]}`,
  ],
  ['with the signature stripped', () => sign(claims()).replace(/\.[^.]+$/, '.')],
  ['with the signature part removed', () => sign(claims()).replace(/\.[^.]+$/, '')],
  ['truncated', () => sign(claims()).slice(0, -12)],
  [
    'with one signature byte flipped',
    () => {
      const token = sign(claims());
      const signature = Buffer.from(token.split('.')[2] ?? '', 'base64url');
      signature[0] = (signature[0] ?? 0) ^ 1;
      return `${token.split('.').slice(0, 2).join('.')}.${signature.toString('base64url')}`;
    },
  ],
  ['garbage', () => 'not-a-jwt'],
  ['empty', () => ''],
  ['one part', () => b64(claims())],
  ['two parts', () => `${b64({ alg: 'RS256', kid: currentKid() })}.${b64(claims())}`],
  ['four parts', () => `${sign(claims())}.${b64('extra')}`],
  ['five parts (JWE-shaped)', () => `${b64({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.a.b.c.d`],
  ['with a non-JSON payload', () => `${b64({ alg: 'RS256', kid: currentKid() })}.${b64('not json')}.${b64('sig')}`],
  [
    'with a signed JSON payload that is not an object',
    () => t.emulator.signAccessToken('user_01EMULATOR' as unknown as Record<string, unknown>),
  ],
  ['with a non-JSON header', () => `${b64('{alg:RS256')}.${b64(claims())}.${b64('sig')}`],
  ['huge (6 KB of claims, foreign key)', () => t.emulator.signAccessToken(claims({ padding: 'x'.repeat(6000) }), {}, 'foreign')],
  ['huge garbage', () => `${'A'.repeat(3000)}.${'B'.repeat(3000)}.${'C'.repeat(1000)}`],
];

function sealedSessionWith(accessToken: string): string {
  const session = t.emulator.createSession();
  return sealCookieValue({ ...session, accessToken }, { id: '1', secret: COOKIE_PASSWORD });
}

describe('hostile access tokens in a correctly sealed session', () => {
  // Controls: the same machinery lets a good token in and refreshes an expired one, so the
  // refusals below come from the token rules and not from a broken fixture.
  it('control: a token with valid claims signed by the current key is accepted', async () => {
    await request(t.app)
      .get('/api/me')
      .set('Cookie', `wos-session=${sealedSessionWith(sign(claims()))}`)
      .expect(200);
  });

  it('control: an expired token with the right issuer is refreshed', async () => {
    await request(t.app)
      .get('/api/me')
      .set('Cookie', `wos-session=${sealedSessionWith(sign(expiredClaims()))}`)
      .expect(200);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
  });

  it.each(hostile)(
    'refuses a token %s: 401 for APIs, sign-in redirect for pages, no cookie, no refresh',
    async (_name, make, reason = 'invalid_token') => {
      const token = await make();
      const verify = createAccessTokenVerifier({ jwksUrl: jwksUrl(), issuer: t.emulator.issuer, clock: t.emulator.clock });
      await expect(verify(token, USER_ID)).resolves.toEqual({ status: 'invalid', reason });

      const cookie = sealedSessionWith(token);
      const api = await request(t.app).get('/api/me').set('Cookie', `wos-session=${cookie}`).expect(401);
      expect(api.headers['www-authenticate']).toMatch(/^AuthKit /);
      expect(setCookies(api)).toEqual([]);
      const page = await request(t.app).get('/dashboard').set(BROWSER).set('Cookie', `wos-session=${cookie}`).expect(302);
      expect(page.headers.location).toBe('/login?returnTo=%2Fdashboard');
      expect(setCookies(page)).toEqual([]);
      expect(t.emulator.calls.authenticate_refresh).toBe(0);
    },
  );

  it('refuses a 1 MB token without fetching the JWKS', async () => {
    const verify = createAccessTokenVerifier({ jwksUrl: jwksUrl(), issuer: t.emulator.issuer, clock: t.emulator.clock });
    await expect(verify(`${b64({ alg: 'RS256' })}.${'A'.repeat(1 << 20)}.x`, USER_ID)).resolves.toEqual({
      status: 'invalid',
      reason: 'invalid_token',
    });
    expect(t.emulator.calls.jwks).toBe(0);
  });
});

describe('a flood of tokens with unknown kids', () => {
  const FLOOD = 100;
  let server: Server;
  beforeEach(() => {
    server = t.app.listen(0);
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const unknownKidCookie = () => sealedSessionWith(sign(claims(), { kid: `key_${randomBytes(8).toString('hex')}` }));
  const api = (cookie: string) => request(server).get('/api/me').set('Cookie', `wos-session=${cookie}`);

  /** Keys cached, then the cooldown over: the flood may cost exactly one refetch. */
  async function warmAndWaitOutCooldown(): Promise<void> {
    await api(sealedSessionWith(t.emulator.createSession().accessToken)).expect(200);
    expect(t.emulator.calls.jwks).toBe(1);
    t.emulator.clock.advance(31);
  }

  it(`sent one after another, costs at most one JWKS fetch for ${FLOOD} tokens`, async () => {
    await warmAndWaitOutCooldown();
    for (let i = 0; i < FLOOD; i += 1) await api(unknownKidCookie()).expect(401);
    expect(t.emulator.calls.jwks).toBe(2);
    expect(t.emulator.calls.authenticate_refresh).toBe(0);
    // The store still works for genuine tokens during and after the flood.
    await api(sealedSessionWith(t.emulator.createSession().accessToken)).expect(200);
    expect(t.emulator.calls.jwks).toBe(2);
  });

  it(`sent in parallel, costs at most one JWKS fetch for ${FLOOD} tokens`, async () => {
    await warmAndWaitOutCooldown();
    const cookies = Array.from({ length: FLOOD }, unknownKidCookie);
    const responses = await Promise.all(cookies.map((cookie) => api(cookie)));
    expect(responses.map((response) => response.status)).toEqual(cookies.map(() => 401));
    expect(t.emulator.calls.jwks).toBe(2);
  });

  it('arriving before anything is cached, shares a single first fetch', async () => {
    const cookies = Array.from({ length: FLOOD }, unknownKidCookie);
    const responses = await Promise.all(cookies.map((cookie) => api(cookie)));
    expect(responses.map((response) => response.status)).toEqual(cookies.map(() => 401));
    expect(t.emulator.calls.jwks).toBe(1);
  });

  it('keeps refusing without fetching until the cooldown is over, then fetches once more', async () => {
    await warmAndWaitOutCooldown();
    await api(unknownKidCookie()).expect(401);
    t.emulator.clock.advance(29);
    await api(unknownKidCookie()).expect(401);
    expect(t.emulator.calls.jwks).toBe(2);
    t.emulator.clock.advance(2);
    await api(unknownKidCookie()).expect(401);
    expect(t.emulator.calls.jwks).toBe(3);
  });
});
