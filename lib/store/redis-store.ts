import type { SharedStore } from '../model/shared-store';

/** The part of an `ioredis` client (v5+) the store uses: `call` sends any command. */
export interface IoRedisLike {
  /** Sends one command (`SET key value PX ms NX`, …) and resolves to Redis's reply. */
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

/** The part of a `redis` (node-redis v4+) client the store uses: `sendCommand` sends any command. */
export interface NodeRedisLike {
  /** Sends one command, given as its words (`['SET', key, value, 'PX', ms, 'NX']`), and resolves to Redis's reply. */
  sendCommand(args: string[]): Promise<unknown>;
}

/** Options of `createRedisStore`. */
export interface RedisStoreOptions {
  /** A connected `ioredis` or `redis` (node-redis v4+) client; the store never closes it. */
  client: IoRedisLike | NodeRedisLike;
  /** Put before every key. Default `authkit:`; give each app sharing a Redis its own. */
  prefix?: string;
}

export const DEFAULT_REDIS_PREFIX = 'authkit:';

type Send = (args: string[]) => Promise<unknown>;

/** Raw commands through either client: their option formats differ between majors, the commands do not. */
function sender(client: unknown): Send {
  const candidate = client as Partial<IoRedisLike & NodeRedisLike> | null;
  // ioredis also has a `sendCommand`, taking its own Command objects: check `call` first.
  if (typeof candidate?.call === 'function') {
    const call = candidate.call.bind(candidate);
    return ([command, ...args]) => call(command!, ...args);
  }
  if (typeof candidate?.sendCommand === 'function') return candidate.sendCommand.bind(candidate);
  throw new TypeError('createRedisStore: `client` must be an ioredis client or a connected node-redis (redis v4+) client');
}

function milliseconds(ttlMs: number): string {
  // Redis refuses PX 0; a lifetime under a millisecond is a millisecond.
  return String(Math.max(1, Math.ceil(ttlMs)));
}

/**
 * A `SharedStore` on a Redis the app already uses, through an `ioredis` or `redis` client. Keys
 * are `<prefix><kind>:<hash>` (the kinds are listed in docs/deploy.md); every one has a lifetime (PX), so
 * nothing is left behind. The client's own reconnects and queueing apply; the library bounds how
 * long it waits for each command.
 */
export function createRedisStore(options: RedisStoreOptions): SharedStore {
  if (typeof options !== 'object' || options === null) throw new TypeError('createRedisStore takes { client, prefix? }');
  const send = sender(options.client);
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  if (typeof prefix !== 'string') throw new TypeError('createRedisStore: `prefix` must be a string such as "myapp:authkit:"');
  const keyOf = (key: string) => `${prefix}${key}`;

  return {
    async get(key) {
      const value = await send(['GET', keyOf(key)]);
      if (value === null || value === undefined) return undefined;
      return typeof value === 'string' ? value : String(value);
    },
    async set(key, value, ttlMs) {
      await send(['SET', keyOf(key), value, 'PX', milliseconds(ttlMs)]);
    },
    async setIfAbsent(key, value, ttlMs) {
      const reply = await send(['SET', keyOf(key), value, 'PX', milliseconds(ttlMs), 'NX']);
      return reply === 'OK';
    },
    async delete(key) {
      await send(['DEL', keyOf(key)]);
    },
  };
}
