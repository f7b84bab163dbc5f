/**
 * Our own user and session types (the SDK renames its types between majors); the SDK's
 * `User` and `AuthenticationResponse` are structurally assignable to them.
 *
 * On `req.auth` only the user's `id` is verified (it equals the access token's `sub`); the
 * other fields are read from the cookie, as trustworthy as the cookie password.
 */
export interface AuthKitUser {
  object: 'user';
  id: string;
  email: string;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
  /** Present from `@workos-inc/node` 10.1. */
  name?: string | null;
  profilePictureUrl: string | null;
  lastSignInAt?: string | null;
  locale?: string | null;
  externalId?: string | null;
  metadata?: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface Impersonator {
  email: string;
  reason: string | null;
}

/**
 * What the session cookie holds: the same object `@workos-inc/node` seals, so cookies
 * written by either side are read by the other.
 */
export interface SessionData {
  accessToken: string;
  refreshToken: string;
  user: AuthKitUser;
  impersonator?: Impersonator | undefined;
  authenticationMethod?: string | undefined;
  organizationId?: string | undefined;
}

/** Tokens of the upstream OAuth provider (Google, Microsoft, …) when WorkOS is set to return them. */
export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  scopes: string[];
}

/** The part of a WorkOS authentication response a session is made from. */
export interface AuthenticationResult {
  accessToken: string;
  refreshToken: string;
  user: AuthKitUser;
  organizationId?: string | undefined;
  impersonator?: Impersonator | undefined;
  authenticationMethod?: string | undefined;
  /** Handed to `onSuccess`, never stored in the cookie. */
  oauthTokens?: OAuthTokens | undefined;
}
