import { decodeJwt } from 'jose';

/** Claims of a WorkOS access token. Absent claims are omitted by WorkOS, never `[]`. */
export interface AccessTokenClaims {
  /** Issuer, checked exactly against `issuer`. */
  iss: string;
  /** The user id; must equal the session's `user.id`. */
  sub: string;
  /** The WorkOS session id. */
  sid: string;
  /** The token's own id. */
  jti?: string;
  /** Issued at, in seconds since the epoch. */
  iat?: number;
  /** Expiry, in seconds since the epoch. */
  exp: number;
  /** The organization the session is in. */
  org_id?: string;
  /** The role in that organization. */
  role?: string;
  /** Every role in that organization, when WorkOS sends them. */
  roles?: string[];
  /** Permissions of the role(s). */
  permissions?: string[];
  /** The organization's entitlements. */
  entitlements?: string[];
  /** Feature flags enabled for the user or organization. */
  feature_flags?: string[];
  /** Present while an admin impersonates the user. */
  act?: {
    /** The impersonator's email. */
    sub: string;
  };
  /** Custom claims from your JWT template. */
  [claim: string]: unknown;
}

/**
 * Reads claims without verifying anything. Only for values that need no trust, such as the
 * session id sign-out hands to WorkOS (which WorkOS checks itself), including from expired tokens.
 */
export function decodeUnverified(token: string): Partial<AccessTokenClaims> | undefined {
  try {
    return decodeJwt(token) as Partial<AccessTokenClaims>;
  } catch {
    return undefined;
  }
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
