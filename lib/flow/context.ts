import type { ResolvedConfig } from '../config/resolve';
import type { AccessTokenVerifier } from '../tokens/verify-access-token';
import type { SessionRefresher } from './refresh';

/** What one `createAuthKit` instance shares between its routes, guards and helpers. */
export interface AuthKitContext {
  config: ResolvedConfig;
  verifyAccessToken: AccessTokenVerifier;
  refresh: SessionRefresher;
}
