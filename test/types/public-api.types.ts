// Type tests of the public API, checked by `npm run typecheck` (tsc); jest never runs this file.
// A failing expectation is a compile error.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { expectTypeOf } from 'expect-type';
import * as api from 'authkit-express';
import * as testing from 'authkit-express/testing';
import {
  AuthKitError,
  ConfigurationError,
  WorkOSUnavailableError,
  createAuthKit,
  getAuth,
  type AccessTokenClaims,
  type AuthKit,
  type AuthKitUser,
  type AuthState,
  type AuthorizationCheck,
  type GuardOptions,
  type HasConditions,
  type Impersonator,
  type Middleware,
  type ProtectOptions,
  type Requirement,
  type SignedInAuth,
  type SignedOutAuth,
} from 'authkit-express';
import type { AnyPaths } from './no-any';
// tsconfig.json maps no path for `authkit-express/koa`: the source, as the package builds it.
import type * as koa from '../../lib/koa';

declare const authkit: AuthKit;
declare const req: IncomingMessage;
declare const res: ServerResponse;

// --- AuthState: a discriminated union on `user` -------------------------------------------
declare const auth: AuthState;
expectTypeOf<AuthState>().toEqualTypeOf<SignedInAuth | SignedOutAuth>();
if (auth.user) {
  expectTypeOf(auth).toEqualTypeOf<SignedInAuth>();
  expectTypeOf(auth.user.email).toEqualTypeOf<string>();
} else {
  expectTypeOf(auth).toEqualTypeOf<SignedOutAuth>();
  expectTypeOf(auth.user).toEqualTypeOf<null>();
}
if (auth.user !== null) expectTypeOf(auth.permissions).toEqualTypeOf<string[]>();
// Signed-out auth carries no session fields, so they cannot be read without narrowing first.
// @ts-expect-error `sessionId` exists only on SignedInAuth
void auth.sessionId;
expectTypeOf(auth.has).toEqualTypeOf<(conditions: HasConditions) => boolean>();
expectTypeOf(getAuth).toEqualTypeOf<(req: IncomingMessage) => AuthState>();

// --- SignedInAuth fields ------------------------------------------------------------------
expectTypeOf<Omit<SignedInAuth, 'has'>>().toEqualTypeOf<{
  user: AuthKitUser;
  sessionId: string;
  organizationId: string | undefined;
  role: string | undefined;
  roles: string[];
  permissions: string[];
  entitlements: string[];
  featureFlags: string[];
  impersonator: Impersonator | undefined;
  accessToken: string;
  claims: AccessTokenClaims;
}>();
expectTypeOf<SignedOutAuth>().toEqualTypeOf<{ user: null; has(conditions: HasConditions): boolean }>();
expectTypeOf<HasConditions>().toEqualTypeOf<{ role?: string; permission?: string; entitlement?: string; featureFlag?: string }>();
expectTypeOf<AuthKitUser['id']>().toEqualTypeOf<string>();
expectTypeOf<AuthKitUser['firstName']>().toEqualTypeOf<string | null>();
expectTypeOf<Impersonator>().toEqualTypeOf<{ email: string; reason: string | null }>();
expectTypeOf<AccessTokenClaims['sid']>().toEqualTypeOf<string>();
expectTypeOf<AccessTokenClaims['permissions']>().toEqualTypeOf<string[] | undefined>();
// Unknown claims are `unknown`, never `any`.
expectTypeOf<AccessTokenClaims['custom_claim']>().toEqualTypeOf<unknown>();

