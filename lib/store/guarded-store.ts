import type { AuthKitLogger } from '../config/options';
import type { SharedStore } from '../model/shared-store';

class StoreTimeout extends Error {
  override readonly name = 'StoreTimeout';
}

/**
 * `work`, or a StoreTimeout after `ms`. A busy event loop runs due timers before it reads the
 * sockets, so a reply that arrived in time could lose to the timer: the timeout is decided one
 * I/O turn later (`setImmediate`), after any reply already waiting has been read.
 */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      setImmediate(() => {
        if (!settled) reject(new StoreTimeout(`no answer within ${ms} ms`));
      }).unref();
    }, ms);
    timer.unref();
    work.then(
      (value) => {
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        settled = true;
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * The store as the library uses it: every command bounded by `timeoutMs`, and a store that fails
 * or does not answer never fails a request. Reads then find nothing, writes are dropped, and a
 * lock counts as taken, so each instance carries on alone (as a single process would: its own
 * single-flight still holds). Once it failed, commands get their fallback at once, but for one
 * probe a second, until one succeeds. The logger hears of it once when the store starts failing
 * and once when it answers again, never per request.
 */
export interface GuardedStore extends SharedStore {
  /** False from a failed command until the next one that succeeds. */
  readonly available: boolean;
}

/** While the store fails, one command at most this often is let through to see whether it is back. */
const PROBE_INTERVAL_MS = 1_000;

export function guardStore(store: SharedStore, options: { timeoutMs: number; logger: Pick<AuthKitLogger, 'warn'> }): GuardedStore {
  let failing = false;
  let lastProbe = 0;

  const succeeded = <T>(value: T): T => {
    if (failing) {
      failing = false;
      options.logger.warn('The shared store answers again: refreshes are coordinated across instances again.');
    }
    return value;
  };
  const failed =
    <T>(fallback: T) =>
    (error: unknown): T => {
      if (!failing) {
        failing = true;
        lastProbe = Date.now();
        const why = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
        options.logger.warn(
          `The shared store failed (${why}). Until it answers, each instance refreshes sessions on its own ` +
            '(nobody is signed out for it, but two instances may race on one session). Check the Redis connection.',
        );
      }
      return fallback;
    };
  const run = <T>(command: () => Promise<T>, fallback: T): Promise<T> => {
    // A store known to be down is not waited for on every request: the fallback at once, and a
    // probe now and then (real time: this is about the network, not the app's clock).
    if (failing) {
      const now = Date.now();
      if (now - lastProbe < PROBE_INTERVAL_MS) return Promise.resolve(fallback);
      lastProbe = now;
    }
    let pending: Promise<T>;
    try {
      pending = command();
    } catch (error) {
      return Promise.resolve(failed(fallback)(error));
    }
    return within(pending, options.timeoutMs).then(succeeded, failed(fallback));
  };

  return {
    get available() {
      return !failing;
    },
    get: (key) => run(() => store.get(key), undefined),
    set: (key, value, ttlMs) => run(() => store.set(key, value, ttlMs), undefined),
    setIfAbsent: (key, value, ttlMs) => run(() => store.setIfAbsent(key, value, ttlMs), true),
    delete: (key) => run(() => store.delete(key), undefined),
  };
}
