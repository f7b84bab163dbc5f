/**
 * `authkit-express`: WorkOS AuthKit for Express 4 and 5, Connect and `node:http`. Start with
 * {@link createAuthKit}; read the auth state with {@link getAuth}.
 *
 * @module authkit-express
 */
export { createAuthKit, getAuth, type AuthKit } from './adapters/connect/create';
export * from './shared-exports';
export type { AuthKitHelpers } from './adapters/connect/helpers';
export type { ErrorMiddleware } from './adapters/connect/error-handler';
export type { Guard, Protect } from './adapters/connect/guards';
export type { OptionalGuardOptions } from './core/guard-options';
export type { Middleware, NextFunction } from './adapters/connect/types';
