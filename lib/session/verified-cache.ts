import { signedInAuth, type SignedInAuth } from '../authorization/auth-state';
import type { AccessTokenClaims } from '../tokens/claims';
import { cookieValueExpiry, sealMacPart } from './iron';
import { createLruMap } from './lru';
import type { SessionData } from '../model/session';

/**
 * Sessions this process has already unsealed and whose access token it has verified, so a
 * request carrying the same cookie again skips both. What it holds and why it is safe:
 * - Served only for the exact (joined) cookie value it was verified with: a cookie that differs
 *   in any byte (tampered, another user's, a newer seal of the same session) is a miss. Lookup
 *   goes by the seal's last part, its HMAC, so a hit costs a map lookup and one string
 *   comparison instead of hashing the whole cookie; the comparison is what makes it exact.
 * - Only successes go in, each with the time window in which the uncached path would have given
 *   the same answer (the caller works it out: token not yet due for refresh and not expired,
 *   seal not expired, key set not older than its max age). Outside it the entry is dropped and
 *   the request takes the full path again. Failures are never stored.
 * - Bounded: least recently used entries go first once `maxEntries` are held. Each entry holds
 *   a copy of its cookie value besides the session, so it costs roughly twice the cookie size.
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
  /** The exact cookie value this session was verified with (a private, flat copy). */
  readonly cookieValue: string;
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
  /** The entry for this exact cookie value when it may be served at `nowMs` (and marks it recently used); drops a stale one. */
  get(cookieValue: string, nowMs: number): VerifiedSession | undefined;
  /** Stores a verified session (frozen, without its refresh token) under its cookie value and returns what it stored. */
  remember(
    cookieValue: string,
    value: { session: SessionData; claims: AccessTokenClaims; servableFrom: number; servableUntil: number },
    generation: number,
  ): VerifiedSession;
  /** Drops the entry of this cookie value (sign-out). */
  forget(cookieValue: string): void;
}

/** `undefined` when `maxEntries` is 0: the caching code then costs one `undefined` check. */
export function createVerifiedSessionCache(maxEntries: number): VerifiedSessionCache | undefined {
  if (!(maxEntries > 0)) return undefined;
  const entries = createLruMap<Entry>(maxEntries);
  let generation = 0;

  return {
    maxEntries,
    get size() {
      return entries.size;
    },
    get generation() {
      return generation;
    },

    get(cookieValue, nowMs) {
      const key = lookupKey(cookieValue);
      const entry = entries.peek(key);
      if (entry === undefined || entry.cookieValue !== cookieValue) return undefined;
      if (!(nowMs >= entry.servableFrom && nowMs < entry.servableUntil)) {
        entries.delete(key);
        return undefined;
      }
      return entries.get(key);
    },

    remember(cookieValue, value, atGeneration) {
      const session = deepFreeze({ ...value.session, refreshToken: '' });
      const claims = deepFreeze(value.claims);
      const stored = flatCopy(cookieValue);
      const entry: Entry = {
        cookieValue: stored,
        session,
        claims,
        auth: deepFreeze(signedInAuth(session, claims)),
        servableFrom: value.servableFrom,
        servableUntil: value.servableUntil,
      };
      if (atGeneration === generation) entries.set(lookupKey(stored), entry);
      return entry;
    },

    forget(cookieValue) {
      generation += 1;
      const key = lookupKey(cookieValue);
      // Only this exact cookie's entry: a garbled cookie ending in someone's MAC drops nothing.
      if (entries.peek(key)?.cookieValue === cookieValue) entries.delete(key);
    },
  };
}

/**
 * Where an entry is filed: the seal's MAC part (its HMAC plus the `~2` version suffix), or the
 * whole value when it is no seal. Two different seals practically never share it, and the
 * caller compares the whole value anyway, so this only has to spread entries, not decide.
 */
function lookupKey(cookieValue: string): string {
  return sealMacPart(cookieValue) ?? cookieValue;
}

/**
 * A copy of the string that shares no memory with the request: a cookie value parsed from the
 * header can be a slice that would keep the whole Cookie header (or every chunk) alive for as
 * long as the entry lives.
 */
function flatCopy(value: string): string {
  // Seals are ASCII: a one-byte copy, half the memory of a two-byte one. Anything else (never a
  // value that unsealed) still gets an exact copy.
  const copy = Buffer.from(value, 'latin1').toString('latin1');
  return copy === value ? copy : Buffer.from(value, 'utf16le').toString('utf16le');
}

/**
 * Ms since the epoch at which a session cookie's seal stops being accepted, or `Infinity` when
 * it has no expiration. Read only from a cookie that just unsealed, whose expiration the MAC
 * covers. Unseal allows 60 s of skew past it; ending at the expiration itself is the safe side.
 */
export function sealExpiresAt(cookieValue: string): number {
  const expiry = cookieValueExpiry(cookieValue);
  if (expiry.kind === 'expires') return expiry.atMs;
  // An expiration we cannot read leaves the entry no lifetime at all, never an endless one.
  return expiry.kind === 'never' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

/**
 * Freezes `value` and everything reachable from it. An object already frozen is not walked
 * again: everything here comes fresh from JSON.parse, so the only frozen objects met are the
 * ones this function froze a moment ago (the session's user inside the auth object), which
 * saves walking them twice.
 */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  // Index and for-in loops: no array of values allocated per object.
  if (Array.isArray(value)) for (let index = 0; index < value.length; index += 1) deepFreeze(value[index]);
  else for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