// --- Guards and their options -------------------------------------------------------------
expectTypeOf<Requirement>().toEqualTypeOf<string | readonly string[] | { anyOf: readonly string[] } | { allOf: readonly string[] }>();
expectTypeOf<GuardOptions>().toEqualTypeOf<{
  signInPath?: string;
  roles?: Requirement;
  permissions?: Requirement;
  entitlements?: Requirement;
  featureFlags?: Requirement;
  organizationId?: string;
  check?: AuthorizationCheck;
}>();
expectTypeOf<AuthorizationCheck>().toEqualTypeOf<(auth: SignedInAuth, req: IncomingMessage) => boolean | Promise<boolean>>();
expectTypeOf<ProtectOptions>().toEqualTypeOf<{
  unauthenticatedPaths?: readonly string[];
  signUpPaths?: readonly string[];
  signInPath?: string;
}>();
expectTypeOf<Middleware>().toEqualTypeOf<(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void>();
expectTypeOf(authkit.requireAuth()).toEqualTypeOf<Middleware>();
expectTypeOf(
  authkit.requireAuth({ roles: ['admin', 'owner'], permissions: { anyOf: ['a', 'b'] }, signInPath: '/welcome' }),
).toEqualTypeOf<Middleware>();
expectTypeOf(authkit.requireAuth(req, res, () => undefined)).toEqualTypeOf<void>();
expectTypeOf(authkit.optionalAuth()).toEqualTypeOf<Middleware>();
// optionalAuth never refuses: requirements are a type error (and a TypeError at run time).
// @ts-expect-error -- roles belong to requireAuth
authkit.optionalAuth({ roles: 'admin' });
expectTypeOf(authkit.protect({ unauthenticatedPaths: ['/', '/docs/**'] })).toEqualTypeOf<Middleware>();
// The custom check sees the narrowed, signed-in auth.
authkit.requireAuth({ check: (signedIn) => expectTypeOf(signedIn).toEqualTypeOf<SignedInAuth>() && signedIn.user.emailVerified });
// @ts-expect-error a misspelt option (`role` for `roles`) does not compile
authkit.requireAuth({ role: 'admin' });
// @ts-expect-error requirement values are strings
authkit.requireAuth({ permissions: [1] });
// @ts-expect-error the check must answer a boolean
authkit.requireAuth({ check: () => 'yes' });
// @ts-expect-error protect takes path lists
authkit.protect({ unauthenticatedPaths: '/' });

// --- Express accepts the middleware, and `getAuth` takes Express's request ----------------
const app = express();
app.use(authkit.router);
app.use(authkit.protect());
app.get('/a', authkit.requireAuth, (request, response) => {
  const state = getAuth(request);
  response.json(state.user?.email ?? null);
});
app.get('/b', authkit.requireAuth({ permissions: 'posts:write' }), authkit.optionalAuth(), (_request, response) => response.end());
app.use(authkit.errorHandler);
expectTypeOf<express.Request>().toExtend<IncomingMessage>();
expectTypeOf(authkit.errorHandler).toExtend<express.ErrorRequestHandler>();

// --- Helpers ------------------------------------------------------------------------------
expectTypeOf(createAuthKit).toEqualTypeOf<(options?: api.AuthKitOptions) => AuthKit>();
expectTypeOf(authkit.getSignInUrl).toEqualTypeOf<(options?: api.SignInLinkOptions) => string>();
expectTypeOf(authkit.getSignUpUrl).toEqualTypeOf<(options?: api.SignInLinkOptions) => string>();
expectTypeOf(authkit.refreshSession).toEqualTypeOf<
  (req: IncomingMessage, res: ServerResponse, options?: { organizationId?: string }) => Promise<SignedInAuth>
>();
expectTypeOf(authkit.switchToOrganization).toEqualTypeOf<
  (
    req: IncomingMessage,
    res: ServerResponse,
    organizationId: string,
    options?: api.SwitchOrganizationOptions,
  ) => Promise<SignedInAuth | undefined>
>();
expectTypeOf(authkit.signOut).toEqualTypeOf<(req: IncomingMessage, res: ServerResponse, options?: api.SignOutOptions) => void>();
expectTypeOf(authkit.saveSession).toEqualTypeOf<(res: ServerResponse, authentication: api.AuthenticationResult) => void>();
expectTypeOf(authkit.errorHandler).toEqualTypeOf<api.ErrorMiddleware>();

// --- Errors -------------------------------------------------------------------------------
declare const error: unknown;
if (error instanceof AuthKitError) {
  expectTypeOf(error.code).toEqualTypeOf<api.AuthKitErrorCode>();
  expectTypeOf(error.status).toEqualTypeOf<number>();
  expectTypeOf(error.expose).toEqualTypeOf<boolean>();
}
expectTypeOf<ConfigurationError>().toExtend<AuthKitError>();
expectTypeOf<ConfigurationError['problems']>().toEqualTypeOf<readonly string[]>();
expectTypeOf<WorkOSUnavailableError['retryAfter']>().toEqualTypeOf<number>();

// --- Testing entry ------------------------------------------------------------------------
expectTypeOf(testing.startEmulator).returns.toEqualTypeOf<Promise<testing.Emulator>>();
expectTypeOf<testing.Emulator['createSession']>().returns.toEqualTypeOf<testing.AuthenticationResult>();
// A session made by the emulator can be saved with `saveSession`.
expectTypeOf<testing.AuthenticationResult>().toExtend<api.AuthenticationResult>();

// --- No `any` anywhere in the public surface ----------------------------------------------
// The walker finds `any` where it hides (so a `never` below means something).
/* eslint-disable @typescript-eslint/no-explicit-any -- planted on purpose */
type LeakyClass = new (options: { hook: () => any }) => { name: string };
expectTypeOf<AnyPaths<{ handler: (event: any) => void }>>().toEqualTypeOf<'.handler(arg 0)'>();
expectTypeOf<AnyPaths<{ load(): Promise<{ rows: any[] }> }>>().toEqualTypeOf<'.load()<resolved>.rows[]'>();
/* eslint-enable @typescript-eslint/no-explicit-any */
expectTypeOf<AnyPaths<LeakyClass>>().toEqualTypeOf<'new(arg 0).hook()'>();
expectTypeOf<AnyPaths<{ ok: string | undefined; fn: (x: unknown) => Promise<void> }>>().toBeNever();
// Every runtime export, walked through parameters, return types and properties.
expectTypeOf<AnyPaths<typeof api>>().toBeNever();
expectTypeOf<AnyPaths<typeof testing>>().toBeNever();
expectTypeOf<AnyPaths<typeof koa>>().toBeNever();
// Type-only exports cannot be enumerated: each one is listed here.
interface PublicTypes {
  AccessTokenClaims: api.AccessTokenClaims;
  AuthenticationResult: api.AuthenticationResult;
  AuthKit: api.AuthKit;
  AuthKitErrorCode: api.AuthKitErrorCode;
  AuthKitHelpers: api.AuthKitHelpers;
  AuthKitLogger: api.AuthKitLogger;
  AuthKitOptions: api.AuthKitOptions;
  AuthKitUser: api.AuthKitUser;
  AuthorizationCheck: api.AuthorizationCheck;
  AuthorizationRequirements: api.AuthorizationRequirements;
  AuthState: api.AuthState;
  Clock: api.Clock;
  CookiePasswordInput: api.CookiePasswordInput;
  ErrorMiddleware: api.ErrorMiddleware;
  Guard: api.Guard;
  GuardOptions: api.GuardOptions;
  HasConditions: api.HasConditions;
  Impersonator: api.Impersonator;
  Middleware: api.Middleware;
  NextFunction: api.NextFunction;
  OAuthTokens: api.OAuthTokens;
  Protect: api.Protect;
  ProtectOptions: api.ProtectOptions;
  Requirement: api.Requirement;
  RouteOptions: api.RouteOptions;
  SameSite: api.SameSite;
  SessionData: api.SessionData;
  SessionRefreshErrorEvent: api.SessionRefreshErrorEvent;
  SessionRefreshSuccessEvent: api.SessionRefreshSuccessEvent;
  SessionRejectedEvent: api.SessionRejectedEvent;
  SessionRejectionReason: api.SessionRejectionReason;
  SignedInAuth: api.SignedInAuth;
  SignedOutAuth: api.SignedOutAuth;
  SignInLinkOptions: api.SignInLinkOptions;
  SignInSuccessEvent: api.SignInSuccessEvent;
  SignOutOptions: api.SignOutOptions;
  SwitchOrganizationOptions: api.SwitchOrganizationOptions;
  CreateSessionOptions: testing.CreateSessionOptions;
  Emulator: testing.Emulator;
  EmulatorAutoApprove: testing.EmulatorAutoApprove;
  EmulatorClock: testing.EmulatorClock;
  EmulatorEndpoint: testing.EmulatorEndpoint;
  EmulatorFault: testing.EmulatorFault;
  EmulatorImpersonator: testing.EmulatorImpersonator;
  EmulatorMembership: testing.EmulatorMembership;
  EmulatorOptions: testing.EmulatorOptions;
  EmulatorRequestLogEntry: testing.EmulatorRequestLogEntry;
  EmulatorSdkUser: testing.EmulatorSdkUser;
  EmulatorSettings: testing.EmulatorSettings;
  EmulatorUser: testing.EmulatorUser;
}
expectTypeOf<AnyPaths<PublicTypes>>().toBeNever();
expectTypeOf<PublicTypes[keyof PublicTypes]>().not.toBeAny();
expectTypeOf<api.AuthState>().not.toBeAny();
expectTypeOf<api.AuthKitOptions>().not.toBeAny();
expectTypeOf<testing.Emulator>().not.toBeAny();
