/**
 * The iron seal format ("Fe26.2") that `@workos-inc/node` uses for its session cookie,
 * implemented synchronously on `node:crypto`. Byte-compatible with `iron-webcrypto` v2
 * (which the SDK bundles) and with `@hapi/iron` using their default settings:
 *
 *   Fe26.2*<passwordId>*<encSalt>*<iv>*<ciphertext>*<expiration>*<hmacSalt>*<hmac>
 *
 * - Each key is PBKDF2-SHA1 (1 iteration, 32 bytes) of the password, salted with the UTF-8
 *   bytes of a hex string of 32 random bytes; encryption and integrity get separate salts.
 * - AES-256-CBC (PKCS#7 padding) with a random 16-byte IV encrypts the JSON text.
 * - HMAC-SHA256 covers the first six parts joined with `*`.
 * - Binary parts are base64url without padding; expiration is milliseconds since the epoch
 *   or empty (no expiry), honoured with 60 seconds of clock skew.
 *
 * Security invariants kept here: nothing is decrypted before the MAC has been checked, the
 * MAC is compared with `timingSafeEqual`, and oversized or ill-formed input is refused
 * before any key is derived.
 */
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { MIN_PASSWORD_LENGTH } from '../config/password-length';
import { decodeCanonicalBase64url } from '../encoding/base64url';

export type { IronPassword };

export interface SealOptions {
  /** Lifetime in seconds; 0 or undefined means the seal never expires. */
  ttlSeconds?: number;
  /** Current time in milliseconds since the epoch (for tests and injected clocks). */
  now?: number;
}

import type { UnsealFailure } from '../model/reasons';
import type { IronPassword } from '../model/password';

export type { UnsealFailure };

export type UnsealResult<T = unknown> = { ok: true; value: T; passwordId: string } | { ok: false; reason: UnsealFailure };

const MAC_PREFIX = 'Fe26.2';
const PART_COUNT = 8;
const SALT_BYTES = 32;
const IV_BYTES = 16;
const KEY_BYTES = 32;
const MAC_BYTES = 32;
const AES_BLOCK_BYTES = 16;
const TIMESTAMP_SKEW_MS = 60_000;
/** Longest sealed string (or cookie) looked at; real WorkOS cookies stay under ~4 KB. */
const MAX_SEALED_LENGTH = 64 * 1024;
/** The `~2` that `@workos-inc/node` appends to its cookie: the cookie format's major version. */
const COOKIE_VERSION_DELIMITER = '~';
const COOKIE_VERSION = 2;

const PASSWORD_ID = /^\w+$/;
const HEX_SALT = /^[0-9a-fA-F]{1,256}$/;
/** Same rule as iron-webcrypto (no zero, no sign, no leading zeros), bounded to stay a safe integer. */
const EXPIRATION = /^[1-9]\d{0,15}$/;
const COOKIE_VERSION_SYNTAX = /^\d{1,9}$/;

/** Seal any JSON value. Returns `Fe26.2*…` (without the ~2 suffix). Throws on a password under 32 chars. */
export function seal(value: unknown, password: IronPassword, options: SealOptions = {}): string {
  assertPassword(password, true);
  const now = resolveNow(options.now);
  const ttlSeconds = options.ttlSeconds ?? 0;
  if (!Number.isFinite(ttlSeconds) || ttlSeconds < 0) {
    throw new RangeError('ttlSeconds must be a finite number >= 0');
  }

  // Plain JSON.stringify, as the SDK's sealData uses (undefined properties are dropped).
  const json: string | undefined = JSON.stringify(value);
  if (json === undefined) throw new TypeError('The sealed value is not JSON serializable');

  const encryptionSalt = randomBytes(SALT_BYTES).toString('hex');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-cbc', deriveKey(password.secret, encryptionSalt), iv);
  const ciphertext = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);

  const expiresAt = ttlSeconds > 0 ? now + Math.ceil(ttlSeconds * 1000) : 0;
  if (!Number.isSafeInteger(expiresAt)) throw new RangeError('ttlSeconds is too large');
  const expiration = expiresAt > 0 ? String(expiresAt) : '';
  const macBase = [MAC_PREFIX, password.id, encryptionSalt, iv.toString('base64url'), ciphertext.toString('base64url'), expiration].join(
    '*',
  );
  const hmacSalt = randomBytes(SALT_BYTES).toString('hex');
  const mac = hmac(password.secret, hmacSalt, macBase);
  return `${macBase}*${hmacSalt}*${mac.toString('base64url')}`;
}

