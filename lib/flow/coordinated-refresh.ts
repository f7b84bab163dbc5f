import { setTimeout as delay } from 'node:timers/promises';
import { WorkOSUnavailableError } from '../errors';
import type { SessionData } from '../model/session';
import { RefreshRejectedError, SessionEndedError } from './refresh-errors';
import { LOCK_TTL_MS, type SharedFailure, type SharedRefreshState } from './shared-refresh';

/** A successor may itself have been rotated (early refresh): follow at most this many hops. */
const MAX_CHAIN = 3;

/** The newest session known to have replaced the token under `key`, following rotations of rotations. */
async function newestSuccessor(shared: SharedRefreshState, refresh: CoordinatedRefresh): Promise<SessionData | undefined> {
  let found: SessionData | undefined;
  let key = refresh.key;
  for (let hop = 0; hop < MAX_CHAIN; hop += 1) {
    const next = await shared.successor(key);
    if (next === undefined) break;
    found = next;
    key = refresh.keyOf(next.refreshToken);
  }
  return found;
}

/** How often an instance waiting for another one's refresh looks for its result. */
const POLL_MS = 25;
/** What a request is told to wait when the refresh it needs is another instance's, or coordination is down. */
const RETRY_SOON_SECONDS = 1;

export interface CoordinatedRefresh {
  /** The refresh token's key (a hash of token and organization). */
  key: string;
  /** The key of another refresh token of the same organization (to follow a chain of rotations). */
  keyOf: (refreshToken: string) => string;
  /** The session's id, read unverified from its access token. */
  sessionId: string | undefined;
  /** This instance's exchange with WorkOS (it remembers the result in this process). */
  exchange: () => Promise<SessionData>;
  /** What this process itself remembers replaced the token (consulted once the store has said the session was not signed out). */
  rememberedHere: () => SessionData | undefined;
  /** Remembers another instance's result in this process, as an own exchange would. */
  remember: (successor: SessionData) => void;
  /** How long the result is shared: as long as the old cookie may come back. */
  memoryMs: number;
  /** How long a refusal is shared. */
  failureMemoryMs: number;
}

const retrySoon = (message: string, cause?: unknown) =>
  new WorkOSUnavailableError('refresh_unavailable', message, { cause, retryAfter: RETRY_SOON_SECONDS });

function fromShared(failure: SharedFailure): Error {
  if (failure.kind === 'rejected') return new RefreshRejectedError(failure.workosCode);
  return new WorkOSUnavailableError('refresh_unavailable', 'WorkOS could not refresh the session right now.', {
    retryAfter: failure.retryAfter,
  });
}

/**
 * One refresh token, many instances: the first to take the store's lock exchanges it with WorkOS
 * and shares the result; the others wait for that result and serve the same new session, so a
 * single-use token is spent once, whichever instances its requests reach.
 * - A store that is down counts as "lock taken": each instance refreshes alone, as one process
 *   would. While it is down, WorkOS refusing a token is not trusted to mean "signed out" (it may
 *   be another instance's race this one cannot see): the request gets 503 and keeps its cookie.
 * - An instance waiting when the store goes down does not take over (the holder may be spending
 *   the token right now): its request gets 503 and is retried with the holder's cookie.
 * - A lock whose holder died expires (`LOCK_TTL_MS`), and a waiter takes over.
 */
export async function coordinateRefresh(shared: SharedRefreshState, refresh: CoordinatedRefresh): Promise<SessionData> {
  const { key } = refresh;
  if (refresh.sessionId !== undefined && (await shared.isEnded(refresh.sessionId))) throw new SessionEndedError();
  // After the store's sign-out list (another instance may have ended the session), this process's
  // own memory: it answers at once, and still answers while the store is down.
  const here = refresh.rememberedHere();
  if (here !== undefined) return here;

  const giveUpAt = Date.now() + 2 * LOCK_TTL_MS;
  for (;;) {
    // Results are published before locks are released: a lock found free may hide a fresh result.
    const known = await newestSuccessor(shared, refresh);
    if (known !== undefined) return adopt(refresh, known);
    const failure = await shared.failure(key);
    if (failure !== undefined) throw fromShared(failure);
    const mine = await shared.underLock(key, () => exchangeAndShare(shared, refresh));
    if (mine !== undefined) return mine.value;
    const theirs = await waitForHolder(shared, key);
    if (theirs !== undefined) return adopt(refresh, theirs);
    if (Date.now() > giveUpAt) throw retrySoon('Another instance is still refreshing this session.');
  }
}

function adopt(refresh: CoordinatedRefresh, successor: SessionData): SessionData {
  refresh.remember(successor);
  return successor;
}

async function exchangeAndShare(shared: SharedRefreshState, refresh: CoordinatedRefresh): Promise<SessionData> {
  const { key } = refresh;
  try {
    // A holder before us published its result before letting go: with the lock ours, look once more.
    const theirs = await shared.successor(key);
    if (theirs !== undefined) return adopt(refresh, theirs);
    const renewed = await refresh.exchange();
    await shared.publish(key, renewed, refresh.memoryMs);
    return renewed;
  } catch (error) {
    if (error instanceof SessionEndedError) throw error;
    if (error instanceof RefreshRejectedError) {
      // Another instance may have spent the token after all (its lock expired mid-exchange).
      const theirs = await shared.successor(key);
      if (theirs !== undefined) return adopt(refresh, theirs);
      if (!shared.coordinating) throw retrySoon('Refreshes cannot be coordinated right now; retry shortly.', error);
      await shared.recordFailure(key, { kind: 'rejected', workosCode: error.workosCode }, refresh.failureMemoryMs);
    } else if (error instanceof WorkOSUnavailableError) {
      await shared.recordFailure(key, { kind: 'transient', retryAfter: error.retryAfter }, error.retryAfter * 1000);
    }
    throw error;
  } finally {
    await shared.releaseLock(key);
  }
}

/** Another instance holds the lock: its result, or undefined once it let go without one (take over). */
async function waitForHolder(shared: SharedRefreshState, key: string): Promise<SessionData | undefined> {
  for (;;) {
    await delay(POLL_MS, undefined, { ref: false });
    const theirs = await shared.successor(key);
    if (theirs !== undefined) return theirs;
    const failure = await shared.failure(key);
    if (failure !== undefined) throw fromShared(failure);
    if (!shared.coordinating) throw retrySoon('Refreshes cannot be coordinated right now; retry shortly.');
    if (!(await shared.isLocked(key))) return undefined;
  }
}
