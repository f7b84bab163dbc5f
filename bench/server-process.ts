/** Starts `bench/server.ts` in its own Node process (through tsx) and talks to it over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { AppCounters, AppName, ChildMessage, MemorySnapshot, ParentMessage, ServerConfig } from './protocol';

export interface ServerProcess {
  pid: number;
  ports: Record<AppName, number>;
  sessionCacheSize: number;
  memory(gc: boolean): Promise<MemorySnapshot>;
  counters(): Promise<{ counters: Record<AppName, AppCounters>; cpuMicros: number }>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

export function startServer(config: ServerConfig): Promise<ServerProcess> {
  const child: ChildProcess = fork(join(__dirname, 'server.ts'), [JSON.stringify(config)], {
    // tsx 4 registers itself with `--import tsx` (Node >= 20.6); --expose-gc for memory readings after a full GC.
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (message: ChildMessage) => void; reject: (error: Error) => void }>();
  child.on('exit', (code, signal) => {
    for (const pending of waiting.values()) pending.reject(new Error(`bench server exited (code ${code}, signal ${signal})`));
    waiting.clear();
  });

  function ask<T extends ChildMessage['type']>(message: ParentMessage): Promise<Extract<ChildMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      if (!child.connected) return reject(new Error('bench server is gone'));
      waiting.set(message.id, { resolve: (reply) => resolve(reply as Extract<ChildMessage, { type: T }>), reject });
      child.send(message);
    });
  }

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('bench server did not start in time'));
    }, READY_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`bench server exited before it was ready (code ${code}, signal ${signal})`));
    });
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'fatal') {
        clearTimeout(timer);
        reject(new Error(`bench server failed: ${message.message}`));
        return;
      }
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve({
          pid: child.pid ?? -1,
          ports: message.ports,
          sessionCacheSize: message.sessionCacheSize,
          memory: async (gc) => (await ask<'memory'>({ type: 'memory', id: nextId++, gc })).memory,
          counters: async () => {
            const reply = await ask<'counters'>({ type: 'counters', id: nextId++ });
            return { counters: reply.counters, cpuMicros: reply.cpuMicros };
          },
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              // Closing the IPC channel makes the server exit on its own; the signal is the fallback.
              if (child.connected) child.disconnect();
              setTimeout(() => child.kill('SIGTERM'), 2_000).unref();
            }),
        });
        return;
      }
      const pending = waiting.get(message.id);
      if (pending) {
        waiting.delete(message.id);
        pending.resolve(message);
      }
    });
  });
}
