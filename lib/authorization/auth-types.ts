import type { AuthKitUser, Impersonator } from '../model/session';
import type { AccessTokenClaims } from '../tokens/claims';

/** Conditions for `req.auth.has()`; every one given must hold. */
export interface HasConditions {
  role?: string;
  permission?: string;
  entitlement?: string;
  featureFlag?: string;
}

/**
 * Everything but `user` comes from the verified access token. Of `user`, only `id` is verified
 * (it equals the token's `sub`); email, names, picture and metadata are what the cookie holds,
 * as trustworthy as the cookie password: key your users by `user.id`.
 */
export interface SignedInAuth {
  user: AuthKitUser;
  /** The token's `sid`. */
  sessionId: string;
  /** The token's `org_id`; undefined when the token has none. */
  organizationId: string | undefined;
  role: string | undefined;
  roles: string[];
  permissions: string[];
  entitlements: string[];
  featureFlags: string[];
  /** Present only when the token has an `act` claim; `email` is its `sub`. */
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

/** What `req.auth` holds after a guard ran: narrow on `user`. */
export type AuthState = SignedInAuth | SignedOutAuth;
