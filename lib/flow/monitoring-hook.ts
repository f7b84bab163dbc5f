import type { AuthKitLogger } from '../config/options';

/**
 * Runs one of the app's monitoring hooks (`onSessionRejected`, `onSessionRefreshSuccess`, …):
 * monitoring must never break the request or refresh it reports, so a hook that throws or
 * rejects is only logged as a warning.
 */
export function runMonitoringHook(logger: Pick<AuthKitLogger, 'warn'>, name: string, hook: () => unknown): void {
  const warn = (error: unknown) => logger.warn(`${name} threw: ${error instanceof Error ? error.message : String(error)}`);
  try {
    const result = hook();
    if (result instanceof Promise) result.catch(warn);
  } catch (error) {
    warn(error);
  }
}
