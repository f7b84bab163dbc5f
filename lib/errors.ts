/**
 * Every error the library raises carries a stable `code` (for monitoring and for
 * `onError` handlers) and the HTTP status it should map to. Messages never contain
 * tokens, authorization codes or cookie values.
 */
export type AuthKitErrorCode =
  | 'configuration_invalid'
  | 'missing_code'
  | 'missing_state'
  | 'invalid_state'
  | 'state_mismatch'
  | 'missing_verifier'
  | 'authorization_denied'
  | 'code_exchange_failed'
  | 'jwks_unavailable'
  | 'refresh_unavailable'
  | 'not_signed_in'
  | 'organization_switch_failed'
  | 'session_too_large';

/** The base class of every error the library raises: match on `code`, answer with `status`. */
export class AuthKitError extends Error {
  /** The class name, for logs. */
  override readonly name: string = 'AuthKitError';
  /** Stable, for monitoring and `onError`; see the README's error table. */
  readonly code: AuthKitErrorCode;
  /** The HTTP status a response for this error should carry. */
  readonly status: number;
  /** Express's and Koa's error handlers show `message` to the client only when this is true. */
  readonly expose: boolean;

  constructor(code: AuthKitErrorCode, message: string, status: number, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = status;
    this.expose = status < 500;
  }
}

/** Thrown by `createAuthKit` when the options cannot work; lists every problem at once. */
export class ConfigurationError extends AuthKitError {
  /** The class name, for logs. */
  override readonly name = 'ConfigurationError';
  /** Every problem found, each with how to fix it (the message lists them too). */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super('configuration_invalid', `authkit-express is not configured correctly:\n${problems.map((p) => `  - ${p}`).join('\n')}`, 500);
    this.problems = problems;
  }
}

/** The sign-in callback could not complete; the user should start signing in again. */
export class CallbackError extends AuthKitError {
  /** The class name, for logs. */
  override readonly name = 'CallbackError';
  /**
   * What WorkOS put in `error` / `error_description` on an `authorization_denied` callback.
   * They come from the query string, so anyone can write them: escape before showing them.
   */
  readonly workosError: string | undefined;
  /** WorkOS's `error_description`, as untrusted as `workosError`. */
  readonly workosErrorDescription: string | undefined;

  constructor(
    code: AuthKitErrorCode,
    message: string,
    status: number,
    options?: { cause?: unknown; workosError?: string | undefined; workosErrorDescription?: string | undefined },
  ) {
    super(code, message, status, options);
    this.workosError = options?.workosError;
    this.workosErrorDescription = options?.workosErrorDescription;
  }
}

/** What a 503 tells clients to wait when WorkOS named no time: long enough for a blip to pass. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** WorkOS (its JWKS or its token endpoint) could not be reached; the session is kept. */
export class WorkOSUnavailableError extends AuthKitError {
  /** The class name, for logs. */
  override readonly name = 'WorkOSUnavailableError';
  /** Whole seconds the client should wait before retrying: WorkOS's `Retry-After`, else 5. */
  readonly retryAfter: number;
  /**
   * Headers for the 503 (`Retry-After`). Express's finalhandler and Koa copy an error's
   * `headers` onto the response, as they do for `http-errors`.
   */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: 'jwks_unavailable' | 'refresh_unavailable',
    message: string,
    options?: { cause?: unknown; retryAfter?: number | undefined },
  ) {
    super(code, message, 503, options);
    // Retry-After takes whole seconds; 0 would invite a tight retry loop.
    const wait = options?.retryAfter;
    this.retryAfter = wait !== undefined && Number.isFinite(wait) ? Math.max(1, Math.ceil(wait)) : DEFAULT_RETRY_AFTER_SECONDS;
    this.headers = { 'Retry-After': String(this.retryAfter) };
  }
}

/** `refreshSession` / `switchToOrganization` could not move the session to that organization; the session is kept. */
export class OrganizationSwitchError extends AuthKitError {
  /** The class name, for logs. */
  override readonly name = 'OrganizationSwitchError';
  /** The organization the session could not move to. */
  readonly organizationId: string;
  /** What WorkOS answered (`organization_membership_required`, `sso_required`, `mfa_enrollment`, …). */
  readonly workosCode: string | undefined;

  constructor(organizationId: string, workosCode: string | undefined, options?: { cause?: unknown }) {
    super(
      'organization_switch_failed',
      `The session could not switch to organization ${organizationId}${workosCode ? ` (${workosCode})` : ''}.`,
      403,
      options,
    );
    this.organizationId = organizationId;
    this.workosCode = workosCode;
  }
}
