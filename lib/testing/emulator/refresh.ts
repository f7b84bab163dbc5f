import type { EmulatorContext } from './context';
import { field, json, oauthError, type Reply } from './http';
import { issueTokens } from './issue';
import type { RefreshRecord } from './store';

function contended(): Reply {
  return json(
    429,
    { error: 'too_many_requests', error_description: 'Could not process refresh token. Please retry.' },
    { 'Retry-After': '1' },
  );
}

/**
 * `grant_type=refresh_token`: every token is single use and rotates. Within the grace window a
 * replay returns the pair the first exchange issued, so two tabs racing do not sign the user out.
 */
export function refreshGrant(ctx: EmulatorContext, body: Record<string, unknown>): Reply {
  const token = field(body, 'refresh_token');
  if (!token) return oauthError(400, 'invalid_request', 'refresh_token is required.');
  const record = ctx.store.refreshTokens.get(token);
  if (!record) return oauthError(400, 'invalid_grant', 'Refresh token is invalid.');
  const session = ctx.store.sessions.get(record.sessionId);
  if (!session || session.ended) return oauthError(400, 'invalid_grant', 'Session has already ended.');

  const inGrace = withinGrace(ctx, record);
  if (ctx.knobs.refreshContention && (ctx.store.exchangesInFlight(token) > 1 || inGrace)) return contended();
  if (record.exchangedAt !== undefined) {
    if (inGrace && record.successor) return json(200, record.successor);
    return oauthError(400, 'invalid_grant', 'Refresh token already exchanged.');
  }

  const organizationId = field(body, 'organization_id');
  if (organizationId !== undefined) {
    // Emulator choice (WorkOS does not document this case): 403 with a `code`, which the SDK
    // raises as GenericServerException. Not invalid_grant, because the session is still good;
    // the refresh token is not consumed.
    if (!ctx.store.membership(session.userId, organizationId)) {
      return json(403, {
        code: 'organization_membership_required',
        message: `User '${session.userId}' is not a member of organization '${organizationId}'.`,
      });
    }
    // A role picked at sign-in belongs to that organization's membership.
    if (organizationId !== session.organizationId) delete session.role;
    session.organizationId = organizationId;
  }

  const response = issueTokens(ctx, session);
  record.exchangedAt = ctx.clock.now();
  record.successor = response;
  return json(200, response);
}

function withinGrace(ctx: EmulatorContext, record: RefreshRecord): boolean {
  const grace = ctx.knobs.refreshGraceSeconds;
  if (record.exchangedAt === undefined || grace <= 0) return false;
  return ctx.clock.now() - record.exchangedAt <= grace * 1000;
}
