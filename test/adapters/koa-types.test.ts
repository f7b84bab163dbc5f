import Koa from 'koa';
import { expectTypeOf } from 'expect-type';
import {
  createAuthKit,
  getAuth,
  type AuthKitState,
  type AuthState,
  type KoaAuthKit,
  type KoaContext,
  type KoaGuard,
  type KoaMiddleware,
  type SignedInAuth,
} from '../../lib/koa';
import { COOKIE_PASSWORD } from '../helpers/env';

// Compile-time checks (run by `npm run typecheck`); the test body also runs them once.
describe('authkit-express/koa types', () => {
  it('fit Koa, narrow the auth union and leak no any', () => {
    const authkit = createAuthKit({
      clientId: 'client_x',
      apiKey: 'sk_test_x',
      cookiePassword: COOKIE_PASSWORD,
      redirectUri: 'http://localhost:3000/callback',
    });

    // Every form is accepted by an untyped and by a typed Koa app.
    const app = new Koa();
    app.use(authkit.router);
    app.use(authkit.requireAuth);
    app.use(authkit.requireAuth({ permissions: 'posts:write' }));
    app.use(authkit.optionalAuth());
    app.use(authkit.protect({ unauthenticatedPaths: ['/'] }));
    const typed = new Koa<AuthKitState>();
    typed.use(authkit.requireAuth).use((ctx) => {
      expectTypeOf(ctx.state.auth).toEqualTypeOf<AuthState>();
    });
    app.use(async (ctx) => {
      const auth = getAuth(ctx);
      expectTypeOf(auth).toEqualTypeOf<AuthState>();
      if (auth.user !== null) {
        expectTypeOf(auth.sessionId).toEqualTypeOf<string>();
        expectTypeOf(auth.permissions).toEqualTypeOf<string[]>();
      }
      expectTypeOf(await authkit.refreshSession(ctx)).toEqualTypeOf<SignedInAuth>();
    });

    expectTypeOf<KoaAuthKit>().not.toBeAny();
    expectTypeOf<KoaContext['body']>().toBeUnknown();
    expectTypeOf<Parameters<KoaMiddleware>[1]>().returns.toEqualTypeOf<Promise<unknown>>();
    expectTypeOf<ReturnType<KoaMiddleware>>().toEqualTypeOf<Promise<void>>();
    expectTypeOf<KoaGuard>().parameter(0).not.toBeAny();
    expectTypeOf<KoaAuthKit['switchToOrganization']>().returns.toEqualTypeOf<Promise<SignedInAuth | undefined>>();
    expectTypeOf<KoaAuthKit['saveSession']>().parameter(1).not.toBeAny();
    expectTypeOf(getAuth).parameter(0).not.toBeAny();
    expect(typeof authkit.requireAuth).toBe('function');
  });
});
