import { hash } from 'node:crypto';
import { signedInAuth, type SignedInAuth } from '../auth';
import type { AccessTokenClaims } from '../tokens/claims';
import type { SessionData } from './session-data';

/**
 * Sessions this process has already unsealed and whose access token it has verified, so a
 * request carrying the same cookie again skips both. What it holds and why it is safe:
 * - Keyed by SHA-256 of the exact (joined) cookie value, never the value itself: a cookie that
 *   differs in any byte (tampered, another user's, a newer seal of the same session) is another
 *   key, and no sealed session sits in memory as a map key.
 * - Only successes go in, each with the time window in which the uncached path would have given
 *   the same answer (the caller works it out: token not yet due for refresh and not expired,
 *   seal not expired, key set not older than its max age). Outside it the entry is dropped and
 *   the request takes the full path again. Failures are never stored.
 * - Bounded: least recently used entries go first once `maxEntries` are held.
 * - Entries are deep-frozen and hold no refresh token: one object serves many requests, so a
 *   handler must not be able to change what the next request sees.
 */

export interface VerifiedSession {
  readonly session: SessionData;
  readonly claims: AccessTokenClaims;
  /** Built once and frozen: every request with this cookie gets this same branded object. */
  readonly auth: SignedInAuth;
}

interface Entry extends VerifiedSession {
  /** Served while `servableFrom <= now < servableUntil` (ms, on the instance's clock). */
  readonly servableFrom: number;
  readonly servableUntil: number;
}

export interface VerifiedSessionCache {
  readonly maxEntries: number;
  readonly size: number;
  /**
   * Bumped by every `forget`. Read it before the slow path and hand it to `remember`: a session
   * signed out while it was being verified is then not put back.
   */
  readonly generation: number;
  /** The cache key of a cookie value: its SHA-256, as a 32-character binary string. */
  keyOf(cookieValue: string): string;
  /** The entry for `key` when it may be served at `nowMs` (and marks it recently used); drops a stale one. */
  get(key: string, nowMs: number): VerifiedSession | undefined;
  /** Stores a verified session (frozen, without its refresh token) and returns what it stored. */
  remember(key: string, value: { session: SessionData; claims: AccessTokenClaims; servableFrom: number; servableUntil: number }, generation: number): VerifiedSession;
  /** Drops the entry for `key` (sign-out). */
  forget(key: string): void;
}

/** `undefined` when `maxEntries` is 0: the caching code then costs one `undefined` check. */
export function createVerifiedSessionCache(maxEntries: number): VerifiedSessionCache | undefined {
  if (!(maxEntries > 0)) return undefined;
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, Entry>();
  let newestKey: string | undefined;
  let generation = 0;

  return {
    maxEntries,
    get size() {
      return entries.size;
    },
    get generation() {
      return generation;
    },

    keyOf: (cookieValue) => hash('sha256', cookieValue, 'binary'),

    get(key, nowMs) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (!(nowMs >= entry.servableFrom && nowMs < entry.servableUntil)) {
        entries.delete(key);
        if (newestKey === key) newestKey = undefined;
        return undefined;
      }
      if (newestKey !== key) {
        entries.delete(key);
        entries.set(key, entry);
        newestKey = key;
      }
      return entry;
    },

    remember(key, value, atGeneration) {
      const session = deepFreeze({ ...value.session, refreshToken: '' });
      const claims = deepFreeze(value.claims);
      const entry: Entry = {
        session,
        claims,
        auth: deepFreeze(signedInAuth(session, claims)),
        servableFrom: value.servableFrom,
        servableUntil: value.servableUntil,
      };
      if (atGeneration !== generation) return entry;
      entries.delete(key);
      if (entries.size >= maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
      entries.set(key, entry);
      newestKey = key;
      return entry;
    },

    forget(key) {
      generation += 1;
      entries.delete(key);
      if (newestKey === key) newestKey = undefined;
    },
  };
}

/**
 * Ms since the epoch at which an iron seal (`Fe26.2*…*<expiration>*…`, optionally `~<version>`)
 * stops being accepted, or `Infinity` when it has no expiration. Read only from a cookie that
 * just unsealed, whose expiration the MAC covers. Unseal allows 60 s of skew past it; ending at
 * the expiration itself is the safe side.
 */
export function sealExpiresAt(cookieValue: string): number {
  const delimiter = cookieValue.indexOf('~');
  const sealed = delimiter === -1 ? cookieValue : cookieValue.slice(0, delimiter);
  const expiration = sealed.split('*')[5];
  if (expiration === undefined || expiration === '') return Number.POSITIVE_INFINITY;
  const ms = Number(expiration);
  // An expiration we cannot read leaves the entry no lifetime at all, never an endless one.
  return Number.isFinite(ms) ? ms : Number.NEGATIVE_INFINITY;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
