import type { AuthKitOptions } from '../config/options';
import { resolveConfig, type ResolvedConfig } from '../config/resolve';
import { createVerifiedSessionCache, type VerifiedSessionCache } from '../session/verified-cache';
import { createAccessTokenVerifier, type AccessTokenVerifier } from '../tokens/verify-access-token';
import { createEndedSessions, type EndedSessions } from './ended-sessions';
import { createRefresher, type SessionRefresher } from './refresh';

/** What one `createAuthKit` instance shares between its routes, guards and helpers. */
export interface AuthKitContext {
  config: ResolvedConfig;
  verifyAccessToken: AccessTokenVerifier;
  refresh: SessionRefresher;
  /** Sessions signed out in this process: the refresher hands none of their rotations out again. */
  endedSessions: EndedSessions;
  /** Sessions already unsealed and verified, by exact cookie value; `undefined` when `sessionCache: false`. */
  sessionCache: VerifiedSessionCache | undefined;
}

/** Validates the options and builds what one instance shares; both adapters start here, so they cannot drift apart. */
export function createAuthKitContext(options: AuthKitOptions): AuthKitContext {
  const config = resolveConfig(options);
  const endedSessions = createEndedSessions(config.clock);
  return {
    config,
    verifyAccessToken: createAccessTokenVerifier(config),
    refresh: createRefresher(config, endedSessions),
    endedSessions,
    sessionCache: createVerifiedSessionCache(config.sessionCacheSize),
  };
}
