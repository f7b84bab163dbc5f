/**
 * `authkit-express/koa`: the same options and names as `authkit-express`, as Koa middleware.
 *
 * ```ts
 * import Koa from 'koa';
 * import { createAuthKit, getAuth } from 'authkit-express/koa';
 *
 * const authkit = createAuthKit();
 * const app = new Koa();
 * app.use(authkit.router);
 * app.use(authkit.protect({ unauthenticatedPaths: ['/'] }));
 * app.use((ctx) => { ctx.body = getAuth(ctx).user?.email ?? 'signed out'; });
 * ```
 *
 * Errors are thrown for Koa's error handling (status, `expose`, `headers`); cookies that must go
 * with an error response (a cleared flow cookie, a refreshed session) reach the browser anyway.
 *
 * @module authkit-express/koa
 */
export { createKoaAuthKit as createAuthKit, type KoaAuthKit } from '../adapters/koa/create';
export { getAuth } from '../adapters/koa/state';
export type { KoaAuthKitHelpers } from '../adapters/koa/helpers';
export type { KoaGuard, KoaProtect } from '../adapters/koa/guards';
export type { AuthKitState, KoaContext, KoaMiddleware, KoaNext } from '../adapters/koa/types';

export * from '../shared-exports';
