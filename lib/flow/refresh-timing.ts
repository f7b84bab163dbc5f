import type { AccessTokenClaims } from '../tokens/claims';

/** authkit-nextjs's rule: 60 s before expiry, 30 s for tokens that live 5 minutes or less. */
const DEFAULT_BUFFER_SECONDS = 60;
const SHORT_LIVED_BUFFER_SECONDS = 30;
const SHORT_LIVED_MAX_SECONDS = 5 * 60;

/**
 * How many seconds before `exp` a token is refreshed early; 0 means only after expiry.
 * `configured` is `refreshBufferSeconds` (`undefined`: the default rule). The buffer never
 * exceeds half the token's lifetime: a buffer as long as the lifetime would make every fresh
 * token "due" and refresh on every request.
 */
export function refreshBufferSeconds(claims: Pick<AccessTokenClaims, 'exp' | 'iat'>, configured: number | undefined): number {
  const lifetime = typeof claims.iat === 'number' && claims.exp > claims.iat ? claims.exp - claims.iat : undefined;
  const buffer =
    configured ?? (lifetime !== undefined && lifetime <= SHORT_LIVED_MAX_SECONDS ? SHORT_LIVED_BUFFER_SECONDS : DEFAULT_BUFFER_SECONDS);
  return lifetime === undefined ? buffer : Math.min(buffer, lifetime / 2);
}

/** True when a still-valid token is close enough to `exp` to be refreshed now. */
export function isRefreshDue(claims: Pick<AccessTokenClaims, 'exp' | 'iat'>, nowMs: number, configured: number | undefined): boolean {
  const buffer = refreshBufferSeconds(claims, configured);
  return buffer > 0 && claims.exp * 1000 - nowMs <= buffer * 1000;
}
