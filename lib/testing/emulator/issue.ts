import type { EmulatorContext } from './context';
import { tokenMembership } from './roles';
import type { Session } from './store';
import { accessTokenClaims, newId, opaqueToken, signJwt } from './tokens';
import type { EmulatorImpersonator } from './types';
import { toWireUser, type WireAuthResponse } from './wire';

export interface SignIn {
  userId: string;
  organizationId?: string;
  /** A role picked at sign-in (one of the membership's roles). */
  role?: string;
  impersonator?: EmulatorImpersonator;
}

/** A new session for a completed sign-in, with its first token pair. */
export function startSession(ctx: EmulatorContext, signIn: SignIn): WireAuthResponse {
  const user = ctx.store.user(signIn.userId);
  if (!user) throw new Error(`emulator: unknown user '${signIn.userId}'`);
  user.lastSignInAt = new Date(ctx.clock.now()).toISOString();
  const session: Session = {
    id: newId('session'),
    userId: user.id,
    authenticationMethod: signIn.impersonator ? 'Impersonation' : 'Password',
    ended: false,
  };
  if (signIn.organizationId !== undefined) session.organizationId = signIn.organizationId;
  if (signIn.role !== undefined) session.role = signIn.role;
  if (signIn.impersonator !== undefined) session.impersonator = { ...signIn.impersonator };
  ctx.store.sessions.set(session.id, session);
  return issueTokens(ctx, session);
}

/** A fresh access token (claims from the current membership) and a new single-use refresh token. */
export function issueTokens(ctx: EmulatorContext, session: Session): WireAuthResponse {
  const user = ctx.store.user(session.userId);
  if (!user) throw new Error(`emulator: session '${session.id}' has no user`);
  const org = session.organizationId;
  const claims = accessTokenClaims({
    issuer: ctx.issuer,
    userId: user.id,
    sessionId: session.id,
    nowMs: ctx.clock.now(),
    ttlSeconds: ctx.knobs.accessTokenTtlSeconds,
    organizationId: org,
    membership: tokenMembership(ctx.store, user.id, org, session.role),
    impersonator: session.impersonator,
  });
  session.accessTokenExpiresAt = Number(claims.exp) * 1000;
  const key = ctx.signingKey;
  const refreshToken = opaqueToken();
  ctx.store.refreshTokens.set(refreshToken, { sessionId: session.id });
  const response: WireAuthResponse = {
    user: toWireUser(user),
    access_token: signJwt({ alg: 'RS256', typ: 'JWT', kid: key.kid }, claims, key.privateKey),
    refresh_token: refreshToken,
    authentication_method: session.authenticationMethod,
  };
  if (org !== undefined) response.organization_id = org;
  if (session.impersonator !== undefined) response.impersonator = { ...session.impersonator };
  return response;
}
