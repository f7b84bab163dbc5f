import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml } from '../../http/html';
import { isPageNavigation } from '../../http/request-info';
import { markPrivate, sendReply, type Reply } from './respond';

const MESSAGE = 'You do not have access to this resource.';

/**
 * The page a signed-in person sees without the required access. It names no role or
 * permission (that would map the app's access model for anyone who asks) and never a token;
 * the sign-out form (a same-origin POST) lets them switch accounts.
 */
export function forbiddenPage(logoutPath: string | false): string {
  const signOut =
    logoutPath === false ? '' : `\n  <form method="post" action="${escapeHtml(logoutPath)}"><button type="submit">Sign out</button></form>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Access denied</title></head>
<body>
  <h1>Access denied</h1>
  <p>${escapeHtml(MESSAGE)}</p>${signOut}
</body>
</html>
`;
}

/** 403 for a signed-in request that lacks access: never a sign-in redirect, which would loop. */
export function forbiddenReply(req: IncomingMessage, logoutPath: string | false): Reply {
  if (!isPageNavigation(req)) return { kind: 'json', status: 403, body: { error: 'forbidden', message: MESSAGE } };
  return { kind: 'html', status: 403, body: forbiddenPage(logoutPath) };
}

export function forbid(req: IncomingMessage, res: ServerResponse, logoutPath: string | false): void {
  markPrivate(res);
  sendReply(res, forbiddenReply(req, logoutPath));
}
