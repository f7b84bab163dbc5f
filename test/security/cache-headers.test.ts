import request from 'supertest';
import { getAuth as getKoaAuth, type KoaContext } from '../../lib/koa';
import { varyOnCookie } from '../../lib/http/cache-headers';
import { route, startKoaApp, type KoaTestApp } from '../helpers/koa-app';
import { signIn, startTestApp, type TestApp } from '../helpers/app';

/**
 * Finding 6 of the security review: responses a guard let through depend on the session
 * (who is signed in, or that nobody is), so a shared cache must never store and replay them.
 */

type Agent = ReturnType<typeof request.agent>;

function expectSessionDependent(response: request.Response): void {
  expect(response.headers['cache-control']).toBe('private, no-store');
  expect(
    String(response.headers.vary)
      .split(/\s*,\s*/)
      .map((v) => v.toLowerCase()),
  ).toContain('cookie');
}

// The same routes on both adapters: the app sets nothing, sets its own Cache-Control before the
// guard, sets its own Vary, or sets Cache-Control in the handler.
const ROUTES = ['/', '/api/me', '/own-cache-control', '/own-vary', '/handler-cache-control', '/protected/page'] as const;

interface Adapter {
  name: string;
  start(): Promise<{ agent: Agent; close(): Promise<void> }>;
}

const express: Adapter = {
  name: 'Express',
  async start() {
    const t: TestApp = await startTestApp({
      configure: (app, authkit) => {
        app.get(
          '/own-cache-control',
          (_req, res, next) => (res.set('Cache-Control', 'private, max-age=60'), next()),
          authkit.requireAuth,
          (_req, res) => res.json({}),
        );
        app.get(
          '/own-vary',
          (_req, res, next) => (res.set('Vary', 'Accept-Encoding'), next()),
          authkit.optionalAuth,
          (_req, res) => res.json({}),
        );
        app.get('/handler-cache-control', authkit.requireAuth, (_req, res) => res.set('Cache-Control', 'no-cache').json({}));
        app.use('/protected', authkit.protect());
        app.get('/protected/page', (req, res) => res.json({ id: req.auth?.user?.id ?? null }));
      },
    });
    return { agent: request.agent(t.app), close: () => t.close() };
  },
};

const koa: Adapter = {
  name: 'Koa',
  async start() {
    const t: KoaTestApp = await startKoaApp({
      configure: (app, authkit) => {
        const json = async (ctx: KoaContext) => void (ctx.body = {});
        const setting =
          (name: string, value: string) =>
          async (ctx: KoaContext, next: () => Promise<unknown>): Promise<void> => {
            ctx.set(name, value);
            await next();
          };
        app.use(route('/own-cache-control', setting('Cache-Control', 'private, max-age=60'), authkit.requireAuth, json));
        app.use(route('/own-vary', setting('Vary', 'Accept-Encoding'), authkit.optionalAuth, json));
        app.use(
          route('/handler-cache-control', authkit.requireAuth, async (ctx) => (ctx.set('Cache-Control', 'no-cache'), void (ctx.body = {}))),
        );
        app.use(
          route('/protected/page', authkit.protect(), async (ctx) => {
            ctx.body = { id: getKoaAuth(ctx).user?.id ?? null };
          }),
        );
      },
    });
    return { agent: request.agent(t.app.callback()), close: () => t.close() };
  },
};

describe.each([express, koa])('$name: guarded responses are never stored by shared caches', (adapter) => {
  let agent: Agent;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ agent, close } = await adapter.start());
  });
  afterEach(() => close());

  it('a signed-out request through optionalAuth (no cookie at all) is private and varies on Cookie', async () => {
    expectSessionDependent(await agent.get('/').expect(200));
  });

  it('signed-in responses through requireAuth, optionalAuth and protect are private and vary on Cookie', async () => {
    await signIn(agent);
    for (const path of ['/', '/api/me', '/protected/page']) expectSessionDependent(await agent.get(path).expect(200));
  });

  it("the app's own Cache-Control wins (set before the guard or in the handler); Vary: Cookie is still added", async () => {
    await signIn(agent);
    const before = await agent.get('/own-cache-control').expect(200);
    expect(before.headers['cache-control']).toBe('private, max-age=60');
    expect(before.headers.vary).toMatch(/\bCookie\b/);
    const inHandler = await agent.get('/handler-cache-control').expect(200);
    expect(inHandler.headers['cache-control']).toBe('no-cache');
    expect(inHandler.headers.vary).toMatch(/\bCookie\b/);
  });

  it("keeps the app's Vary and adds Cookie once", async () => {
    const response = await agent.get('/own-vary').expect(200);
    expect(response.headers.vary).toBe('Accept-Encoding, Cookie');
    expect(response.headers['cache-control']).toBe('private, no-store');
  });

  it('every guarded route of the table is marked, signed in and out', async () => {
    for (const path of ROUTES) {
      const signedOut = await agent.get(path);
      expect(signedOut.headers.vary).toMatch(/\bCookie\b/);
    }
  });
});

describe('varyOnCookie', () => {
  it.each([
    [undefined, 'Cookie'],
    ['', 'Cookie'],
    ['Accept-Encoding', 'Accept-Encoding, Cookie'],
    ['accept, COOKIE', undefined],
    ['Cookie', undefined],
    ['*', undefined],
    ['X-Cookie-Consent', 'X-Cookie-Consent, Cookie'],
  ])('%j -> %j', (current, expected) => {
    expect(varyOnCookie(current)).toBe(expected);
  });
});
