import { createHash, randomBytes } from 'node:crypto';
import type { ResolvedConfig } from '../config/resolve';
import type { SessionData } from '../model/session';
import { seal, unseal } from '../session/iron';
import { parseSessionData } from '../session/parse-session';
import type { GuardedStore } from '../store/guarded-store';

/** What one instance tells the others about a refresh that failed, for as long as it holds. */
export type SharedFailure = { kind: 'transient'; retryAfter: number } | { kind: 'rejected'; workosCode: string | undefined };

/**
 * A refresh lock lives this long unless its holder renews it: an instance that dies while it
 * exchanges a token holds the others up at most this long.
 */
export const LOCK_TTL_MS = 15_000;
/** The holder renews its lock this often while WorkOS has not answered. */
const LOCK_RENEW_MS = 5_000;

type SharedConfig = Pick<ResolvedConfig, 'passwords' | 'clock'>;

/**
 * The refresh state instances share through the store (`store` option), under these keys:
 * - `refresh:lock:<h>`: the instance exchanging the refresh token `h` (a SHA-256 of token and
 *   organization) with WorkOS; the others wait for its result instead of spending the token too;
 * - `refresh:result:<h>`: the session that replaced it, sealed with the cookie password (the store
 *   never holds a token in the clear), for as long as the old cookie may come back;
 * - `refresh:failed:<h>`: that WorkOS refused it for good, or could not answer (for its Retry-After);
 * - `ended:<s>`: a SHA-256 of a session id signed out on some instance.
 */
export class SharedRefreshState {
  constructor(
    private readonly store: GuardedStore,
    private readonly config: SharedConfig,
  ) {}

  /** False while the store fails: instances cannot see each other's refreshes. */
  get coordinating(): boolean {
    return this.store.available;
  }

  async successor(key: string): Promise<SessionData | undefined> {
    const sealed = await this.store.get(`refresh:result:${key}`);
    if (sealed === undefined) return undefined;
    const opened = unseal(sealed, this.config.passwords, { now: this.config.clock.now() });
    // Another deployment's value, or a password dropped since: as if absent.
    return opened.ok ? parseSessionData(opened.value) : undefined;
  }

  async publish(key: string, successor: SessionData, ttlMs: number): Promise<void> {
    const [password] = this.config.passwords;
    if (password === undefined) return;
    const ttlSeconds = Math.ceil(ttlMs / 1000);
    await this.store.set(`refresh:result:${key}`, seal(successor, password, { ttlSeconds, now: this.config.clock.now() }), ttlMs);
  }

  async failure(key: string): Promise<SharedFailure | undefined> {
    const value = await this.store.get(`refresh:failed:${key}`);
    if (value === undefined) return undefined;
    try {
      const parsed = JSON.parse(value) as Partial<{ kind: unknown; retryAfter: unknown; workosCode: unknown }>;
      if (parsed.kind === 'transient' && typeof parsed.retryAfter === 'number') return { kind: 'transient', retryAfter: parsed.retryAfter };
      if (parsed.kind === 'rejected')
        return { kind: 'rejected', workosCode: typeof parsed.workosCode === 'string' ? parsed.workosCode : undefined };
    } catch {
      // not ours: as if absent
    }
    return undefined;
  }

  async recordFailure(key: string, failure: SharedFailure, ttlMs: number): Promise<void> {
    await this.store.set(`refresh:failed:${key}`, JSON.stringify(failure), ttlMs);
  }

  /**
   * Takes the lock on `key` and runs `work`, renewing the lock until it settles; resolves undefined
   * (without running it) when another instance holds the lock. `work` releases it.
   */
  async underLock<T>(key: string, work: () => Promise<T>): Promise<{ value: T } | undefined> {
    const lockKey = `refresh:lock:${key}`;
    const owner = randomBytes(12).toString('base64url');
    if (!(await this.store.setIfAbsent(lockKey, owner, LOCK_TTL_MS))) return undefined;
    const renew = setInterval(() => void this.store.set(lockKey, owner, LOCK_TTL_MS), LOCK_RENEW_MS);
    renew.unref();
    try {
      return { value: await work() };
    } finally {
      clearInterval(renew);
    }
  }

  async releaseLock(key: string): Promise<void> {
    await this.store.delete(`refresh:lock:${key}`);
  }

  async isLocked(key: string): Promise<boolean> {
    return (await this.store.get(`refresh:lock:${key}`)) !== undefined;
  }

  async isEnded(sessionId: string): Promise<boolean> {
    return (await this.store.get(`ended:${hashOf(sessionId)}`)) !== undefined;
  }

  async end(sessionId: string, ttlMs: number): Promise<void> {
    await this.store.set(`ended:${hashOf(sessionId)}`, '1', ttlMs);
  }
}

function hashOf(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}
