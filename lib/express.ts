/**
 * `authkit-express/express`: opt-in typing of `req.auth` on Express's `Request`.
 *
 * ```ts
 * import 'authkit-express/express'; // once, anywhere in the program
 * app.get('/me', authkit.requireAuth, (req, res) => {
 *   if (req.auth?.user) res.json(req.auth.user.email);
 * });
 * ```
 *
 * Opt-in because express-jwt, Clerk and others declare their own `req.auth`, and one program
 * can hold only one declaration of it. Without this import, `getAuth(req)` is the typed accessor;
 * it also checks that `req.auth` was set by this library, which this declaration cannot.
 * Importing it adds nothing at run time.
 *
 * @module authkit-express/express
 */
import type { AuthState } from './authorization/auth-state';

declare global {
  // Express's `Request` (4 and 5) extends the global `Express.Request`.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by `requireAuth`, `optionalAuth` and `protect`; `undefined` before a guard ran. Narrow on `user`. */
      auth?: AuthState;
    }
  }
}

export type { AuthState, SignedInAuth, SignedOutAuth } from './authorization/auth-state';
