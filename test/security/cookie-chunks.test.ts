import cookieParser from 'cookie-parser';
import request from 'supertest';
import { AuthKitError } from '../../lib';
import { parseCookies, serializeCookie, type CookieAttributes } from '../../lib/http/cookies';
import {
  MAX_COOKIE_CHUNKS,
  MAX_SET_COOKIE_BYTES,
  readChunkedCookie,
  splitCookieValue,
  writeChunkedCookie,
} from '../../lib/session/cookie-chunks';
import { BROWSER, setCookies, signIn, startTestApp, type TestApp } from '../helpers/app';
import { workosClientFor } from '../helpers/workos-client';
import { COOKIE_PASSWORD } from '../helpers/env';

const NAME = 'wos-session';
const ORG = 'org_big';
const USER = 'user_01EMULATOR';
/**
 * Permission counts, measured against the emulator: each adds ~57 bytes to the sealed cookie.
 * 10 fits one cookie (~2.4 KB), 60 needs two chunks (~5.3 KB, like the 4,753 bytes seen in
 * the wild), 150 three (~10.4 KB), 250 more than the cap (~16 KB).
 */
const SMALL = 10;
const TWO_CHUNKS = 60;
const THREE_CHUNKS = 150;
const TOO_BIG = 250;

const permissions = (count: number) => Array.from({ length: count }, (_, i) => `documents:resource-${String(i).padStart(4, '0')}:write`);
const membership = (count: number) => ({ userId: USER, organizationId: ORG, permissions: permissions(count) });

const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function appWith(count: number, options: Parameters<typeof startTestApp>[0] = {}): Promise<TestApp> {
  const app = await startTestApp({ ...options, emulator: { autoApprove: { organizationId: ORG }, memberships: [membership(count)] } });
  apps.push(app);
  return app;
}

/** Set-Cookie lines split into what is written (name -> value) and what is deleted. */
function cookieLines(response: request.Response): { written: Map<string, string>; deleted: string[]; lines: string[] } {
  const lines = setCookies(response);
  const written = new Map<string, string>();
  const deleted: string[] = [];
  for (const line of lines) {
    const eq = line.indexOf('=');
    const name = line.slice(0, eq);
    if (/;\s*Max-Age=0(;|$)/.test(line)) deleted.push(name);
    else written.set(name, line.slice(eq + 1).split(';')[0]!);
  }
  return { written, deleted: deleted.sort(), lines };
}

const sessionCookies = (written: Map<string, string>) => [...written].filter(([name]) => name === NAME || name.startsWith(`${NAME}.`));
const header = (cookies: Iterable<[string, string]>) => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');

function joinChunks(written: Map<string, string>): string {
  const parts: string[] = [];
  for (let i = 0; written.has(`${NAME}.${i}`); i += 1) parts.push(written.get(`${NAME}.${i}`)!);
  return parts.join('');
}

function expectEveryLineFits(lines: string[]): void {
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_SET_COOKIE_BYTES);
}

async function sdkReads(app: TestApp, sessionData: string): Promise<unknown> {
  const workos = workosClientFor(app.emulator);
  return workos.userManagement.loadSealedSession({ sessionData, cookiePassword: COOKIE_PASSWORD }).authenticate();
}

