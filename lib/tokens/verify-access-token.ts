import { jwtVerify, type CompactJWSHeaderParameters, type JWTPayload } from 'jose';
import { WorkOSUnavailableError } from '../errors';
import type { Clock } from '../config/options';
import type { AccessTokenClaims } from './claims';
import { createJwksStore } from './jwks';

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
  // Our own key store rather than jose's remote set: its cache and cooldown run on the injected
  // clock, and an outage surfaces as WorkOSUnavailableError instead of a jose error.
  const keys = createJwksStore({ url: settings.jwksUrl, clock: settings.clock });
  const keyFor = (header: CompactJWSHeaderParameters) => keys.keyFor(header.kid);

  return async (token, expectedUserId) => {
    let payload: JWTPayload;
    let expired = false;
    try {
      ({ payload } = await jwtVerify(token, keyFor, {
        // The allow-list is checked before any key is looked up: `none`, HS256 signed with the
        // public key (key confusion) and every other algorithm fail here, without a JWKS fetch.
        algorithms: ['RS256'],
        issuer: settings.issuer,
        // Presence is checked before expiry, so an "expired" token always has these claims.
        requiredClaims: ['sub', 'sid', 'exp'],
        currentDate: new Date(settings.clock.now()),
      }));
    } catch (error) {
      if (error instanceof WorkOSUnavailableError) throw error;
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
