import { generateKeyPairSync, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { WorkOSUnavailableError } from '../../lib/errors';
import { isCanonicalSegment as isCanonicalBase64url, parseRs256 } from '../../lib/tokens/compact-jws';
import { createAccessTokenVerifier } from '../../lib/tokens/verify-access-token';

const ISSUER = 'https://api.workos.test/user_management/client_01';
const clock = { now: () => 1_900_000_000_000 };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('canonical base64url', () => {
  it('is exactly what Buffer writes back unchanged (no padding, no other characters, no stray bits)', () => {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= .'.split('');
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 12 }), (list) => {
        const text = list.join('');
        const roundTrips = /^[A-Za-z0-9_-]+$/.test(text) && Buffer.from(text, 'base64url').toString('base64url') === text;
        expect(isCanonicalBase64url(text)).toBe(roundTrips);
      }),
      { numRuns: 2000 },
    );
  });

  it('holds for every encoding of random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (bytes) =>
        isCanonicalBase64url(Buffer.from(bytes).toString('base64url')),
      ),
    );
  });
});

describe('the header is read before anything else', () => {
  const signature = Buffer.alloc(256, 1).toString('base64url');
  it.each<[string, string]>([['RS256 with a kid', `${b64({ alg: 'RS256', kid: 'k' })}.${b64({})}.${signature}`]])(
    'takes %s',
    (_name, token) => {
      expect(parseRs256(token)).toMatchObject({ kid: 'k' });
    },
  );

  it.each<[string, string]>([
    ['a crit header, even an empty one', `${b64({ alg: 'RS256', kid: 'k', crit: [] })}.${b64({})}.${signature}`],
    ['a kid that is not a string', `${b64({ alg: 'RS256', kid: ['k'] })}.${b64({})}.${signature}`],
    ['an empty payload part', `${b64({ alg: 'RS256', kid: 'k' })}..${signature}`],
    ['an empty signature', `${b64({ alg: 'RS256', kid: 'k' })}.${b64({})}.`],
    ['a non-string', 42 as unknown as string],
    ['a token over 64 KiB', `${b64({ alg: 'RS256', kid: 'k' })}.${'A'.repeat(64 * 1024)}.${signature}`],
  ])('refuses %s', (_name, token) => {
    expect(parseRs256(token)).toBeUndefined();
  });
});

describe('keys from the JWKS', () => {
  let server: Server;
  let keys: JsonWebKey[];
  beforeEach(async () => {
    server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const verifier = () =>
    createAccessTokenVerifier({ jwksUrl: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`), issuer: ISSUER, clock });
  const pair = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits });
  const jwkOf = (publicKey: KeyObject, kid: string) => ({ ...(publicKey.export({ format: 'jwk' }) as JsonWebKey), kid });
  function token(privateKey: KeyObject, kid: string): string {
    const now = Math.floor(clock.now() / 1000);
    const input = `${b64({ alg: 'RS256', kid })}.${b64({ iss: ISSUER, sub: 'user_1', sid: 's', exp: now + 60 })}`;
    return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
  }

  it('skips RSA keys under 2048 bits: their tokens are invalid, not an outage', async () => {
    const weak = pair(1024);
    const strong = pair(2048);
    keys = [jwkOf(weak.publicKey, 'weak'), jwkOf(strong.publicKey, 'strong')];
    const verify = verifier();
    await expect(verify(token(strong.privateKey, 'strong'), 'user_1')).resolves.toMatchObject({ status: 'valid' });
    await expect(verify(token(weak.privateKey, 'weak'), 'user_1')).resolves.toEqual({ status: 'invalid', reason: 'invalid_token' });
  });

  it('treats a key set of weak keys only as unusable (unavailable), not as a reason to sign anyone out', async () => {
    const weak = pair(1024);
    keys = [jwkOf(weak.publicKey, 'weak')];
    await expect(verifier()(token(weak.privateKey, 'weak'), 'user_1')).rejects.toBeInstanceOf(WorkOSUnavailableError);
  });
});
