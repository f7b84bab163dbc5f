import type { Knobs } from './context';
import { DEFAULT_USER, type Seeds } from './store';
import type { EmulatorOptions } from './types';

export interface ResolvedOptions {
  clientId: string;
  apiKey: string;
  port: number;
  issuer?: string;
  seeds: Seeds;
  knobs: Knobs;
}

/** Defaults in one place; bad values fail at start rather than as confusing HTTP errors later. */
export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError('emulator: port must be 0-65535');
  const clientId = options.clientId ?? 'client_emulator';
  const apiKey = options.apiKey ?? 'sk_test_emulator';
  if (!clientId || !apiKey) throw new TypeError('emulator: clientId and apiKey must be non-empty');
  const users = structuredClone(options.users ?? [DEFAULT_USER]);
  if (new Set(users.map((u) => u.id)).size !== users.length) throw new TypeError('emulator: user ids must be unique');
  const organizations = structuredClone(options.organizations ?? []);
  if (organizations.some((org) => !org.id || typeof org.name !== 'string'))
    throw new TypeError('emulator: an organization needs an id and a name');
  const roles = structuredClone(options.roles ?? []);
  if (roles.some((role) => !role.slug)) throw new TypeError('emulator: a role needs a slug');
  if (new Set(roles.map((role) => role.slug)).size !== roles.length) throw new TypeError('emulator: role slugs must be unique');
  return {
    clientId,
    apiKey,
    port,
    issuer: options.issuer,
    seeds: { users, memberships: structuredClone(options.memberships ?? []), organizations, roles },
    knobs: {
      autoApprove: structuredClone(options.autoApprove ?? false),
      accessTokenTtlSeconds: checkTtl(options.accessTokenTtlSeconds ?? 300),
      refreshGraceSeconds: checkGrace(options.refreshGraceSeconds ?? 10),
      refreshContention: false,
    },
  };
}

export function checkTtl(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds <= 0) throw new TypeError('emulator: access token TTL must be a positive integer');
  return seconds;
}

export function checkGrace(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < 0) throw new TypeError('emulator: refresh grace must be >= 0 seconds');
  return seconds;
}
