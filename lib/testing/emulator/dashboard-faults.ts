import type { EmulatorFault } from './types';

/** The failures the dashboard can arm for the next refresh calls, by form value. */
export const REFRESH_FAULTS: Readonly<Record<string, { label: string; fault: EmulatorFault }>> = {
  server_error: { label: '500 Internal Server Error (transient: the app keeps the cookie)', fault: { status: 500 } },
  rate_limited: {
    label: '429 Too Many Requests, Retry-After: 1 (transient)',
    fault: { status: 429, headers: { 'Retry-After': '1' }, body: { message: 'Too many requests' } },
  },
  dropped: { label: 'Dropped connection (transient)', fault: { drop: true } },
  invalid_grant: {
    label: 'invalid_grant (terminal: the session ends)',
    fault: { status: 400, body: { error: 'invalid_grant', error_description: 'Session has already ended.' } },
  },
};

/** A short description of an armed fault. */
export function describeFault(fault: EmulatorFault): string {
  if (fault.drop) return 'dropped connection';
  const body = fault.body as { error?: unknown } | undefined;
  return typeof body?.error === 'string' ? `${fault.status ?? 500} ${body.error}` : String(fault.status ?? 500);
}
