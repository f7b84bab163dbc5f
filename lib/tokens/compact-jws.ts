import { verify, type KeyObject } from 'node:crypto';
import { isCanonicalBase64url } from '../encoding/base64url';

/**
 * Strict RS256 compact JWS on `node:crypto`, for WorkOS access tokens. It accepts a subset of
 * what jose accepts (test/tokens/differential.test.ts checks the two against each other):
 * - exactly three non-empty segments in canonical base64url: only `A-Z a-z 0-9 - _`, no padding,
 *   no whitespace, and the unused low bits of the last character zero, so each token has one
 *   spelling (jose decodes with `atob`, which also takes padding, spaces and stray bits);
 * - a header that is a JSON object (strict UTF-8) with `alg` exactly `RS256`, a non-empty string
 *   `kid`, and no `crit` at all (jose honours `crit: ["b64"]`, which WorkOS never sends);
 * - nothing from the payload is read before the signature has been checked.
 */

/** Longest token looked at. The session cookie holds at most ~12 KB, WorkOS tokens far less. */
export const MAX_TOKEN_LENGTH = 64 * 1024;

/** jose decodes JOSE JSON the same way: invalid UTF-8 is an error, not U+FFFD. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export interface ParsedJws {
  kid: string;
  /** `<header>.<payload>` exactly as received: the bytes the signature covers. */
  signingInput: string;
  payloadSegment: string;
  signature: Buffer;
}

/** A segment as accepted here: non-empty canonical base64url. */
export function isCanonicalSegment(text: string): boolean {
  return text.length > 0 && isCanonicalBase64url(text);
}

function decodeSegment(text: string): Buffer | undefined {
  return isCanonicalSegment(text) ? Buffer.from(text, 'base64url') : undefined;
}

/** A canonical base64url segment holding a JSON object, else `undefined`. */
export function decodeJsonObject(segment: string): Record<string, unknown> | undefined {
  const bytes = decodeSegment(segment);
  if (bytes === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(strictUtf8.decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The parts of an RS256 compact JWS, or `undefined` when its shape or header is refused. Verifies nothing. */
export function parseRs256(token: unknown): ParsedJws | undefined {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return undefined;
  const first = token.indexOf('.');
  const second = first === -1 ? -1 : token.indexOf('.', first + 1);
  if (second === -1 || token.indexOf('.', second + 1) !== -1) return undefined;

  const header = decodeJsonObject(token.slice(0, first));
  // Exactly RS256 (no `none`, no HS256 keyed with the public key, no other RSA variant), and
  // no critical extensions: we understand none, so a token that needs one is refused.
  if (header === undefined || header.alg !== 'RS256' || header.crit !== undefined) return undefined;
  const { kid } = header;
  if (typeof kid !== 'string' || kid === '') return undefined;

  const payloadSegment = token.slice(first + 1, second);
  if (!isCanonicalSegment(payloadSegment)) return undefined;
  const signature = decodeSegment(token.slice(second + 1));
  if (signature === undefined) return undefined;
  return { kid, signingInput: token.slice(0, second), payloadSegment, signature };
}

/** RSASSA-PKCS1-v1_5 with SHA-256 over the signing input; any failure is "does not match". */
export function signatureMatches(jws: ParsedJws, key: KeyObject): boolean {
  try {
    // The signing input is ASCII (checked above), so latin1 gives its exact bytes.
    return verify('sha256', Buffer.from(jws.signingInput, 'latin1'), key, jws.signature);
  } catch {
    return false;
  }
}
