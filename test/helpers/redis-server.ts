import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

/** A real `redis-server` (Debian's) on a free loopback port, persistence off, for one test file. */
export interface RedisServer {
  port: number;
  url: string;
  /** Kills the server (as an outage would); `start` brings it back on the same port, empty. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves once the server answers PING. */
function whenReady(port: number, attemptsLeft = 200): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      if (data.toString().startsWith('+PONG')) resolve();
      else reject(new Error(`redis-server answered ${data.toString()}`));
    });
    socket.once('error', () => {
      socket.destroy();
      if (attemptsLeft <= 0) return reject(new Error('redis-server did not start'));
      setTimeout(() => whenReady(port, attemptsLeft - 1).then(resolve, reject), 25);
    });
  });
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    const spawned = child;
    await Promise.race([
      whenReady(port),
      new Promise<never>((_, reject) =>
        spawned.once('error', (error) => reject(new Error(`redis-server could not start: ${error.message}`))),
      ),
    ]);
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };

  await start();
  return { port, url: `redis://127.0.0.1:${port}`, stop, start };
}
