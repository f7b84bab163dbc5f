import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ResolvedConfig } from '../config/resolve';
import { isDuplicated, serializeCookie, type RequestCookies } from '../http/cookies';
import { seal, sealExpiry, unseal } from '../session/iron';
import { codeChallengeS256, createCodeVerifier } from './pkce';
import { safeReturnPath } from '../http/return-to';

export const STATE_TTL_SECONDS = 10 * 60;
const CLOCK_SKEW_SECONDS = 60;
/** Pending sign-ins kept per browser; more flow cookies have made requests fail with HTTP 431. */
export const MAX_PENDING_SIGN_INS = 5;

/** Longest custom `state` an app may send through a sign-in; it travels in the URL. */
export const MAX_CUSTOM_STATE_LENGTH = 1024;

/** Sealed into the `state` parameter: travels through WorkOS and back. */
interface StatePayload {
  n: string;
  r: string;
  iat: number;
  /** The app's own state, when it gave one. */
  s?: string;
}

/** Sealed into the per-flow cookie: never leaves this browser. */
interface VerifierPayload {
  n: string;
  cv: string;
}

type StateConfig = Pick<ResolvedConfig, 'passwords' | 'clock' | 'cookie' | 'verifierCookiePrefix'>;

/** Characters of the state hash in a flow cookie's name (base64url of SHA-256, truncated). */
const FLOW_NAME_HASH_LENGTH = 22;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Each sign-in gets its own cookie, named from the state, so several tabs can sign in at once. */
export function verifierCookieName(config: Pick<ResolvedConfig, 'verifierCookiePrefix'>, state: string): string {
  return config.verifierCookiePrefix + createHash('sha256').update(state).digest('base64url').slice(0, FLOW_NAME_HASH_LENGTH);
}

/** Whether `name` has exactly the shape `verifierCookieName` gives: the prefix and 22 base64url characters. */
function isFlowCookieName(prefix: string, name: string): boolean {
  return name.length === prefix.length + FLOW_NAME_HASH_LENGTH && name.startsWith(prefix) && BASE64URL.test(name.slice(prefix.length));
}

/**
 * Flow cookies of this browser's pending sign-ins. Only names of the exact shape we write count:
 * names from the request reach `Set-Cookie` only as deletions of these, so an odd name
 * (`, Domain=`, control or non-ASCII bytes) is never echoed, and other cookies are left alone.
 */
function pendingVerifierCookies(config: StateConfig, cookies: ReadonlyMap<string, string>): Array<[string, string]> {
  const pending: Array<[string, string]> = [];
  for (const entry of cookies) if (isFlowCookieName(config.verifierCookiePrefix, entry[0])) pending.push(entry);
  return pending;
}

/**
 * Deletions for the pending sign-ins of this browser (sign-out ends them too), at most
 * `MAX_PENDING_SIGN_INS`: a browser never holds more, so a request listing hundreds of flow
 * names gets no more deletions than a real browser could need.
 */
export function clearPendingVerifierCookies(config: StateConfig, cookies: ReadonlyMap<string, string>): string[] {
  return pendingVerifierCookies(config, cookies)
    .slice(0, MAX_PENDING_SIGN_INS)
    .map(([name]) => clearVerifierCookie(config, name));
}

function verifierCookie(config: StateConfig, name: string, value: string, maxAge: number): string {
  // Path=/ although only the callback reads it: sign-in must see pending flows to cap them,
  // and sign-out must see them to clear them. Never Strict: the callback is a navigation from
  // WorkOS, another site, and a Strict cookie would not come with it (every sign-in would fail).
  const sameSite = config.cookie.sameSite === 'strict' ? 'lax' : config.cookie.sameSite;
  return serializeCookie(name, value, { ...config.cookie, sameSite, maxAge, httpOnly: true });
}

export function clearVerifierCookie(config: StateConfig, name: string): string {
  return verifierCookie(config, name, '', 0);
}

export interface SignInState {
  state: string;
  codeChallenge: string;
  /** Set-Cookie value binding this flow to the browser that started it. */
  setCookie: string;
}

