import type { Knobs } from './context';
import { DEFAULT_USER } from './store';
import type { EmulatorMembership, EmulatorOptions, EmulatorUser } from './types';

export interface ResolvedOptions {
  clientId: string;
  apiKey: string;
  port: number;
  issuer?: string;
  users: EmulatorUser[];
  memberships: EmulatorMembership[];
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
  return {
    clientId,
    apiKey,
    port,
    issuer: options.issuer,
    users,
    memberships: structuredClone(options.memberships ?? []),
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
