import type { ResolvedConfig } from '../config/resolve';
import type { SessionCookieRead } from '../session/session-cookie';
import type { VerifiedSessionCache } from '../session/verified-cache';
import type { AccessTokenVerifier } from '../tokens/verify-access-token';
import type { EndedSessions } from './ended-sessions';
import type { SessionRefresher } from './refresh';
import type { SharedRefreshState } from './shared-refresh';

/**
 * What one `createAuthKit` instance shares between its routes, guards and helpers: the resolved
 * options and the collaborators (ports) the flows call. `lib/core/context.ts` builds it with the
 * real defaults; tests hand in their own collaborators there instead of patching modules.
 */
export interface AuthKitContext {
  config: ResolvedConfig;
  /** Unseals and checks a session cookie value (the work a verified-session cache hit skips). */
  openSession: (cookieValue: string) => SessionCookieRead;
  verifyAccessToken: AccessTokenVerifier;
  refresh: SessionRefresher;
  /** Sessions signed out in this process: the refresher hands none of their rotations out again. */
  endedSessions: EndedSessions;
  /** Refresh state shared with the other instances through the `store` option; undefined without one. */
  sharedRefresh: SharedRefreshState | undefined;
  /** Sessions already unsealed and verified, by exact cookie value; `undefined` when `sessionCache: false`. */
  sessionCache: VerifiedSessionCache | undefined;
}
