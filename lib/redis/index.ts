/**
 * `authkit-express/redis`: the shared store on a Redis client the app already has, so several
 * instances of the app (cluster, PM2, replicas behind a load balancer) refresh each session once.
 *
 * ```ts
 * import { Redis } from 'ioredis'; // or: import { createClient } from 'redis'
 * import { createAuthKit } from 'authkit-express';
 * import { createRedisStore } from 'authkit-express/redis';
 *
 * const authkit = createAuthKit({ store: createRedisStore({ client: new Redis(process.env.REDIS_URL!) }) });
 * ```
 *
 * @module authkit-express/redis
 */
export { createRedisStore, type IoRedisLike, type NodeRedisLike, type RedisStoreOptions } from '../store/redis-store';
export type { SharedStore } from '../model/shared-store';
