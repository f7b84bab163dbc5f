import type { AuthKitOptions } from '../config/options';
import { resolveConfig, type ResolvedConfig } from '../config/resolve';
import type { AuthKitContext } from '../flow/context';
import { createEndedSessions, type EndedSessions } from '../flow/ended-sessions';
import { createRefresher, type SessionRefresher } from '../flow/refresh';
import { SharedRefreshState } from '../flow/shared-refresh';
import { guardStore } from '../store/guarded-store';
import { openSessionCookie, type SessionCookieRead } from '../session/session-cookie';
import { createVerifiedSessionCache } from '../session/verified-cache';
import { createAccessTokenVerifier, type AccessTokenVerifier } from '../tokens/verify-access-token';

/**
 * Collaborators an instance can be given instead of the real ones (each defaults to the real
 * thing built from the options): tests pass counting or failing fakes here rather than spying on
 * modules. Not part of the public options.
 */
export interface AuthKitPorts {
  openSession?: (config: ResolvedConfig) => (cookieValue: string) => SessionCookieRead;
  verifyAccessToken?: (config: ResolvedConfig) => AccessTokenVerifier;
  refresh?: (config: ResolvedConfig, endedSessions: EndedSessions, shared: SharedRefreshState | undefined) => SessionRefresher;
  endedSessions?: (config: ResolvedConfig) => EndedSessions;
}

const sessionOpener = (config: ResolvedConfig) => (cookieValue: string) => openSessionCookie(cookieValue, config);

/** Validates the options and builds what one instance shares; every adapter starts here, so they cannot drift apart. */
export function createAuthKitContext(options: AuthKitOptions, ports: AuthKitPorts = {}): AuthKitContext {
  const config = resolveConfig(options);
  const endedSessions = (ports.endedSessions ?? ((c) => createEndedSessions(c.clock)))(config);
  const store =
    config.store === undefined ? undefined : guardStore(config.store, { timeoutMs: config.storeTimeoutMs, logger: config.logger });
  const sharedRefresh = store === undefined ? undefined : new SharedRefreshState(store, config);
  return {
    config,
    openSession: (ports.openSession ?? sessionOpener)(config),
    verifyAccessToken: (ports.verifyAccessToken ?? createAccessTokenVerifier)(config),
    refresh: (ports.refresh ?? createRefresher)(config, endedSessions, sharedRefresh),
    endedSessions,
    sharedRefresh,
    sessionCache: createVerifiedSessionCache(config.sessionCacheSize),
  };
}

export type { AuthKitContext } from '../flow/context';
