import { generateKeyPairSync } from 'node:crypto';
import { compactVerify } from 'jose';
import request from 'supertest';
import { WorkOSUnavailableError } from '../../lib/errors';
import { sealCookieValue } from '../../lib/session/iron';
import { createJwksStore, JWKS_COOLDOWN_MS, JWKS_MAX_AGE_MS, NoMatchingKeyError } from '../../lib/tokens/jwks';
import type { EmulatorFault } from '../../lib/testing';
import { COOKIE_PASSWORD } from '../helpers/env';
import { BROWSER, setCookies, startTestApp, type TestApp } from '../helpers/app';

// Hostile tokens live in test/security/tokens.test.ts; this file covers the key set's life:
// caching, rotation, stale-if-error and outages, over real HTTP against the emulator's JWKS.

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(() => t.close());

const COOLDOWN_S = JWKS_COOLDOWN_MS / 1000;
const MAX_AGE_S = JWKS_MAX_AGE_MS / 1000;

/** A fresh session, sealed at the emulator's (possibly advanced) time. */
function freshCookie(): string {
  return sealCookieValue(t.emulator.createSession(), { id: '1', secret: COOKIE_PASSWORD }, { now: t.emulator.clock.now() });
}
const api = (cookie: string) => request(t.app).get('/api/me').set('Cookie', `wos-session=${cookie}`);
const kidOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()).kid as string;
const jwksUrl = (): URL => new URL(`${t.emulator.url}/sso/jwks/${t.emulator.clientId}`);

describe('access tokens and the key set', () => {
  it('accepts a session the emulator issued, fetching the JWKS once and caching it', async () => {
    await api(freshCookie()).expect(200);
    await api(freshCookie()).expect(200);
    t.emulator.clock.advance(MAX_AGE_S - 1);
    await api(freshCookie()).expect(200);
    expect(t.emulator.calls.jwks).toBe(1);
  });

  it('refetches keys once they are older than the max age', async () => {
    await api(freshCookie()).expect(200);
    t.emulator.clock.advance(MAX_AGE_S);
    await api(freshCookie()).expect(200);
    await api(freshCookie()).expect(200);
    expect(t.emulator.calls.jwks).toBe(2);
  });

  it('accepts a token signed with a rotated key after one refetch, once the cooldown allows it', async () => {
    const before = t.emulator.createSession().accessToken;
    await api(freshCookie()).expect(200);
    t.emulator.rotateKey();
    const rotated = freshCookie();
    // Right after a fetch the cooldown holds: the new kid is refused without asking again.
    await api(rotated).expect(401);
    expect(t.emulator.calls.jwks).toBe(1);

    t.emulator.clock.advance(COOLDOWN_S + 1);
    await api(rotated).expect(200);
    expect(t.emulator.calls.jwks).toBe(2);
    const next = t.emulator.createSession().accessToken;
    expect(kidOf(next)).not.toBe(kidOf(before));
    await api(freshCookie()).expect(200);
    expect(t.emulator.calls.jwks).toBe(2);
    // The JWKS no longer serves the old key: a token signed with it is refused, not refreshed.
    await api(sealCookieValue({ ...t.emulator.createSession(), accessToken: before }, { id: '1', secret: COOKIE_PASSWORD })).expect(401);
    expect(t.emulator.calls.authenticate_refresh).toBe(0);
  });

  it('keeps using cached keys when a refetch after the max age fails (stale-if-error), retrying after the cooldown', async () => {
    await api(freshCookie()).expect(200);
    t.emulator.clock.advance(MAX_AGE_S + 1);
    t.emulator.failNext('jwks', { status: 500, body: { message: 'down' } });
    const response = await api(freshCookie()).expect(200);
    expect(setCookies(response)).toEqual([]);
    expect(t.emulator.calls.jwks).toBe(2);
    // The failed attempt starts a cooldown: an outage is not hammered by every request.
    t.emulator.failNext('jwks', { drop: true }, 5);
    await api(freshCookie()).expect(200);
    expect(t.emulator.calls.jwks).toBe(2);
    t.emulator.clock.advance(COOLDOWN_S);
    await api(freshCookie()).expect(200);
    expect(t.emulator.calls.jwks).toBe(3);
  });

  it('answers 503 jwks_unavailable for an unknown kid when the refetch fails (maybe a genuine new key)', async () => {
    await api(freshCookie()).expect(200);
    t.emulator.rotateKey();
    t.emulator.clock.advance(COOLDOWN_S + 1);
    t.emulator.failNext('jwks', { status: 502 });
    const rotated = freshCookie();
    const response = await api(rotated).expect(503);
    expect(response.body).toEqual({ code: 'jwks_unavailable' });
    // Within the cooldown the answer stays "unavailable", without another fetch.
    await api(rotated).expect(503);
    expect(t.emulator.calls.jwks).toBe(2);
    t.emulator.clock.advance(COOLDOWN_S);
    await api(rotated).expect(200);
    expect(t.emulator.calls.authenticate_refresh).toBe(0);
  });

  const outages: Array<[string, EmulatorFault]> = [
    ['HTTP 500', { status: 500, body: { message: 'down' } }],
    ['HTTP 404', { status: 404, body: { message: 'not found' } }],
    ['a dropped connection', { drop: true }],
    ['invalid JSON', { status: 200, body: '{"keys": [' }],
    ['JSON without keys', { status: 200, body: { message: 'hello' } }],
    ['an empty key list', { status: 200, body: { keys: [] } }],
    [
      'only keys we cannot use',
      {
        status: 200,
        body: {
          keys: [
            { kty: 'oct', kid: 'k1', k: 'c2VjcmV0' },
            { kty: 'EC', kid: 'k2', crv: 'P-256', x: 'AA', y: 'AA' },
            { kty: 'RSA', kid: 'k3' },
          ],
        },
      },
    ],
  ];

  it.each(outages)('with nothing cached, treats %s as unavailable (503), not as signed out, and keeps the cookie', async (_name, fault) => {
    const cookie = freshCookie();
    t.emulator.failNext('jwks', fault);
    const response = await api(cookie).expect(503);
    expect(response.body).toEqual({ code: 'jwks_unavailable' });
    expect(setCookies(response)).toEqual([]);
    t.emulator.failNext('jwks', fault);
    const page = await request(t.app).get('/dashboard').set(BROWSER).set('Cookie', `wos-session=${cookie}`).expect(503);
    expect(setCookies(page)).toEqual([]);
    // Nothing cached means nothing to wait for: the next request tries again at once.
    await api(cookie).expect(200);
    expect(t.emulator.calls.authenticate_refresh).toBe(0);
  });
});