/**
 * Verifies and opens a seal. Never throws for any `sealed` string: failures come back as a
 * reason. The seal's password id picks the password to try first (an empty id: the first,
 * newest); the others are tried after it. `unknown_password` means the id is not ours and no
 * password fits; `tampered` that it is ours and the MAC is wrong. Throws only for an invalid
 * `passwords` list (a configuration error).
 */
export function unseal<T = unknown>(sealed: string, passwords: readonly IronPassword[], options: { now?: number } = {}): UnsealResult<T> {
  assertPasswords(passwords);
  return open<T>(sealed, passwords, resolveNow(options.now));
}

/** Seals a value as `@workos-inc/node` writes its session cookie: the seal plus `~2`. Use password id `1` for the SDK to read it. */
export function sealCookieValue(value: unknown, password: IronPassword, options?: SealOptions): string {
  return `${seal(value, password, options)}${COOKIE_VERSION_DELIMITER}${COOKIE_VERSION}`;
}

/**
 * Opens a cookie written by `sealCookieValue` or by `@workos-inc/node`, with or without the
 * `~<version>` suffix. As in the SDK, a version other than 2 (the legacy cookie shape) yields
 * `value.persistent` when present.
 */
export function unsealCookieValue<T = unknown>(
  cookie: string,
  passwords: readonly IronPassword[],
  options: { now?: number } = {},
): UnsealResult<T> {
  assertPasswords(passwords);
  const now = resolveNow(options.now);
  if (typeof cookie !== 'string' || cookie.length > MAX_SEALED_LENGTH) return fail('malformed');
  const delimiter = cookie.indexOf(COOKIE_VERSION_DELIMITER);
  const sealed = delimiter === -1 ? cookie : cookie.slice(0, delimiter);
  const versionText = delimiter === -1 ? undefined : cookie.slice(delimiter + 1);
  if (versionText !== undefined && !COOKIE_VERSION_SYNTAX.test(versionText)) return fail('malformed');

  const result = open<unknown>(sealed, passwords, now);
  if (!result.ok) return result;
  if (versionText === undefined || Number(versionText) === COOKIE_VERSION) return result as UnsealResult<T>;
  const value = result.value;
  const persistent = typeof value === 'object' && value !== null ? (value as { persistent?: unknown }).persistent : undefined;
  return { ok: true, value: (persistent ?? value) as T, passwordId: result.passwordId };
}

/** What a seal says about its own expiry. Read without verifying anything (see `sealExpiry`). */
export type SealExpiry = { kind: 'expires'; atMs: number } | { kind: 'never' } | { kind: 'not_a_seal' };

const NEVER: SealExpiry = Object.freeze({ kind: 'never' });
const NOT_A_SEAL: SealExpiry = Object.freeze({ kind: 'not_a_seal' });

/**
 * The expiration field of a seal (`Fe26.2*…`, no `~<version>`), without opening it: ms since the
 * epoch, `never` when the field is empty, `not_a_seal` when the value does not have the seal's
 * eight parts, prefix and expiration syntax. Nothing is verified, so the answer can be trusted
 * only for a seal that unsealed (its MAC covers the field); for any other value it is a hint.
 * What a missing or unreadable expiry means is the caller's decision.
 */
export function sealExpiry(sealed: string): SealExpiry {
  const parts = sealed.split('*');
  if (parts.length !== PART_COUNT || parts[0] !== MAC_PREFIX) return NOT_A_SEAL;
  const expiration = parts[5] as string;
  if (expiration === '') return NEVER;
  return EXPIRATION.test(expiration) ? { kind: 'expires', atMs: Number(expiration) } : NOT_A_SEAL;
}

/** `sealExpiry` of a cookie value (`sealCookieValue`'s or the SDK's): the seal before its `~<version>`. */
export function cookieValueExpiry(cookie: string): SealExpiry {
  const delimiter = cookie.indexOf(COOKIE_VERSION_DELIMITER);
  return sealExpiry(delimiter === -1 ? cookie : cookie.slice(0, delimiter));
}

/**
 * The last `*`-separated part of a seal or cookie value: the seal's base64url MAC, followed by
 * the `~<version>` suffix of a cookie value. Read without checking anything, for filing values
 * by something two seals practically never share; `undefined` when the value has no `*` at all
 * (not a seal). One scan and one slice, cheap enough for every request.
 */
export function sealMacPart(value: string): string | undefined {
  const lastSeparator = value.lastIndexOf('*');
  return lastSeparator === -1 ? undefined : value.slice(lastSeparator + 1);
}

