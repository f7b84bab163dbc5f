import { WorkOS } from '@workos-inc/node';
import { startEmulator, type Emulator } from '../../lib/testing';
import { clearWorkOSEnv, COOKIE_PASSWORD } from '../helpers/env';
import { decodeSegment, rejectionOf } from '../helpers/inspect';
import { codeFor, workosClientFor } from '../helpers/workos-client';

let emulator: Emulator;
let workos: WorkOS;

beforeAll(async () => {
  clearWorkOSEnv();
  emulator = await startEmulator({ autoApprove: true });
  workos = workosClientFor(emulator);
});
afterEach(() => emulator.reset());
afterAll(() => emulator.close());

describe('authorization_code with the client secret', () => {
  it('returns the user, tokens and a session id in the access token', async () => {
    const code = await codeFor(workos);
    const auth = await workos.userManagement.authenticateWithCode({ code, clientId: emulator.clientId });
    expect(auth.user).toMatchObject({
      object: 'user',
      id: 'user_01EMULATOR',
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      emailVerified: true,
      metadata: {},
    });
    expect(auth.authenticationMethod).toBe('Password');
    expect(auth.organizationId).toBeUndefined();
    expect(auth.refreshToken).toEqual(expect.any(String));
    const claims = decodeSegment(auth.accessToken, 1);
    expect(claims).toMatchObject({ iss: emulator.issuer, sub: 'user_01EMULATOR' });
    expect(claims.sid).toMatch(/^session_/);
    expect(claims.exp).toBe((claims.iat as number) + 300);
    expect(claims).not.toHaveProperty('org_id');
    expect(claims).not.toHaveProperty('permissions');
  });

  it('seals the session when asked (the SDK does the sealing)', async () => {
    const code = await codeFor(workos);
    const auth = await workos.userManagement.authenticateWithCode({
      code,
      clientId: emulator.clientId,
      session: { sealSession: true, cookiePassword: COOKIE_PASSWORD },
    });
    expect(auth.sealedSession).toMatch(/^Fe26\.2\*/);
  });

  it('is single use', async () => {
    const code = await codeFor(workos);
    await workos.userManagement.authenticateWithCode({ code, clientId: emulator.clientId });
    const error = await rejectionOf(workos.userManagement.authenticateWithCode({ code, clientId: emulator.clientId }));
    expect(error).toMatchObject({
      name: 'OauthException',
      status: 400,
      error: 'invalid_grant',
      errorDescription: `The code '${code}' has expired or is invalid.`,
    });
  });

  it('expires after 10 minutes of emulator time', async () => {
    const code = await codeFor(workos);
    emulator.clock.advance(10 * 60 + 1);
    const error = await rejectionOf(workos.userManagement.authenticateWithCode({ code, clientId: emulator.clientId }));
    expect(error).toMatchObject({ status: 400, error: 'invalid_grant' });
  });

  it('accepts a code just before expiry', async () => {
    const code = await codeFor(workos);
    emulator.clock.advance(9 * 60);
    await expect(workos.userManagement.authenticateWithCode({ code, clientId: emulator.clientId })).resolves.toBeDefined();
  });

  it('answers a wrong client secret with 401', async () => {
    const code = await codeFor(workos);
    const wrong = workosClientFor(emulator, { apiKey: 'sk_test_wrong' });
    const error = await rejectionOf(wrong.userManagement.authenticateWithCode({ code, clientId: emulator.clientId }));
    expect(error.name).toBe('UnauthorizedException');
    // A failed client authentication does not burn the code.
    await expect(workos.userManagement.authenticateWithCode({ code, clientId: emulator.clientId })).resolves.toBeDefined();
  });

  it('answers a missing code with invalid_request', async () => {
    const error = await rejectionOf(workos.userManagement.authenticateWithCode({ code: '', clientId: emulator.clientId }));
    expect(error).toMatchObject({ status: 400, error: 'invalid_request', errorDescription: 'code is required.' });
  });

  it('refuses a code for another client id', async () => {
    const code = await codeFor(workos);
    const error = await rejectionOf(workos.userManagement.authenticateWithCode({ code, clientId: 'client_other' }));
    expect(error).toMatchObject({ status: 400, error: 'invalid_client' });
  });
});