describe('JWKS key store', () => {
  const store = (settings: { timeoutMs?: number } = {}) => createJwksStore({ url: jwksUrl(), clock: t.emulator.clock, ...settings });
  const currentKid = () => kidOf(t.emulator.createSession().accessToken);

  it('shares one fetch between parallel first requests (single-flight)', async () => {
    const keys = store();
    t.emulator.failNext('jwks', { delayMs: 100 });
    const results = await Promise.all(Array.from({ length: 20 }, () => keys.keyFor(currentKid())));
    expect(t.emulator.calls.jwks).toBe(1);
    expect(new Set(results).size).toBe(1);
    expect(results[0]).toMatchObject({ type: 'public', asymmetricKeyType: 'rsa' });
  });

  it('shares one failing fetch too, and tries again on the next request', async () => {
    const keys = store();
    t.emulator.failNext('jwks', { delayMs: 100, status: 500 });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => keys.keyFor(currentKid())));
    expect(
      results.every((r) => r.status === 'rejected' && r.reason instanceof WorkOSUnavailableError && r.reason.code === 'jwks_unavailable'),
    ).toBe(true);
    expect(t.emulator.calls.jwks).toBe(1);
    await expect(keys.keyFor(currentKid())).resolves.toBeDefined();
    expect(t.emulator.calls.jwks).toBe(2);
  });

  it('gives up on a slow JWKS after its timeout', async () => {
    // The key set does arrive, intact, after a second: only the 50 ms timeout can make this fail.
    t.emulator.failNext('jwks', { delayMs: 1000 });
    await expect(store({ timeoutMs: 50 }).keyFor(currentKid())).rejects.toBeInstanceOf(WorkOSUnavailableError);
    await expect(store({ timeoutMs: 5_000 }).keyFor(currentKid())).resolves.toBeDefined();
  });

  it.each([undefined, '', 7, { kid: 'x' }])('refuses kid %p without fetching anything', async (kid) => {
    await expect(store().keyFor(kid)).rejects.toBeInstanceOf(NoMatchingKeyError);
    expect(t.emulator.calls.jwks).toBe(0);
  });

  it('imports only RS256 signing keys, from their public members, keeping the first of a duplicate kid', async () => {
    const body = (await (await fetch(jwksUrl())).json()) as { keys: Array<Record<string, unknown>> };
    const good = body.keys[0] ?? {};
    t.emulator.failNext('jwks', {
      status: 200,
      body: {
        keys: [
          { ...good, kid: 'enc', use: 'enc' },
          { ...good, kid: 'rs512', alg: 'RS512' },
          { kty: 'oct', kid: 'hmac', k: 'c2VjcmV0' },
          { ...good, kid: 'dup' },
          {
            ...(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }) as Record<string, unknown>),
            kid: 'dup',
          },
          'not a key',
        ],
      },
    });
    const keys = store();
    const token = t.emulator.signAccessToken({ sub: 'user_x' }, { kid: 'dup' });
    await expect(compactVerify(token, await keys.keyFor('dup'))).resolves.toBeDefined();
    for (const kid of ['enc', 'rs512', 'hmac']) await expect(keys.keyFor(kid)).rejects.toBeInstanceOf(NoMatchingKeyError);
    expect(t.emulator.calls.jwks).toBe(2);
  });
});
