import { AuthKitError, CallbackError } from '../errors';
import type { RequestCookies } from '../http/cookies';
import { readSessionCookie, sessionSetCookies } from '../session/session-cookie';
import type { AuthenticationResult } from '../model/session';
import { sessionFromAuthentication } from '../session/session-data';
import type { AuthKitContext } from './context';
import { settleWithin, TIMED_OUT } from './deadline';
import { checkSignInState, clearVerifierCookie, type StateFailure } from './sign-in-state';
import { classifyWorkOSFailure } from './workos-errors';

export type CallbackOutcome =
  /** `authentication` is undefined when a replayed callback found the user already signed in. */
  | {
      ok: true;
      location: string;
      setCookies: string[];
      /** Only the flow cookie's deletion: what to send if the app refuses the sign-in after all. */
      flowCookies: string[];
      authentication: AuthenticationResult | undefined;
      /** The app's own `state` from the sign-in. */
      customState: string | undefined;
    }
  /** A `CallbackError`, or `AuthKitError('session_too_large')` when the session cannot be stored. */
  | { ok: false; error: AuthKitError; setCookies: string[] };

const STATE_FAILURE_MESSAGES: Record<StateFailure, string> = {
  missing_state: 'The sign-in callback has no state parameter. Start signing in again.',
  invalid_state: 'The sign-in state is invalid or has expired. Start signing in again.',
  missing_verifier: 'This browser did not start the sign-in that came back (its sign-in cookie is missing). Start signing in again.',
  state_mismatch: 'The sign-in state does not match this browser. Start signing in again.',
};

export interface CallbackRequest {
  query: URLSearchParams;
  cookies: RequestCookies;
  userAgent: string | undefined;
}

/**
 * Completes a sign-in: checks the state against this browser's flow cookie, exchanges the
 * code with the PKCE verifier, and seals the session. The flow cookie is deleted on every
 * outcome. A replayed callback (back button after signing in) sends a signed-in user on.
 */
export async function completeSignIn(ctx: AuthKitContext, request: CallbackRequest): Promise<CallbackOutcome> {
  const { config } = ctx;
  const check = checkSignInState(config, request.query.get('state') ?? undefined, request.cookies);
  const setCookies = check.cookieName ? [clearVerifierCookie(config, check.cookieName)] : [];
  type ErrorArgs = ConstructorParameters<typeof CallbackError>;
  const fail = (code: ErrorArgs[0], message: string, status = 400, details?: ErrorArgs[3]): CallbackOutcome => ({
    ok: false,
    error: new CallbackError(code, message, status, details),
    setCookies,
  });

  const workosError = request.query.get('error');
  if (workosError !== null) {
    // The message stays fixed: the query is attacker-controlled and error pages may print messages.
    return fail('authorization_denied', 'Sign-in did not complete: WorkOS returned an error. Start signing in again.', 400, {
      workosError,
      workosErrorDescription: request.query.get('error_description') ?? undefined,
    });
  }
  if (!check.ok) {
    if (readSessionCookie(request.cookies, config).status === 'present') {
      return {
        ok: true,
        location: config.defaultReturnTo,
        setCookies,
        flowCookies: [...setCookies],
        authentication: undefined,
        customState: undefined,
      };
    }
    return fail(check.failure, STATE_FAILURE_MESSAGES[check.failure]);
  }
  const code = request.query.get('code');
  if (!code) return fail('missing_code', 'The sign-in callback has no authorization code. Start signing in again.');

  let authentication: AuthenticationResult;
  try {
    const exchange = config.workos.userManagement.authenticateWithCode({
      clientId: config.clientId,
      code,
      codeVerifier: check.codeVerifier,
      userAgent: request.userAgent,
    });
    // The SDK call cannot be aborted: past the deadline it finishes unheard (the code is single use either way).
    const answer = await settleWithin(exchange, config.workosTimeoutMs);
    if (answer === TIMED_OUT) throw new Error(`WorkOS did not answer the code exchange within ${config.workosTimeoutMs} ms.`);
    authentication = answer;
  } catch (error) {
    const status = classifyWorkOSFailure(error) === 'transient' ? 502 : 400;
    return fail('code_exchange_failed', 'WorkOS did not accept the sign-in code. Start signing in again.', status, { cause: error });
  }
  const session = sessionFromAuthentication(authentication);
  const flowCookies = [...setCookies];
  try {
    setCookies.push(...sessionSetCookies(session, config, request.cookies));
  } catch (error) {
    // Too big for the cookie cap: still answer with the flow cookie's deletion.
    if (error instanceof AuthKitError && error.code === 'session_too_large') return { ok: false, error, setCookies };
    throw error;
  }
  return {
    ok: true,
    location: check.returnTo ?? config.defaultReturnTo,
    setCookies,
    flowCookies,
    authentication,
    customState: check.customState,
  };
}
