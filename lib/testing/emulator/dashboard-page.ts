import { escapeHtml } from '../../http/html';
import { ENDPOINTS, type EmulatorContext } from './context';
import { describeFault, REFRESH_FAULTS } from './dashboard-faults';
import { page } from './layout';
import { rolesOf, tokenMembership } from './roles';
import type { Session } from './store';

export interface DashboardNotice {
  text: string;
  error?: boolean;
}

const e = escapeHtml;

/** Everything the emulator holds, for a person; actions post back to `/dashboard`. */
export function renderDashboard(ctx: EmulatorContext, notice?: DashboardNotice): string {
  const body = `
    <h1>WorkOS emulator</h1>
    <p class="note">${e(ctx.url)} · client <code>${e(ctx.clientId)}</code> · ${clockLine(ctx)} · <a href="/dashboard">Reload</a></p>
    ${notice ? `<p role="status" class="${notice.error ? 'error' : 'flash'}">${e(notice.text)}</p>` : ''}
    <h2>Live sessions</h2>
    ${sessionsTable(ctx)}
    <h2>Failures and keys</h2>
    ${controls(ctx)}
    <h2>Users</h2>
    ${usersTable(ctx)}
    <h2>Organizations</h2>
    ${organizationsTable(ctx)}
    <h2>Roles</h2>
    ${rolesTable(ctx)}
    <h2>Calls</h2>
    <p>${ENDPOINTS.map((endpoint) => `${e(endpoint)}: <strong>${ctx.calls[endpoint]}</strong>`).join(' · ')}</p>`;
  return page('Dashboard · WorkOS emulator', body, '64rem');
}

function clockLine(ctx: EmulatorContext): string {
  const offset = Math.round((ctx.clock.now() - Date.now()) / 1000);
  return offset === 0 ? 'clock: real time' : `clock: ${offset > 0 ? '+' : ''}${offset} s from real time`;
}

function action(name: string, label: string, fields: Record<string, string> = {}, extra = ''): string {
  const hidden = Object.entries({ action: name, ...fields })
    .map(([key, value]) => `<input type="hidden" name="${e(key)}" value="${e(value)}">`)
    .join('');
  return `<form method="post" action="/dashboard" class="inline">${hidden}${extra}<button type="submit">${e(label)}</button></form>`;
}

function sessionsTable(ctx: EmulatorContext): string {
  const live = [...ctx.store.sessions.values()].filter((session) => !session.ended);
  if (live.length === 0) return '<p>No live sessions. Sign in to your app to start one.</p>';
  const rows = live.map((session) => {
    const user = ctx.store.user(session.userId);
    const org = session.organizationId;
    const membership = tokenMembership(ctx.store, session.userId, org, session.role);
    return `<tr data-session="${e(session.id)}">
        <td><code>${e(session.id)}</code></td>
        <td>${e(user?.email ?? session.userId)}</td>
        <td>${org === undefined ? '—' : e(ctx.store.organizationName(org))}</td>
        <td>${e(membership?.role ?? '—')}</td>
        <td>${expiry(ctx, session)}</td>
        <td>${action('expire', 'Expire access token now', { session_id: session.id })}${action('revoke', 'Revoke', { session_id: session.id })}</td>
      </tr>`;
  });
  return `<table>
      <thead><tr><th>Session</th><th>User</th><th>Organization</th><th>Role</th><th>Access token</th><th></th></tr></thead>
      <tbody>${rows.join('')}</tbody>
    </table>
    <p class="note">Expiring moves the emulator clock to the token's expiry (tokens issued before it expire too). An app
    sees it when it shares the emulator's clock, as apps given <code>emulator.settings</code> in process do; an app in
    another process keeps real time: give it short tokens instead (lifetime below, or <code>--access-token-ttl</code>).</p>`;
}

function expiry(ctx: EmulatorContext, session: Session): string {
  if (session.accessTokenExpiresAt === undefined) return '—';
  const seconds = Math.round((session.accessTokenExpiresAt - ctx.clock.now()) / 1000);
  return seconds > 0 ? `expires in ${seconds} s` : `expired ${-seconds} s ago`;
}

function controls(ctx: EmulatorContext): string {
  const options = Object.entries(REFRESH_FAULTS)
    .map(([value, { label }]) => `<option value="${e(value)}">${e(label)}</option>`)
    .join('');
  const pending = ctx.faults.pending('authenticate_refresh');
  const armed =
    pending.length === 0
      ? 'No refresh failure armed.'
      : `Armed for the next refresh calls: ${pending.map(({ fault, remaining }) => `${e(describeFault(fault))} × ${remaining}`).join(', ')}.`;
  return `
    ${action(
      'fail-refresh',
      'Make the next refresh fail',
      {},
      `<label class="inline">Failure <select name="fault">${options}</select></label>` +
        '<label class="inline">times <input name="times" type="number" min="1" max="20" value="1"></label>',
    )}
    <p class="note">${armed} @workos-inc/node 11 retries a 5xx, a 429 and a dropped connection 3 times: arm 4 to see the app answer 503.</p>
    ${action('clear-faults', 'Clear failures')}
    ${action('rotate-key', 'Rotate signing key')}
    <p class="note">Signing key <code>${e(ctx.signingKey.kid)}</code>. After a rotation the key set serves only the new key:
    tokens signed before are refused, and their sessions are signed out.</p>
    ${action(
      'token-ttl',
      'Set access-token lifetime',
      {},
      `<label class="inline">seconds <input name="seconds" type="number" min="1" value="${ctx.knobs.accessTokenTtlSeconds}"></label>`,
    )}`;
}

function usersTable(ctx: EmulatorContext): string {
  const rows = ctx.store.allUsers().map((user) => {
    const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
    const memberships = ctx.store
      .membershipsOf(user.id)
      .map((m) => `${e(ctx.store.organizationName(m.organizationId))} (${e(rolesOf(m).join(', ') || 'no role')})`)
      .join('<br>');
    return `<tr><td><code>${e(user.id)}</code></td><td>${e(user.email)}</td><td>${e(name)}</td><td>${memberships || '—'}</td></tr>`;
  });
  return `<table><thead><tr><th>Id</th><th>Email</th><th>Name</th><th>Memberships</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function organizationsTable(ctx: EmulatorContext): string {
  const ids = ctx.store.organizationIds();
  if (ids.length === 0) return '<p>No organizations (pass <code>organizations</code> and <code>memberships</code>).</p>';
  const rows = ids.map((id) => {
    const members = ctx.store
      .allMemberships()
      .filter((m) => m.organizationId === id)
      .map((m) => `${e(ctx.store.user(m.userId)?.email ?? m.userId)} (${e(rolesOf(m).join(', ') || 'no role')})`)
      .join('<br>');
    return `<tr><td><code>${e(id)}</code></td><td>${e(ctx.store.organizationName(id))}</td><td>${members || '—'}</td></tr>`;
  });
  return `<table><thead><tr><th>Id</th><th>Name</th><th>Members</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function rolesTable(ctx: EmulatorContext): string {
  const roles = ctx.store.allRoles();
  if (roles.length === 0) return '<p>No role definitions (pass <code>roles</code> to give roles their permissions).</p>';
  const rows = roles.map(
    (role) =>
      `<tr><td><code>${e(role.slug)}</code></td><td>${e(role.name ?? '')}</td><td>${e((role.permissions ?? []).join(', ') || '—')}</td></tr>`,
  );
  return `<table><thead><tr><th>Slug</th><th>Name</th><th>Permissions</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
