import type { HasConditions, SignedInAuth } from './auth-types';
import { heldValues } from './evaluate';
import type { ListKind } from './requirements';

const KINDS: Record<keyof HasConditions, ListKind> = {
  role: 'roles',
  permission: 'permissions',
  entitlement: 'entitlements',
  featureFlag: 'featureFlags',
};

function isKnownKey(key: string): key is keyof HasConditions {
  return Object.hasOwn(KINDS, key);
}

/**
 * Checks the conditions' shape. A call that names nothing (`has({})`, `has({ role: undefined })`)
 * or misspells a key throws instead of answering: a vacuous `true` would let everyone in.
 */
function conditionsOf(conditions: unknown): [ListKind, string][] {
  if (typeof conditions !== 'object' || conditions === null || Array.isArray(conditions)) {
    throw new TypeError('auth.has() takes an object such as { permission: "posts:write" }');
  }
  const pairs: [ListKind, string][] = [];
  for (const [key, value] of Object.entries(conditions)) {
    if (!isKnownKey(key)) throw new TypeError(`auth.has(): unknown condition \`${key}\` (known: ${Object.keys(KINDS).join(', ')})`);
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.length === 0) throw new TypeError(`auth.has(): \`${key}\` must be a non-empty string`);
    pairs.push([KINDS[key], value]);
  }
  if (pairs.length === 0) throw new TypeError('auth.has() needs at least one of role, permission, entitlement or featureFlag');
  return pairs;
}

export function hasSignedIn(auth: SignedInAuth, conditions: HasConditions): boolean {
  return conditionsOf(conditions).every(([kind, value]) => heldValues(auth, kind).includes(value));
}

/** Signed out holds nothing, but a malformed call still throws, as it would for a signed-in user. */
export function hasSignedOut(conditions: HasConditions): boolean {
  conditionsOf(conditions);
  return false;
}

export type { HasConditions } from './auth-types';
