import { decodeJwt } from 'jose';

/** Claims of a WorkOS access token. Absent claims are omitted by WorkOS, never `[]`. */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  sid: string;
  jti?: string;
  iat?: number;
  exp: number;
  org_id?: string;
  role?: string;
  roles?: string[];
  permissions?: string[];
  entitlements?: string[];
  feature_flags?: string[];
  /** Present while an admin impersonates the user. */
  act?: { sub: string };
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
