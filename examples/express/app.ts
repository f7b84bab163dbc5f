import { join } from 'node:path';
import express from 'express';
import { createAuthKit, getAuth, type AuthKit, type AuthKitOptions } from 'authkit-express';
import { adminPage, dashboardPage, homePage, type OrganizationChoice, type PageContext } from './views';

export interface ExampleOptions {
  /** The emulator's dashboard, linked from the pages when the example runs on it. */
  emulatorDashboardUrl?: string;
}

/** The WorkOS Node quick-start app, written with authkit-express, with organizations and roles. */
export function createApp(options: AuthKitOptions = {}, example: ExampleOptions = {}): express.Express {
  // After WorkOS signs the user out it sends them back here (list the URL in the WorkOS dashboard's sign-out redirects).
  const authkit = createAuthKit({ signOutRedirectUri: '/', ...options });
  // The server's clock: the emulator's when it runs in process, so its dashboard can move time.
  const clock = options.clock ?? Date;
  const context = (signedIn: boolean): PageContext => ({ signedIn, emulatorDashboardUrl: example.emulatorDashboardUrl });
  const app = express();

  app.use(express.static(join(__dirname, 'public'), { maxAge: '1h' }));
  app.get('/favicon.ico', (_req, res) => res.type('image/svg+xml').sendFile(join(__dirname, 'public', 'favicon.svg')));

  // /login, /sign-up, /callback, /logout and /auth/session.
  app.use(authkit.router);

  app.get('/', authkit.optionalAuth, (req, res) => {
    const auth = getAuth(req);
    res.type('html').send(homePage(auth.user ? auth : null, context(auth.user !== null)));
  });

  app.get('/dashboard', authkit.requireAuth, async (req, res, next) => {
    const auth = getAuth(req);
    if (auth.user === null) return; // requireAuth already answered
    try {
      res.type('html').send(dashboardPage(auth, await organizationsOf(authkit, auth.user.id), clock.now(), context(true)));
    } catch (error) {
      next(error);
    }
  });

  // Members get the library's 403 page, signed-out visitors are sent to sign in.
  app.get('/admin', authkit.requireAuth({ roles: 'admin' }), (req, res) => {
    const auth = getAuth(req);
    if (auth.user !== null) res.type('html').send(adminPage(auth, context(true)));
  });

  // Switches the session to another organization: WorkOS issues a token for it (with the role held
  // there), or asks for a new sign-in when that organization requires SSO or MFA.
  app.post('/organization', sameOriginOnly, authkit.requireAuth, express.urlencoded({ extended: false }), async (req, res, next) => {
    const organizationId: unknown = req.body?.organizationId;
    if (typeof organizationId !== 'string' || organizationId === '') return void res.status(400).send('organizationId is required');
    try {
      await authkit.switchToOrganization(req, res, organizationId, { returnTo: '/dashboard' });
    } catch (error) {
      next(error); // OrganizationSwitchError: 403 through errorHandler
    }
  });

  // What the dashboard's script polls: guarded like a page (so it refreshes a due token), never a token itself.
  app.get('/api/session', authkit.optionalAuth, (req, res) => {
    const auth = getAuth(req);
    res.json(
      auth.user
        ? { signedIn: true, expiresAt: auth.claims.exp, serverNow: clock.now() / 1000, organizationId: auth.organizationId ?? null }
        : { signedIn: false },
    );
  });

  // An API route: signed-out callers get 401 JSON, not a redirect.
  app.get('/api/me', authkit.requireAuth, (req, res) => {
    const auth = getAuth(req);
    res.json({ user: auth.user });
  });

  // 503 with Retry-After while WorkOS is unreachable, readable pages for failed sign-ins and refused switches.
  app.use(authkit.errorHandler);

  return app;
}

/** The user's active memberships, for the organization switcher. */
async function organizationsOf(authkit: AuthKit, userId: string): Promise<OrganizationChoice[]> {
  const list = await authkit.workos.userManagement.listOrganizationMemberships({ userId, statuses: ['active'] });
  return list.data.map((membership) => ({ id: membership.organizationId, name: membership.organizationName, role: membership.role.slug }));
}

/** A form POST that changes the session must come from this site's own pages. */
function sameOriginOnly(req: express.Request, res: express.Response, next: express.NextFunction): void {
  const site = req.get('Sec-Fetch-Site');
  if (site !== undefined && site !== 'same-origin') res.status(403).send('Cross-site request refused');
  else next();
}
