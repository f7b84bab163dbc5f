import { setTimeout as delay } from 'node:timers/promises';
import { WorkOSUnavailableError } from '../errors';
import type { ResolvedConfig } from '../config/resolve';
import { sessionFromAuthentication, type SessionData } from '../session/session-data';
import { ExpiringMap, RecentRotations, refreshKey, ROTATION_MEMORY_MAX_ENTRIES, ROTATION_MEMORY_SECONDS } from './recent-rotations';
import { classifyWorkOSFailure, isRateLimited, retryAfterSeconds, sdkRetries, workosErrorCode } from './workos-errors';

/** A 429's `Retry-After` up to this long is waited out (once) inside the request; longer ones become the 503's. */
export const MAX_WAITED_RETRY_AFTER_SECONDS = 5;
/** What a client that lost a refresh race is told to wait: the winner's cookie is on its way. */
const RACE_LOST_RETRY_AFTER_SECONDS = 1;

/** WorkOS refused the refresh token for good (revoked, already used, …): the session is over. */
export class RefreshRejectedError extends Error {
  override readonly name = 'RefreshRejectedError';
  readonly workosCode: string | undefined;
  constructor(workosCode: string | undefined, options?: { cause?: unknown }) {
    super(`WorkOS refused the refresh token${workosCode ? ` (${workosCode})` : ''}.`, options);
    this.workosCode = workosCode;
  }
}

export interface RefreshOptions {
  /**
   * The current access token still works (early refresh): after a failure for this session,
   * the same failure is returned for its `Retry-After` (5 s by default; 30 s when WorkOS refused)
   * instead of asking WorkOS again on every request.
   */
  early?: boolean;
}

export type SessionRefresher = (session: SessionData, organizationId?: string, options?: RefreshOptions) => Promise<SessionData>;

type RefresherConfig = Pick<ResolvedConfig, 'workos' | 'clientId' | 'clock' | 'logger' | 'hooks'>;

/**
 * Exchanges the session's refresh token for a new session, keeping its organization unless
 * told to switch. Refresh tokens are single use, so:
 * - concurrent calls for the same token and organization share one request to WorkOS;
 * - for 30 s after an exchange, the old token maps to the new session without calling WorkOS
 *   (requests still carrying the old cookie get the new one);
 * - WorkOS refusing a token this process just exchanged is a lost race, not a sign-out.
 * Throws `RefreshRejectedError` (terminal: end the session) or `WorkOSUnavailableError`
 * (transient or race lost: keep the cookie, try again later).
 * Hooks run once per exchange with WorkOS, never per request sharing it, and never for cache hits.
 */
export function createRefresher(config: RefresherConfig): SessionRefresher {
  const inFlight = new Map<string, Promise<SessionData>>();
  const rotations = new RecentRotations(config.clock);
  const failures = new ExpiringMap<Error>(config.clock, ROTATION_MEMORY_MAX_ENTRIES);

  const call = (session: SessionData, organizationId: string | undefined) =>
    config.workos.userManagement.authenticateWithRefreshToken({
      clientId: config.clientId,
      refreshToken: session.refreshToken,
      organizationId,
    });

  async function callHonouringRateLimit(session: SessionData, organizationId: string | undefined) {
    try {
      return await call(session, organizationId);
    } catch (error) {
      const wait = retryAfterSeconds(error);
      // With maxRetries > 0 the SDK already waited out Retry-After and retried: one more round
      // here would multiply the retries WorkOS asked us to spread out.
      if (!isRateLimited(error) || wait === undefined || wait > MAX_WAITED_RETRY_AFTER_SECONDS || sdkRetries(config.workos) > 0) throw error;
      await delay(wait * 1000);
      return call(session, organizationId);
    }
  }

  function toFailure(error: unknown, refreshToken: string): { failure: Error; isTransient: boolean; raceLost: boolean } {
    if (classifyWorkOSFailure(error) === 'transient') {
      const failure = new WorkOSUnavailableError('refresh_unavailable', 'WorkOS could not refresh the session right now.', {
        cause: error,
        retryAfter: retryAfterSeconds(error),
      });
      return { failure, isTransient: true, raceLost: false };
    }
    const code = workosErrorCode(error);
    if (code === 'invalid_grant' && rotations.wasRotated(refreshToken)) {
      const failure = new WorkOSUnavailableError('refresh_unavailable', 'Another request has just refreshed this session; retry with its cookie.', {
        cause: error,
        retryAfter: RACE_LOST_RETRY_AFTER_SECONDS,
      });
      return { failure, isTransient: false, raceLost: true };
    }
    return { failure: new RefreshRejectedError(code, { cause: error }), isTransient: false, raceLost: false };
  }

  /** Hooks are monitoring: one that throws (or rejects) must not fail the refresh it reports. */
  function runHook(name: string, hook: () => unknown): void {
    const warn = (error: unknown) => config.logger.warn(`${name} threw: ${error instanceof Error ? error.message : String(error)}`);
    try {
      const result = hook();
      if (result instanceof Promise) result.catch(warn);
    } catch (error) {
      warn(error);
    }
  }

  async function exchange(session: SessionData, organizationId: string | undefined, key: string): Promise<SessionData> {
    let renewed: SessionData;
    try {
      renewed = sessionFromAuthentication(await callHonouringRateLimit(session, organizationId), session);
    } catch (error) {
      const { failure, isTransient, raceLost } = toFailure(error, session.refreshToken);
      const backoffSeconds = failure instanceof WorkOSUnavailableError ? failure.retryAfter : ROTATION_MEMORY_SECONDS;
      failures.set(key, failure, backoffSeconds * 1000);
      const { onSessionRefreshError } = config.hooks;
      if (onSessionRefreshError) runHook('onSessionRefreshError', () => onSessionRefreshError({ error: failure, isTransient, raceLost }));
      throw failure;
    }
    // Remembered before the in-flight entry goes, so no request slips between the two.
    rotations.remember(session.refreshToken, organizationId, renewed);
    failures.delete(key);
    const { onSessionRefreshSuccess } = config.hooks;
    if (onSessionRefreshSuccess) {
      const event = { user: renewed.user, accessToken: renewed.accessToken, organizationId: renewed.organizationId, impersonator: renewed.impersonator };
      runHook('onSessionRefreshSuccess', () => onSessionRefreshSuccess(event));
    }
    return renewed;
  }

  return (session, organizationId = session.organizationId, options = {}) => {
    const successor = rotations.successorOf(session.refreshToken, organizationId);
    if (successor) return Promise.resolve(successor);
    // Hashed: raw refresh tokens are not kept as keys, even while in flight.
    const key = refreshKey(session.refreshToken, organizationId);
    const pending = inFlight.get(key);
    if (pending) return pending;
    if (options.early) {
      const failed = failures.get(key);
      if (failed) return Promise.reject(failed);
    }
    const started = exchange(session, organizationId, key).finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };
}
