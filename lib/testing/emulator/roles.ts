import type { Store } from './store';
import type { EmulatorMembership } from './types';

/** A way to sign in the sign-in page offers: an organization and, for a membership with several roles, one of them. */
export interface SignInChoice {
  organizationId: string;
  role?: string;
}

export function rolesOf(membership: EmulatorMembership): string[] {
  return membership.roles ?? (membership.role === undefined ? [] : [membership.role]);
}

/** One choice per membership (in `organizationId` only, when given), one per role where there are several. */
export function signInChoices(store: Store, userId: string, organizationId?: string): SignInChoice[] {
  return store
    .membershipsOf(userId)
    .filter((m) => organizationId === undefined || m.organizationId === organizationId)
    .flatMap((m) => {
      const roles = rolesOf(m);
      return roles.length > 1 ? roles.map((role) => ({ organizationId: m.organizationId, role })) : [{ organizationId: m.organizationId }];
    });
}

/** Whether `role` may be picked for the user in that organization. */
export function canPickRole(store: Store, userId: string, organizationId: string | undefined, role: string): boolean {
  const membership = organizationId === undefined ? undefined : store.membership(userId, organizationId);
  return membership !== undefined && rolesOf(membership).includes(role);
}

/**
 * What the access token carries in the session's organization. A picked role narrows the
 * membership to that role and the permissions defined for it; permissions the membership does not
 * list come from the definitions of its roles.
 */
export function tokenMembership(
  store: Store,
  userId: string,
  organizationId: string | undefined,
  picked?: string,
): EmulatorMembership | undefined {
  const membership = organizationId === undefined ? undefined : store.membership(userId, organizationId);
  if (membership === undefined) return undefined;
  if (picked !== undefined && rolesOf(membership).includes(picked)) {
    const narrowed: EmulatorMembership = { ...membership, role: picked };
    if (membership.roles !== undefined) narrowed.roles = [picked];
    const permissions = store.role(picked)?.permissions ?? membership.permissions;
    if (permissions === undefined) delete narrowed.permissions;
    else narrowed.permissions = permissions;
    return narrowed;
  }
  if (membership.permissions !== undefined) return membership;
  const defined = rolesOf(membership).flatMap((slug) => store.role(slug)?.permissions ?? []);
  return defined.length === 0 ? membership : { ...membership, permissions: [...new Set(defined)] };
}
