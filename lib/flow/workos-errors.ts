/**
 * Classifies what the WorkOS SDK threw by structure, not by class: the SDK's error classes
 * changed between majors, the wire facts did not.
 */
export type FailureKind = 'transient' | 'terminal';

interface ErrorShape {
  status?: unknown;
  error?: unknown;
  code?: unknown;
  retryAfter?: unknown;
  rawData?: { error?: unknown; code?: unknown };
}

function shape(error: unknown): ErrorShape {
  return typeof error === 'object' && error !== null ? (error as ErrorShape) : {};
}

/**
 * Transient: timeouts, rate limits, 5xx, a rejected API key (our configuration, not the user's
 * session) and anything without an HTTP status (network failures: the SDK wraps fetch's
 * TypeError). Every other answer from WorkOS is final for the token.
 */
export function classifyWorkOSFailure(error: unknown): FailureKind {
  const status = shape(error).status;
  if (typeof status !== 'number') return 'transient';
  return status === 401 || status === 408 || status === 429 || status >= 500 ? 'transient' : 'terminal';
}

/** The OAuth error or step-up code WorkOS sent (`invalid_grant`, `sso_required`, `mfa_enrollment`, …). */
export function workosErrorCode(error: unknown): string | undefined {
  const s = shape(error);
  for (const candidate of [s.error, s.code, s.rawData?.error, s.rawData?.code]) {
    if (typeof candidate === 'string') return candidate;
  }
  return undefined;
}

export function retryAfterSeconds(error: unknown): number | undefined {
  const value = shape(error).retryAfter;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

export function isRateLimited(error: unknown): boolean {
  return shape(error).status === 429;
}

/** The SDK's HTTP client, as far as retries go. */
interface RetryingClient {
  constructor?: { isPathRetryable?: unknown };
}

/**
 * How many times the SDK itself retries 408/429/5xx on the token endpoint (honouring
 * `Retry-After`): `maxRetries`, default 3, in SDK 11. Older SDKs retry only the paths their
 * client's `isPathRetryable` names (vault, audit logs), so the token endpoint gets none.
 */
export function sdkRetries(workos: { options?: { maxRetries?: unknown } | undefined; client?: unknown }): number {
  const isPathRetryable = (workos.client as RetryingClient | undefined)?.constructor?.isPathRetryable;
  if (typeof isPathRetryable === 'function' && isPathRetryable('/user_management/authenticate') !== true) return 0;
  const configured = workos.options?.maxRetries;
  return typeof configured === 'number' && configured >= 0 ? configured : 3;
}