describe('splitting and joining (unit)', () => {
  const lax: CookieAttributes = { maxAge: 34560000, path: '/', httpOnly: true, secure: false, sameSite: 'lax' };
  const withDomain: CookieAttributes = { ...lax, secure: true, sameSite: 'none', domain: `${'sub.'.repeat(40)}example.com` };
  const attributeSets: Array<[string, string, CookieAttributes]> = [
    ['plain name', NAME, lax],
    ['long Domain attribute', NAME, withDomain],
    ['__Host- prefixed name', `__Host-${NAME}`, { ...lax, secure: true }],
  ];

  /** What a browser would send back: the written cookies in one Cookie header, parsed as the library does. */
  const roundTrip = (lines: string[]) =>
    parseCookies(
      lines
        .filter((l) => !l.includes('Max-Age=0'))
        .map((l) => l.split(';')[0])
        .join('; '),
    );

  describe.each(attributeSets)('%s', (_label, name, attributes) => {
    it.each([100, 3000, 5000, 8000, 11000])('a %i-character value round-trips with every line within 4096 bytes', (length) => {
      const value = `Fe26.2*1*${'a1B2-_'.repeat(length)}`.slice(0, length - 2) + '~2';
      const written = writeChunkedCookie(name, value, attributes, new Map());
      if (!written.ok) throw new Error('expected the value to fit');
      expectEveryLineFits(written.setCookies);
      const fitsOne = Buffer.byteLength(serializeCookie(name, value, attributes)) <= MAX_SET_COOKIE_BYTES;
      const perChunk = MAX_SET_COOKIE_BYTES - Buffer.byteLength(serializeCookie(`${name}.0`, '', attributes));
      expect(written.chunks).toBe(fitsOne ? 0 : Math.ceil(length / perChunk));
      expect(written.setCookies.every((line) => line.startsWith(written.chunks === 0 ? `${name}=` : `${name}.`))).toBe(true);
      expect(written.setCookies.every((line) => line.endsWith(serializeCookie('x', '', attributes).slice('x='.length)))).toBe(true);
      const read = readChunkedCookie(roundTrip(written.setCookies), name);
      expect(read).toEqual({ status: 'present', value, chunks: written.chunks });
    });
  });

  it('writes one cookie up to exactly 4096 bytes and chunks from 4097 on', () => {
    const overhead = Buffer.byteLength(serializeCookie(NAME, '', lax));
    const fits = 'A'.repeat(MAX_SET_COOKIE_BYTES - overhead);
    const single = writeChunkedCookie(NAME, fits, lax, new Map());
    expect(single).toMatchObject({ ok: true, chunks: 0 });
    if (single.ok) expect(Buffer.byteLength(single.setCookies[0]!)).toBe(MAX_SET_COOKIE_BYTES);

    const chunked = writeChunkedCookie(NAME, `${fits}A`, lax, new Map());
    expect(chunked).toMatchObject({ ok: true, chunks: 2 });
    if (!chunked.ok) return;
    expect(chunked.setCookies.map((line) => line.slice(0, line.indexOf('=')))).toEqual([`${NAME}.0`, `${NAME}.1`]);
    expectEveryLineFits(chunked.setCookies);
    expect(Buffer.byteLength(chunked.setCookies[0]!)).toBe(MAX_SET_COOKIE_BYTES); // chunks are filled, not wasted
  });

  it(`refuses a value needing more than ${MAX_COOKIE_CHUNKS} chunks`, () => {
    expect(MAX_COOKIE_CHUNKS).toBe(3);
    const perChunk = MAX_SET_COOKIE_BYTES - Buffer.byteLength(serializeCookie(`${NAME}.0`, '', lax));
    expect(writeChunkedCookie(NAME, 'A'.repeat(perChunk * 3), lax, new Map())).toMatchObject({ ok: true, chunks: 3 });
    expect(writeChunkedCookie(NAME, 'A'.repeat(perChunk * 3 + 1), lax, new Map())).toEqual({
      ok: false,
      valueBytes: perChunk * 3 + 1,
      chunksNeeded: 4,
      maxChunks: 3,
    });
  });

  it('splits between characters that need URL-encoding, so each chunk decodes on its own', () => {
    const value = 'é€😀x'.repeat(400); // 2,000 UTF-16 units, 11,200 bytes once URL-encoded
    const chunks = splitCookieValue(NAME, value, lax);
    expect(chunks.join('')).toBe(value);
    const lines = chunks.map((chunk, i) => serializeCookie(`${NAME}.${i}`, chunk, lax));
    expectEveryLineFits(lines);
    expect(readChunkedCookie(roundTrip(lines), NAME)).toEqual({ status: 'present', value, chunks: 3 });
  });

  it('reads the plain cookie first, then contiguous chunks, and refuses more than the cap', () => {
    const read = (pairs: Array<[string, string]>) => readChunkedCookie(new Map(pairs), NAME);
    expect(read([])).toEqual({ status: 'absent' });
    expect(read([[`${NAME}.1`, 'b']])).toEqual({ status: 'absent' });
    expect(
      read([
        [NAME, 'plain'],
        [`${NAME}.0`, 'a'],
      ]),
    ).toEqual({ status: 'present', value: 'plain', chunks: 0 });
    expect(
      read([
        [NAME, ''],
        [`${NAME}.0`, 'a'],
        [`${NAME}.1`, 'b'],
      ]),
    ).toEqual({ status: 'present', value: 'ab', chunks: 2 });
    expect(
      read([
        [`${NAME}.0`, 'a'],
        [`${NAME}.2`, 'c'],
      ]),
    ).toEqual({ status: 'present', value: 'a', chunks: 1 });
    expect(
      read([
        [`${NAME}.0`, 'a'],
        [`${NAME}.01`, 'x'],
        [`${NAME}.1`, 'b'],
      ]),
    ).toEqual({ status: 'present', value: 'ab', chunks: 2 });
    expect(read([0, 1, 2].map((i) => [`${NAME}.${i}`, String(i)]))).toEqual({ status: 'present', value: '012', chunks: 3 });
    expect(read([0, 1, 2, 3].map((i) => [`${NAME}.${i}`, String(i)]))).toEqual({ status: 'too_many_chunks' });
  });

  it('deletes the other shape the request carried', () => {
    const request = new Map([
      [NAME, 'old'],
      [`${NAME}.0`, 'a'],
      [`${NAME}.1`, 'b'],
      [`${NAME}.2`, 'c'],
      [`${NAME}.7`, 'z'],
      [`${NAME}.x`, 'keep'],
    ]);
    const names = (lines: string[], deleted: boolean) =>
      lines.filter((l) => l.includes('Max-Age=0') === deleted).map((l) => l.slice(0, l.indexOf('=')));
    const single = writeChunkedCookie(NAME, 'small', lax, request);
    if (!single.ok) throw new Error('expected ok');
    expect(names(single.setCookies, false)).toEqual([NAME]);
    expect(names(single.setCookies, true)).toEqual([`${NAME}.0`, `${NAME}.1`, `${NAME}.2`]); // .7: never written by us, not echoed
    const two = writeChunkedCookie(NAME, 'A'.repeat(6000), lax, request);
    if (!two.ok) throw new Error('expected ok');
    expect(names(two.setCookies, false)).toEqual([`${NAME}.0`, `${NAME}.1`]);
    expect(names(two.setCookies, true)).toEqual([NAME, `${NAME}.2`]);
    const fresh = writeChunkedCookie(NAME, 'A'.repeat(6000), lax, new Map());
    if (!fresh.ok) throw new Error('expected ok');
    expect(names(fresh.setCookies, true)).toEqual([]);
  });
});

