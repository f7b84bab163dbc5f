import Koa from 'koa';
import { createAuthKit, type AuthKitOptions, type AuthKitState } from 'authkit-express/koa';

/** The WorkOS Node quick-start app, written for Koa with authkit-express/koa. */
export function createApp(options: AuthKitOptions = {}): Koa<AuthKitState> {
  // Back to the home page after WorkOS signs the user out.
  const authkit = createAuthKit({ signOutRedirectUri: '/', ...options });
  const app = new Koa<AuthKitState>();

  // /login, /sign-up, /callback, /logout and /auth/session.
  app.use(authkit.router);
  // Every other page needs a session, except the home page (which still gets ctx.state.auth).
  app.use(authkit.protect({ unauthenticatedPaths: ['/'] }));

  app.use((ctx) => {
    const { auth } = ctx.state;
    switch (ctx.path) {
      case '/':
        ctx.type = 'html';
        ctx.body = page(
          auth.user
            ? `<p>Signed in as <strong>${escapeHtml(auth.user.email)}</strong>.</p>
               <p><a href="/dashboard">Dashboard</a> · <a href="/logout">Sign out</a></p>`
            : `<p>You are signed out.</p><p><a href="/login">Sign in</a> · <a href="/sign-up">Sign up</a></p>`,
        );
        return;
      case '/dashboard':
        if (auth.user === null) return; // protect already answered
        ctx.type = 'html';
        ctx.body = page(`<h2>Dashboard</h2>
          <p>Welcome, ${escapeHtml(auth.user.firstName ?? auth.user.email)}.</p>
          <p>Session <code>${escapeHtml(auth.sessionId)}</code>${auth.organizationId ? ` in organization <code>${escapeHtml(auth.organizationId)}</code>` : ''}.</p>
          <p><a href="/">Home</a> · <a href="/logout">Sign out</a></p>`);
        return;
      // An API route: signed-out callers get 401 JSON, not a redirect.
      case '/api/me':
        ctx.body = { user: auth.user };
        return;
    }
  });
  // No error middleware needed: Koa's own answers the library's errors (503 with Retry-After, 400 for a failed sign-in).
  return app;
}

function page(body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>authkit-express Koa example</title></head><body><h1>authkit-express Koa example</h1>${body}</body></html>`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
