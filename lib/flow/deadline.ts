/** What `settleWithin` resolves to when the wait ran out before the work settled. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * Waits for `work` at most `ms` milliseconds of real time (`0`: only if it has already settled).
 * The work is not cancelled (the WorkOS SDK cannot be aborted): it goes on, and whoever else holds
 * it still sees its outcome. The timer is unref'd and cleared as soon as either side wins, so a
 * wait never keeps the process alive and never outlives itself.
 */
export function settleWithin<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  // An already settled promise wins a race against an already resolved one listed after it.
  if (!(ms > 0)) return Promise.race([work, Promise.resolve(TIMED_OUT)]);
  return new Promise<T | typeof TIMED_OUT>((resolve, reject) => {
    const timer = setTimeout(() => resolve(TIMED_OUT), ms);
    timer.unref();
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
