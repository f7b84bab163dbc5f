import { createHash } from 'node:crypto';
import type { EmulatorContext } from './context';
import { json, unauthorized, type EmulatorRequest, type Reply } from './http';
import { rolesOf } from './roles';
import { secretsEqual } from './tokens';
import type { EmulatorMembership } from './types';

export const MEMBERSHIPS_PATH = '/user_management/organization_memberships';

/**
 * `GET /user_management/organization_memberships?user_id=…|organization_id=…`, what
 * `workos.userManagement.listOrganizationMemberships` calls (an app's organization switcher
 * lists them). Every membership is `active`; everything comes on one page.
 */
export function listMemberships(ctx: EmulatorContext, req: EmulatorRequest): Reply {
  const authorization = req.headers.authorization;
  if (authorization === undefined || !secretsEqual(authorization, `Bearer ${ctx.apiKey}`)) return unauthorized();
  const { user_id: userId, organization_id: organizationId, statuses } = req.query;
  if (!userId && !organizationId) {
    return json(422, { code: 'invalid_request_parameters', message: 'user_id or organization_id is required.' });
  }
  const wanted = statuses === undefined || statuses.split(',').includes('active');
  const data = ctx.store
    .allMemberships()
    .filter((m) => wanted && (!userId || m.userId === userId) && (!organizationId || m.organizationId === organizationId))
    .map((m) => toWireMembership(ctx, m));
  return json(200, { object: 'list', data, list_metadata: { before: null, after: null } });
}

function toWireMembership(ctx: EmulatorContext, membership: EmulatorMembership): Record<string, unknown> {
  const roles = rolesOf(membership);
  const created = ctx.store.user(membership.userId)?.createdAt ?? new Date(ctx.clock.now()).toISOString();
  const wire: Record<string, unknown> = {
    object: 'organization_membership',
    id: membershipId(membership),
    user_id: membership.userId,
    organization_id: membership.organizationId,
    organization_name: ctx.store.organizationName(membership.organizationId),
    status: 'active',
    directory_managed: false,
    role: { slug: membership.role ?? roles[0] ?? 'member' },
    custom_attributes: {},
    created_at: created,
    updated_at: created,
  };
  if (membership.roles !== undefined) wire.roles = membership.roles.map((slug) => ({ slug }));
  return wire;
}

/** Stable per user and organization, shaped like WorkOS ids. */
function membershipId(membership: EmulatorMembership): string {
  const digest = createHash('sha256').update(`${membership.userId}\n${membership.organizationId}`).digest('hex');
  return `om_${digest.slice(0, 26).toUpperCase()}`;
}
