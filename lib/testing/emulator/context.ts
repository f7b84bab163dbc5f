import { createSigningKey, type SigningKey } from './keys';
import { FaultQueue } from './faults';
import { Store, type Seeds } from './store';
import type { EmulatorAutoApprove, EmulatorClock, EmulatorEndpoint, EmulatorRequestLogEntry } from './types';

export const ENDPOINTS: readonly EmulatorEndpoint[] = [
  'authorize',
  'authenticate_code',
  'authenticate_refresh',
  'jwks',
  'logout',
  'revoke',
  'other',
];

/** Behaviour a test can change at run time; `reset()` restores the values given at start. */
export interface Knobs {
  autoApprove: EmulatorAutoApprove;
  accessTokenTtlSeconds: number;
  refreshGraceSeconds: number;
  refreshContention: boolean;
  authorizeFailure?: { error: string; description?: string };
}

/** Everything the request handlers and the control object share. */
export interface EmulatorContext {
  readonly url: string;
  readonly clientId: string;
  readonly apiKey: string;
  readonly issuer: string;
  readonly clock: EmulatorClock;
  readonly store: Store;
  readonly faults: FaultQueue;
  readonly calls: Record<EmulatorEndpoint, number>;
  readonly requests: EmulatorRequestLogEntry[];
  readonly initialKnobs: Readonly<Knobs>;
  knobs: Knobs;
  signingKey: SigningKey;
  /** Made on first use: generating RSA keys is slow enough to skip when unused. */
  foreignKey?: SigningKey;
  lastAuthorizeQuery?: Record<string, string>;
}

export interface ContextInput {
  url: string;
  clientId: string;
  apiKey: string;
  issuer: string;
  clock: EmulatorClock;
  seeds: Seeds;
  knobs: Knobs;
}

export function createContext(input: ContextInput): EmulatorContext {
  return {
    url: input.url,
    clientId: input.clientId,
    apiKey: input.apiKey,
    issuer: input.issuer,
    clock: input.clock,
    store: new Store(input.seeds, input.clock),
    faults: new FaultQueue(),
    calls: zeroCounters(),
    requests: [],
    initialKnobs: { ...input.knobs },
    knobs: { ...input.knobs },
    signingKey: createSigningKey(),
  };
}

/** Back to start: state is cleared in place so references tests hold stay live. */
export function resetContext(ctx: EmulatorContext): void {
  ctx.clock.reset();
  ctx.store.reset();
  ctx.faults.clear();
  ctx.knobs = { ...ctx.initialKnobs };
  ctx.requests.length = 0;
  ctx.lastAuthorizeQuery = undefined;
  for (const endpoint of ENDPOINTS) ctx.calls[endpoint] = 0;
}

function zeroCounters(): Record<EmulatorEndpoint, number> {
  const calls = {} as Record<EmulatorEndpoint, number>;
  for (const endpoint of ENDPOINTS) calls[endpoint] = 0;
  return calls;
}
