/**
 * Why a request counts as signed out, by the layer that decided it. Plain string unions, kept
 * below every layer because the public hook types (`onSessionRejected`) name them too.
 */

/** A seal that does not open. */
export type UnsealFailure = 'malformed' | 'expired' | 'tampered' | 'unknown_password';

/** Why a present session cookie was not accepted; never a reason to answer 500. */
export type SessionRejection = UnsealFailure | 'not_a_session' | 'duplicate_cookie';

/** Why the session's access token was not accepted. */
export type TokenRejection = 'invalid_token' | 'user_mismatch';

export type SignedOutReason = 'no_session' | SessionRejection | TokenRejection | 'refresh_rejected';
