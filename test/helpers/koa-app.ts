import Koa from 'koa';
import { getAuth, type KoaAuthKit, type KoaContext, type KoaMiddleware } from '../../lib/koa';
import { koaAuthKit } from '../../lib/adapters/koa/create';
import { createAuthKitContext } from '../../lib/core/context';
import type { Emulator } from '../../lib/testing';
import { setUpTestApp, type TestAppOptions } from './app-setup';

/** Runs `middleware` in order for one exact path (GET, HEAD and POST), like a router's route. */
export function route(path: string, ...middleware: KoaMiddleware[]): KoaMiddleware {
  return async (ctx, next) => {
    if (ctx.originalUrl.split('?')[0] !== path) return void (await next());
    const run = (index: number): Promise<void> => middleware[index]?.(ctx, () => run(index + 1)) ?? Promise.resolve();
    await run(0);
  };
}

export interface KoaTestApp {
  emulator: Emulator;
  authkit: KoaAuthKit;
  app: Koa;
  /** What Koa's `app.on('error')` saw. */
  errors: unknown[];
  warnings: string[];
  close(): Promise<void>;
}

/**
 * A Koa app on the library with Koa's own error handling (no error middleware unless
 * `configure` adds one): `/` optionalAuth, `/dashboard` and `/api/me` requireAuth.
 */
export async function startKoaApp(
  options: TestAppOptions & { configure?: (app: Koa, authkit: KoaAuthKit) => void } = {},
): Promise<KoaTestApp> {
  const { emulator, authkitOptions, warnings } = await setUpTestApp(options);
  const authkit = koaAuthKit(createAuthKitContext(authkitOptions, options.ports));
  const app = new Koa();
  app.silent = true;
  const errors: unknown[] = [];
  app.on('error', (error: unknown) => errors.push(error));
  options.configure?.(app, authkit);
  app.use(authkit.router);
  app.use(
    route('/', authkit.optionalAuth, async (ctx: KoaContext) => {
      const auth = getAuth(ctx);
      ctx.body = { signedIn: auth.user !== null, email: auth.user?.email ?? null };
    }),
  );
  app.use(
    route('/dashboard', authkit.requireAuth, async (ctx: KoaContext) => {
      ctx.type = 'html';
      ctx.body = `<h1>Dashboard of ${getAuth(ctx).user?.email}</h1>`;
    }),
  );
  app.use(
    route('/api/me', authkit.requireAuth(), async (ctx: KoaContext) => {
      ctx.body = getAuth(ctx);
    }),
  );
  return { emulator, authkit, app, errors, warnings, close: () => emulator.close() };
}