describe('a big session over real sign-in and refresh', () => {
  it('signs in with chunk cookies that the next request and the WorkOS SDK accept', async () => {
    const app = await appWith(TWO_CHUNKS);
    const agent = request.agent(app.app);
    const callback = await signIn(agent);
    expect(callback.status).toBe(302);
    const { written, deleted, lines } = cookieLines(callback);
    expectEveryLineFits(lines);
    expect(sessionCookies(written).map(([name]) => name)).toEqual([`${NAME}.0`, `${NAME}.1`]);
    expect(deleted.filter((name) => name.startsWith(NAME))).toEqual([]);
    const joined = joinChunks(written);
    expect(joined).toMatch(/^Fe26\.2\*1\*.*~2$/);
    expect(Buffer.byteLength(joined)).toBeGreaterThan(MAX_SET_COOKIE_BYTES);

    const me = await agent.get('/api/me').expect(200);
    expect((me.body as { permissions: string[] }).permissions).toHaveLength(TWO_CHUNKS);
    await request(app.app)
      .get('/api/me')
      .set('Cookie', header(sessionCookies(written)))
      .expect(200);
    expect(await sdkReads(app, joined)).toMatchObject({ authenticated: true, user: { id: USER }, permissions: permissions(TWO_CHUNKS) });
  });

  it('refreshes into new chunks that the following request uses without another refresh', async () => {
    const app = await appWith(THREE_CHUNKS);
    const agent = request.agent(app.app);
    await signIn(agent);
    app.emulator.clock.advance(301);
    const refreshed = await agent.get('/api/me').expect(200);
    expect(app.emulator.calls.authenticate_refresh).toBe(1);
    const { written, lines } = cookieLines(refreshed);
    expectEveryLineFits(lines);
    expect(sessionCookies(written).map(([name]) => name)).toEqual([`${NAME}.0`, `${NAME}.1`, `${NAME}.2`]);
    expect(await sdkReads(app, joinChunks(written))).toMatchObject({ authenticated: true, permissions: permissions(THREE_CHUNKS) });

    const next = await agent.get('/api/me').expect(200);
    expect(setCookies(next)).toEqual([]);
    expect(app.emulator.calls.authenticate_refresh).toBe(1);
  });

  it('works with cookie-parser (signed-cookie mode) in front', async () => {
    const app = await appWith(TWO_CHUNKS, { configure: (express) => express.use(cookieParser('cookie-parser-secret')) });
    const agent = request.agent(app.app);
    const callback = await signIn(agent);
    expect(sessionCookies(cookieLines(callback).written)).toHaveLength(2);
    await agent.get('/api/me').expect(200);
    app.emulator.clock.advance(301);
    const refreshed = await agent.get('/api/me').expect(200);
    expect(sessionCookies(cookieLines(refreshed).written)).toHaveLength(2);
    expect((refreshed.body as { permissions: string[] }).permissions).toHaveLength(TWO_CHUNKS);
    expect(app.emulator.calls.authenticate_refresh).toBe(1);
  });
});

