import type { EmulatorContext } from './context';
import { html, isHttpUrl, isRecord, redirect, type EmulatorRequest, type Reply } from './http';
import { canPickRole, rolesOf, signInChoices } from './roles';
import { CHOSEN_FIELD, renderChoicePage, renderMessagePage, renderSignInPage } from './sign-in-page';
import type { StoredUser } from './stored-user';
import { newId, opaqueToken } from './tokens';

const CODE_LIFETIME_MS = 10 * 60 * 1000;
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
// Form fields of the sign-in page itself, never carried as authorize parameters.
const PAGE_FIELDS = new Set(['user_id', 'email', 'organization_id', 'role', CHOSEN_FIELD]);

interface AuthorizeParams {
  redirectUri: string;
  state?: string;
  codeChallenge?: string;
  organizationId?: string;
}

type Checked = { ok: true; params: AuthorizeParams } | { ok: false; reply: Reply };

/** `GET /user_management/authorize`: error redirect, auto-approve, or the sign-in page. */
export function authorize(ctx: EmulatorContext, req: EmulatorRequest): Reply {
  const query = req.query;
  ctx.lastAuthorizeQuery = { ...query };
  const checked = checkParams(ctx, query);
  if (!checked.ok) return checked.reply;
  const { params } = checked;

  const failure = ctx.knobs.authorizeFailure;
  if (failure) {
    ctx.knobs.authorizeFailure = undefined;
    return errorRedirect(params, failure.error, failure.description);
  }

  const auto = ctx.knobs.autoApprove;
  if (auto) {
    const choice = auto === true ? {} : auto;
    const user = choice.userId === undefined ? ctx.store.allUsers()[0] : ctx.store.user(choice.userId);
    if (!user) return html(400, renderMessagePage('Sign-in failed', 'The auto-approve user does not exist.'));
    const organizationId = choice.organizationId ?? params.organizationId;
    if (choice.role !== undefined && !canPickRole(ctx.store, user.id, organizationId, choice.role)) {
      return html(400, renderMessagePage('Sign-in failed', "The auto-approve role is not one of the membership's roles."));
    }
    return issueCode(ctx, params, user, organizationId, choice.role);
  }

  return html(200, signInPage(ctx, query, params));
}

/** `POST /user_management/authorize/approve`: the sign-in page's form. */
export function approve(ctx: EmulatorContext, req: EmulatorRequest): Reply {
  const form: Record<string, string> = {};
  if (isRecord(req.body)) {
    for (const [key, value] of Object.entries(req.body)) if (typeof value === 'string') form[key] = value;
  }
  const checked = checkParams(ctx, form);
  if (!checked.ok) return checked.reply;
  const { params } = checked;

  if (form.user_id) {
    const user = ctx.store.user(form.user_id);
    if (!user) return html(400, signInPage(ctx, form, params, 'That user does not exist.'));
    return choose(ctx, form, params, user);
  }
  const email = (form.email ?? '').trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) return html(400, signInPage(ctx, form, params, 'Enter a valid email address.'));
  const user = ctx.store.userByEmail(email) ?? ctx.store.addUser({ id: newId('user'), email });
  return choose(ctx, form, params, user);
}

/**
 * A user with several memberships (or a membership with several roles) picks one on a second
 * page, as on WorkOS's own organization picker; the pick comes back with `chosen` set.
 */
function choose(ctx: EmulatorContext, form: Record<string, string>, params: AuthorizeParams, user: StoredUser): Reply {
  const organizationId = form.organization_id || undefined;
  const role = form.role || undefined;
  if (form[CHOSEN_FIELD] === '1') {
    if (role !== undefined && !canPickRole(ctx.store, user.id, organizationId, role)) {
      return html(400, choicePage(ctx, form, user, undefined, "That role is not one of the membership's roles."));
    }
    return issueCode(ctx, params, user, organizationId, role);
  }
  if (signInChoices(ctx.store, user.id, organizationId).length > 1) return html(200, choicePage(ctx, form, user, organizationId));
  return issueCode(ctx, params, user, organizationId);
}

