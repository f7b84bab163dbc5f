import { isIssuedAuth, signedOutAuth, type AuthState } from '../../authorization/auth-state';
import type { KoaContext } from './types';

export function setAuth(ctx: KoaContext, auth: AuthState): void {
  (ctx.state as { auth?: AuthState }).auth = auth;
}

/** The auth a guard put on `ctx.state.auth`; signed out when no guard ran or something else set `ctx.state.auth`. */
export function getAuth(ctx: { state: object }): AuthState {
  const auth = (ctx.state as { auth?: unknown }).auth;
  return isIssuedAuth(auth) ? auth : signedOutAuth();
}