function open<T>(sealed: string, passwords: readonly IronPassword[], now: number): UnsealResult<T> {
  if (typeof sealed !== 'string' || sealed.length === 0 || sealed.length > MAX_SEALED_LENGTH) return fail('malformed');
  const parts = sealed.split('*');
  if (parts.length !== PART_COUNT) return fail('malformed');
  const [prefix, passwordId, encryptionSalt, ivB64, ciphertextB64, expiration, hmacSalt, macB64] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];

  // Structure first: no key is derived for input that cannot be a valid seal.
  if (prefix !== MAC_PREFIX) return fail('malformed');
  if (passwordId !== '' && !PASSWORD_ID.test(passwordId)) return fail('malformed');
  if (!HEX_SALT.test(encryptionSalt) || !HEX_SALT.test(hmacSalt)) return fail('malformed');
  if (expiration !== '' && !EXPIRATION.test(expiration)) return fail('malformed');
  const iv = decodeCanonicalBase64url(ivB64);
  const ciphertext = decodeCanonicalBase64url(ciphertextB64);
  const mac = decodeCanonicalBase64url(macB64);
  if (!iv || !ciphertext || !mac) return fail('malformed');
  if (iv.length !== IV_BYTES) return fail('malformed');
  if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK_BYTES !== 0) return fail('malformed');

  // A MAC's length is no secret; timingSafeEqual itself requires equal lengths.
  if (mac.length !== MAC_BYTES) return fail('tampered');
  const named = passwordId === '' ? passwords[0] : passwords.find((candidate) => candidate.id === passwordId);
  // Integrity before anything is trusted (the expiration included) or decrypted. The id is
  // only a hint: ids of a rotated list shift as old passwords are dropped, so every password
  // is tried (the named one first) and the seal is accepted only if one of our MACs matches.
  // The first six parts as they stand in the seal: everything before the seventh `*`.
  const macBase = sealed.slice(0, sealed.length - hmacSalt.length - macB64.length - 2);
  const candidates = named ? [named, ...passwords.filter((candidate) => candidate !== named)] : passwords;
  const password = candidates.find((candidate) => timingSafeEqual(mac, hmac(candidate.secret, hmacSalt, macBase)));
  if (!password) return fail(named ? 'tampered' : 'unknown_password');

  if (expiration !== '' && Number(expiration) <= now - TIMESTAMP_SKEW_MS) return fail('expired');

  let json: string;
  try {
    const decipher = createDecipheriv('aes-256-cbc', deriveKey(password.secret, encryptionSalt), iv);
    json = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    return fail('tampered'); // bad padding
  }
  try {
    return { ok: true, value: JSON.parse(json) as T, passwordId: password.id };
  } catch {
    return fail('malformed');
  }
}

function deriveKey(secret: string, salt: string): Buffer {
  return pbkdf2Sync(Buffer.from(secret, 'utf8'), Buffer.from(salt, 'utf8'), 1, KEY_BYTES, 'sha1');
}

function hmac(secret: string, salt: string, data: string): Buffer {
  return createHmac('sha256', deriveKey(secret, salt)).update(data, 'utf8').digest();
}

function assertPasswords(passwords: readonly IronPassword[]): void {
  if (!Array.isArray(passwords)) throw new TypeError('passwords must be an array of { id, secret }');
  for (const password of passwords) assertPassword(password, false);
}

function assertPassword(password: IronPassword, forSealing: boolean): void {
  if (typeof password !== 'object' || password === null || typeof password.secret !== 'string' || typeof password.id !== 'string') {
    throw new TypeError('An iron password must be { id: string, secret: string }');
  }
  // An empty id is allowed when sealing (iron's anonymous password), never in a password list.
  if (!(forSealing && password.id === '') && !PASSWORD_ID.test(password.id)) {
    throw new TypeError(`Invalid iron password id ${JSON.stringify(password.id)}: it must match /^\\w+$/`);
  }
  if (password.secret.length < MIN_PASSWORD_LENGTH) {
    throw new RangeError(`Iron password ${JSON.stringify(password.id)} is too short (min ${MIN_PASSWORD_LENGTH} characters)`);
  }
}

function resolveNow(now: number | undefined): number {
  const value = now ?? Date.now();
  if (!Number.isFinite(value)) throw new RangeError('now must be a finite number of milliseconds');
  return Math.floor(value);
}

function fail(reason: UnsealFailure): { ok: false; reason: UnsealFailure } {
  return { ok: false, reason };
}
