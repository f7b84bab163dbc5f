import { stringList, type AccessTokenClaims } from './tokens/claims';
import type { AuthKitUser, Impersonator, SessionData } from './session/session-data';
import { hasSignedIn, hasSignedOut, type HasConditions } from './authorization/has';

export interface SignedInAuth {
  user: AuthKitUser;
  sessionId: string;
  organizationId: string | undefined;
  role: string | undefined;
  roles: string[];
  permissions: string[];
  entitlements: string[];
  featureFlags: string[];
  impersonator: Impersonator | undefined;
  accessToken: string;
  claims: AccessTokenClaims;
  /** True when the session holds every condition given, e.g. `has({ permission: 'posts:write' })`. */
  has(conditions: HasConditions): boolean;
}

export interface SignedOutAuth {
  user: null;
  /** Always false: a signed-out request holds no role, permission, entitlement or feature flag. */
  has(conditions: HasConditions): boolean;
}

// Non-enumerable, so `res.json(req.auth)` and spreads carry data only.
function defineHas<T extends object>(auth: T, has: (conditions: HasConditions) => boolean): void {
  Object.defineProperty(auth, 'has', { value: has, enumerable: false, writable: false, configurable: false });
}

/** What `req.auth` holds after a guard ran: narrow on `user`. */
export type AuthState = SignedInAuth | SignedOutAuth;

// Only objects this library made are trusted: a `req.auth` set by another library
// (express-jwt and Clerk use the same property) is never mistaken for ours.
const issued = new WeakSet<object>();

export function signedInAuth(session: SessionData, claims: AccessTokenClaims): SignedInAuth {
  const auth: Omit<SignedInAuth, 'has'> = {
    user: session.user,
    sessionId: claims.sid,
    organizationId: typeof claims.org_id === 'string' ? claims.org_id : session.organizationId,
    role: typeof claims.role === 'string' ? claims.role : undefined,
    roles: stringList(claims.roles ?? (typeof claims.role === 'string' ? [claims.role] : [])),
    permissions: stringList(claims.permissions),
    entitlements: stringList(claims.entitlements),
    featureFlags: stringList(claims.feature_flags),
    impersonator: session.impersonator ?? (claims.act ? { email: claims.act.sub, reason: null } : undefined),
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
