import type { EmulatorContext } from './context';
import { field, isRecord, json, oauthError, unauthorized, type EmulatorRequest, type Reply } from './http';
import { startSession } from './issue';
import { refreshGrant } from './refresh';
import { s256, secretsEqual } from './tokens';

/** `POST /user_management/authenticate`: client authentication, then the grant. */
export function authenticate(ctx: EmulatorContext, req: EmulatorRequest): Reply {
  const { body } = req;
  if (!isRecord(body)) return oauthError(400, 'invalid_request', 'The request body must be a JSON object.');
  const clientId = field(body, 'client_id');
  if (!clientId) return oauthError(400, 'invalid_request', 'client_id is required.');
  if (clientId !== ctx.clientId) return oauthError(400, 'invalid_client', 'Invalid client ID.');
  // A wrong key is rejected wherever it appears; its absence is fine for public (PKCE) clients.
  const secret = body.client_secret;
  if (secret !== undefined && !(typeof secret === 'string' && secretsEqual(secret, ctx.apiKey))) return unauthorized();
  const authorization = req.headers.authorization;
  if (authorization !== undefined && !secretsEqual(authorization, `Bearer ${ctx.apiKey}`)) return unauthorized();

  const grantType = field(body, 'grant_type');
  if (grantType === 'authorization_code') return codeGrant(ctx, body, secret !== undefined);
  if (grantType === 'refresh_token') return refreshGrant(ctx, body);
  return oauthError(400, 'unsupported_grant_type', `Unsupported grant_type '${grantType ?? ''}'.`);
}

function codeGrant(ctx: EmulatorContext, body: Record<string, unknown>, confidential: boolean): Reply {
  const code = field(body, 'code');
  if (!code) return oauthError(400, 'invalid_request', 'code is required.');
  const verifier = field(body, 'code_verifier');
  if (!confidential && verifier === undefined) {
    return oauthError(400, 'invalid_request', 'client_secret or code_verifier is required.');
  }
  const stored = ctx.store.codes.get(code);
  // Single use: any attempt burns the code, so a guessed verifier gets exactly one try.
  ctx.store.codes.delete(code);
  const invalid = oauthError(400, 'invalid_grant', `The code '${code}' has expired or is invalid.`);
  if (!stored || stored.expiresAt <= ctx.clock.now() || stored.clientId !== ctx.clientId) return invalid;
  const redirectUri = field(body, 'redirect_uri');
  if (redirectUri !== undefined && redirectUri !== stored.redirectUri) return invalid;
  if (stored.codeChallenge !== undefined) {
    if (verifier === undefined || s256(verifier) !== stored.codeChallenge) return invalid;
  } else if (verifier !== undefined || !confidential) {
    // OAuth 2.1: a verifier for a code issued without a challenge is refused, not ignored.
    return invalid;
  }
  return json(200, startSession(ctx, { userId: stored.userId, organizationId: stored.organizationId, role: stored.role }));
}
