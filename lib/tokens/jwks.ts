import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Clock } from '../config/options';
import { WorkOSUnavailableError } from '../errors';

/** Keys older than this are refetched before use, so a key WorkOS withdrew stops working. */
export const JWKS_MAX_AGE_MS = 10 * 60 * 1000;
/**
 * Least time between two fetches caused by an unknown `kid` or by stale keys. Anyone can send
 * tokens with made-up kids; without this floor each would cost a request to WorkOS.
 */
export const JWKS_COOLDOWN_MS = 30 * 1000;
export const JWKS_TIMEOUT_MS = 5 * 1000;
/** RSA keys below this size are skipped on import (jose, too, refuses RS256 with them). */
export const MIN_RSA_MODULUS_BITS = 2048;

/** No key in the set answers to the token's `kid`: the token is invalid (not an outage). */
export class NoMatchingKeyError extends Error {
  override readonly name = 'NoMatchingKeyError';
  constructor() {
    super('No RS256 key in the WorkOS key set matches the token.');
  }
}

export interface JwksStoreSettings {
  url: URL;
  /** Measures max age and cooldown (not the HTTP timeout), so tests can move time. */
  clock: Clock;
  maxAgeMs?: number;
  cooldownMs?: number;
  timeoutMs?: number;
}

export interface JwksStore {
  /**
   * The RS256 public key published under `kid`. Throws `NoMatchingKeyError` when there is
   * none (the token is invalid) and `WorkOSUnavailableError` when the key set could not be
   * fetched and the answer depends on it (an outage is never "invalid").
   */
  keyFor(kid: unknown): Promise<KeyObject>;
  /**
   * The key under `kid` when it is cached and younger than the max age, else `undefined` (then
   * ask `keyFor`, which may fetch). Synchronous, so the usual case costs no promise.
   */
  freshKey(kid: string): KeyObject | undefined;
}

interface KeySnapshot {
  keys: ReadonlyMap<string, KeyObject>;
  /** Clock time at which the fetch that produced these keys started. */
  fetchedAt: number;
}

/**
 * Caches the WorkOS JWKS. Concurrent callers share one fetch; cached keys live `maxAgeMs`
 * and stay in use when a refetch fails (stale-if-error); an unknown `kid` refetches at most
 * once per `cooldownMs`, so key rotation works and a flood of forged kids costs one request.
 */
export function createJwksStore(settings: JwksStoreSettings): JwksStore {
  const maxAgeMs = settings.maxAgeMs ?? JWKS_MAX_AGE_MS;
  const cooldownMs = settings.cooldownMs ?? JWKS_COOLDOWN_MS;
  const timeoutMs = settings.timeoutMs ?? JWKS_TIMEOUT_MS;

  let snapshot: KeySnapshot | undefined;
  let inFlight: Promise<KeySnapshot> | undefined;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  /** Why the latest fetch failed; cleared by the next success. */
  let lastFailure: unknown;

  // A clock moved backwards counts as "long ago", so a jump in time cannot freeze the cache.
  function olderThan(time: number, ms: number): boolean {
    const elapsed = settings.clock.now() - time;
    return elapsed < 0 || elapsed >= ms;
  }

  /** A fetch may start now (joining one already under way is free). */
  function mayFetch(): boolean {
    return inFlight !== undefined || olderThan(lastAttemptAt, cooldownMs);
  }

  function refresh(): Promise<KeySnapshot> {
    if (inFlight !== undefined) return inFlight;
    const startedAt = settings.clock.now();
    lastAttemptAt = startedAt;
    inFlight = (async () => {
      try {
        snapshot = { keys: await download(settings.url, timeoutMs), fetchedAt: startedAt };
        lastFailure = undefined;
        return snapshot;
      } catch (error) {
        lastFailure = error;
        throw error;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  }

  /** Refetch, falling back to the keys we have when that fails (stale-if-error). */
  function refreshOr(fallback: KeySnapshot): Promise<KeySnapshot> {
    return refresh().catch(() => fallback);
  }

  return {
    freshKey(kid) {
      // Same freshness rule as keyFor: a snapshot at its max age goes through keyFor's refetch.
      if (snapshot === undefined || olderThan(snapshot.fetchedAt, maxAgeMs)) return undefined;
      return snapshot.keys.get(kid);
    },

    async keyFor(kid) {
      // WorkOS always names its key; without a kid the lookup would have to guess.
      if (typeof kid !== 'string' || kid === '') throw new NoMatchingKeyError();

      let current: KeySnapshot;
      if (snapshot === undefined) {
        // Nothing to fall back on: the caller cannot be answered either way.
        current = await refresh().catch((error: unknown) => {
          throw unavailable(error);
        });
      } else {
        current = snapshot;
        if (olderThan(current.fetchedAt, maxAgeMs) && mayFetch()) current = await refreshOr(current);
      }

      let key = current.keys.get(kid);
      // Possibly a rotated key: look once, unless we looked (or tried to) within the cooldown.
      if (key === undefined && mayFetch()) key = (await refreshOr(current)).keys.get(kid);
      if (key !== undefined) return key;
      // The kid may be genuine and only unknown because WorkOS could not be reached.
      if (lastFailure !== undefined) throw unavailable(lastFailure);
      throw new NoMatchingKeyError();
    },
  };
}

function unavailable(cause: unknown): WorkOSUnavailableError {
  return new WorkOSUnavailableError('jwks_unavailable', 'The WorkOS key set (JWKS) could not be fetched to verify the session.', { cause });
}

/** GETs the JWKS and imports its RS256 signing keys by kid; throws when none is usable. */
async function download(url: URL, timeoutMs: number): Promise<Map<string, KeyObject>> {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`The JWKS endpoint answered HTTP ${response.status}.`);
  }
  const body: unknown = await response.json();
  const entries: unknown[] = isRecord(body) && Array.isArray(body.keys) ? body.keys : [];
  const keys = new Map<string, KeyObject>();
  for (const entry of entries) {
    const imported = importSigningKey(entry);
    // On a duplicate kid keep the first: the lookup must be unambiguous.
    if (imported && !keys.has(imported[0])) keys.set(...imported);
  }
  if (keys.size === 0) throw new Error('The JWKS holds no usable RS256 signing key.');
  return keys;
}

/**
 * An RSA signing key for RS256, imported once per fetch (not per token) from its public members
 * only, as a `node:crypto` KeyObject; anything else, or an RSA key under 2048 bits, is skipped.
 */
function importSigningKey(entry: unknown): [string, KeyObject] | undefined {
  if (!isRecord(entry) || entry.kty !== 'RSA' || typeof entry.kid !== 'string' || entry.kid === '') return undefined;
  if ((entry.use !== undefined && entry.use !== 'sig') || (entry.alg !== undefined && entry.alg !== 'RS256')) return undefined;
  if (typeof entry.n !== 'string' || typeof entry.e !== 'string') return undefined;
  try {
    const key = createPublicKey({ key: { kty: 'RSA', n: entry.n, e: entry.e }, format: 'jwk' });
    const bits = key.asymmetricKeyDetails?.modulusLength;
    if (key.asymmetricKeyType !== 'rsa' || bits === undefined || bits < MIN_RSA_MODULUS_BITS) return undefined;
    return [entry.kid, key];
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
