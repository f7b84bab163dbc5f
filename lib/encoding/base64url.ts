/**
 * Strict, canonical base64url, shared by the iron seal format and the JWS parser: only
 * `A-Z a-z 0-9 - _`, no padding, no whitespace, and the unused low bits of the last character
 * zero, so each byte string has exactly one accepted spelling (`Buffer.from` alone skips junk
 * and ignores stray bits). The empty string is the one spelling of zero bytes; callers that
 * need content check for it themselves. Imports nothing: any layer may use it.
 */

const ALPHABET = /^[A-Za-z0-9_-]*$/;
const CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** True for base64url that `Buffer#toString('base64url')` would write back identically. */
export function isCanonicalBase64url(text: string): boolean {
  const tail = text.length % 4;
  if (tail === 1 || !ALPHABET.test(text)) return false;
  if (tail === 0) return true;
  // 2 trailing characters carry 1 byte (4 unused bits), 3 carry 2 bytes (2 unused bits): zero in
  // the one canonical spelling (the same test as re-encoding and comparing, without re-encoding).
  return (CHARACTERS.indexOf(text.charAt(text.length - 1)) & (tail === 2 ? 0x0f : 0x03)) === 0;
}

/** The bytes of canonical base64url, else `undefined`. */
export function decodeCanonicalBase64url(text: string): Buffer | undefined {
  return isCanonicalBase64url(text) ? Buffer.from(text, 'base64url') : undefined;
}
