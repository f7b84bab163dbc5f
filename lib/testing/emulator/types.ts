/** Public types of the local WorkOS emulator (`authkit-express/testing`). */

export interface EmulatorUser {
  id: string;
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  /** Default `true`. */
  emailVerified?: boolean;
  metadata?: Record<string, string>;
}

/**
 * What the user's access token carries while the session is in this organization. Without
 * `permissions`, the token carries those of the membership's roles (see `EmulatorOptions.roles`).
 * A membership with several roles lets the sign-in page pick one of them.
 */
export interface EmulatorMembership {
  userId: string;
  organizationId: string;
  role?: string;
  roles?: string[];
  permissions?: string[];
  entitlements?: string[];
  featureFlags?: string[];
}

/** An organization's display name; organizations named only by memberships show their id. */
export interface EmulatorOrganization {
  id: string;
  name: string;
}

/** A role and the permissions its access tokens carry (WorkOS derives permissions from roles). */
export interface EmulatorRole {
  slug: string;
  name?: string;
  permissions?: string[];
}

/**
 * `true` signs in the first user; an object picks the user, organization and role (one of the
 * membership's roles: the token then carries only that role and its permissions).
 */
export type EmulatorAutoApprove = boolean | { userId?: string; organizationId?: string; role?: string };

export interface EmulatorOptions {
  /** Default `'client_emulator'`. */
  clientId?: string;
  /** Default `'sk_test_emulator'`. */
  apiKey?: string;
  /** Default `0` (a free port). The server always binds 127.0.0.1. */
  port?: number;
  /** Default `300`. */
  accessTokenTtlSeconds?: number;
  /** Replay window for a just-rotated refresh token. Default `10`; `0` = any reuse is `invalid_grant`. */
  refreshGraceSeconds?: number;
  /** Default `false`: authorize shows an HTML sign-in page. */
  autoApprove?: EmulatorAutoApprove;
  /** Default: one user, `user_01EMULATOR` / `ada@example.com` (Ada Lovelace). */
  users?: EmulatorUser[];
  /** Default: none. */
  memberships?: EmulatorMembership[];
  /** Names of organizations (shown on the sign-in page, the dashboard and in membership lists). Default: none. */
  organizations?: EmulatorOrganization[];
  /** Roles and their permissions. Default: none. */
  roles?: EmulatorRole[];
  /** Default `${url}/user_management/${clientId}`. */
  issuer?: string;
}

/** Emulator time: drives token `iat`/`exp`, code expiry and the refresh grace window. */
export interface EmulatorClock {
  /** Milliseconds since the epoch: `Date.now()` plus the current offset. */
  now(): number;
  advance(seconds: number): void;
  /** Jump to this instant (ms since the epoch); time keeps running from there. */
  set(ms: number): void;
  reset(): void;
}

export interface EmulatorFault {
  /** Reply with this status (default 500 when `body` or `headers` is given). */
  status?: number;
  /** JSON-encoded unless a string, which is sent as is. */
  body?: unknown;
  /** Merged over `Content-Type: application/json`. */
  headers?: Record<string, string>;
  /** Wait before replying (or before handling normally, when nothing else is set). */
  delayMs?: number;
  /** Destroy the socket without a reply. */
  drop?: boolean;
}

export type EmulatorEndpoint = 'authorize' | 'authenticate_code' | 'authenticate_refresh' | 'jwks' | 'logout' | 'revoke' | 'other';

export interface EmulatorRequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON or form body, the raw text otherwise, `undefined` when empty. */
  body: unknown;
  endpoint: EmulatorEndpoint;
  /** Emulator clock time of arrival. */
  at: number;
}

export interface EmulatorImpersonator {
  email: string;
  reason: string | null;
}

/** The user as `@workos-inc/node` returns it (camelCase). */
export interface EmulatorSdkUser {
  object: 'user';
  id: string;
  email: string;
  emailVerified: boolean;
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  profilePictureUrl: string | null;
  lastSignInAt: string | null;
  locale: string | null;
  createdAt: string;
  updatedAt: string;
  externalId: string | null;
  metadata: Record<string, string>;
}

/** What `authenticateWithCode` resolves to, as the SDK returns it. */
export interface AuthenticationResult {
  user: EmulatorSdkUser;
  organizationId?: string;
  accessToken: string;
  refreshToken: string;
  authenticationMethod: string;
  impersonator?: EmulatorImpersonator;
}

/** Spread into `createAuthKit` to point the library at the emulator. */
export interface EmulatorSettings {
  clientId: string;
  apiKey: string;
  apiHostname: string;
  apiHttps: false;
  apiPort: number;
  clock: EmulatorClock;
}

export interface CreateSessionOptions {
  /** Default: the first user. */
  userId?: string;
  organizationId?: string;
  /** One of the membership's roles, as if picked on the sign-in page. */
  role?: string;
  impersonator?: EmulatorImpersonator;
}

export interface Emulator {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `${url}/dashboard`: users, organizations, roles and live sessions, with buttons to revoke, expire, rotate and fail. */
  dashboardUrl: string;
  clientId: string;
  apiKey: string;
  issuer: string;
  settings: EmulatorSettings;
  clock: EmulatorClock;
  /** Live counters, zeroed by `reset()`. */
  calls: Record<EmulatorEndpoint, number>;
  /** Live request log, emptied by `reset()`. */
  requests: EmulatorRequestLogEntry[];
  setAutoApprove(value: EmulatorAutoApprove | undefined): void;
  setAccessTokenTtl(seconds: number): void;
  setRefreshGrace(seconds: number): void;
  /** When on, a refresh token in flight or within its grace window gets 429 + `Retry-After: 1`. */
  setRefreshContention(enabled: boolean): void;
  /** Apply `fault` to the next `count` (default 1) calls to `endpoint`. */
  failNext(endpoint: EmulatorEndpoint, fault: EmulatorFault, count?: number): void;
  /** Disarms the faults still queued for `endpoint` (all endpoints when omitted), e.g. to end an outage mid-test without `reset()`. */
  clearFaults(endpoint?: EmulatorEndpoint): void;
  /** The next valid authorize request redirects back with `error` / `error_description`. */
  failAuthorize(error: string, errorDescription?: string): void;
  /** Adds the user, or replaces the one with the same id. */
  addUser(user: EmulatorUser): void;
  /** Adds the membership, or replaces the one for the same user and organization. */
  addMembership(membership: EmulatorMembership): void;
  /** Same effect as `POST /user_management/sessions/revoke`; unknown ids are ignored. */
  revokeSession(sessionId: string): void;
  /** New RS256 key and kid; the JWKS serves only the new one. */
  rotateKey(): void;
  lastAuthorizeQuery(): Record<string, string> | undefined;
  /** Signs exactly `claims` (no defaults added); `'foreign'` uses a key the JWKS never serves. */
  signAccessToken(claims: Record<string, unknown>, header?: Record<string, unknown>, key?: 'current' | 'foreign'): string;
  /** A session as if the user had signed in through the browser, without one. */
  createSession(options?: CreateSessionOptions): AuthenticationResult;
  /** Back to the state after start (users, memberships, knobs, clock, counters); the key stays. */
  reset(): void;
  close(): Promise<void>;
}
