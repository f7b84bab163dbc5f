import { escapeHtml } from '../../http/html';
import { page } from './layout';
import type { StoredUser } from './stored-user';

export { escapeHtml };

export const APPROVE_PATH = '/user_management/authorize/approve';
export const SIGNED_OUT_PATH = '/emulator/signed-out';
/** Set by the choice page: the organization and role in the form are the user's pick. */
export const CHOSEN_FIELD = 'chosen';

export interface SignInPageInput {
  /** The authorize parameters, carried through the form in hidden fields. */
  params: Record<string, string>;
  users: readonly StoredUser[];
  organizations: readonly { id: string; name: string }[];
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
  const users = input.users
    .map(
      (user) =>
        `<li><button type="submit" name="user_id" value="${escapeHtml(user.id)}" formnovalidate>` +
        `${escapeHtml(displayName(user))} <small>${escapeHtml(user.email)}</small></button></li>`,
    )
    .join('\n        ');
  // Email first: pressing Enter submits the form with its first submit button.
  const body = `
    <h1>${heading}</h1>
    <p class="note">Local WorkOS emulator: no passwords, any email signs in.</p>
    ${errorLine(input.error)}
    <form method="post" action="${APPROVE_PATH}">
      ${hiddenFields(input.params)}
      ${organizationSelect(input)}
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="email" value="${escapeHtml(input.loginHint ?? '')}">
      <button type="submit">Continue</button>
      ${users ? `<p>Or continue as</p>\n      <ul class="users">\n        ${users}\n      </ul>` : ''}
    </form>`;
  return page(`${heading} · WorkOS emulator`, body);
}

export interface ChoicePageInput {
  /** The authorize parameters and the user's id, carried in each choice's hidden fields. */
  params: Record<string, string>;
  user: StoredUser;
  choices: readonly { organizationId: string; role?: string; organizationName: string; roleName?: string }[];
  /** Offer signing in without an organization (none was asked for). */
  allowNone: boolean;
  error?: string;
}

/** The second step for a user with several memberships or roles: one button per choice. */
export function renderChoicePage(input: ChoicePageInput): string {
  const hidden = hiddenFields({ ...input.params, [CHOSEN_FIELD]: '1' });
  const form = (fields: string, label: string): string =>
    `<li><form method="post" action="${APPROVE_PATH}">\n        ${hidden}\n        ${fields}<button type="submit">${label}</button></form></li>`;
  const choices = input.choices.map((choice) =>
    form(
      `<input type="hidden" name="organization_id" value="${escapeHtml(choice.organizationId)}">` +
        (choice.role === undefined ? '' : `<input type="hidden" name="role" value="${escapeHtml(choice.role)}">`),
      escapeHtml(choice.roleName === undefined ? choice.organizationName : `${choice.organizationName} · ${choice.roleName}`),
    ),
  );
  if (input.allowNone) choices.push(form('', 'Without an organization'));
  const body = `
    <h1>Choose an organization</h1>
    <p class="note">Signing in as ${escapeHtml(displayName(input.user))} (${escapeHtml(input.user.email)}). The access token carries the organization and role you pick.</p>
    ${errorLine(input.error)}
    <ul class="choices">
      ${choices.join('\n      ')}
    </ul>`;
  return page('Choose an organization · WorkOS emulator', body);
}

export function renderMessagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n    <p>${escapeHtml(message)}</p>`);
}

function hiddenFields(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n      ');
}

function errorLine(error: string | undefined): string {
  return error ? `<p role="alert" class="error">${escapeHtml(error)}</p>` : '';
}

function organizationSelect(input: SignInPageInput): string {
  const organizations = [...input.organizations];
  const selected = input.selectedOrganizationId;
  if (selected !== undefined && !organizations.some((org) => org.id === selected)) organizations.push({ id: selected, name: selected });
  if (organizations.length === 0) return '';
  const options = organizations
    .map(({ id, name }) => `<option value="${escapeHtml(id)}"${id === selected ? ' selected' : ''}>${escapeHtml(name)}</option>`)
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
