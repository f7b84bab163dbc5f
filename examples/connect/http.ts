import type { IncomingMessage, ServerResponse } from 'node:http';
import { createAuthKit, type AuthKitOptions, type Middleware } from 'authkit-express';
import { pages } from './pages';

/**
 * The same app with no framework at all: a request listener for `http.createServer` that runs
 * the middleware in order, and the library's error handler when one passes an error on.
 */
export function createHandler(options: AuthKitOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  // Back to the home page after WorkOS signs the user out.
  const authkit = createAuthKit({ signOutRedirectUri: '/', ...options });
  const guardFor = (req: IncomingMessage): Middleware =>
    /^\/(dashboard|api)([/?]|$)/.test(req.url ?? '/') ? authkit.requireAuth : authkit.optionalAuth;
  const chain: Middleware[] = [authkit.router, (req, res, next) => guardFor(req)(req, res, next), pages];

  return (req, res) => {
    let index = 0;
    const next = (error?: unknown): void => {
      if (error !== undefined) {
        return authkit.errorHandler(error, req, res, () => {
          res.statusCode = 500;
          res.end('Something went wrong.');
        });
      }
      chain[index++]?.(req, res, next);
    };
    next();
  };
}
