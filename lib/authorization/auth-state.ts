import type { Impersonator, SessionData } from '../model/session';
import { stringList, type AccessTokenClaims } from '../tokens/claims';
import type { AuthState, HasConditions, SignedInAuth, SignedOutAuth } from './auth-types';
import { hasSignedIn, hasSignedOut } from './has';

export type { AuthState, SignedInAuth, SignedOutAuth } from './auth-types';

// Non-enumerable, so `res.json(req.auth)` and spreads carry data only.
function defineHas<T extends object>(auth: T, has: (conditions: HasConditions) => boolean): void {
  Object.defineProperty(auth, 'has', { value: has, enumerable: false, writable: false, configurable: false });
}

// Only objects this library made are trusted: a `req.auth` set by another library
// (express-jwt and Clerk use the same property) is never mistaken for ours.
const issued = new WeakSet<object>();

/**
 * Who impersonates, from the verified `act` claim only. The token does not carry the reason: the
 * sealed one is kept only when the sealed impersonator is the same person as the token's.
 */
function verifiedImpersonator(claims: AccessTokenClaims, sealed: Impersonator | undefined): Impersonator | undefined {
  const act: unknown = claims.act;
  if (typeof act !== 'object' || act === null) return undefined;
  const email: unknown = (act as { sub?: unknown }).sub;
  if (typeof email !== 'string') return undefined;
  return { email, reason: sealed?.email === email ? sealed.reason : null };
}

/**
 * Security invariant: every authorization input (organization, roles, permissions, entitlements,
 * feature flags, session id, impersonation) is read from `claims`, which the caller verified
 * (signature, issuer, `sub` equal to `session.user.id`). Nothing the seal says about them is
 * believed: with the cookie password one can seal any organization next to one's own token.
 */
export function signedInAuth(session: SessionData, claims: AccessTokenClaims): SignedInAuth {
  const auth: Omit<SignedInAuth, 'has'> = {
    user: session.user,
    sessionId: claims.sid,
    organizationId: typeof claims.org_id === 'string' ? claims.org_id : undefined,
    role: typeof claims.role === 'string' ? claims.role : undefined,
    roles: stringList(claims.roles ?? (typeof claims.role === 'string' ? [claims.role] : [])),
    permissions: stringList(claims.permissions),
    entitlements: stringList(claims.entitlements),
    featureFlags: stringList(claims.feature_flags),
    impersonator: verifiedImpersonator(claims, session.impersonator),
    accessToken: session.accessToken,
    claims,
  };
  defineHas(auth, (conditions) => hasSignedIn(auth as SignedInAuth, conditions));
  issued.add(auth);
  return auth as SignedInAuth;
}

export function signedOutAuth(): SignedOutAuth {
  const auth: Omit<SignedOutAuth, 'has'> = { user: null };
  defineHas(auth, hasSignedOut);
  issued.add(auth);
  return auth as SignedOutAuth;
}

export function isIssuedAuth(value: unknown): value is AuthState {
  return typeof value === 'object' && value !== null && issued.has(value);
}
