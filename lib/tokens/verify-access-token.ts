import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { WorkOSUnavailableError } from '../errors';
import type { Clock } from '../config/options';
import type { AccessTokenClaims } from './claims';

export type TokenRejection = 'invalid_token' | 'user_mismatch';

export type TokenCheck =
  | { status: 'valid'; claims: AccessTokenClaims }
  /** Signature, issuer and user are right; only the lifetime is over, so a refresh may revive it. */
  | { status: 'expired'; claims: AccessTokenClaims }
  | { status: 'invalid'; reason: TokenRejection };

export interface AccessTokenVerifierSettings {
  jwksUrl: URL;
  issuer: string;
  clock: Clock;
}

export type AccessTokenVerifier = (token: string, expectedUserId: string) => Promise<TokenCheck>;

/** jose error codes that mean "this token is not acceptable"; any other failure means we could not check. */
const REJECTING_CODES = new Set(['ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_JOSE_NOT_SUPPORTED', 'ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWKS_MULTIPLE_MATCHING_KEYS']);

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : '';
}

function isRejection(code: string): boolean {
  return code.startsWith('ERR_JWT_') || code.startsWith('ERR_JWS_') || REJECTING_CODES.has(code);
}

function hasSessionClaims(payload: JWTPayload): payload is AccessTokenClaims {
  return typeof payload.sub === 'string' && typeof payload.sid === 'string' && typeof payload.exp === 'number';
}

/**
 * Verifies WorkOS access tokens against the JWKS: RS256 only, issuer checked, and the subject
 * bound to the user id sealed beside the token (a valid token of another user is refused).
 * A JWKS outage throws `WorkOSUnavailableError` instead of turning users into "signed out".
 */
export function createAccessTokenVerifier(settings: AccessTokenVerifierSettings): AccessTokenVerifier {
  // One remote key set per verifier: jose caches the keys and refetches on an unknown `kid`.
  const keySet = createRemoteJWKSet(settings.jwksUrl);

  return async (token, expectedUserId) => {
    let payload: JWTPayload;
    let expired = false;
    try {
      ({ payload } = await jwtVerify(token, keySet, {
        algorithms: ['RS256'],
        issuer: settings.issuer,
        currentDate: new Date(settings.clock.now()),
      }));
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ERR_JWT_EXPIRED') {
        // jose checks the signature before the claims, so an expired error carries a genuine payload.
        payload = (error as { payload: JWTPayload }).payload;
        expired = true;
      } else if (isRejection(code)) {
        return { status: 'invalid', reason: 'invalid_token' };
      } else {
        throw new WorkOSUnavailableError('jwks_unavailable', 'The WorkOS key set (JWKS) could not be fetched to verify the session.', { cause: error });
      }
    }
    if (!hasSessionClaims(payload)) return { status: 'invalid', reason: 'invalid_token' };
    if (payload.sub !== expectedUserId) return { status: 'invalid', reason: 'user_mismatch' };
    return { status: expired ? 'expired' : 'valid', claims: payload };
  };
}
