import type { AuthKitUser, Impersonator } from '../model/session';
import type { AccessTokenClaims } from '../tokens/claims';

/** Conditions for `req.auth.has()`; every one given must hold. */
export interface HasConditions {
  /** The session's role is this one, or `roles` includes it. */
  role?: string;
  /** The token's `permissions` include this one. */
  permission?: string;
  /** The token's `entitlements` include this one. */
  entitlement?: string;
  /** The token's `feature_flags` include this one. */
  featureFlag?: string;
}

/**
 * Everything but `user` comes from the verified access token. Of `user`, only `id` is verified
 * (it equals the token's `sub`); email, names, picture and metadata are what the cookie holds,
 * as trustworthy as the cookie password: key your users by `user.id`.
 */
export interface SignedInAuth {
  /** The signed-in user: `id` is verified against the token's `sub`; the other fields come from the cookie. */
  user: AuthKitUser;
  /** The token's `sid`. */
  sessionId: string;
  /** The token's `org_id`; undefined when the token has none. */
  organizationId: string | undefined;
  /** The token's `role` in the session's organization. */
  role: string | undefined;
  /** The token's `roles`; `[role]` when it carries only `role`, `[]` when neither. */
  roles: string[];
  /** The token's `permissions` (`[]` when it has none). */
  permissions: string[];
  /** The token's `entitlements` (`[]` when it has none). */
  entitlements: string[];
  /** The token's `feature_flags` (`[]` when it has none). */
  featureFlags: string[];
  /** Present only when the token has an `act` claim; `email` is its `sub`. */
  impersonator: Impersonator | undefined;
  /** The verified access token, for calls to your own APIs. Never send it to a page's HTML. */
  accessToken: string;
  /** Every claim of the verified access token. */
  claims: AccessTokenClaims;
  /** True when the session holds every condition given, e.g. `has({ permission: 'posts:write' })`. */
  has(conditions: HasConditions): boolean;
}

/** `req.auth` of a request without a usable session. */
export interface SignedOutAuth {
  /** Always `null`: narrow on it to reach the signed-in fields. */
  user: null;
  /** Always false: a signed-out request holds no role, permission, entitlement or feature flag. */
  has(conditions: HasConditions): boolean;
}

/** What `req.auth` holds after a guard ran: narrow on `user`. */
export type AuthState = SignedInAuth | SignedOutAuth;
