import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { WorkOS } from '@workos-inc/node';
import { startEmulator, type Emulator } from '../../lib/testing';
import { clearWorkOSEnv } from '../helpers/env';
import { decodeSegment } from '../helpers/inspect';
import { workosClientFor } from '../helpers/workos-client';

let emulator: Emulator;
let workos: WorkOS;

beforeAll(async () => {
  clearWorkOSEnv();
  emulator = await startEmulator({ clientId: 'client_jwks' });
  workos = workosClientFor(emulator);
});
afterEach(() => emulator.reset());
afterAll(() => emulator.close());

function remoteKeys(): ReturnType<typeof createRemoteJWKSet> {
  return createRemoteJWKSet(new URL(workos.userManagement.getJwksUrl(emulator.clientId)));
}

it('serves one RS256 key that verifies issued access tokens', async () => {
  const response = await fetch(workos.userManagement.getJwksUrl(emulator.clientId));
  const body = (await response.json()) as { keys: Record<string, unknown>[] };
  expect(response.headers.get('content-type')).toContain('application/json');
  expect(body.keys).toHaveLength(1);
  expect(body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });

  const { accessToken } = emulator.createSession();
  const { payload, protectedHeader } = await jwtVerify(accessToken, remoteKeys(), { issuer: emulator.issuer });
  expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'JWT', kid: body.keys[0]?.kid });
  expect(payload.sub).toBe('user_01EMULATOR');
  expect(emulator.issuer).toBe(`${emulator.url}/user_management/client_jwks`);
  expect(emulator.calls.jwks).toBeGreaterThanOrEqual(2);
});

it('answers an unknown client id with 404', async () => {
  const response = await fetch(`${emulator.url}/sso/jwks/client_other`);
  expect(response.status).toBe(404);
});

it('rotates to a new key, and the JWKS serves only that one', async () => {
  const before = emulator.createSession().accessToken;
  emulator.rotateKey();
  const after = emulator.createSession().accessToken;
  expect(decodeSegment(after, 0).kid).not.toBe(decodeSegment(before, 0).kid);
  const keys = remoteKeys();
  await expect(jwtVerify(after, keys, { issuer: emulator.issuer })).resolves.toBeDefined();
  await expect(jwtVerify(before, keys)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
});

it('signs arbitrary claims with the current key or a foreign one', async () => {
  const keys = remoteKeys();
  const forged = emulator.signAccessToken({ sub: 'user_x', iss: 'https://evil.example' });
  await expect(jwtVerify(forged, keys, { issuer: emulator.issuer })).rejects.toBeInstanceOf(errors.JWTClaimValidationFailed);
  await expect(jwtVerify(forged, keys)).resolves.toMatchObject({ payload: { sub: 'user_x' } });

  const foreign = emulator.signAccessToken({ sub: 'user_x' }, {}, 'foreign');
  await expect(jwtVerify(foreign, keys)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);

  const sameKid = emulator.signAccessToken({ sub: 'user_x' }, { kid: decodeSegment(forged, 0).kid }, 'foreign');
  await expect(jwtVerify(sameKid, keys)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
});
