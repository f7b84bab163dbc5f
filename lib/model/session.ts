/**
 * Our own user and session types (the SDK renames its types between majors); the SDK's
 * `User` and `AuthenticationResponse` are structurally assignable to them.
 *
 * On `req.auth` only the user's `id` is verified (it equals the access token's `sub`); the
 * other fields are read from the cookie, as trustworthy as the cookie password.
 */
export interface AuthKitUser {
  /** Always `'user'`. */
  object: 'user';
  /** The WorkOS user id (`user_…`); the only field checked against the access token (its `sub`). Key your users by it. */
  id: string;
  /** As WorkOS returned it at sign-in or the last refresh; not verified on each request. */
  email: string;
  /** Whether the user has verified their email address with WorkOS. */
  emailVerified: boolean;
  /** Given name, when known. */
  firstName: string | null;
  /** Family name, when known. */
  lastName: string | null;
  /** Present from `@workos-inc/node` 10.1. */
  name?: string | null;
  /** URL of the profile picture, when the identity provider gave one. */
  profilePictureUrl: string | null;
  /** ISO 8601 time of the last sign-in, when the SDK reports it. */
  lastSignInAt?: string | null;
  /** The user's locale, when the SDK reports it. */
  locale?: string | null;
  /** Your own id for this user, when you set one in WorkOS. */
  externalId?: string | null;
  /** Your own key-value metadata stored on the WorkOS user. */
  metadata?: Record<string, string>;
  /** ISO 8601 creation time. */
  createdAt: string;
  /** ISO 8601 time of the last change. */
  updatedAt: string;
}

/** Who is signed in as the user while WorkOS support (or an admin) impersonates them. */
export interface Impersonator {
  /** The impersonator's email; on `req.auth`, the verified token's `act.sub`. */
  email: string;
  /** The reason given when impersonation started, if any (read from the cookie, not verified). */
  reason: string | null;
}

/**
 * What the session cookie holds: the same object `@workos-inc/node` seals, so cookies
 * written by either side are read by the other.
 */
export interface SessionData {
  /** The WorkOS access token (a JWT signed with RS256). */
  accessToken: string;
  /** The single-use WorkOS refresh token. */
  refreshToken: string;
  /** The user as WorkOS returned it at sign-in or the last refresh. */
  user: AuthKitUser;
  /** Set while the user is impersonated. */
  impersonator?: Impersonator | undefined;
  /** How the user signed in (`Password`, `GoogleOAuth`, `SSO`, …), as WorkOS reported it. */
  authenticationMethod?: string | undefined;
  /** The organization the session was refreshed into; sent to WorkOS to keep it on refresh. */
  organizationId?: string | undefined;
}

/** Tokens of the upstream OAuth provider (Google, Microsoft, …) when WorkOS is set to return them. */
export interface OAuthTokens {
  /** The provider's access token. */
  accessToken: string;
  /** The provider's refresh token. */
  refreshToken: string;
  /** When `accessToken` expires, as WorkOS reports it. */
  expiresAt: number;
  /** The scopes the provider granted. */
  scopes: string[];
}

/** The part of a WorkOS authentication response a session is made from. */
export interface AuthenticationResult {
  /** The WorkOS access token. */
  accessToken: string;
  /** The single-use WorkOS refresh token. */
  refreshToken: string;
  /** The signed-in user. */
  user: AuthKitUser;
  /** The organization the user signed in to, if any. */
  organizationId?: string | undefined;
  /** Set when the sign-in is an impersonation. */
  impersonator?: Impersonator | undefined;
  /** How the user signed in (`Password`, `GoogleOAuth`, `SSO`, …). */
  authenticationMethod?: string | undefined;
  /** Handed to `onSuccess`, never stored in the cookie. */
  oauthTokens?: OAuthTokens | undefined;
}
