/** Messages between the benchmark (parent) and the server under load (child, `bench/server.ts`), over the fork IPC channel. */

/** What the parent tells the server at fork time (JSON in argv[2]). */
export interface ServerConfig {
  clientId: string;
  apiKey: string;
  apiHostname: string;
  apiPort: number;
  cookiePassword: string;
  /** `sessionCache.maxEntries` for the library app; `false` switches the cache off; undefined = library default. */
  sessionCache?: number | false;
}

/** The three apps, each an Express app on its own port with one `GET /` route answering `{"ok":true}`. */
export type AppName = 'bare' | 'authkit' | 'quickstart';

export interface AppCounters {
  /** Requests that reached the HTTP server. */
  requests: number;
  /** Requests that reached the route handler (for a guard: let through). */
  served: number;
}

export interface MemorySnapshot {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export type ParentMessage = { type: 'memory'; id: number; gc: boolean } | { type: 'counters'; id: number };

export type ChildMessage =
  | { type: 'ready'; ports: Record<AppName, number>; sessionCacheSize: number; node: string }
  | { type: 'memory'; id: number; memory: MemorySnapshot }
  /** `cpuMicros`: the server process's user + system CPU time so far (all threads), µs. */
  | { type: 'counters'; id: number; counters: Record<AppName, AppCounters>; cpuMicros: number }
  | { type: 'fatal'; message: string };
