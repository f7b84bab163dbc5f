/**
 * Scenario 4b: CPU per call of `requireAuth` itself for a cookie it has seen before, in this
 * process, with no HTTP server around it: what the guard adds to a request, without the network,
 * Express and the load generator. Each call gets a new `IncomingMessage` whose Cookie header is a
 * new string (as the HTTP parser makes one per request), compared with a middleware that only
 * calls `next()`.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type * as Library from '../lib';
import type { Emulator } from '../lib/testing';
import { loadBuilt } from './built';

export interface GuardCpuRow {
  name: string;
  /** CPU µs per call, the empty middleware's cost (building the request objects) subtracted. */
  cpuUs: number;
}

export interface GuardCpuOptions {
  emulator: Emulator;
  cookiePassword: string;
  /** Cookie headers of valid sessions: the first is the hot one, all of them are cycled. */
  cookies: readonly string[];
  iterations: number;
  rounds: number;
}

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export async function measureGuardCpu(options: GuardCpuOptions): Promise<GuardCpuRow[]> {
  const { emulator, cookiePassword, cookies, iterations, rounds } = options;
  const { createAuthKit } = loadBuilt<typeof Library>('index');
  const authkit = createAuthKit({
    ...emulator.settings,
    cookiePassword,
    redirectUri: 'http://localhost:3000/callback',
    logger: { warn: () => undefined },
  });
  const socket = new Socket();
  const request = (cookie: string) => {
    const req = new IncomingMessage(socket);
    req.method = 'GET';
    req.url = '/';
    // A string of its own per request, not the list's: V8 caches work on a string it has seen.
    req.headers = { host: 'localhost:3000', accept: 'application/json', cookie: ` ${cookie}`.slice(1) };
    return { req, res: new ServerResponse(req) };
  };
  const run = (guard: Middleware, list: readonly string[]): Promise<void> =>
    new Promise((resolve, reject) => {
      const { req, res } = request(list[0] as string);
      const timer = setTimeout(
        () => reject(new Error(`guard CPU: a session the emulator minted was not let through (status ${res.statusCode})`)),
        10_000,
      );
      guard(req, res, () => {
        clearTimeout(timer);
        resolve();
      });
    });

  // Every cookie is verified once (and so cached) before anything is measured.
  for (const cookie of cookies) await run(authkit.requireAuth, [cookie]);

  let passed = 0;
  const next = () => {
    passed += 1;
  };
  const perCall = (guard: Middleware, list: readonly string[]): number => {
    const used = process.cpuUsage();
    for (let i = 0; i < iterations; i += 1) {
      const { req, res } = request(list[i % list.length] as string);
      guard(req, res, next);
    }
    const { user, system } = process.cpuUsage(used);
    return (user + system) / iterations;
  };
  const empty: Middleware = (_req, _res, done) => done();
  const cases: Array<[string, Middleware, readonly string[]]> = [
    ['empty middleware (baseline)', empty, cookies.slice(0, 1)],
    ['requireAuth, one cookie seen before', authkit.requireAuth, cookies.slice(0, 1)],
    [`requireAuth, cycling over ${cookies.length.toLocaleString('en-US')} cookies seen before`, authkit.requireAuth, cookies],
  ];
  const samples = cases.map((): number[] => []);
  for (let round = 0; round < rounds; round += 1) {
    cases.forEach(([, guard, list], index) => samples[index]?.push(perCall(guard, list)));
  }
  // A cached cookie is answered in the same tick: every call must have reached next().
  if (passed !== iterations * rounds * cases.length)
    throw new Error(`guard CPU: ${passed} of ${iterations * rounds * cases.length} calls reached next()`);
  const medians = samples.map((values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number);
  const baseline = medians[0] as number;
  return cases.slice(1).map(([name], index) => ({ name, cpuUs: (medians[index + 1] as number) - baseline }));
}
