import type { EmulatorContext } from './context';
import { field, html, isHttpUrl, json, redirect, unauthorized, type EmulatorRequest, type Reply } from './http';
import { renderMessagePage, SIGNED_OUT_PATH } from './sign-in-page';
import { secretsEqual } from './tokens';

/** `GET /user_management/sessions/logout`: ends the session, then back to `return_to`. */
export function logout(ctx: EmulatorContext, req: EmulatorRequest): Reply {
  const sessionId = req.query.session_id;
  if (!sessionId) return html(400, renderMessagePage('Sign-out failed', 'session_id is required.'));
  const returnTo = req.query.return_to;
  // WorkOS checks return_to against the dashboard's allow-list; the emulator takes any http(s) URL.
  if (returnTo !== undefined && !isHttpUrl(returnTo)) {
    return html(400, renderMessagePage('Sign-out failed', 'return_to must be an absolute http(s) URL.'));
  }
  ctx.store.endSession(sessionId);
  return redirect(returnTo ?? `${ctx.url}${SIGNED_OUT_PATH}`);
}

export function signedOutPage(): Reply {
  return html(200, renderMessagePage('Signed out', 'You have been signed out.'));
}

/** `POST /user_management/sessions/revoke`: needs the API key; later refreshes get invalid_grant. */
export function revoke(ctx: EmulatorContext, req: EmulatorRequest): Reply {
  const authorization = req.headers.authorization;
  if (authorization === undefined || !secretsEqual(authorization, `Bearer ${ctx.apiKey}`)) return unauthorized();
  const sessionId = field(req.body, 'session_id');
  if (!sessionId) return json(422, { code: 'invalid_request_parameters', message: 'session_id is required.' });
  if (!ctx.store.sessions.has(sessionId)) {
    return json(404, { code: 'entity_not_found', message: `Session '${sessionId}' not found.` });
  }
  ctx.store.endSession(sessionId);
  return json(200, {});
}
