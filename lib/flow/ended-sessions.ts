import type { Clock } from '../config/options';
import type { AccessTokenClaims } from '../tokens/claims';
import { ExpiringMap } from './recent-rotations';

/** Enough for 50,000 sign-outs within the TTL; an entry is a session id (~40 bytes). */
export const ENDED_SESSIONS_MAX_ENTRIES = 50_000;
/**
 * An ended session stays listed for its access token's lifetime plus this margin, which covers
 * the rotation memory (30 s after the old token expires) and a refresh still finishing in the
 * background after its requests gave up (the SDK's own timeout and retries).
 */
const ENDED_SESSION_MARGIN_MS = 5 * 60 * 1000;
/** For tokens without `iat`/`exp`, and the least any session is listed. */
const ENDED_SESSION_MIN_TTL_MS = 10 * 60 * 1000;
/** A bound on what an odd token's claims can ask for. */
const ENDED_SESSION_MAX_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Session ids signed out here, so that no rotation of the session is handed out again: a replayed
 * older cookie of an ended session is signed out, never given a successor. A small port, because
 * a later issue puts it on a shared store (Redis) so every instance refuses, and turns it into a
 * revocation list; today it is this process's memory.
 */
export interface EndedSessions {
  /** When the session was signed out (ms, on the injected clock), while it is listed. */
  get(sessionId: string): { endedAt: number } | undefined;
  /** Lists the session for `ttlMs`. */
  add(sessionId: string, ttlMs: number): void;
}

/** The in-process list: bounded, entries expire on the injected clock, oldest dropped first past the cap. */
export function createEndedSessions(clock: Clock, maxEntries = ENDED_SESSIONS_MAX_ENTRIES): EndedSessions {
  const ended = new ExpiringMap<{ endedAt: number }>(clock, maxEntries);
  return {
    get: (sessionId) => ended.get(sessionId),
    add: (sessionId, ttlMs) => ended.set(sessionId, { endedAt: clock.now() }, ttlMs),
  };
}

/**
 * How long to list a session whose access token carried these (unverified) claims: at least as
 * long as such a token lives, plus the margin, so every rotation this process may still remember
 * or complete is gone before the session leaves the list.
 */
export function endedSessionTtlMs(claims: Partial<Pick<AccessTokenClaims, 'iat' | 'exp'>> | undefined): number {
  const { iat, exp } = claims ?? {};
  const lifetimeMs = typeof iat === 'number' && typeof exp === 'number' && exp > iat ? (exp - iat) * 1000 : 0;
  return Math.min(Math.max(lifetimeMs + ENDED_SESSION_MARGIN_MS, ENDED_SESSION_MIN_TTL_MS), ENDED_SESSION_MAX_TTL_MS);
}
