/**
 * Express and Koa apps for tests that forge session cookies with the real cookie password
 * (what someone who learned it can do) and send them over real HTTP. Each app records what
 * the library logged with `debug`, what `onSessionRejected` saw, and every error that reached
 * the app (an error there is what would have been a 500).
 */
import type { Express } from 'express';
import type Koa from 'koa';
import request from 'supertest';
import { getAuth as getExpressAuth, type AuthKit, type AuthKitOptions } from '../../lib';
import { getAuth as getKoaAuth, type KoaAuthKit, type KoaContext } from '../../lib/koa';
import type { Emulator, EmulatorOptions } from '../../lib/testing';
import { startTestApp } from '../helpers/app';
import { route, startKoaApp } from '../helpers/koa-app';
import { listen, stopServer } from '../helpers/server';

export type AdapterName = 'Express' | 'Koa';
export const ADAPTERS: readonly AdapterName[] = ['Express', 'Koa'];

/** `/acme` needs organization org_acme; `/acme-check` asks a custom check the same. */
export const ORG = 'org_acme';

export interface SealedApp {
  adapter: AdapterName;
  emulator: Emulator;
  debugLines: string[];
  rejections: string[];
  /** Errors that reached the app's error handler (Express) or Koa's `error` event. */
  errors: unknown[];
  /** Supertest bound to the app's listening server. */
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

function options(debug: boolean, debugLines: string[], rejections: string[], warnings: string[]): AuthKitOptions {
  return {
    debug,
    logger: { warn: (message) => warnings.push(message), debug: (message) => debugLines.push(message) },
    onSessionRejected: ({ reason }) => rejections.push(reason),
  };
}

function addExpressRoutes(app: Express, authkit: AuthKit): void {
  app.get('/acme', authkit.requireAuth({ organizationId: ORG }), (req, res) => res.json(getExpressAuth(req)));
  app.get('/acme-check', authkit.requireAuth({ check: (auth) => auth.organizationId === ORG }), (_req, res) => res.json({ ok: true }));
  app.get('/has-admin', authkit.requireAuth, (req, res) => res.json({ admin: getExpressAuth(req).has({ role: 'admin' }) }));
}

function addKoaRoutes(app: Koa, authkit: KoaAuthKit): void {
  app.use(route('/acme', authkit.requireAuth({ organizationId: ORG }), async (ctx: KoaContext) => void (ctx.body = getKoaAuth(ctx))));
  app.use(
    route(
      '/acme-check',
      authkit.requireAuth({ check: (auth) => auth.organizationId === ORG }),
      async (ctx: KoaContext) => void (ctx.body = { ok: true }),
    ),
  );
  app.use(
    route(
      '/has-admin',
      authkit.requireAuth,
      async (ctx: KoaContext) => void (ctx.body = { admin: getKoaAuth(ctx).has({ role: 'admin' }) }),
    ),
  );
}

/**
 * Starts the README-shaped app of `adapter` on its own emulator: `/api/me` (requireAuth, answers
 * `req.auth`), `/` (optionalAuth), `/auth/session`, plus the organization routes above.
 */
export async function startSealedApp(adapter: AdapterName, settings: { debug: boolean; emulator?: EmulatorOptions }): Promise<SealedApp> {
  const debugLines: string[] = [];
  const rejections: string[] = [];
  const warnings: string[] = [];
  const authkit = options(settings.debug, debugLines, rejections, warnings);
  if (adapter === 'Express') {
    const errors: unknown[] = [];
    const t = await startTestApp({
      emulator: settings.emulator,
      authkit,
      configure: addExpressRoutes,
      onError: (error) => errors.push(error),
    });
    const server = await listen(t.app);
    return {
      adapter,
      emulator: t.emulator,
      debugLines,
      rejections,
      errors,
      http: () => request(server),
      close: async () => (await stopServer(server), await t.close()),
    };
  }
  const t = await startKoaApp({ emulator: settings.emulator, authkit, configure: addKoaRoutes });
  const server = await listen(t.app.callback());
  // Koa's own error handling answers 500 for anything thrown: its `error` events are the errors.
  return {
    adapter,
    emulator: t.emulator,
    debugLines,
    rejections,
    errors: t.errors,
    http: () => request(server),
    close: async () => (await stopServer(server), await t.close()),
  };
}