describe('changing size clears the stale shape', () => {
  async function refreshWith(app: TestApp, cookies: Map<string, string>, count: number): Promise<request.Response> {
    app.emulator.addMembership(membership(count));
    app.emulator.clock.advance(301);
    return request(app.app).get('/api/me').set('Cookie', header(cookies)).expect(200);
  }

  it('small -> big: writes chunks and deletes the plain cookie', async () => {
    const app = await appWith(SMALL);
    const before = cookieLines(await signIn(request.agent(app.app))).written;
    expect(sessionCookies(before).map(([name]) => name)).toEqual([NAME]);
    const after = cookieLines(await refreshWith(app, before, TWO_CHUNKS));
    expect(sessionCookies(after.written).map(([name]) => name)).toEqual([`${NAME}.0`, `${NAME}.1`]);
    expect(after.deleted).toEqual([NAME]);
    const me = await request(app.app)
      .get('/api/me')
      .set('Cookie', header(sessionCookies(after.written)))
      .expect(200);
    expect((me.body as { permissions: string[] }).permissions).toHaveLength(TWO_CHUNKS);
  });

  it('big -> small: writes the plain cookie and deletes every chunk', async () => {
    const app = await appWith(THREE_CHUNKS);
    const before = cookieLines(await signIn(request.agent(app.app))).written;
    expect(sessionCookies(before)).toHaveLength(3);
    const after = cookieLines(await refreshWith(app, before, SMALL));
    expect(sessionCookies(after.written).map(([name]) => name)).toEqual([NAME]);
    expect(after.deleted).toEqual([`${NAME}.0`, `${NAME}.1`, `${NAME}.2`]);
    await request(app.app)
      .get('/api/me')
      .set('Cookie', header(sessionCookies(after.written)))
      .expect(200);
  });

  it('three chunks -> two: deletes the chunk past the new count only', async () => {
    const app = await appWith(THREE_CHUNKS);
    const before = cookieLines(await signIn(request.agent(app.app))).written;
    const after = cookieLines(await refreshWith(app, before, TWO_CHUNKS));
    expect(sessionCookies(after.written).map(([name]) => name)).toEqual([`${NAME}.0`, `${NAME}.1`]);
    expect(after.deleted).toEqual([`${NAME}.2`]);
  });
});

describe('deleting every chunk', () => {
  it('sign-out deletes the plain cookie and every chunk', async () => {
    const app = await appWith(THREE_CHUNKS);
    const agent = request.agent(app.app);
    await signIn(agent);
    const logout = await agent.get('/logout').set(BROWSER).expect(302);
    expect(cookieLines(logout).deleted.filter((name) => name.startsWith(NAME))).toEqual([NAME, `${NAME}.0`, `${NAME}.1`, `${NAME}.2`]);
    expect(new URL(logout.headers.location as string).pathname).toMatch(/logout/); // the session id was read from the chunks
    await agent.get('/api/me').expect(401);
  });

  it('a refresh token WorkOS refuses deletes the plain cookie and every chunk', async () => {
    const app = await appWith(TWO_CHUNKS);
    const agent = request.agent(app.app);
    await signIn(agent);
    const me = await agent.get('/api/me').expect(200);
    app.emulator.revokeSession((me.body as { sessionId: string }).sessionId);
    app.emulator.clock.advance(301);
    const refused = await agent.get('/api/me').expect(401);
    expect(cookieLines(refused).deleted).toEqual([NAME, `${NAME}.0`, `${NAME}.1`]);
  });
});

