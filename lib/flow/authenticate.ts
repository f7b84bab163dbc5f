import { signedInAuth, type SignedInAuth } from '../authorization/auth-state';
import type { RequestCookies } from '../http/cookies';
import {
  clearSessionSetCookies,
  findSessionCookie,
  migrateSessionSetCookies,
  readSessionCookie,
  sessionSetCookies,
} from '../session/session-cookie';
import type { SessionData } from '../model/session';
import { sealExpiresAt } from '../session/verified-cache';
import type { AccessTokenClaims } from '../tokens/claims';
import { JWKS_MAX_AGE_MS } from '../tokens/jwks';
import type { AuthKitContext } from './context';
import { RefreshRejectedError, SessionEndedError } from './refresh-errors';
import { isRefreshDue, refreshBufferSeconds } from './refresh-timing';

import type { SignedOutReason } from '../model/reasons';

export type { SignedOutReason };

export type Authentication =
  | { status: 'signed-in'; auth: SignedInAuth; setCookies: string[] }
  | { status: 'signed-out'; reason: SignedOutReason; setCookies: string[] };

function debug(ctx: AuthKitContext, message: string): void {
  if (ctx.config.debug) ctx.config.logger.debug?.(message);
}

function errorName(error: unknown): string {
  return error instanceof Error ? `${error.name}${'code' in error && typeof error.code === 'string' ? ` ${error.code}` : ''}` : 'error';
}

/**
 * Until when (ms) a session verified at `nowMs` answers exactly as the full path would:
 * - before the refresh buffer starts (`isRefreshDue` turns true at `exp - buffer`);
 * - before `exp` (jose's rule, in whole seconds: expired once `floor(now / 1000) >= exp`);
 * - before the seal's own expiration, if it has one;
 * - at most the key set's max age, so a key WorkOS withdraws stops vouching for cached
 *   sessions about as soon as it stops vouching for new ones.
 */
function servableUntil(claims: AccessTokenClaims, cookieValue: string, nowMs: number, configuredBuffer: number | undefined): number {
  const buffer = refreshBufferSeconds(claims, configuredBuffer);
  const tokenUntil = buffer > 0 ? claims.exp * 1000 - buffer * 1000 : Math.ceil(claims.exp) * 1000;
  return Math.min(tokenUntil, sealExpiresAt(cookieValue), nowMs + JWKS_MAX_AGE_MS);
}

/** jose's `nbf` rule in ms: not before `floor(now / 1000) >= nbf`. */
function servableFrom(claims: AccessTokenClaims): number {
  return typeof claims.nbf === 'number' ? Math.ceil(claims.nbf) * 1000 : Number.NEGATIVE_INFINITY;
}

/** jose's `exp` rule in ms: the token is expired once `floor(now / 1000) >= exp`. */
function validUntil(claims: AccessTokenClaims): number {
  return Math.ceil(claims.exp) * 1000;
}

/**
 * Refreshes a still-valid token without holding its request long: the request waits at most
 * `earlyRefreshWaitMs` (and `workosTimeoutMs`), and never past the token's `exp`. Returns the new
 * session, or `undefined` to serve the current token now while the exchange goes on in the
 * background (its result is remembered for the old cookie until that token expires plus 30 s).
 * Throws as `ctx.refresh` does when the token expired meanwhile or the session was signed out here.
 */
async function refreshEarly(ctx: AuthKitContext, session: SessionData, current: AccessTokenClaims): Promise<SessionData | undefined> {
  const { config } = ctx;
  const expiresAt = validUntil(current);
  try {
    return await ctx.refresh(session, undefined, {
      early: true,
      waitMs: Math.min(config.earlyRefreshWaitMs, expiresAt - config.clock.now()),
    });
  } catch (error) {
    if (error instanceof SessionEndedError) throw error;
    if (config.clock.now() < expiresAt) {
      debug(ctx, `early refresh failed or still under way (${errorName(error)}); serving the still valid access token`);
      return undefined;
    }
  }
  // Never serve a token past its exp: from here on this is the refresh of an expired token (it
  // joins the exchange still in flight, with its own deadline).
  return ctx.refresh(session);
}

/** Where the slow path stores what it verified: the cookie value, read (and joined) once. */
export interface CacheSlot {
  cookieValue: string;
  /** The cache's sign-out counter before verifying (see `VerifiedSessionCache.generation`). */
  generation: number;
}

/** A ready answer (no cookie, or a cached verified session), or the cache slot the slow path fills. */
export type CachedAnswer = { result: Authentication; slot?: undefined } | { result?: undefined; slot: CacheSlot | undefined };

/**
 * The synchronous part of `authenticate`: a request without a session cookie, with an unusable
 * one (repeated name, too many chunks), or with one this instance verified before and that is
 * not yet due for refresh, is answered here with one map lookup, and no promise, so adapters
 * can continue the request at once.
 */
