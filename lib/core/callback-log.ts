import { AuthKitError, CallbackError } from '../errors';
import type { AuthKitContext } from '../flow/context';
import { workosErrorCode } from '../flow/workos-errors';

/** WorkOS's error names are short identifiers; anything else (the query is attacker-controlled) is left out of the log. */
function identifier(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9_.:-]{1,64}$/.test(value) ? value : undefined;
}

/** What WorkOS said, when it said something: `WorkOS error access_denied`, `WorkOS answered 400 invalid_grant`, `no answer: …`. */
function workosDetail(error: AuthKitError): string | undefined {
  if (error instanceof CallbackError && error.workosError !== undefined) {
    const name = identifier(error.workosError);
    return name === undefined ? 'WorkOS sent an error' : `WorkOS error ${name}`;
  }
  const cause: unknown = error.cause;
  if (cause === undefined) return undefined;
  const status = (cause as { status?: unknown } | null)?.status;
  if (typeof status === 'number') return ['WorkOS answered', status, identifier(workosErrorCode(cause))].filter(Boolean).join(' ');
  // No HTTP answer: a network failure or our own deadline, whose messages carry no request data.
  // (Its own sentence's full stop is dropped: the log line adds one.)
  const message =
    cause instanceof Error
      ? cause.message
          .replace(/[^\x20-\x7e]/g, ' ')
          .slice(0, 200)
          .replace(/\.$/, '')
      : undefined;
  return message === undefined ? 'no answer from WorkOS' : `no answer from WorkOS: ${message}`;
}

/**
 * One line per failed sign-in callback, so failures reach the server's log even when an error
 * handler turns them into a friendly page: its code and status, and what WorkOS said. Never the
 * code or state values, tokens or cookies.
 */
export function logCallbackFailure(ctx: AuthKitContext, error: AuthKitError): void {
  const detail = workosDetail(error);
  ctx.config.logger.warn(
    `Sign-in callback failed: ${error.code} (${error.status})${detail === undefined ? '' : `, ${detail}`}. ${error.message}`,
  );
}
