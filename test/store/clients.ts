import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { createRedisStore } from '../../lib/redis';
import type { SharedStore } from '../../lib';

/** A store on one of the two Redis clients users bring, and how to close that client. */
export interface StoreOnClient {
  store: SharedStore;
  close(): Promise<void>;
}

export type ClientName = 'ioredis' | 'redis';
export const CLIENTS: ClientName[] = ['ioredis', 'redis'];

export async function storeOn(client: ClientName, url: string, prefix?: string): Promise<StoreOnClient> {
  if (client === 'ioredis') {
    // Fail fast when the server is gone, as an app tuned for it would; the store bounds its waits anyway.
    const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: false });
    // Without a listener ioredis prints every reconnect failure ("[ioredis] Unhandled error event");
    // tests kill Redis on purpose, and the store reports failures itself.
    redis.on('error', () => undefined);
    return { store: createRedisStore({ client: redis, prefix }), close: async () => void redis.disconnect() };
  }
  const redis = createClient({ url });
  redis.on('error', () => undefined); // reconnects are the client's business; the store reports failures
  await redis.connect();
  return {
    store: createRedisStore({ client: redis, prefix }),
    close: async () => {
      if (redis.isOpen) await redis.close();
    },
  };
}
