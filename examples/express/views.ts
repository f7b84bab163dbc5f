import type { SignedInAuth } from 'authkit-express';

/** An organization the signed-in user may switch to (from WorkOS's membership list). */
export interface OrganizationChoice {
  id: string;
  name: string;
  role: string;
}

export interface PageContext {
  signedIn: boolean;
  /** The emulator's dashboard, when the example runs on it. */
  emulatorDashboardUrl?: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
const e = escapeHtml;

export function layout(title: string, body: string, context: PageContext): string {
  const links = [
    context.signedIn ? '<a href="/dashboard">Dashboard</a>' : '',
    context.signedIn ? '<a href="/admin">Admin</a>' : '',
    context.emulatorDashboardUrl ? `<a href="${e(context.emulatorDashboardUrl)}" target="_blank" rel="noopener">Emulator</a>` : '',
    context.signedIn ? '<a href="/logout">Sign out</a>' : '<a href="/login">Sign in</a>',
  ].filter(Boolean);
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${e(title)} · authkit-express example</title>
  <link rel="icon" href="/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/style.css">
</head>
<body>
  <header><nav><a class="brand" href="/"><img src="/favicon.svg" alt="">authkit-express example</a>${links.join('')}</nav></header>
  <main>${body}</main>
</body>
</html>`;
}

export function homePage(auth: SignedInAuth | null, context: PageContext): string {
  const body = auth
    ? `<section class="card hero">
        <h1>Welcome back</h1>
        <p class="lead">Signed in as <strong>${e(auth.user.email)}</strong>.</p>
        <p class="actions"><a href="/dashboard">Dashboard</a><a href="/logout">Sign out</a></p>
      </section>`
    : `<section class="card hero">
        <h1>authkit-express example</h1>
        <p class="lead">You are signed out. Sign in with WorkOS AuthKit (or the local emulator) to see your session.</p>
        <p class="actions"><a href="/login">Sign in</a><a href="/sign-up">Sign up</a></p>
      </section>`;
  return layout('Home', body, context);
}

const badges = (values: readonly string[]): string =>
  values.length === 0 ? '<span class="muted">none</span>' : values.map((value) => `<span class="badge">${e(value)}</span>`).join('');

export function dashboardPage(
  auth: SignedInAuth,
  organizations: readonly OrganizationChoice[],
  serverNow: number,
  context: PageContext,
): string {
  const { user } = auth;
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email;
  const current = organizations.find((org) => org.id === auth.organizationId);
  const others = organizations.filter((org) => org.id !== auth.organizationId);
  const switcher =
    others.length === 0
      ? '<p class="muted">No other organization to switch to.</p>'
      : others
          .map(
            (org) => `<form class="inline" method="post" action="/organization">
              <input type="hidden" name="organizationId" value="${e(org.id)}">
              <button type="submit" class="secondary">Switch to ${e(org.name)}</button> <span class="muted">as ${e(org.role)}</span>
            </form>`,
          )
          .join('');
  const body = `
    <h1>Dashboard</h1>
    <p class="lead">Welcome, ${e(user.firstName ?? user.email)}. Everything below comes from your verified access token, except the profile.</p>
    <div class="grid">
      <section class="card">
        <h2>User</h2>
        <dl>
          <dt>Name</dt><dd>${e(name)}</dd>
          <dt>Email</dt><dd>${e(user.email)}</dd>
          <dt>User id</dt><dd><code>${e(user.id)}</code></dd>
        </dl>
      </section>
      <section class="card">
        <h2>Organization</h2>
        <dl>
          <dt>Organization</dt><dd data-organization>${auth.organizationId ? `${e(current?.name ?? auth.organizationId)} <code>${e(auth.organizationId)}</code>` : '<span class="muted">none</span>'}</dd>
          <dt>Role</dt><dd data-role>${e(auth.role ?? 'none')}</dd>
          <dt>Roles</dt><dd>${badges(auth.roles)}</dd>
          <dt>Permissions</dt><dd data-permissions>${badges(auth.permissions)}</dd>
        </dl>
        <p>${auth.has({ role: 'admin' }) ? '<a href="/admin">Open the admin page</a>' : '<a href="/admin">The admin page</a> <span class="muted">answers 403 without the admin role</span>'}</p>
      </section>
      <section class="card">
        <h2>Switch organization</h2>
        <div class="switcher">${switcher}</div>
      </section>
      <section class="card wide" id="token" data-expires-at="${auth.claims.exp}" data-server-now="${serverNow / 1000}" data-refreshes="0">
        <h2>Access token</h2>
        <p class="muted">Expires in</p>
        <p class="countdown">…</p>
        <p class="muted">Session <code>${e(auth.sessionId)}</code>. This page asks the app every 2 seconds; the request that finds the token due refreshes it.${
          context.emulatorDashboardUrl
            ? ` Expire it now, or make the next refresh fail, on the <a href="${e(context.emulatorDashboardUrl)}" target="_blank" rel="noopener">emulator's dashboard</a>.`
            : ''
        }</p>
        <ol class="log" aria-live="polite"></ol>
      </section>
    </div>
    <script src="/session.js" defer></script>`;
  return layout('Dashboard', body, context);
}

export function adminPage(auth: SignedInAuth, context: PageContext): string {
  const body = `
    <h1>Admin area</h1>
    <section class="card">
      <p>Only members holding the <span class="badge">admin</span> role in their current organization get here:
      the route is guarded by <code>authkit.requireAuth({ roles: 'admin' })</code>, and everyone else gets a 403 page.</p>
      <dl>
        <dt>Organization</dt><dd><code>${e(auth.organizationId ?? 'none')}</code></dd>
        <dt>Permissions</dt><dd>${badges(auth.permissions)}</dd>
      </dl>
    </section>`;
  return layout('Admin', body, context);
}
