import type { AuthKitUser, Impersonator, SessionData } from '../model/session';

/**
 * The one place a value out of a seal becomes a `SessionData`. A seal that opens proves only
 * that someone holding the cookie password wrote it, so its content is still untrusted input:
 * every field is type-checked and copied into a fresh object, and anything else makes the
 * whole value "not a session" (signed out, never a 500).
 *
 * Security invariants:
 * - Only own properties are read, and only known fields are copied: prototype keys
 *   (`__proto__`, `constructor`), objects with `toString`/`valueOf`, arrays and numbers where a
 *   string belongs never reach a template string, a log line, a map key or `req.auth`.
 * - The accepted shape is what `@workos-inc/node` (10.6, 11) seals: fields it may omit are
 *   optional here, but a field that is present must have the SDK's type.
 */
export function parseSessionData(value: unknown): SessionData | undefined {
  if (!isRecord(value)) return undefined;
  const accessToken = own(value, 'accessToken');
  const refreshToken = own(value, 'refreshToken');
  if (!isNonEmptyString(accessToken) || !isNonEmptyString(refreshToken)) return undefined;
  const user = parseUser(own(value, 'user'));
  if (user === undefined) return undefined;

  const impersonator = parseImpersonator(own(value, 'impersonator'));
  const organizationId = own(value, 'organizationId');
  const authenticationMethod = own(value, 'authenticationMethod');
  if (impersonator === INVALID || !isOptional(organizationId, isString) || !isOptional(authenticationMethod, isString)) return undefined;

  const session: SessionData = { accessToken, refreshToken, user };
  if (impersonator !== undefined) session.impersonator = impersonator;
  if (authenticationMethod !== undefined) session.authenticationMethod = authenticationMethod;
  if (organizationId !== undefined) session.organizationId = organizationId;
  return session;
}

type Check<T> = (value: unknown) => value is T;

const isString = (value: unknown): value is string => typeof value === 'string';
const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const isNullableString = (value: unknown): value is string | null => value === null || typeof value === 'string';
const isUserTag = (value: unknown): value is 'user' => value === 'user';

/** A plain JSON object (what JSON.parse makes): not null, not an array. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value of an own property only: nothing inherited from a prototype is read. */
function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function isOptional<T>(value: unknown, check: Check<T>): value is T | undefined {
  return value === undefined || check(value);
}

/** The SDK's user fields other than `id` and `metadata`, each with the type it writes. */
const USER_FIELDS: Readonly<Record<Exclude<keyof AuthKitUser, 'id' | 'metadata'>, Check<unknown>>> = {
  object: isUserTag,
  email: isString,
  emailVerified: isBoolean,
  firstName: isNullableString,
  lastName: isNullableString,
  name: isNullableString,
  profilePictureUrl: isNullableString,
  lastSignInAt: isNullableString,
  locale: isNullableString,
  externalId: isNullableString,
  createdAt: isString,
  updatedAt: isString,
};

function parseUser(value: unknown): AuthKitUser | undefined {
  if (!isRecord(value)) return undefined;
  const id = own(value, 'id');
  if (!isNonEmptyString(id)) return undefined;
  const user: Record<string, unknown> = { id };
  for (const [field, check] of Object.entries(USER_FIELDS)) {
    const fieldValue = own(value, field);
    if (fieldValue === undefined) continue;
    if (!check(fieldValue)) return undefined;
    user[field] = fieldValue;
  }
  const metadata = own(value, 'metadata');
  if (metadata !== undefined) {
    const copy = parseMetadata(metadata);
    if (copy === undefined) return undefined;
    user.metadata = copy;
  }
  // Fields the SDK omits stay absent, as they were in the cookie.
  return user as unknown as AuthKitUser;
}

/** WorkOS user metadata: string values only. `fromEntries` defines keys such as `__proto__` as plain data. */
function parseMetadata(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const entries = Object.entries(value);
  if (!entries.every(([, item]) => typeof item === 'string')) return undefined;
  return Object.fromEntries(entries) as Record<string, string>;
}

const INVALID = Symbol('invalid');

/** Absent and `null` (what the SDK writes when nobody impersonates) are both "no impersonator". */
function parseImpersonator(value: unknown): Impersonator | undefined | typeof INVALID {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) return INVALID;
  const email = own(value, 'email');
  const reason = own(value, 'reason');
  if (!isString(email) || !isNullableString(reason)) return INVALID;
  return { email, reason };
}
