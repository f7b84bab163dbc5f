import { json, type Reply } from './http';
import type { EmulatorEndpoint, EmulatorFault } from './types';

interface ArmedFault {
  fault: EmulatorFault;
  remaining: number;
}

/** Faults armed per endpoint, consumed in order by the next matching calls. */
export class FaultQueue {
  private readonly armed = new Map<EmulatorEndpoint, ArmedFault[]>();

  add(endpoint: EmulatorEndpoint, fault: EmulatorFault, count = 1): void {
    if (!Number.isInteger(count) || count < 1) throw new TypeError('failNext: count must be a positive integer');
    if (fault.delayMs !== undefined && !(fault.delayMs >= 0)) throw new TypeError('failNext: delayMs must be >= 0');
    const queue = this.armed.get(endpoint) ?? [];
    queue.push({ fault: { ...fault }, remaining: count });
    this.armed.set(endpoint, queue);
  }

  take(endpoint: EmulatorEndpoint): EmulatorFault | undefined {
    const queue = this.armed.get(endpoint);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining === 0) queue.shift();
    return head.fault;
  }

  /** What is still armed for `endpoint`, in the order it will apply (for the dashboard). */
  pending(endpoint: EmulatorEndpoint): readonly { fault: EmulatorFault; remaining: number }[] {
    return this.armed.get(endpoint) ?? [];
  }

  /** Disarms what is still queued for `endpoint`, or for every endpoint. */
  clear(endpoint?: EmulatorEndpoint): void {
    if (endpoint === undefined) this.armed.clear();
    else this.armed.delete(endpoint);
  }
}

/** The reply a fault stands in for, or `undefined` when it only delays or drops. */
export function faultReply(fault: EmulatorFault): Reply | undefined {
  if (fault.status === undefined && fault.body === undefined && fault.headers === undefined) return undefined;
  const status = fault.status ?? 500;
  const reply =
    typeof fault.body === 'string'
      ? { status, headers: { 'Content-Type': 'application/json' }, body: fault.body }
      : json(status, fault.body ?? { message: 'Emulated failure' });
  return { ...reply, headers: { ...reply.headers, ...fault.headers } };
}
