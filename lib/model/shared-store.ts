/**
 * State the instances of one app share: refresh locks and results, sessions recently rotated,
 * sessions ended. Small string values with a lifetime; keys and values are chosen by the library
 * (keys are hashes, values that hold tokens are sealed with the cookie password), so a store never
 * sees a token in the clear. The default keeps it in this process; `authkit-express/redis` puts it
 * on Redis so every instance sees it.
 *
 * Every method may reject (a store that is down): the library then carries on as a single
 * process would and says so once through its logger; nobody is signed out for it.
 */
export interface SharedStore {
  /** The value under `key`, or undefined when it is absent or its lifetime has passed. */
  get(key: string): Promise<string | undefined>;
  /** Sets `key` for `ttlMs` milliseconds, replacing any value. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Sets `key` only when it is absent; resolves `true` when this call set it (a lock taken). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Removes `key` (an absent key is fine). */
  delete(key: string): Promise<void>;
}
