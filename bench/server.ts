/**
 * The server under load, in its own process: forked by `bench/index.ts` as
 * `node --import tsx --expose-gc bench/server.ts '<ServerConfig JSON>'`.
 * It serves three Express apps, each on its own loopback port with one `GET /` route that answers
 * the same `{"ok":true}`:
 * - bare: no guard (the ceiling);
 * - authkit: `authkit.requireAuth` from this library, as published (dist/cjs, see built.ts);
 * - quickstart: the WorkOS Node quick-start guard, `loadSealedSession(...).authenticate()` on every
 *   request and `refresh()` when it fails, with cookie-parser as the quick-start mounts it.
 * It reports its ports, request counters and memory to the parent over IPC.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { WorkOS } from '@workos-inc/node';
import cookieParser from 'cookie-parser';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type * as Library from '../lib';
import type * as Resolve from '../lib/config/resolve';
import type { AuthKitOptions } from '../lib';
import { loadBuilt } from './built';
import type { AppCounters, AppName, ChildMessage, MemorySnapshot, ParentMessage, ServerConfig } from './protocol';

const COOKIE_NAME = 'wos-session';
const { createAuthKit } = loadBuilt<typeof Library>('index');
const { resolveConfig } = loadBuilt<typeof Resolve>('config/resolve');

function send(message: ChildMessage): void {
  if (!process.send) throw new Error('bench/server.ts must be started with an IPC channel (child_process.fork)');
  process.send(message);
}

function fail(error: unknown): never {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  if (process.send) send({ type: 'fatal', message });
  else console.error(message);
  process.exit(1);
}

/** The WorkOS Node SDK quick-start guard for Express, as documented (401 instead of a redirect for a missing cookie would change nothing here: every bench request carries one). */
function quickStartGuard(workos: WorkOS, cookiePassword: string): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const session = workos.userManagement.loadSealedSession({
      sessionData: (req.cookies as Record<string, string>)[COOKIE_NAME] ?? '',
      cookiePassword,
    });
    const result = await session.authenticate();
    if (result.authenticated) return next();
    if (result.reason === 'no_session_cookie_provided') return res.redirect('/login');
    try {
      const refreshed = await session.refresh();
      if (!refreshed.authenticated) return res.redirect('/login');
      res.cookie(COOKIE_NAME, refreshed.sealedSession, { path: '/', httpOnly: true, secure: true, sameSite: 'lax' });
      return res.redirect(req.originalUrl);
    } catch {
      res.clearCookie(COOKIE_NAME);
      return res.redirect('/login');
    }
  };
}

function listen(app: Express, counters: AppCounters): Promise<number> {
  const server = createServer(app);
  // Counted outside Express so the count costs every app the same and adds no middleware layer.
  server.on('request', () => {
    counters.requests += 1;
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function memory(gc: boolean): MemorySnapshot {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (gc && collect) {
    // Twice: the first pass can leave work (weak references, finalizers) for the second.
    collect();
    collect();
  }
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, heapTotal, external, arrayBuffers };
}

function authkitOptions(config: ServerConfig): AuthKitOptions {
  return {
    clientId: config.clientId,
    apiKey: config.apiKey,
    apiHostname: config.apiHostname,
    apiHttps: false,
    apiPort: config.apiPort,
    cookiePassword: config.cookiePassword,
    redirectUri: 'http://localhost:3000/callback',
    ...(config.sessionCache === undefined
      ? {}
      : { sessionCache: config.sessionCache === false ? false : { maxEntries: config.sessionCache } }),
    logger: { warn: (message) => console.warn(`[bench server] ${message}`) },
  };
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as ServerConfig;
  // Our config and the SDK read WORKOS_* from the environment: only what the parent sent counts.
  for (const name of Object.keys(process.env)) if (name.startsWith('WORKOS_')) delete process.env[name];

  const counters: Record<AppName, AppCounters> = {
    bare: { requests: 0, served: 0 },
    authkit: { requests: 0, served: 0 },
    quickstart: { requests: 0, served: 0 },
  };
  const handler =
    (name: AppName): RequestHandler =>
    (_req, res) => {
      counters[name].served += 1;
      res.json({ ok: true });
    };

  const bare = express();
  bare.get('/', handler('bare'));

  const options = authkitOptions(config);
  const authkit = createAuthKit(options);
  const guarded = express();
  guarded.get('/', authkit.requireAuth, handler('authkit'));

  const workos = new WorkOS(config.apiKey, {
    apiHostname: config.apiHostname,
    https: false,
    port: config.apiPort,
    clientId: config.clientId,
  });
  const quickstart = express();
  quickstart.get('/', cookieParser(), quickStartGuard(workos, config.cookiePassword), handler('quickstart'));

  const ports: Record<AppName, number> = {
    bare: await listen(bare, counters.bare),
    authkit: await listen(guarded, counters.authkit),
    quickstart: await listen(quickstart, counters.quickstart),
  };

  process.on('message', (message: ParentMessage) => {
    if (message.type === 'memory') send({ type: 'memory', id: message.id, memory: memory(message.gc) });
    else if (message.type === 'counters') {
      const { user, system } = process.cpuUsage();
      send({ type: 'counters', id: message.id, counters, cpuMicros: user + system });
    }
  });
  // The parent owns this process: when it goes, so do we.
  process.on('disconnect', () => process.exit(0));

  // The bound the library resolved for its verified-session cache (0 = off), reported for the memory table.
  send({ type: 'ready', ports, sessionCacheSize: resolveConfig(options, {}).sessionCacheSize, node: process.version });
}

main().catch(fail);
