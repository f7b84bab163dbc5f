import request from 'supertest';
import { sealCookieValue } from '../../lib/session/iron';
import { COOKIE_PASSWORD } from '../helpers/env';
import { BROWSER, setCookies, startTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeEach(async () => {
  t = await startTestApp();
});
afterEach(() => t.close());

/** A session sealed with the right password, so only the access-token check can refuse it. */
function sealedSessionWith(accessToken: string): string {
  const session = t.emulator.createSession();
  return sealCookieValue({ ...session, accessToken }, { id: '1', secret: COOKIE_PASSWORD });
}

function validClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(t.emulator.clock.now() / 1000);
  return { iss: t.emulator.issuer, sub: 'user_01EMULATOR', sid: 'session_forged', iat: now, exp: now + 300, ...overrides };
}

describe('access token checks', () => {
  it('accepts a session the emulator issued', async () => {
    const session = t.emulator.createSession();
    const cookie = sealCookieValue(session, { id: '1', secret: COOKIE_PASSWORD });
    await request(t.app).get('/api/me').set('Cookie', `wos-session=${cookie}`).expect(200);
  });

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const hostile: Array<[string, () => string]> = [
    ['signed by an unknown key', () => t.emulator.signAccessToken(validClaims(), {}, 'foreign')],
    ['wrong issuer', () => t.emulator.signAccessToken(validClaims({ iss: 'https://evil.example/user_management/client_emulator' }))],
    ['sub of another user', () => t.emulator.signAccessToken(validClaims({ sub: 'user_someone_else' }))],
    ['no sid', () => t.emulator.signAccessToken(validClaims({ sid: undefined }))],
    ['no exp', () => t.emulator.signAccessToken(validClaims({ exp: undefined }))],
    ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(validClaims())}.`],
    ['signature stripped', () => t.emulator.signAccessToken(validClaims()).replace(/\.[^.]+$/, '.')],
    ['payload swapped after signing', () => {
      const [header, , signature] = t.emulator.signAccessToken(validClaims()).split('.');
      return `${header}.${b64(validClaims({ sub: 'user_other' }))}.${signature}`;
    }],
  ];

  it.each(hostile)('refuses a token %s as signed out, without refreshing or clearing anything', async (_name, token) => {
    const cookie = sealedSessionWith(token());
    const api = await request(t.app).get('/api/me').set('Cookie', `wos-session=${cookie}`).expect(401);
    expect(setCookies(api)).toEqual([]);
    await request(t.app).get('/dashboard').set(BROWSER).set('Cookie', `wos-session=${cookie}`).expect(302);
    expect(t.emulator.calls.authenticate_refresh).toBe(0);
  });

  it('treats a JWKS outage as unavailable (503), not as signed out, and keeps the cookie', async () => {
    const session = t.emulator.createSession();
    const cookie = sealCookieValue(session, { id: '1', secret: COOKIE_PASSWORD });
    t.emulator.failNext('jwks', { status: 500, body: { message: 'down' } });
    const response = await request(t.app).get('/api/me').set('Cookie', `wos-session=${cookie}`).expect(503);
    expect(response.body).toEqual({ code: 'jwks_unavailable' });
    expect(setCookies(response)).toEqual([]);
    await request(t.app).get('/api/me').set('Cookie', `wos-session=${cookie}`).expect(200);
  });
});
