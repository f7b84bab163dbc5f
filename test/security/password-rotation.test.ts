import request from 'supertest';
import type { CookiePasswordInput } from '../../lib';
import { resolveConfig } from '../../lib/config/resolve';
import { seal, sealCookieValue, unseal, unsealCookieValue } from '../../lib/session/iron';
import { BROWSER, cookieValue, setCookies, startTestApp, type TestApp } from '../helpers/app';
import { clearWorkOSEnv } from '../helpers/env';
import { configurationProblems } from '../helpers/inspect';
import { workosClientFor } from '../helpers/workos-client';

const OLD = 'old-cookie-password-0123456789-abcdefghij';
const NEW = 'new-cookie-password-0123456789-abcdefghij';
const NEWER = 'newer-cookie-password-0123456789-abcdefgh';

const base = { clientId: 'client_123', apiKey: 'sk_test_123', redirectUri: 'http://localhost:3000/callback' };

function passwordsOf(cookiePassword: CookiePasswordInput) {
  return resolveConfig({ ...base, cookiePassword }, {}).passwords;
}

function problemsOf(cookiePassword: unknown): readonly string[] {
  return configurationProblems(() => resolveConfig({ ...base, cookiePassword: cookiePassword as CookiePasswordInput }, {}));
}

beforeEach(clearWorkOSEnv);

