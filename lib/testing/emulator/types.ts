/** Public types of the local WorkOS emulator (`authkit-express/testing`). */

/** A user the emulator knows (pass them as `users`, or `addUser`). */
export interface EmulatorUser {
  /** The user id, `user_…` by convention; becomes the access token's `sub`. */
  id: string;
  /** The email shown on the sign-in page and returned to the SDK. */
  email: string;
  /** Default `null`. */
  firstName?: string | null;
  /** Default `null`. */
  lastName?: string | null;
  /** Default `true`. */
  emailVerified?: boolean;
  /** Default `{}`. */
  metadata?: Record<string, string>;
}

/**
 * What the user's access token carries while the session is in this organization. Without
 * `permissions`, the token carries those of the membership's roles (see `EmulatorOptions.roles`).
 * A membership with several roles lets the sign-in page pick one of them.
 */
export interface EmulatorMembership {
  /** The member. */
  userId: string;
  /** The organization (`org_…`); becomes the token's `org_id`. */
  organizationId: string;
  /** The token's `role`. */
  role?: string;
  /** The token's `roles`. */
  roles?: string[];
  /** The token's `permissions`. */
  permissions?: string[];
  /** The token's `entitlements`. */
  entitlements?: string[];
  /** The token's `feature_flags`. */
  featureFlags?: string[];
}

/** An organization's display name; organizations named only by memberships show their id. */
export interface EmulatorOrganization {
  /** `org_…`, as WorkOS writes it into `org_id`. */
  id: string;
  /** Shown on the sign-in page and the dashboard. */
  name: string;
}

/** A role and the permissions its access tokens carry (WorkOS derives permissions from roles). */
export interface EmulatorRole {
  /** What access tokens carry as `role`, e.g. `admin`. */
  slug: string;
  /** Shown on the sign-in page and the dashboard; default the slug. */
  name?: string;
  /** What access tokens of this role carry as `permissions`. */
  permissions?: string[];
}

/**
 * `true` signs in the first user; an object picks the user, organization and role (one of the
 * membership's roles: the token then carries only that role and its permissions).
 */
export type EmulatorAutoApprove =
  | boolean
  | {
      /** Sign in this user (default: the first). */
      userId?: string;
      /** Sign in to this organization (the user needs a membership there). */
      organizationId?: string;
      /** One of that membership's roles. */
      role?: string;
    };

/** Options of `startEmulator`. */
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
  /** Moves time forward (or back, with a negative number) by this many seconds. */
  advance(seconds: number): void;
  /** Jump to this instant (ms since the epoch); time keeps running from there. */
  set(ms: number): void;
  /** Back to real time. */
  reset(): void;
}

/** What `failNext` does to a call: answer with an error, wait, or drop the connection. */
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

/** The emulator's endpoints, as `failNext`, `calls` and the request log name them. */
export type EmulatorEndpoint = 'authorize' | 'authenticate_code' | 'authenticate_refresh' | 'jwks' | 'logout' | 'revoke' | 'other';

/** One request the emulator received. */
export interface EmulatorRequestLogEntry {
  /** The HTTP method. */
  method: string;
  /** The path, without the query. */
  path: string;
  /** The query parameters. */
  query: Record<string, string>;
  /** Parsed JSON or form body, the raw text otherwise, `undefined` when empty. */
  body: unknown;
  /** Which endpoint it was. */
  endpoint: EmulatorEndpoint;
  /** Emulator clock time of arrival. */
  at: number;
}

/** An impersonator for `createSession`: the token gets an `act` claim. */
export interface EmulatorImpersonator {
  /** Becomes the token's `act.sub`. */
  email: string;
  /** Why, as WorkOS would report it. */
  reason: string | null;
}

