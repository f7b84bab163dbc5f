import { escapeHtml } from '../http/html';
import { isPageNavigation } from '../http/request-info';
import type { RequestView } from '../http/request-view';
import type { Reply } from './reply';

/** The one skeleton of every page the library shows people: `title` is escaped, `body` is trusted HTML. */
function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body>
${body}
</body>
</html>
`;
}

function signOutForm(action: string): string {
  return `  <form method="post" action="${escapeHtml(action)}"><button type="submit">Sign out</button></form>`;
}

/** A heading and one sentence, both escaped. */
export function messagePage(title: string, message: string): string {
  return page(title, `  <h1>${escapeHtml(title)}</h1>\n  <p>${escapeHtml(message)}</p>`);
}

const FORBIDDEN_MESSAGE = 'You do not have access to this resource.';

/**
 * The page a signed-in person sees without the required access. It names no role or
 * permission (that would map the app's access model for anyone who asks) and never a token;
 * the sign-out form (a same-origin POST) lets them switch accounts.
 */
export function forbiddenPage(logoutPath: string | false): string {
  const signOut = logoutPath === false ? '' : `\n${signOutForm(logoutPath)}`;
  return page('Access denied', `  <h1>Access denied</h1>\n  <p>${escapeHtml(FORBIDDEN_MESSAGE)}</p>${signOut}`);
}

/** 403 for a signed-in request that lacks access: never a sign-in redirect, which would loop. */
export function forbiddenReply(request: RequestView, logoutPath: string | false): Reply {
  if (!isPageNavigation(request))
    return { kind: 'json', status: 403, body: { error: 'forbidden', message: FORBIDDEN_MESSAGE }, private: true };
  return { kind: 'html', status: 403, body: forbiddenPage(logoutPath), private: true };
}

/**
 * Shown when a navigation to the sign-out route cannot prove it came from this origin (another
 * site, a sibling subdomain, a link without referrer, a typed URL): signing out takes one click
 * on this page, whose same-origin form POST passes the origin check (the body is not read:
 * `returnTo` rides in the action's query). Served unframeable, so it cannot be overlaid either.
 */
export function signOutConfirmationPage(logoutPath: string, returnTo: string | undefined): string {
  const action = returnTo === undefined ? logoutPath : `${logoutPath}?${new URLSearchParams({ returnTo })}`;
  return page('Sign out', `  <h1>Sign out?</h1>\n${signOutForm(action)}`);
}

/**
 * Where a sign-in lands when the session cookie is `SameSite=Strict`: browsers do not send a Strict
 * cookie on a redirect chain that began on another site (WorkOS's sign-in page), so the landing
 * request would look signed out. This page moves on with a same-site navigation instead.
 */
export function continuePage(location: string): string {
  const target = escapeHtml(location);
  return page('Signing in', `  <meta http-equiv="refresh" content="0;url=${target}">\n  <p><a href="${target}">Continue</a></p>`);
}
