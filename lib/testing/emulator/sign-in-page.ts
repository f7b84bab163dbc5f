import { escapeHtml } from '../../http/html';
import type { StoredUser } from './stored-user';

export { escapeHtml };

export const APPROVE_PATH = '/user_management/authorize/approve';
export const SIGNED_OUT_PATH = '/emulator/signed-out';

export interface SignInPageInput {
  /** The authorize parameters, carried through the form in hidden fields. */
  params: Record<string, string>;
  users: readonly StoredUser[];
  organizationIds: readonly string[];
  selectedOrganizationId?: string;
  signUp: boolean;
  loginHint?: string;
  error?: string;
}

/**
 * The hosted sign-in page stand-in. Every echoed value goes through `escapeHtml`: the query
 * string is attacker-controlled in a real browser flow.
 */
export function renderSignInPage(input: SignInPageInput): string {
  const heading = input.signUp ? 'Create account' : 'Sign in';
  const hidden = Object.entries(input.params)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n      ');
  const users = input.users
    .map(
      (user) =>
        `<li><button type="submit" name="user_id" value="${escapeHtml(user.id)}" formnovalidate>` +
        `${escapeHtml(displayName(user))} <small>${escapeHtml(user.email)}</small></button></li>`,
    )
    .join('\n        ');
  const error = input.error ? `<p role="alert" class="error">${escapeHtml(input.error)}</p>` : '';
  // Email first: pressing Enter submits the form with its first submit button.
  const body = `
    <h1>${heading}</h1>
    <p class="note">Local WorkOS emulator: no passwords, any email signs in.</p>
    ${error}
    <form method="post" action="${APPROVE_PATH}">
      ${hidden}
      ${organizationSelect(input)}
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="email" value="${escapeHtml(input.loginHint ?? '')}">
      <button type="submit">Continue</button>
      ${users ? `<p>Or continue as</p>\n      <ul class="users">\n        ${users}\n      </ul>` : ''}
    </form>`;
  return page(`${heading} · WorkOS emulator`, body);
}

export function renderMessagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n    <p>${escapeHtml(message)}</p>`);
}

function organizationSelect(input: SignInPageInput): string {
  const ids = [...new Set([...input.organizationIds, ...(input.selectedOrganizationId ? [input.selectedOrganizationId] : [])])];
  if (ids.length === 0) return '';
  const options = ids
    .map((id) => {
      const selected = id === input.selectedOrganizationId ? ' selected' : '';
      return `<option value="${escapeHtml(id)}"${selected}>${escapeHtml(id)}</option>`;
    })
    .join('');
  return (
    '<label for="organization_id">Organization</label>\n      ' +
    `<select id="organization_id" name="organization_id"><option value="">None</option>${options}</select>`
  );
}

function displayName(user: StoredUser): string {
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
  return name || user.email;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)}</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; background: #f4f4f6; margin: 0; }
      main { max-width: 24rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px; }
      label, input, select, button { display: block; width: 100%; box-sizing: border-box; }
      input, select { margin: 0.25rem 0 1rem; padding: 0.5rem; }
      button { padding: 0.5rem; margin-bottom: 0.5rem; cursor: pointer; text-align: left; }
      ul.users { list-style: none; padding: 0; }
      .note { color: #666; font-size: 0.875rem; }
      .error { color: #b00020; }
    </style>
  </head>
  <body>
    <main>
    ${body}
    </main>
  </body>
</html>
`;
}
