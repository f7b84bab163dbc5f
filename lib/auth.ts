import { stringList, type AccessTokenClaims } from './tokens/claims';
import type { AuthKitUser, Impersonator, SessionData } from './session/session-data';

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
}

export interface SignedOutAuth {
  user: null;
}

/** What `req.auth` holds after a guard ran: narrow on `user`. */
export type AuthState = SignedInAuth | SignedOutAuth;

// Only objects this library made are trusted: a `req.auth` set by another library
// (express-jwt and Clerk use the same property) is never mistaken for ours.
const issued = new WeakSet<object>();

export function signedInAuth(session: SessionData, claims: AccessTokenClaims): SignedInAuth {
  const auth: SignedInAuth = {
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
  issued.add(auth);
  return auth;
}

export function signedOutAuth(): SignedOutAuth {
  const auth: SignedOutAuth = { user: null };
  issued.add(auth);
  return auth;
}

export function isIssuedAuth(value: unknown): value is AuthState {
  return typeof value === 'object' && value !== null && issued.has(value);
}
