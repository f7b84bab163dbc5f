import { createHash, randomBytes, randomUUID, sign, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { EmulatorImpersonator, EmulatorMembership } from './types';

/** Compact JWS with RS256, whatever `header.alg` claims (hostile tests may lie about it). */
export function signJwt(header: Record<string, unknown>, claims: Record<string, unknown>, key: KeyObject): string {
  const input = `${encodeJson(header)}.${encodeJson(claims)}`;
  const signature = sign('sha256', Buffer.from(input), key).toString('base64url');
  return `${input}.${signature}`;
}

export interface AccessTokenInput {
  issuer: string;
  userId: string;
  sessionId: string;
  nowMs: number;
  ttlSeconds: number;
  organizationId?: string;
  membership?: EmulatorMembership;
  impersonator?: EmulatorImpersonator;
}

/** WorkOS access-token claims; absent ones are omitted rather than sent empty. */
export function accessTokenClaims(input: AccessTokenInput): Record<string, unknown> {
  const iat = Math.floor(input.nowMs / 1000);
  const claims: Record<string, unknown> = {
    iss: input.issuer,
    sub: input.userId,
    sid: input.sessionId,
    jti: randomUUID(),
    iat,
    exp: iat + input.ttlSeconds,
  };
  if (input.organizationId !== undefined) claims.org_id = input.organizationId;
  const m = input.membership;
  if (m?.role !== undefined) claims.role = m.role;
  if (m?.roles !== undefined) claims.roles = [...m.roles];
  if (m?.permissions !== undefined) claims.permissions = [...m.permissions];
  if (m?.entitlements !== undefined) claims.entitlements = [...m.entitlements];
  if (m?.featureFlags !== undefined) claims.feature_flags = [...m.featureFlags];
  if (input.impersonator !== undefined) claims.act = { sub: input.impersonator.email };
  return claims;
}

/** WorkOS-looking id: prefix plus 26 upper-case hex characters. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(13).toString('hex').toUpperCase()}`;
}

/** Unguessable opaque token (codes, refresh tokens). */
export function opaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** PKCE S256: base64url(sha256(verifier)). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** Constant-time comparison, so the emulator does not model a timing oracle on secrets. */
export function secretsEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}

function encodeJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