/** The user as `@workos-inc/node` returns it (camelCase). */
export interface EmulatorSdkUser {
  /** Always `'user'`. */
  object: 'user';
  /** The user id. */
  id: string;
  /** The email. */
  email: string;
  /** Whether the email is verified. */
  emailVerified: boolean;
  /** Always `null` in the emulator. */
  name: string | null;
  /** Given name, or `null`. */
  firstName: string | null;
  /** Family name, or `null`. */
  lastName: string | null;
  /** Always `null` in the emulator. */
  profilePictureUrl: string | null;
  /** ISO 8601 time of the last sign-in, or `null`. */
  lastSignInAt: string | null;
  /** Always `null` in the emulator. */
  locale: string | null;
  /** ISO 8601 creation time. */
  createdAt: string;
  /** ISO 8601 time of the last change. */
  updatedAt: string;
  /** Always `null` in the emulator. */
  externalId: string | null;
  /** The user's metadata. */
  metadata: Record<string, string>;
}

/** What `authenticateWithCode` resolves to, as the SDK returns it. */
export interface AuthenticationResult {
  /** The signed-in user. */
  user: EmulatorSdkUser;
  /** The session's organization, if any. */
  organizationId?: string;
  /** An RS256 access token the emulator's JWKS verifies. */
  accessToken: string;
  /** A refresh token the emulator accepts once. */
  refreshToken: string;
  /** `Password`, or `Impersonation` for an impersonated session. */
  authenticationMethod: string;
  /** Set for an impersonated session. */
  impersonator?: EmulatorImpersonator;
}

/** Spread into `createAuthKit` to point the library at the emulator. */
export interface EmulatorSettings {
  /** The emulator's client id. */
  clientId: string;
  /** The emulator's API key. */
  apiKey: string;
  /** `127.0.0.1`. */
  apiHostname: string;
  /** The emulator speaks plain http. */
  apiHttps: false;
  /** The port it listens on. */
  apiPort: number;
  /** The emulator's clock, so the library's time moves with it. */
  clock: EmulatorClock;
}

/** Options of `createSession`. */
export interface CreateSessionOptions {
  /** Default: the first user. */
  userId?: string;
  /** The session's organization (the user needs a membership there). */
  organizationId?: string;
  /** One of the membership's roles, as if picked on the sign-in page. */
  role?: string;
  /** Makes it an impersonated session. */
  impersonator?: EmulatorImpersonator;
}

/** A running emulator, from `startEmulator`. */
export interface Emulator {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `${url}/dashboard`: users, organizations, roles and live sessions, with buttons to revoke, expire, rotate and fail. */
  dashboardUrl: string;
  /** The client id it accepts. */
  clientId: string;
  /** The API key it accepts. */
  apiKey: string;
  /** The `iss` of the tokens it signs. */
  issuer: string;
  /** Spread into `createAuthKit` to point the library at this emulator. */
  settings: EmulatorSettings;
  /** The emulator's time: move it to expire tokens. */
  clock: EmulatorClock;
  /** Live counters, zeroed by `reset()`. */
  calls: Record<EmulatorEndpoint, number>;
  /** Live request log, emptied by `reset()`. */
  requests: EmulatorRequestLogEntry[];
  /** Changes `autoApprove` for the next sign-ins (`undefined` = show the sign-in page). */
  setAutoApprove(value: EmulatorAutoApprove | undefined): void;
  /** Lifetime of the access tokens issued from now on. */
  setAccessTokenTtl(seconds: number): void;
  /** Replay window for just-rotated refresh tokens from now on; `0` is strict. */
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
  /** The query of the last authorize request, to check what a sign-in link asked for. */
  lastAuthorizeQuery(): Record<string, string> | undefined;
  /** Signs exactly `claims` (no defaults added); `'foreign'` uses a key the JWKS never serves. */
  signAccessToken(claims: Record<string, unknown>, header?: Record<string, unknown>, key?: 'current' | 'foreign'): string;
  /** A session as if the user had signed in through the browser, without one. */
  createSession(options?: CreateSessionOptions): AuthenticationResult;
  /** Back to the state after start (users, memberships, knobs, clock, counters); the key stays. */
  reset(): void;
  /** Stops the server. */
  close(): Promise<void>;
}
