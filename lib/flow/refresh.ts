import { setTimeout as delay } from 'node:timers/promises';
import { WorkOSUnavailableError } from '../errors';
import { DEFAULT_WORKOS_TIMEOUT_MS, type ResolvedConfig } from '../config/resolve';
import type { SessionData } from '../model/session';
import { sessionFromAuthentication } from '../session/session-data';
import { decodeUnverified } from '../tokens/claims';
import { settleWithin, TIMED_OUT } from './deadline';
import { runMonitoringHook } from './monitoring-hook';
import { createEndedSessions, type EndedSessions } from './ended-sessions';
import { ExpiringMap, RecentRotations, refreshKey, ROTATION_MEMORY_MAX_ENTRIES, ROTATION_MEMORY_SECONDS } from './recent-rotations';
import { coordinateRefresh } from './coordinated-refresh';
import { RefreshRejectedError, SessionEndedError } from './refresh-errors';
import type { SharedRefreshState } from './shared-refresh';
import { classifyWorkOSFailure, isRateLimited, retryAfterSeconds, sdkRetries, workosErrorCode } from './workos-errors';

/** A 429's `Retry-After` up to this long is waited out (once) inside the request; longer ones become the 503's. */
export const MAX_WAITED_RETRY_AFTER_SECONDS = 5;
/** What a client that lost a refresh race is told to wait: the winner's cookie is on its way. */
const RACE_LOST_RETRY_AFTER_SECONDS = 1;

/** A rotation whose old access token is still valid is remembered until it expires plus the window, but not beyond this. */
const MAX_ROTATION_MEMORY_MS = 24 * 60 * 60 * 1000;

export interface RefreshOptions {
  /**
   * The current access token still works (early refresh): after a failure for this session,
   * the same failure is returned for its `Retry-After` (5 s by default; 30 s when WorkOS refused)
   * instead of asking WorkOS again on every request.
   */
  early?: boolean;
  /**
   * How long this caller waits for WorkOS, in ms (default `workosTimeoutMs`; 0: only for an answer
   * already known). Past it the caller gets `WorkOSUnavailableError`; the exchange goes on in the
   * background, later callers join it, and its result is remembered as usual.
   */
  waitMs?: number;
}

export type SessionRefresher = (session: SessionData, organizationId?: string, options?: RefreshOptions) => Promise<SessionData>;

type RefresherConfig = Pick<ResolvedConfig, 'workos' | 'clientId' | 'clock' | 'logger' | 'hooks'> &
  Partial<Pick<ResolvedConfig, 'workosTimeoutMs'>>;

/** The session id and expiry of the session's access token, read unverified: the seal vouches for them. */
interface TokenFacts {
  sessionId: string | undefined;
  expiresAt: number | undefined;
}

function tokenFacts(session: SessionData): TokenFacts {
  const claims = decodeUnverified(session.accessToken);
  const sessionId = typeof claims?.sid === 'string' && claims.sid !== '' ? claims.sid : undefined;
  const expiresAt = typeof claims?.exp === 'number' && Number.isFinite(claims.exp) ? Math.ceil(claims.exp) * 1000 : undefined;
  return { sessionId, expiresAt };
}

/**
 * Exchanges the session's refresh token for a new session, keeping its organization unless
 * told to switch. Refresh tokens are single use, so:
 * - concurrent calls for the same token and organization share one request to WorkOS;
 * - for 30 s after an exchange, the old token maps to the new session without calling WorkOS
 *   (requests still carrying the old cookie get the new one); when the old access token was still
 *   valid (early refresh, helpers), until it expires plus 30 s, so a browser that missed the new
 *   cookie (its request gave up waiting) still gets it instead of spending a used token;
 * - WorkOS refusing a token this process just exchanged is a lost race, not a sign-out;
 * - each caller waits at most `workosTimeoutMs` (or its `waitMs`), whatever the SDK's own timeout
 *   and retries; the exchange itself cannot be aborted and stays in flight until it settles;
 * - a session signed out here (`endedSessions`) gets no rotation, remembered or new.
 * Throws `RefreshRejectedError` (terminal: end the session; `SessionEndedError` when signed out
 * here) or `WorkOSUnavailableError` (transient, timed out or race lost: keep the cookie, try again later).
 * Hooks run once per exchange with WorkOS, never per request sharing it, and never for cache hits.
 */
