import type { IncomingMessage } from 'node:http';
import type { SignedInAuth } from './auth-types';

/**
 * One required value, a list, or an explicit mode. A plain list means any-of for `roles`
 * (people usually hold one role) and all-of for everything else.
 */
export type Requirement =
  | string
  | readonly string[]
  | {
      /** At least one of these must be held. */
      anyOf: readonly string[];
    }
  | {
      /** Every one of these must be held. */
      allOf: readonly string[];
    };

/** Your own rule, run after every other requirement held. Only `true` allows; a throw goes to `next(err)`. */
export type AuthorizationCheck = (auth: SignedInAuth, req: IncomingMessage) => boolean | Promise<boolean>;

/** What a signed-in request must satisfy to pass `requireAuth`; every option given must hold. */
export interface AuthorizationRequirements {
  /** Roles of the session (`role` and `roles` together); a plain list means any of them. */
  roles?: Requirement;
  /** The token's `permissions`; a plain list means all of them. */
  permissions?: Requirement;
  /** The token's `entitlements`; a plain list means all of them. */
  entitlements?: Requirement;
  /** The token's `feature_flags`; a plain list means all of them. */
  featureFlags?: Requirement;
  /** The session's organization must be exactly this one. */
  organizationId?: string;
  /** Your own rule, run last; only `true` allows. */
  check?: AuthorizationCheck;
}

export type ListKind = 'roles' | 'permissions' | 'entitlements' | 'featureFlags';

export interface CompiledList {
  kind: ListKind;
  mode: 'anyOf' | 'allOf';
  values: readonly string[];
}

/** Requirements checked and frozen when the guard is built, so requests only compare strings. */
export interface CompiledRequirements {
  lists: readonly CompiledList[];
  organizationId: string | undefined;
  check: AuthorizationCheck | undefined;
}

export const LIST_KINDS: readonly ListKind[] = ['roles', 'permissions', 'entitlements', 'featureFlags'];
export const AUTHORIZATION_KEYS: readonly string[] = [...LIST_KINDS, 'organizationId', 'check'];

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? JSON.stringify(value) : typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function stringValues(where: string, list: readonly unknown[]): string[] {
  if (list.length === 0) {
    // An empty any-of can never pass and an empty all-of always passes: both are mistakes.
    throw new TypeError(`${where} must list at least one value (got an empty array)`);
  }
  return list.map((item, index) => {
    if (typeof item !== 'string' || item.length === 0) {
      throw new TypeError(`${where}[${index}] must be a non-empty string (got ${describe(item)})`);
    }
    return item;
  });
}

function compileList(guard: string, kind: ListKind, value: unknown): CompiledList {
  const where = `${guard}: option \`${kind}\``;
  const plainMode = kind === 'roles' ? 'anyOf' : 'allOf';
  if (typeof value === 'string') {
    if (value.length === 0) throw new TypeError(`${where} must not be an empty string`);
    return { kind, mode: plainMode, values: [value] };
  }
  if (Array.isArray(value)) return { kind, mode: plainMode, values: Object.freeze(stringValues(where, value)) };
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    const mode = keys[0];
    if (keys.length !== 1 || (mode !== 'anyOf' && mode !== 'allOf')) {
      throw new TypeError(`${where} must have exactly one of \`anyOf\` or \`allOf\` (got keys: ${keys.join(', ') || 'none'})`);
    }
    const list = value[mode];
    if (!Array.isArray(list)) throw new TypeError(`${where}.${mode} must be an array of strings (got ${describe(list)})`);
    return { kind, mode, values: Object.freeze(stringValues(`${where}.${mode}`, list)) };
  }
  throw new TypeError(`${where} must be a string, an array of strings, { anyOf: [...] } or { allOf: [...] } (got ${describe(value)})`);
}

/**
 * Validates the authorization part of guard options. Throws a TypeError naming the mistake, so a
 * typo (`permission`, `roles: []`) fails when the app starts instead of letting everyone in.
 * `allowedKeys` lists the guard's other, non-authorization options.
 */
export function compileRequirements(guard: string, options: unknown, allowedKeys: readonly string[]): CompiledRequirements {
  if (options === undefined) return { lists: [], organizationId: undefined, check: undefined };
  if (!isPlainObject(options)) throw new TypeError(`${guard}: options must be an object (got ${describe(options)})`);
  const known = new Set([...AUTHORIZATION_KEYS, ...allowedKeys]);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new TypeError(`${guard}: unknown option \`${key}\` (known: ${[...known].join(', ')})`);
  }
  const lists: CompiledList[] = [];
  for (const kind of LIST_KINDS) {
    if (options[kind] !== undefined) lists.push(compileList(guard, kind, options[kind]));
  }
  const { organizationId, check } = options;
  if (organizationId !== undefined && (typeof organizationId !== 'string' || organizationId.length === 0)) {
    throw new TypeError(`${guard}: option \`organizationId\` must be a non-empty string (got ${describe(organizationId)})`);
  }
  if (check !== undefined && typeof check !== 'function') {
    throw new TypeError(`${guard}: option \`check\` must be a function (got ${describe(check)})`);
  }
  return Object.freeze({
    lists: Object.freeze(lists),
    organizationId: organizationId as string | undefined,
    check: check as AuthorizationCheck | undefined,
  });
}

export function hasRequirements(compiled: CompiledRequirements): boolean {
  return compiled.lists.length > 0 || compiled.organizationId !== undefined || compiled.check !== undefined;
}
