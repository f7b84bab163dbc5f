/**
 * Types and error classes every entry point (`authkit-express`, `authkit-express/koa`) exports,
 * kept in one list so the two cannot drift apart.
 */
export type {
  AuthKitLogger,
  AuthKitOptions,
  Clock,
  RouteOptions,
  SameSite,
  SessionRefreshErrorEvent,
  SessionRefreshSuccessEvent,
  SessionRejectedEvent,
  SessionRejectionReason,
  SignInSuccessEvent,
} from './config/options';
export type { CookiePasswordInput } from './config/passwords';
export type { SharedStore } from './model/shared-store';
export type { AuthState, SignedInAuth, SignedOutAuth } from './authorization/auth-state';
export type { AuthenticationResult, AuthKitUser, Impersonator, OAuthTokens, SessionData } from './model/session';
export type { SignOutOptions, SwitchOrganizationOptions } from './core/helpers';
export type { SignInLinkOptions } from './flow/sign-in-query';
export type { AccessTokenClaims } from './tokens/claims';
export type { GuardOptions } from './core/guard-options';
export type { ProtectOptions } from './core/protect';
export type { AuthorizationCheck, AuthorizationRequirements, Requirement } from './authorization/requirements';
export type { HasConditions } from './authorization/has';
export {
  AuthKitError,
  CallbackError,
  ConfigurationError,
  OrganizationSwitchError,
  WorkOSUnavailableError,
  type AuthKitErrorCode,
} from './errors';