describe('authorization_code with PKCE', () => {
  it('accepts the right verifier from a public client', async () => {
    const pkce = await workos.pkce.generate();
    const code = await codeFor(workos, { provider: 'authkit', codeChallenge: pkce.codeChallenge, codeChallengeMethod: 'S256' });
    const publicClient = workosClientFor(emulator, { apiKey: null });
    const auth = await publicClient.userManagement.authenticateWithCodeAndVerifier({
      code,
      codeVerifier: pkce.codeVerifier,
      clientId: emulator.clientId,
    });
    expect(auth.user.id).toBe('user_01EMULATOR');
  });

  it('accepts secret plus verifier from a confidential client', async () => {
    const pkce = await workos.pkce.generate();
    const code = await codeFor(workos, { provider: 'authkit', codeChallenge: pkce.codeChallenge, codeChallengeMethod: 'S256' });
    const auth = await workos.userManagement.authenticateWithCode({ code, codeVerifier: pkce.codeVerifier, clientId: emulator.clientId });
    expect(auth.accessToken).toEqual(expect.any(String));
  });

  it('refuses a wrong verifier with invalid_grant, and burns the code', async () => {
    const pkce = await workos.pkce.generate();
    const code = await codeFor(workos, { provider: 'authkit', codeChallenge: pkce.codeChallenge, codeChallengeMethod: 'S256' });
    const error = await rejectionOf(
      workos.userManagement.authenticateWithCodeAndVerifier({
        code,
        codeVerifier: workos.pkce.generateCodeVerifier(),
        clientId: emulator.clientId,
      }),
    );
    expect(error).toMatchObject({ name: 'OauthException', status: 400, error: 'invalid_grant' });
    const retry = await rejectionOf(
      workos.userManagement.authenticateWithCodeAndVerifier({ code, codeVerifier: pkce.codeVerifier, clientId: emulator.clientId }),
    );
    expect(retry).toMatchObject({ error: 'invalid_grant' });
  });

  it('requires the verifier when the code has a challenge', async () => {
    const pkce = await workos.pkce.generate();
    const code = await codeFor(workos, { provider: 'authkit', codeChallenge: pkce.codeChallenge, codeChallengeMethod: 'S256' });
    const error = await rejectionOf(workos.userManagement.authenticateWithCode({ code, clientId: emulator.clientId }));
    expect(error).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a public client exchanging a code issued without a challenge', async () => {
    const code = await codeFor(workos);
    const publicClient = workosClientFor(emulator, { apiKey: null });
    const error = await rejectionOf(
      publicClient.userManagement.authenticateWithCodeAndVerifier({
        code,
        codeVerifier: workos.pkce.generateCodeVerifier(),
        clientId: emulator.clientId,
      }),
    );
    expect(error).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('createSession', () => {
  it('returns what the SDK would, with membership claims and impersonation', () => {
    emulator.addMembership({
      userId: 'user_01EMULATOR',
      organizationId: 'org_1',
      role: 'admin',
      roles: ['admin'],
      permissions: ['posts:write'],
      entitlements: ['sso'],
      featureFlags: ['beta'],
    });
    const session = emulator.createSession({
      organizationId: 'org_1',
      impersonator: { email: 'support@example.com', reason: 'ticket 42' },
    });
    expect(session.organizationId).toBe('org_1');
    expect(session.authenticationMethod).toBe('Impersonation');
    expect(session.impersonator).toEqual({ email: 'support@example.com', reason: 'ticket 42' });
    expect(decodeSegment(session.accessToken, 1)).toMatchObject({
      org_id: 'org_1',
      role: 'admin',
      roles: ['admin'],
      permissions: ['posts:write'],
      entitlements: ['sso'],
      feature_flags: ['beta'],
      act: { sub: 'support@example.com' },
    });
  });

  it('matches the SDK result of a browser sign-in', async () => {
    const direct = emulator.createSession();
    const viaSdk = await workos.userManagement.authenticateWithCode({ code: await codeFor(workos), clientId: emulator.clientId });
    expect(Object.keys(direct.user).sort()).toEqual(Object.keys(viaSdk.user).sort());
    expect({ ...direct.user, lastSignInAt: null }).toEqual({ ...viaSdk.user, lastSignInAt: null });
  });

  it('throws for an unknown user', () => {
    expect(() => emulator.createSession({ userId: 'user_missing' })).toThrow(/unknown user/);
  });
});
