import { createHash } from 'node:crypto';
import type { Clock } from '../config/options';
import type { SessionData } from '../model/session';

/** How long a rotation is remembered: longer than WorkOS's replay grace (~10–30 s) and a slow page's burst. */
export const ROTATION_MEMORY_SECONDS = 30;
/** Enough for 10,000 sessions refreshing within 30 s; each entry holds one session (~2 KB). */
export const ROTATION_MEMORY_MAX_ENTRIES = 10_000;
/** A successor may itself have been rotated (early refresh); follow at most this many hops. */
const MAX_CHAIN = 3;

/**
 * A map key for a refresh token (and organization): a SHA-256 digest, so the raw token is
 * never kept as a key. The token has 128+ bits of entropy, so no salt is needed.
 */
export function refreshKey(refreshToken: string, organizationId?: string): string {
  const hash = createHash('sha256').update(refreshToken);
  if (organizationId !== undefined) hash.update(`\u0000${organizationId}`);
  return hash.digest('base64url');
}

/**
 * A map whose entries expire on the injected clock, capped in size. Entries are dropped when
 * read expired, and swept from the oldest on every write; past the cap the oldest go first.
 */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly maxEntries: number,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.clock.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: V, ttlMs: number): void {
    const now = this.clock.now();
    // Re-inserting moves the key to the end, keeping insertion order close to expiry order.
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: now + ttlMs });
    for (const [oldest, entry] of this.entries) {
      if (entry.expiresAt > now && this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * What this process recently exchanged: old refresh token (+ organization) → the session WorkOS
 * returned. A request still carrying the old cookie gets that session instead of spending a
 * token WorkOS would refuse (strict rotation) or rate-limit (grace window).
 */
export class RecentRotations {
  private readonly successors: ExpiringMap<SessionData>;
  /** Keyed by the token alone: a refusal of any of these is a lost race, whatever the organization. */
  private readonly spent: ExpiringMap<true>;
  private readonly ttlMs: number;

  constructor(clock: Clock, options: { seconds?: number; maxEntries?: number } = {}) {
    this.ttlMs = (options.seconds ?? ROTATION_MEMORY_SECONDS) * 1000;
    const maxEntries = options.maxEntries ?? ROTATION_MEMORY_MAX_ENTRIES;
    this.successors = new ExpiringMap(clock, maxEntries);
    this.spent = new ExpiringMap(clock, maxEntries);
  }

  /**
   * Remembers the rotation for the window; its successor for `successorTtlMs` when that is longer
   * (an old token still valid). A refusal counts as a lost race for the window only, as before.
   */
  remember(oldRefreshToken: string, organizationId: string | undefined, successor: SessionData, successorTtlMs = this.ttlMs): void {
    this.successors.set(refreshKey(oldRefreshToken, organizationId), successor, Math.max(successorTtlMs, this.ttlMs));
    this.spent.set(refreshKey(oldRefreshToken), true, this.ttlMs);
  }

  /** The newest known session that replaced this token for this organization, if any. */
  successorOf(refreshToken: string, organizationId: string | undefined): SessionData | undefined {
    let found: SessionData | undefined;
    let token = refreshToken;
    for (let hop = 0; hop < MAX_CHAIN; hop += 1) {
      const next = this.successors.get(refreshKey(token, organizationId));
      if (next === undefined) break;
      found = next;
      token = next.refreshToken;
    }
    return found;
  }

  /** True when this process exchanged the token within the memory window. */
  wasRotated(refreshToken: string): boolean {
    return this.spent.get(refreshKey(refreshToken)) === true;
  }

  get size(): number {
    return this.successors.size;
  }
}
