import { fork, type ChildProcess } from 'node:child_process';
import { request as httpRequest, type Server } from 'node:http';
import { join } from 'node:path';
import type { Emulator } from '../../lib/testing';
import { REDIRECT_URI } from '../helpers/app-setup';
import { COOKIE_PASSWORD } from '../helpers/env';
import { listen, stopServer } from '../helpers/server';
import type { InstanceConfig, InstanceMessage, ParentMessage } from './instance-process';

/** Several app processes on one emulator (and optionally one Redis), behind a round-robin proxy. */
export interface Instances {
  /** The proxy's port: each request goes to the next instance in turn. */
  port: number;
  /** Tells every instance the emulator's clock (it runs ahead of real time in tests). */
  followClock(): Promise<void>;
  warnings: string[];
  stop(): Promise<void>;
}

function startInstance(config: InstanceConfig, warnings: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(join(__dirname, 'instance-process.ts'), [JSON.stringify(config)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('app instance did not start within 30 s')), 30_000);
    child.on('message', (message: InstanceMessage) => {
      if (message.type === 'warning') warnings.push(message.message);
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve({ child, port: message.port });
      }
    });
    child.once('exit', (code) => reject(new Error(`app instance exited early (${code})`)));
  });
}

/** Forwards each request to the next instance, as a load balancer without stickiness does. */
function roundRobin(ports: number[]): Promise<Server> {
  let next = 0;
  return listen((req, res) => {
    const port = ports[next++ % ports.length]!;
    const upstream = httpRequest({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      res.statusCode = 502;
      res.end();
    });
    req.pipe(upstream);
  });
}

export async function startInstances(
  emulator: Emulator,
  count: number,
  redis?: InstanceConfig['redis'],
  storeTimeoutMs?: number,
): Promise<Instances> {
  const warnings: string[] = [];
  const config: InstanceConfig = {
    clientId: emulator.clientId,
    apiKey: emulator.apiKey,
    apiHostname: emulator.settings.apiHostname,
    apiPort: emulator.settings.apiPort,
    cookiePassword: COOKIE_PASSWORD,
    redirectUri: REDIRECT_URI,
    ...(redis === undefined ? {} : { redis }),
    ...(storeTimeoutMs === undefined ? {} : { storeTimeoutMs }),
  };
  const started = await Promise.all(Array.from({ length: count }, () => startInstance(config, warnings)));
  const proxy = await roundRobin(started.map((instance) => instance.port));
  const address = proxy.address();
  if (typeof address !== 'object' || address === null) throw new Error('proxy has no port');
  const tell = (message: ParentMessage) => started.forEach(({ child }) => child.connected && child.send(message));
  return {
    port: address.port,
    async followClock() {
      const acknowledged = started.map(
        ({ child }) =>
          new Promise<void>((resolve) => child.on('message', (message: InstanceMessage) => message.type === 'clock-set' && resolve())),
      );
      tell({ type: 'clock', offsetMs: emulator.clock.now() - Date.now() });
      await Promise.all(acknowledged);
    },
    warnings,
    async stop() {
      await stopServer(proxy);
      await Promise.all(
        started.map(
          ({ child }) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              child.once('exit', () => resolve());
              tell({ type: 'stop' });
              setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
            }),
        ),
      );
    },
  };
}