export function createSignInState(config: StateConfig, returnTo: string, customState?: string): SignInState {
  if (customState !== undefined && (typeof customState !== 'string' || customState.length > MAX_CUSTOM_STATE_LENGTH)) {
    throw new RangeError(`A sign-in's custom state must be a string of at most ${MAX_CUSTOM_STATE_LENGTH} characters.`);
  }
  const [password] = config.passwords;
  if (password === undefined) throw new Error('No cookie password configured');
  const now = config.clock.now();
  const nonce = randomBytes(16).toString('base64url');
  const codeVerifier = createCodeVerifier();
  const sealOptions = { ttlSeconds: STATE_TTL_SECONDS, now };
  const payload: StatePayload = {
    n: nonce,
    r: returnTo,
    iat: Math.floor(now / 1000),
    ...(customState === undefined ? {} : { s: customState }),
  };
  const state = seal(payload, password, sealOptions);
  const cookieValue = seal({ n: nonce, cv: codeVerifier } satisfies VerifierPayload, password, sealOptions);
  return {
    state,
    codeChallenge: codeChallengeS256(codeVerifier),
    setCookie: verifierCookie(config, verifierCookieName(config, state), cookieValue, STATE_TTL_SECONDS),
  };
}

export type StateFailure = 'missing_state' | 'invalid_state' | 'missing_verifier' | 'state_mismatch';

export type StateCheck =
  | { ok: true; returnTo: string | undefined; codeVerifier: string; cookieName: string; customState: string | undefined }
  | { ok: false; failure: StateFailure; cookieName: string | undefined };

function isStatePayload(value: unknown): value is StatePayload {
  const v = value as Partial<StatePayload> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.n === 'string' &&
    typeof v.r === 'string' &&
    typeof v.iat === 'number' &&
    (v.s === undefined || typeof v.s === 'string')
  );
}

function isVerifierPayload(value: unknown): value is VerifierPayload {
  const v = value as Partial<VerifierPayload> | null;
  return typeof v === 'object' && v !== null && typeof v.n === 'string' && typeof v.cv === 'string';
}

function sameNonce(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Checks the `state` that came back from WorkOS against the cookie of the browser that started
 * the flow: both sealed by us, both unexpired (seal expiry and issued-at), same nonce. Returns
 * the PKCE verifier and the return path, re-checked here in case the rules changed meanwhile.
 */
export function checkSignInState(config: StateConfig, state: unknown, cookies: RequestCookies): StateCheck {
  if (typeof state !== 'string' || state === '') return { ok: false, failure: 'missing_state', cookieName: undefined };
  const cookieName = verifierCookieName(config, state);
  const now = config.clock.now();
  const opened = unseal(state, config.passwords, { now });
  if (!opened.ok || !isStatePayload(opened.value)) return { ok: false, failure: 'invalid_state', cookieName };
  const ageSeconds = now / 1000 - opened.value.iat;
  if (ageSeconds > STATE_TTL_SECONDS + CLOCK_SKEW_SECONDS || ageSeconds < -CLOCK_SKEW_SECONDS) {
    return { ok: false, failure: 'invalid_state', cookieName };
  }
  // Two cookies of this name (one planted from a sibling subdomain or another path): neither is trusted.
  if (isDuplicated(cookies, cookieName)) return { ok: false, failure: 'state_mismatch', cookieName };
  const rawCookie = cookies.get(cookieName);
  if (rawCookie === undefined || rawCookie === '') return { ok: false, failure: 'missing_verifier', cookieName };
  const verifier = unseal(rawCookie, config.passwords, { now });
  if (!verifier.ok || !isVerifierPayload(verifier.value) || !sameNonce(verifier.value.n, opened.value.n)) {
    return { ok: false, failure: 'state_mismatch', cookieName };
  }
  return { ok: true, returnTo: safeReturnPath(opened.value.r), codeVerifier: verifier.value.cv, cookieName, customState: opened.value.s };
}

/** When a flow cookie expires, read from its seal without opening it; a value without an expiry sorts first. */
function flowCookieExpiresAt(value: string): number {
  const expiry = sealExpiry(value);
  return expiry.kind === 'expires' ? expiry.atMs : 0;
}

/**
 * Clears the oldest pending flow cookies so that, with the one about to be set, a browser
 * never holds more than `MAX_PENDING_SIGN_INS`. At most that many deletions per response:
 * only a forged request carries more, and a real browser converges over its next sign-ins.
 */
export function evictOldestVerifierCookies(config: StateConfig, cookies: ReadonlyMap<string, string>): string[] {
  const pending = pendingVerifierCookies(config, cookies);
  const excess = Math.min(pending.length - (MAX_PENDING_SIGN_INS - 1), MAX_PENDING_SIGN_INS);
  if (excess <= 0) return [];
  return pending
    .sort(([, a], [, b]) => flowCookieExpiresAt(a) - flowCookieExpiresAt(b))
    .slice(0, excess)
    .map(([name]) => clearVerifierCookie(config, name));
}
