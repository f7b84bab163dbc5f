import type { IncomingMessage } from 'node:http';
import type { SignedInAuth } from './auth-types';
import type { CompiledList, CompiledRequirements, ListKind } from './requirements';

/** What the verified access token grants for one kind of requirement. */
export function heldValues(auth: SignedInAuth, kind: ListKind): readonly string[] {
  if (kind === 'roles') {
    // `role` is the organization role; `roles` lists every role when WorkOS sends it.
    return auth.role !== undefined && !auth.roles.includes(auth.role) ? [...auth.roles, auth.role] : auth.roles;
  }
  return auth[kind];
}

function listHolds(auth: SignedInAuth, list: CompiledList): boolean {
  const held = heldValues(auth, list.kind);
  return list.mode === 'anyOf' ? list.values.some((value) => held.includes(value)) : list.values.every((value) => held.includes(value));
}

/**
 * True when the signed-in request meets every requirement. The custom `check` runs last and
 * only when everything else held; anything but `true` from it refuses (a forgotten `return`
 * must not let people in). A throwing or rejecting check rejects this promise.
 */
export async function isAuthorized(auth: SignedInAuth, requirements: CompiledRequirements, req: IncomingMessage): Promise<boolean> {
  if (requirements.organizationId !== undefined && auth.organizationId !== requirements.organizationId) return false;
  if (!requirements.lists.every((list) => listHolds(auth, list))) return false;
  if (requirements.check === undefined) return true;
  return (await requirements.check(auth, req)) === true;
}
