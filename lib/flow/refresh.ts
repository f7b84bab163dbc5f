import { WorkOSUnavailableError } from '../errors';
import type { ResolvedConfig } from '../config/resolve';
import { sessionFromAuthentication, type SessionData } from '../session/session-data';
import { classifyWorkOSFailure, retryAfterSeconds, workosErrorCode } from './workos-errors';

/** WorkOS refused the refresh token for good (revoked, already used, …): the session is over. */
export class RefreshRejectedError extends Error {
  override readonly name = 'RefreshRejectedError';
  readonly workosCode: string | undefined;
  constructor(workosCode: string | undefined, options?: { cause?: unknown }) {
    super(`WorkOS refused the refresh token${workosCode ? ` (${workosCode})` : ''}.`, options);
    this.workosCode = workosCode;
  }
}

export type SessionRefresher = (session: SessionData, organizationId?: string) => Promise<SessionData>;

/**
 * Exchanges the session's refresh token for a new session, keeping its organization unless
 * told to switch. Concurrent calls for the same token share one request to WorkOS: refresh
 * tokens are single use, so a second exchange would lose the race and sign the user out.
 * Throws `RefreshRejectedError` (terminal) or `WorkOSUnavailableError` (try again later).
 */
export function createRefresher(config: Pick<ResolvedConfig, 'workos' | 'clientId'>): SessionRefresher {
  const inFlight = new Map<string, Promise<SessionData>>();

  async function exchange(session: SessionData, organizationId: string | undefined): Promise<SessionData> {
    try {
      const response = await config.workos.userManagement.authenticateWithRefreshToken({
        clientId: config.clientId,
        refreshToken: session.refreshToken,
        organizationId,
      });
      return sessionFromAuthentication(response, session);
    } catch (error) {
      if (classifyWorkOSFailure(error) === 'terminal') throw new RefreshRejectedError(workosErrorCode(error), { cause: error });
      throw new WorkOSUnavailableError('refresh_unavailable', 'WorkOS could not refresh the session right now.', {
        cause: error,
        retryAfter: retryAfterSeconds(error),
      });
    }
  }

  return (session, organizationId = session.organizationId) => {
    const key = `${session.refreshToken}\u0000${organizationId ?? ''}`;
    const pending = inFlight.get(key);
    if (pending) return pending;
    const started = exchange(session, organizationId).finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };
}
