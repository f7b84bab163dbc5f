import { createHash, randomBytes } from 'node:crypto';

/** RFC 7636 verifier: 32 random bytes as base64url give the minimum 43 characters. */
export function createCodeVerifier(): string {
  return randomBytes(32).toString('base64url');
}

export function codeChallengeS256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