export function answerFromCache(ctx: AuthKitContext, cookies: RequestCookies): CachedAnswer {
  const { config, sessionCache } = ctx;
  const raw = findSessionCookie(cookies, config);
  if (raw.status === 'absent') return { result: { status: 'signed-out', reason: 'no_session', setCookies: [] } };
  if (raw.status === 'rejected') return { result: { status: 'signed-out', reason: raw.reason, setCookies: [] } };
  // A legacy-named cookie takes the full path, which moves it to the current name.
  if (sessionCache === undefined || raw.legacy === true) return { slot: undefined };
  const hit = sessionCache.get(raw.value, config.clock.now());
  if (hit !== undefined) return { result: { status: 'signed-in', auth: hit.auth, setCookies: [] } };
  return { slot: { cookieValue: raw.value, generation: sessionCache.generation } };
}

/**
 * Loads the session from the request's cookies, verifies its access token and refreshes it when
 * it has expired or is within `refreshBufferSeconds` of expiring, handing back the new cookie to
 * set on this same response.
 * - A missing, foreign or tampered cookie is "signed out" and left alone (it may belong to
 *   another deployment or a newer password).
 * - An early refresh that fails in any way, or takes longer than `earlyRefreshWaitMs`, serves the
 *   request with the current, still valid token and keeps the cookie. That includes a refusal:
 *   another instance may have rotated the token (strict rotation answers `invalid_grant`) and
 *   already sent the browser a new cookie; a revoked session still ends when the token expires,
 *   at most the buffer later. A session signed out in this process is signed out at once.
 * - An expired token whose refresh WorkOS refused for good (or whose session was signed out here)
 *   clears the cookie; every other failure (outage, rate limit, lost race, no answer within
 *   `workosTimeoutMs`) keeps it and throws `WorkOSUnavailableError` (503 + Retry-After).
 */
export async function authenticate(
  ctx: AuthKitContext,
  cookies: RequestCookies,
  cached: CachedAnswer = answerFromCache(ctx, cookies),
): Promise<Authentication> {
  if (cached.result !== undefined) return cached.result;
  const { config, sessionCache } = ctx;
  const slot = cached.slot;

  // The cache lookup already read (and joined) the cookie: do not read it twice.
  const read = slot !== undefined ? ctx.openSession(slot.cookieValue) : readSessionCookie(cookies, config, ctx.openSession);
  if (read.status === 'absent') return { status: 'signed-out', reason: 'no_session', setCookies: [] };
  if (read.status === 'rejected') return { status: 'signed-out', reason: read.reason, setCookies: [] };

  const session = read.session;
  // Served from the legacy name: a response that keeps this session moves it to the current name.
  const keep = (): string[] => (read.legacyValue === undefined ? [] : migrateSessionSetCookies(read.legacyValue, config, cookies));
  const check = await ctx.verifyAccessToken(session.accessToken, session.user.id);
  if (check.status === 'invalid') return { status: 'signed-out', reason: check.reason, setCookies: [] };
  const current: AccessTokenClaims | undefined = check.status === 'valid' ? check.claims : undefined;
  const now = config.clock.now();
  if (current && !isRefreshDue(current, now, config.refreshBufferSeconds)) {
    if (sessionCache !== undefined && slot !== undefined) {
      const until = servableUntil(current, slot.cookieValue, now, config.refreshBufferSeconds);
      if (now < until) {
        // This request gets the frozen entry too, so the first request and later ones see the same objects.
        const entry = sessionCache.remember(
          slot.cookieValue,
          { session, claims: current, servableFrom: servableFrom(current), servableUntil: until },
          slot.generation,
        );
        return { status: 'signed-in', auth: entry.auth, setCookies: [] };
      }
    }
    return { status: 'signed-in', auth: signedInAuth(session, current), setCookies: keep() };
  }

  let refreshed: SessionData;
  try {
    if (current) {
      const renewed = await refreshEarly(ctx, session, current);
      if (renewed === undefined) return { status: 'signed-in', auth: signedInAuth(session, current), setCookies: keep() };
      refreshed = renewed;
    } else {
      refreshed = await ctx.refresh(session);
    }
  } catch (error) {
    if (error instanceof RefreshRejectedError) {
      const why = error instanceof SessionEndedError ? 'signed out in this process' : (error.workosCode ?? 'no code');
      debug(ctx, `refresh refused (${why}); clearing the session cookie`);
      return { status: 'signed-out', reason: 'refresh_rejected', setCookies: clearSessionSetCookies(config, cookies) };
    }
    debug(ctx, `refresh failed (${errorName(error)}); session kept`);
    throw error;
  }
  // The old refresh token is spent now: keep what WorkOS returned even if this request is refused.
  // A session too large for the cookie cap throws `session_too_large` here: it goes to next(err)
  // and the old cookie is kept, as nothing is set.
  const setCookies = sessionSetCookies(refreshed, config, cookies);
  const renewed = await ctx.verifyAccessToken(refreshed.accessToken, refreshed.user.id);
  if (renewed.status !== 'valid') {
    return { status: 'signed-out', reason: renewed.status === 'invalid' ? renewed.reason : 'invalid_token', setCookies };
  }
  return { status: 'signed-in', auth: signedInAuth(refreshed, renewed.claims), setCookies };
}
