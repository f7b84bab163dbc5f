import type { KeyObject } from 'node:crypto';
import { WorkOSUnavailableError } from '../errors';
import type { Clock } from '../config/options';
import type { AccessTokenClaims } from './claims';
import { decodeJsonObject, parseRs256, signatureMatches, type ParsedJws } from './compact-jws';
import { createJwksStore, NoMatchingKeyError, type JwksStore } from './jwks';

import type { TokenRejection } from '../model/reasons';

export type { TokenRejection };

export type TokenCheck =
  | { status: 'valid'; claims: AccessTokenClaims }
  /** Signature, issuer and user are right; only the lifetime is over, so a refresh may revive it. */
  | { status: 'expired'; claims: AccessTokenClaims }
  | { status: 'invalid'; reason: TokenRejection };

export interface AccessTokenVerifierSettings {
  jwksUrl: URL;
  issuer: string;
  clock: Clock;
  /** Deadline of a key-set fetch (`workosTimeoutMs`); default `JWKS_TIMEOUT_MS`. */
  workosTimeoutMs?: number;
}

export type AccessTokenVerifier = (token: string, expectedUserId: string) => Promise<TokenCheck>;

const invalid = (reason: TokenRejection = 'invalid_token'): TokenCheck => ({ status: 'invalid', reason });

/**
 * The claim rules, applied only to a payload whose signature matched, in jose's order (so the
 * answers agree with `jwtVerify(token, key, { algorithms: ['RS256'], issuer, requiredClaims:
 * ['sub', 'sid', 'exp'], currentDate })`): required claims present, issuer exact, `iat`/`nbf`
 * numbers when present, `nbf` not in the future, then `exp`. Times are whole seconds, as in jose.
 * A token that is only expired still reports `user_mismatch` when it belongs to someone else.
 */
function checkClaims(payload: Record<string, unknown>, issuer: string, expectedUserId: string, nowMs: number): TokenCheck {
  if (payload.iss === undefined || payload.sub === undefined || payload.sid === undefined || payload.exp === undefined) return invalid();
  if (payload.iss !== issuer) return invalid();
  const { iat, nbf, exp } = payload;
  if (iat !== undefined && typeof iat !== 'number') return invalid();
  const now = Math.floor(nowMs / 1000);
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now)) return invalid();
  if (typeof exp !== 'number' || typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return invalid();
  if (payload.sub !== expectedUserId) return invalid('user_mismatch');
  return { status: exp <= now ? 'expired' : 'valid', claims: payload as AccessTokenClaims };
}

/** The key for the token's kid: from the cache when fresh, else from the store (which may fetch). */
async function keyFor(keys: JwksStore, jws: ParsedJws): Promise<KeyObject | undefined> {
  try {
    return await keys.keyFor(jws.kid);
  } catch (error) {
    if (error instanceof NoMatchingKeyError) return undefined;
    if (error instanceof WorkOSUnavailableError) throw error;
    throw new WorkOSUnavailableError('jwks_unavailable', 'The WorkOS key set (JWKS) could not be fetched to verify the session.', {
      cause: error,
    });
  }
}

/**
 * Verifies WorkOS access tokens against the JWKS with `node:crypto`: RS256 only, issuer checked,
 * and the subject bound to the user id sealed beside the token (a valid token of another user is
 * refused). The token's shape and header are checked before any key is looked up, so `none`,
 * HS256 key confusion and junk cost no JWKS fetch; the signature is checked before any claim is
 * read. A JWKS outage throws `WorkOSUnavailableError` instead of turning users into "signed out".
 */
export function createAccessTokenVerifier(settings: AccessTokenVerifierSettings): AccessTokenVerifier {
  // Our own key store: its cache and cooldown run on the injected clock, it holds one KeyObject
  // per kid, and an outage surfaces as WorkOSUnavailableError.
  const keys = createJwksStore({ url: settings.jwksUrl, clock: settings.clock, timeoutMs: settings.workosTimeoutMs });
  const { issuer, clock } = settings;

  return async (token, expectedUserId) => {
    const jws = parseRs256(token);
    if (jws === undefined) return invalid();
    const key = keys.freshKey(jws.kid) ?? (await keyFor(keys, jws));
    if (key === undefined || !signatureMatches(jws, key)) return invalid();
    const payload = decodeJsonObject(jws.payloadSegment);
    if (payload === undefined) return invalid();
    return checkClaims(payload, issuer, expectedUserId, clock.now());
  };
}
