import type { IncomingMessage, ServerResponse } from 'node:http';
import { getAuth } from 'authkit-express';

/**
 * The example's pages, written against `node:http` only (no Express helpers), so the Connect app
 * and the bare `http.createServer` chain share them. A guard ran before each.
 */
export function pages(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void {
  const auth = getAuth(req);
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  switch (pathname) {
    case '/':
      return html(
        res,
        auth.user
          ? `<p>Signed in as <strong>${escapeHtml(auth.user.email)}</strong>.</p>
             <p><a href="/dashboard">Dashboard</a> · <a href="/logout">Sign out</a></p>`
          : `<p>You are signed out.</p><p><a href="/login">Sign in</a> · <a href="/sign-up">Sign up</a></p>`,
      );
    case '/dashboard':
      if (auth.user === null) return next(); // requireAuth already answered
      return html(
        res,
        `<h2>Dashboard</h2>
         <p>Welcome, ${escapeHtml(auth.user.firstName ?? auth.user.email)}.</p>
         <p>Session <code>${escapeHtml(auth.sessionId)}</code>.</p>
         <p><a href="/">Home</a> · <a href="/logout">Sign out</a></p>`,
      );
    case '/api/me': {
      const body = JSON.stringify({ user: auth.user });
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      return void res.end(body);
    }
    default:
      res.statusCode = 404;
      res.end('Not found');
  }
}

function html(res: ServerResponse, body: string): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(
    `<!doctype html><html><head><meta charset="utf-8"><title>authkit-express example</title></head><body><h1>authkit-express example</h1>${body}</body></html>`,
  );
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
