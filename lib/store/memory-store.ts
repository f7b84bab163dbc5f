import type { Clock } from '../config/options';
import type { SharedStore } from '../model/shared-store';

/** Enough for the refreshes of 10,000 sessions within their memory windows; oldest dropped first past it. */
export const MEMORY_STORE_MAX_ENTRIES = 50_000;

/**
 * The default store: this process's memory, with lifetimes on the injected clock and a bound on
 * its size. One instance of the app sees it, which is exactly the single-process behaviour.
 */
export function createMemoryStore(clock: Clock, maxEntries = MEMORY_STORE_MAX_ENTRIES): SharedStore {
  const entries = new Map<string, { value: string; expiresAt: number }>();

  const read = (key: string): string | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > clock.now()) return entry.value;
    entries.delete(key);
    return undefined;
  };

  const write = (key: string, value: string, ttlMs: number): void => {
    const now = clock.now();
    // Re-inserting moves the key to the end, keeping insertion order close to expiry order.
    entries.delete(key);
    entries.set(key, { value, expiresAt: now + ttlMs });
    for (const [oldest, entry] of entries) {
      if (entry.expiresAt > now && entries.size <= maxEntries) break;
      entries.delete(oldest);
    }
  };

  return {
    get: (key) => Promise.resolve(read(key)),
    set: (key, value, ttlMs) => Promise.resolve(write(key, value, ttlMs)),
    setIfAbsent: (key, value, ttlMs) => {
      if (read(key) !== undefined) return Promise.resolve(false);
      write(key, value, ttlMs);
      return Promise.resolve(true);
    },
    delete: (key) => Promise.resolve(void entries.delete(key)),
  };
}
