import connect from 'connect';
import { createAuthKit, type AuthKitOptions } from 'authkit-express';
import { pages } from './pages';

/** The quick-start app on Connect: the same middleware as with Express, nothing Express-only. */
export function createApp(options: AuthKitOptions = {}): connect.Server {
  // Back to the home page after WorkOS signs the user out.
  const authkit = createAuthKit({ signOutRedirectUri: '/', ...options });
  const app = connect();

  // /login, /sign-up, /callback, /logout and /auth/session.
  app.use(authkit.router);
  // Mounted guards: Connect strips the mount path from req.url, the guards use req.originalUrl.
  app.use('/dashboard', authkit.requireAuth);
  app.use('/api', authkit.requireAuth);
  app.use(authkit.optionalAuth);
  app.use(pages);
  // 503 with Retry-After while WorkOS is unreachable, readable pages for failed sign-ins.
  app.use(authkit.errorHandler);
  return app;
}
