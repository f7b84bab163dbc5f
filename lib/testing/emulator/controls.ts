import { resetContext, type EmulatorContext } from './context';
import { startSession } from './issue';
import { createSigningKey } from './keys';
import { checkGrace, checkTtl } from './options';
import { canPickRole } from './roles';
import { signJwt } from './tokens';
import type { Emulator } from './types';
import { toAuthenticationResult } from './wire';

/** The test-facing methods of an emulator; `server.ts` adds the address and `close`. */
export type EmulatorControls = Omit<Emulator, 'url' | 'dashboardUrl' | 'clientId' | 'apiKey' | 'issuer' | 'settings' | 'close'>;

export function createControls(ctx: EmulatorContext): EmulatorControls {
  return {
    clock: ctx.clock,
    calls: ctx.calls,
    requests: ctx.requests,
    setAutoApprove(value) {
      ctx.knobs.autoApprove = structuredClone(value ?? false);
    },
    setAccessTokenTtl(seconds) {
      ctx.knobs.accessTokenTtlSeconds = checkTtl(seconds);
    },
    setRefreshGrace(seconds) {
      ctx.knobs.refreshGraceSeconds = checkGrace(seconds);
    },
    setRefreshContention(enabled) {
      ctx.knobs.refreshContention = enabled;
    },
    failNext(endpoint, fault, count = 1) {
      ctx.faults.add(endpoint, fault, count);
    },
    clearFaults(endpoint) {
      ctx.faults.clear(endpoint);
    },
    failAuthorize(error, errorDescription) {
      ctx.knobs.authorizeFailure = { error, description: errorDescription };
    },
    addUser(user) {
      ctx.store.addUser(user);
    },
    addMembership(membership) {
      ctx.store.addMembership(membership);
    },
    revokeSession(sessionId) {
      ctx.store.endSession(sessionId);
    },
    rotateKey() {
      ctx.signingKey = createSigningKey();
    },
    lastAuthorizeQuery() {
      return ctx.lastAuthorizeQuery && { ...ctx.lastAuthorizeQuery };
    },
    signAccessToken(claims, header = {}, key = 'current') {
      const signingKey = key === 'foreign' ? (ctx.foreignKey ??= createSigningKey()) : ctx.signingKey;
      return signJwt({ alg: 'RS256', typ: 'JWT', kid: signingKey.kid, ...header }, claims, signingKey.privateKey);
    },
    createSession(options = {}) {
      const userId = options.userId ?? ctx.store.allUsers()[0]?.id;
      if (userId === undefined || !ctx.store.user(userId)) {
        throw new Error(`emulator.createSession: unknown user '${userId ?? '(none configured)'}'`);
      }
      if (options.role !== undefined && !canPickRole(ctx.store, userId, options.organizationId, options.role)) {
        throw new Error(
          `emulator.createSession: '${options.role}' is not a role of the user's membership in '${options.organizationId ?? '(no organization)'}'`,
        );
      }
      const wire = startSession(ctx, {
        userId,
        organizationId: options.organizationId,
        role: options.role,
        impersonator: options.impersonator,
      });
      return toAuthenticationResult(wire);
    },
    reset() {
      resetContext(ctx);
    },
  };
}
