import express from 'express';
import { createAuthKit, getAuth, type AuthKitOptions } from 'authkit-express';

/** The WorkOS Node quick-start app, written with authkit-express. */
export function createApp(options: AuthKitOptions = {}): express.Express {
  const authkit = createAuthKit(options);
  const app = express();

  // /login, /sign-up, /callback and /logout.
  app.use(authkit.router);

  app.get('/', authkit.optionalAuth, (req, res) => {
    const { user } = getAuth(req);
    res.type('html').send(
      page(
        user
          ? `<p>Signed in as <strong>${escapeHtml(user.email)}</strong>.</p>
             <p><a href="/dashboard">Dashboard</a> · <a href="/logout">Sign out</a></p>`
          : `<p>You are signed out.</p><p><a href="/login">Sign in</a> · <a href="/sign-up">Sign up</a></p>`,
      ),
    );
  });

  app.get('/dashboard', authkit.requireAuth, (req, res) => {
    const auth = getAuth(req);
    if (auth.user === null) return; // requireAuth already answered
    res.type('html').send(
      page(`<h2>Dashboard</h2>
        <p>Welcome, ${escapeHtml(auth.user.firstName ?? auth.user.email)}.</p>
        <p>Session <code>${escapeHtml(auth.sessionId)}</code>${auth.organizationId ? ` in organization <code>${escapeHtml(auth.organizationId)}</code>` : ''}.</p>
        <p><a href="/">Home</a> · <a href="/logout">Sign out</a></p>`),
    );
  });

  // An API route: signed-out callers get 401 JSON, not a redirect.
  app.get('/api/me', authkit.requireAuth, (req, res) => {
    const auth = getAuth(req);
    res.json({ user: auth.user });
  });

  // 503 with Retry-After while WorkOS is unreachable, readable pages for failed sign-ins.
  app.use(authkit.errorHandler);

  return app;
}

function page(body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>authkit-express example</title></head><body><h1>authkit-express example</h1>${body}</body></html>`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
