/**
 * One instance of an app on the library, in its own Node process (started by `instances.ts`
 * through tsx): an Express app with `requireAuth` on `/api/me`, on the emulator the parent runs,
 * sharing state through Redis when the parent gives a Redis URL. Talks to the parent over IPC.
 */
import { WorkOS } from '@workos-inc/node';
import express from 'express';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { createAuthKit, getAuth, type SharedStore } from '../../lib';
import { createRedisStore } from '../../lib/redis';

export interface InstanceConfig {
  clientId: string;
  apiKey: string;
  apiHostname: string;
  apiPort: number;
  cookiePassword: string;
  redirectUri: string;
  /** Share state through this Redis; none: each process on its own. */
  redis?: { url: string; client: 'ioredis' | 'redis' };
  /** The library's `storeTimeoutMs`. */
  storeTimeoutMs?: number;
}

export type ParentMessage = { type: 'clock'; offsetMs: number } | { type: 'stop' };
export type InstanceMessage = { type: 'ready'; port: number } | { type: 'warning'; message: string } | { type: 'clock-set' };

const config = JSON.parse(process.argv[2] ?? '{}') as InstanceConfig;
let offsetMs = 0;
const send = (message: InstanceMessage) => process.send?.(message);

async function storeFor(redis: InstanceConfig['redis']): Promise<SharedStore | undefined> {
  if (redis === undefined) return undefined;
  if (redis.client === 'ioredis') {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    // Without a listener ioredis prints every reconnect failure ("[ioredis] Unhandled error event");
    // the outage test kills Redis on purpose, and the store reports failures itself.
    client.on('error', () => undefined);
    return createRedisStore({ client });
  }
  const client = createClient({ url: redis.url });
  client.on('error', () => undefined);
  await client.connect();
  return createRedisStore({ client });
}

async function main(): Promise<void> {
  const authkit = createAuthKit({
    clientId: config.clientId,
    apiHostname: config.apiHostname,
    apiHttps: false,
    apiPort: config.apiPort,
    cookiePassword: config.cookiePassword,
    redirectUri: config.redirectUri,
    // The emulator's clock runs ahead of real time in tests: follow it.
    clock: { now: () => Date.now() + offsetMs },
    workos: new WorkOS({
      apiKey: config.apiKey,
      clientId: config.clientId,
      apiHostname: config.apiHostname,
      https: false,
      port: config.apiPort,
      maxRetries: 0,
    }),
    store: await storeFor(config.redis),
    ...(config.storeTimeoutMs === undefined ? {} : { storeTimeoutMs: config.storeTimeoutMs }),
    logger: { warn: (message) => send({ type: 'warning', message }) },
  });
  const app = express();
  app.use(authkit.router);
  app.get('/api/me', authkit.requireAuth, (req, res) => {
    const auth = getAuth(req);
    res.json({ id: auth.user?.id ?? null, pid: process.pid });
  });
  app.use((error: { status?: number; code?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(error.status ?? 500).json({ code: error.code ?? 'unknown' });
  });
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (typeof address === 'object' && address !== null) send({ type: 'ready', port: address.port });
  });
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'clock') {
      offsetMs = message.offsetMs;
      send({ type: 'clock-set' });
    }
    if (message.type === 'stop') {
      server.closeAllConnections();
      server.close(() => process.exit(0));
    }
  });
  // Never outlive the test that started it.
  process.on('disconnect', () => process.exit(0));
}

void main();