describe('a broken set of chunks means signed out: 401, cookies untouched, no refresh', () => {
  let app: TestApp;
  let chunks: string[];
  beforeEach(async () => {
    app = await appWith(THREE_CHUNKS);
    const written = cookieLines(await signIn(request.agent(app.app))).written;
    chunks = [0, 1, 2].map((i) => written.get(`${NAME}.${i}`)!);
  });

  const flip = (value: string) => {
    const at = Math.floor(value.length / 2);
    return `${value.slice(0, at)}${value[at] === 'A' ? 'B' : 'A'}${value.slice(at + 1)}`;
  };
  const cases: Array<[string, (c: string[]) => Array<[string, string]>]> = [
    [
      'the middle chunk missing',
      (c) => [
        [`${NAME}.0`, c[0]!],
        [`${NAME}.2`, c[2]!],
      ],
    ],
    [
      'the last chunk missing',
      (c) => [
        [`${NAME}.0`, c[0]!],
        [`${NAME}.1`, c[1]!],
      ],
    ],
    [
      'the first chunk missing',
      (c) => [
        [`${NAME}.1`, c[1]!],
        [`${NAME}.2`, c[2]!],
      ],
    ],
    [
      'chunks reordered',
      (c) => [
        [`${NAME}.0`, c[1]!],
        [`${NAME}.1`, c[0]!],
        [`${NAME}.2`, c[2]!],
      ],
    ],
    [
      'a tampered chunk',
      (c) => [
        [`${NAME}.0`, c[0]!],
        [`${NAME}.1`, flip(c[1]!)],
        [`${NAME}.2`, c[2]!],
      ],
    ],
    [
      'a garbled plain cookie next to good chunks (the plain one wins)',
      (c) => [[NAME, 'garbage'], ...c.map((v, i): [string, string] => [`${NAME}.${i}`, v])],
    ],
  ];

  it('control: the intact chunks are accepted', async () => {
    await request(app.app)
      .get('/api/me')
      .set('Cookie', header(chunks.map((v, i): [string, string] => [`${NAME}.${i}`, v])))
      .expect(200);
  });

  it.each(cases)('%s', async (_name, make) => {
    const cookie = header(make(chunks));
    const api = await request(app.app).get('/api/me').set('Cookie', cookie).expect(401);
    expect(setCookies(api)).toEqual([]);
    const page = await request(app.app).get('/dashboard').set(BROWSER).set('Cookie', cookie).expect(302);
    expect(page.headers.location).toBe('/login?returnTo=%2Fdashboard');
    expect(setCookies(page)).toEqual([]);
    expect(app.emulator.calls.authenticate_refresh).toBe(0);
  });
});

it(`more than ${MAX_COOKIE_CHUNKS} chunks in the request means signed out, not a 500`, async () => {
  const app = await appWith(SMALL);
  const value = cookieLines(await signIn(request.agent(app.app))).written.get(NAME)!;
  const split = (count: number): Array<[string, string]> => {
    const size = Math.ceil(value.length / count);
    return Array.from({ length: count }, (_, i) => [`${NAME}.${i}`, value.slice(i * size, (i + 1) * size)]);
  };
  await request(app.app)
    .get('/api/me')
    .set('Cookie', header(split(3)))
    .expect(200);
  const refused = await request(app.app)
    .get('/api/me')
    .set('Cookie', header(split(4)))
    .expect(401);
  expect(setCookies(refused)).toEqual([]);
  await request(app.app)
    .get('/')
    .set('Cookie', header(split(5)))
    .expect(200, { signedIn: false, email: null });
});

describe('a session over the cap', () => {
  it('fails the callback with session_too_large and still deletes the sign-in flow cookie', async () => {
    const errors: unknown[] = [];
    const app = await appWith(TOO_BIG, { onError: (error) => errors.push(error) });
    const callback = await signIn(request.agent(app.app));
    expect(callback.status).toBe(500);
    expect(callback.body).toEqual({ code: 'session_too_large' });
    const { written, deleted } = cookieLines(callback);
    expect(written.size).toBe(0);
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatch(/^wos-auth-verifier-/);
    const [error] = errors as AuthKitError[];
    expect(error).toBeInstanceOf(AuthKitError);
    expect(error).toMatchObject({ code: 'session_too_large', status: 500, expose: false });
    expect(error!.message).toMatch(/is \d{5} bytes and would need [4-9] cookies, but at most 3 cookies of 4096 bytes/);
    expect(error!.message).not.toContain('Fe26');
  });

  it('fails a refresh with session_too_large through next(err), setting no cookie', async () => {
    const errors: unknown[] = [];
    const app = await appWith(SMALL, { onError: (error) => errors.push(error) });
    const agent = request.agent(app.app);
    await signIn(agent);
    app.emulator.addMembership(membership(TOO_BIG));
    app.emulator.clock.advance(301);
    const failed = await agent.get('/api/me').expect(500);
    expect(failed.body).toEqual({ code: 'session_too_large' });
    expect(setCookies(failed)).toEqual([]);
    expect(app.emulator.calls.authenticate_refresh).toBe(1);
    expect(errors).toEqual([expect.objectContaining({ code: 'session_too_large' })]);
  });
});
