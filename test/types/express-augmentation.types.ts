// Type tests of the opt-in `authkit-express/express` augmentation, checked by `npm run typecheck`.
// Caveat: lib/express.ts is part of this repository's own program (tsconfig includes lib/), so
// here the augmentation is always on. That it is off until imported is proven against the packed
// package by test/package/pack.test.ts, which compiles a consumer with and without the import.
import '../../lib/express'; // what users write as `import 'authkit-express/express'`
import express from 'express';
import { expectTypeOf } from 'expect-type';
import type { AuthState, SignedInAuth } from 'authkit-express';
import type * as augmentation from '../../lib/express';

declare const authkit: import('authkit-express').AuthKit;

expectTypeOf<express.Request['auth']>().toEqualTypeOf<AuthState | undefined>();
expectTypeOf<augmentation.AuthState>().toEqualTypeOf<AuthState>();

const app = express();
app.get('/me', authkit.requireAuth, (req, res) => {
  expectTypeOf(req.auth).toEqualTypeOf<AuthState | undefined>();
  if (req.auth?.user) {
    expectTypeOf(req.auth).toEqualTypeOf<SignedInAuth>();
    res.json({ email: req.auth.user.email, roles: req.auth.roles });
    return;
  }
  // @ts-expect-error not narrowed: the signed-out branch holds no session fields
  void req.auth?.sessionId;
  res.status(401).end();
});
// The augmentation describes what the guards set, so it is optional and never `any`.
expectTypeOf<express.Request['auth']>().not.toBeAny();
// @ts-expect-error only AuthState can be assigned
app.use((req) => void (req.auth = { user: 'someone' }));