export function createRefresher(
  config: RefresherConfig,
  endedSessions: EndedSessions = createEndedSessions(config.clock),
  shared?: SharedRefreshState,
): SessionRefresher {
  const timeoutMs = config.workosTimeoutMs ?? DEFAULT_WORKOS_TIMEOUT_MS;
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
      if (!isRateLimited(error) || wait === undefined || wait > MAX_WAITED_RETRY_AFTER_SECONDS || sdkRetries(config.workos) > 0)
        throw error;
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
      const failure = new WorkOSUnavailableError(
        'refresh_unavailable',
        'Another request has just refreshed this session; retry with its cookie.',
        {
          cause: error,
          retryAfter: RACE_LOST_RETRY_AFTER_SECONDS,
        },
      );
      return { failure, isTransient: false, raceLost: true };
    }
    return { failure: new RefreshRejectedError(code, { cause: error }), isTransient: false, raceLost: false };
  }

  /** 30 s, or until the old access token expires plus 30 s when that is later. */
  function memoryMs(oldTokenExpiresAt: number | undefined): number {
    const windowMs = ROTATION_MEMORY_SECONDS * 1000;
    if (oldTokenExpiresAt === undefined) return windowMs;
    return Math.min(Math.max(windowMs, oldTokenExpiresAt - config.clock.now() + windowMs), MAX_ROTATION_MEMORY_MS);
  }

  const isEnded = (sessionId: string | undefined) => sessionId !== undefined && endedSessions.get(sessionId) !== undefined;

  async function exchange(session: SessionData, organizationId: string | undefined, key: string, facts: TokenFacts): Promise<SessionData> {
    const { sessionId, expiresAt } = facts;
    let renewed: SessionData;
    try {
      renewed = sessionFromAuthentication(await callHonouringRateLimit(session, organizationId), session);
    } catch (error) {
      const { failure, isTransient, raceLost } = toFailure(error, session.refreshToken);
      const backoffSeconds = failure instanceof WorkOSUnavailableError ? failure.retryAfter : ROTATION_MEMORY_SECONDS;
      failures.set(key, failure, backoffSeconds * 1000);
      const { onSessionRefreshError } = config.hooks;
      if (onSessionRefreshError)
        runMonitoringHook(config.logger, 'onSessionRefreshError', () => onSessionRefreshError({ error: failure, isTransient, raceLost }));
      throw failure;
    }
    // Remembered before the in-flight entry goes, so no request slips between the two; a session
    // signed out meanwhile is not (its waiting callers are refused in `waitFor`).
    if (!isEnded(sessionId)) rotations.remember(session.refreshToken, organizationId, renewed, memoryMs(expiresAt));
    failures.delete(key);
    const { onSessionRefreshSuccess } = config.hooks;
    if (onSessionRefreshSuccess) {
      const event = {
        user: renewed.user,
        accessToken: renewed.accessToken,
        organizationId: renewed.organizationId,
        impersonator: renewed.impersonator,
      };
      runMonitoringHook(config.logger, 'onSessionRefreshSuccess', () => onSessionRefreshSuccess(event));
    }
    return renewed;
  }

  /** This caller's wait for the shared exchange: its own deadline, and no result for a session signed out meanwhile. */
  async function waitFor(exchanged: Promise<SessionData>, waitMs: number, sessionId: string | undefined): Promise<SessionData> {
    const outcome = await settleWithin(exchanged, waitMs);
    if (outcome === TIMED_OUT) {
      throw new WorkOSUnavailableError(
        'refresh_unavailable',
        `WorkOS did not answer the refresh within ${waitMs} ms; it goes on in the background.`,
      );
    }
    if (isEnded(sessionId)) throw new SessionEndedError();
    return outcome;
  }

  return (session, organizationId = session.organizationId, options = {}) => {
    // Decoded once per call: the session id and expiry serve every step below.
    const facts = tokenFacts(session);
    const { sessionId, expiresAt } = facts;
    // Before the rotation memory: a signed-out session's older cookies get nothing, and WorkOS is not asked.
    if (isEnded(sessionId)) return Promise.reject(new SessionEndedError());
    // With a shared store, its list of sessions signed out on any instance comes first: the
    // coordinated path checks it, then this memory, then the store's results.
    const successor = shared === undefined ? rotations.successorOf(session.refreshToken, organizationId) : undefined;
    if (successor) return Promise.resolve(successor);
    // Hashed: raw refresh tokens are not kept as keys, even while in flight.
    const key = refreshKey(session.refreshToken, organizationId);
    const waitMs = Math.min(options.waitMs ?? timeoutMs, timeoutMs);
    const pending = inFlight.get(key);
    if (pending) return waitFor(pending, waitMs, sessionId);
    if (options.early) {
      const failed = failures.get(key);
      if (failed) return Promise.reject(failed);
    }
    // Stays in flight until WorkOS answers, however many callers gave up waiting: later ones join it.
    const exchanged =
      shared === undefined
        ? exchange(session, organizationId, key, facts)
        : coordinateRefresh(shared, {
            key,
            keyOf: (refreshToken) => refreshKey(refreshToken, organizationId),
            sessionId,
            exchange: () => exchange(session, organizationId, key, facts),
            rememberedHere: () => rotations.successorOf(session.refreshToken, organizationId),
            remember: (successor) => rotations.remember(session.refreshToken, organizationId, successor, memoryMs(expiresAt)),
            memoryMs: memoryMs(expiresAt),
            failureMemoryMs: ROTATION_MEMORY_SECONDS * 1000,
          });
    const started = exchanged.finally(() => inFlight.delete(key));
    // Nobody may be waiting when it fails; the failure is already recorded and reported.
    started.catch(() => undefined);
    inFlight.set(key, started);
    return waitFor(started, waitMs, sessionId);
  };
}