/**
 * Problems with client_id or redirect_uri get a page (redirecting would trust an unchecked URL);
 * other parameter errors go back to the app as OAuth error redirects.
 */
function checkParams(ctx: EmulatorContext, query: Record<string, string>): Checked {
  if (query.client_id !== ctx.clientId) {
    return { ok: false, reply: html(400, renderMessagePage('Invalid client', 'Unknown or missing client_id.')) };
  }
  const redirectUri = query.redirect_uri;
  if (!redirectUri || !isHttpUrl(redirectUri)) {
    return { ok: false, reply: html(400, renderMessagePage('Invalid redirect', 'Missing or invalid redirect_uri.')) };
  }
  const params: AuthorizeParams = { redirectUri };
  if (query.state !== undefined) params.state = query.state;
  if (query.organization_id) params.organizationId = query.organization_id;

  const fail = (error: string, description: string): Checked => ({
    ok: false,
    reply: errorRedirect(params, error, description),
  });
  if (query.response_type !== 'code') return fail('unsupported_response_type', "response_type must be 'code'.");
  if (!query.provider && !query.organization_id && !query.connection_id) {
    return fail('invalid_request', 'provider, connection_id or organization_id is required.');
  }
  if (query.code_challenge !== undefined) {
    if (query.code_challenge_method !== 'S256') return fail('invalid_request', "code_challenge_method must be 'S256'.");
    if (!S256_CHALLENGE.test(query.code_challenge)) return fail('invalid_request', 'code_challenge is malformed.');
    params.codeChallenge = query.code_challenge;
  }
  return { ok: true, params };
}

function issueCode(
  ctx: EmulatorContext,
  params: AuthorizeParams,
  user: StoredUser,
  organizationId: string | undefined,
  role?: string,
): Reply {
  const code = opaqueToken();
  ctx.store.codes.set(code, {
    clientId: ctx.clientId,
    redirectUri: params.redirectUri,
    userId: user.id,
    organizationId,
    role,
    codeChallenge: params.codeChallenge,
    expiresAt: ctx.clock.now() + CODE_LIFETIME_MS,
  });
  const target = new URL(params.redirectUri);
  target.searchParams.set('code', code);
  if (params.state !== undefined) target.searchParams.set('state', params.state);
  return redirect(target.toString());
}

function errorRedirect(params: AuthorizeParams, error: string, description?: string): Reply {
  const target = new URL(params.redirectUri);
  target.searchParams.set('error', error);
  if (description !== undefined) target.searchParams.set('error_description', description);
  if (params.state !== undefined) target.searchParams.set('state', params.state);
  return redirect(target.toString());
}

/** The authorize parameters a page carries in hidden fields (not its own form fields). */
function carried(query: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([name]) => !PAGE_FIELDS.has(name)));
}

function signInPage(ctx: EmulatorContext, query: Record<string, string>, params: AuthorizeParams, error?: string): string {
  return renderSignInPage({
    params: carried(query),
    users: ctx.store.allUsers(),
    organizations: ctx.store.organizationIds().map((id) => ({ id, name: ctx.store.organizationName(id) })),
    selectedOrganizationId: params.organizationId,
    signUp: query.screen_hint === 'sign-up',
    loginHint: query.email ?? query.login_hint,
    error,
  });
}

/** Every choice of the user (in `organizationId` only, when one was picked), and signing in without one otherwise. */
function choicePage(ctx: EmulatorContext, form: Record<string, string>, user: StoredUser, organizationId?: string, error?: string): string {
  const choices = signInChoices(ctx.store, user.id, organizationId).map(({ organizationId: id, role }) => {
    const membership = ctx.store.membership(user.id, id);
    const slug = role ?? (membership && rolesOf(membership)[0]);
    const roleName = slug === undefined ? undefined : (ctx.store.role(slug)?.name ?? slug);
    return { organizationId: id, role, organizationName: ctx.store.organizationName(id), roleName };
  });
  return renderChoicePage({
    params: { ...carried(form), user_id: user.id },
    user,
    choices,
    allowNone: organizationId === undefined,
    error,
  });
}
