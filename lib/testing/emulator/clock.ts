import type { EmulatorClock } from './types';

/** Real time plus an offset, so time keeps moving after a test jumps it. */
export function createClock(): EmulatorClock {
  let offsetMs = 0;
  return {
    now: () => Date.now() + offsetMs,
    advance(seconds: number): void {
      assertFinite(seconds, 'seconds');
      offsetMs += seconds * 1000;
    },
    set(ms: number): void {
      assertFinite(ms, 'ms');
      offsetMs = ms - Date.now();
    },
    reset(): void {
      offsetMs = 0;
    },
  };
}

function assertFinite(value: number, name: string): void {
  if (!Number.isFinite(value)) throw new TypeError(`clock: ${name} must be a finite number`);
}