describe('cookiePassword forms', () => {
  it('gives a single password id 1, the id @workos-inc/node reads', () => {
    expect(passwordsOf(NEW)).toEqual([{ id: '1', secret: NEW }]);
  });

  it('numbers a list from the oldest up, so prepending a newer password keeps the older ids', () => {
    expect(passwordsOf([OLD])).toEqual([{ id: '1', secret: OLD }]);
    expect(passwordsOf([NEW, OLD])).toEqual([
      { id: '2', secret: NEW },
      { id: '1', secret: OLD },
    ]);
  });

  it('orders an id map newest (highest id) first, whatever the key order', () => {
    expect(passwordsOf({ 1: OLD, 10: NEWER, 2: NEW }).map((p) => p.id)).toEqual(['10', '2', '1']);
  });

  it.each<[string, unknown, RegExp]>([
    ['an empty list', [], /empty list/],
    ['an empty map', {}, /empty map/],
    ['a short entry in a list', [NEW, 'short'], /cookiePassword`\[1\] must be at least 32/],
    ['a short entry in a map', { 2: NEW, 1: 'short' }, /cookiePassword`\["1"\] must be at least 32/],
    ['a non-numeric id', { current: NEW }, /positive whole numbers/],
    ['a zero id', { 0: NEW }, /positive whole numbers/],
    ['the same password twice', [NEW, NEW], /same password twice/],
    ['a number', 42, /string, a list of strings/],
    ['a non-string entry', [NEW, 7], /cookiePassword`\[1\] must be a string/],
  ])('refuses %s with a clear problem', (_name, input, message) => {
    expect(problemsOf(input).join('\n')).toMatch(message);
  });
});

describe('unsealing during a rotation', () => {
  const oldOnly = passwordsOfRaw([OLD]);
  const rotated = passwordsOfRaw([NEW, OLD]);

  function passwordsOfRaw(list: string[]) {
    return list.map((secret, index) => ({ id: String(list.length - index), secret }));
  }

  it('opens a seal made before the rotation and seals with the newest', () => {
    const before = seal({ v: 1 }, oldOnly[0]!);
    expect(unseal(before, rotated)).toMatchObject({ ok: true, value: { v: 1 }, passwordId: '1' });
    const after = seal({ v: 2 }, rotated[0]!);
    expect(after.split('*')[1]).toBe('2');
    expect(unseal(after, [{ id: '1', secret: OLD }])).toEqual({ ok: false, reason: 'unknown_password' });
  });

  it('still opens a seal after its id moved (an older password was dropped from the list)', () => {
    // Sealed while the list was [NEW, OLD] (NEW had id 2); now the list is [NEWER, NEW] (NEW has id 1).
    const sealed = seal({ v: 3 }, { id: '2', secret: NEW });
    expect(unseal(sealed, passwordsOfRaw([NEWER, NEW]))).toMatchObject({ ok: true, value: { v: 3 }, passwordId: '1' });
  });

  it('says unknown_password for an id that is not ours and tampered for a wrong MAC under one of ours', () => {
    expect(unseal(seal({ v: 4 }, { id: '7', secret: NEWER }), rotated)).toEqual({ ok: false, reason: 'unknown_password' });
    expect(unseal(seal({ v: 4 }, { id: '2', secret: NEWER }), rotated)).toEqual({ ok: false, reason: 'tampered' });
  });

  it('never accepts a seal whose MAC fits none of the passwords, even with a matching id', () => {
    const sealed = seal({ v: 5 }, rotated[0]!);
    const parts = sealed.split('*');
    parts[7] = Buffer.alloc(32, 1).toString('base64url');
    expect(unseal(parts.join('*'), rotated)).toEqual({ ok: false, reason: 'tampered' });
  });
});

describe('rotating the password of a running app', () => {
  let t: TestApp;
  afterEach(() => t?.close());

  it('keeps sessions sealed with the old password and re-seals them with the newest on refresh', async () => {
    t = await startTestApp({ authkit: { cookiePassword: [NEW, OLD] } });
    const oldCookie = sealCookieValue(t.emulator.createSession(), { id: '1', secret: OLD });

    const fresh = await request(t.app).get('/api/me').set('Cookie', `wos-session=${oldCookie}`).expect(200);
    expect(fresh.body.user.email).toBe('ada@example.com');
    expect(setCookies(fresh)).toEqual([]); // no re-seal until the session is refreshed anyway

    t.emulator.clock.advance(600);
    const refreshed = await request(t.app).get('/api/me').set('Cookie', `wos-session=${oldCookie}`).expect(200);
    expect(t.emulator.calls.authenticate_refresh).toBe(1);
    const resealed = cookieValue(refreshed, 'wos-session');
    expect(resealed).toBeDefined();
    expect(unsealCookieValue(resealed!, [{ id: '2', secret: NEW }])).toMatchObject({ ok: true, passwordId: '2' });
    expect(unsealCookieValue(resealed!, [{ id: '1', secret: OLD }])).toEqual({ ok: false, reason: 'unknown_password' });
  });

  it('finishes a sign-in whose state was sealed before the rotation', async () => {
    // Started with the old password alone; the callback lands on an app that rotated meanwhile.
    t = await startTestApp({ authkit: { cookiePassword: OLD } });
    const login = await request(t.app).get('/login').set(BROWSER).expect(302);
    const flowCookie = setCookies(login)[0]!.split(';')[0]!;
    const authorize = await fetch(login.headers.location as string, { redirect: 'manual' });
    const callback = new URL(authorize.headers.get('location')!);

    const rotatedApp = await startTestApp({ authkit: () => ({ ...t.emulator.settings, cookiePassword: [NEW, OLD] }) });
    try {
      // The same emulator issued the code; the rotated app must accept the state and flow cookie.
      const done = await request(rotatedApp.app).get(`${callback.pathname}${callback.search}`).set(BROWSER).set('Cookie', flowCookie);
      expect(done.status).toBe(302);
      expect(unsealCookieValue(cookieValue(done, 'wos-session')!, [{ id: '2', secret: NEW }]).ok).toBe(true);
    } finally {
      await rotatedApp.close();
    }
  });

  it('stops accepting a password once it is dropped, as signed out and without touching the cookie', async () => {
    const rejections: string[] = [];
    t = await startTestApp({ authkit: { cookiePassword: { 2: NEW }, onSessionRejected: ({ reason }) => rejections.push(reason) } });
    const oldCookie = sealCookieValue(t.emulator.createSession(), { id: '1', secret: OLD });
    const response = await request(t.app).get('/api/me').set('Cookie', `wos-session=${oldCookie}`).expect(401);
    expect(setCookies(response)).toEqual([]);
    expect(rejections).toEqual(['unknown_password']);
  });

  it('lets @workos-inc/node read sessions while a single password is configured', async () => {
    t = await startTestApp({ authkit: { cookiePassword: [NEW] } });
    const expired = sealCookieValue(t.emulator.createSession(), { id: '1', secret: NEW });
    t.emulator.clock.advance(600);
    const refreshed = await request(t.app).get('/api/me').set('Cookie', `wos-session=${expired}`).expect(200);
    const sdk = workosClientFor(t.emulator);
    const session = sdk.userManagement.loadSealedSession({ sessionData: cookieValue(refreshed, 'wos-session')!, cookiePassword: NEW });
    const result = await session.authenticate();
    expect(result).toMatchObject({ authenticated: true, user: { email: 'ada@example.com' } });
  });
});
