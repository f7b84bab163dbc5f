/**
 * `npm run bench`: starts the WorkOS emulator (here) and the apps (in their own process,
 * bench/server.ts), then measures, from one run:
 *   1. bare Express vs `requireAuth` with one repeated cookie (hot);
 *   2. `requireAuth` cycling over 2,000 distinct sessions vs bare;
 *   3. first sight: a new cookie on every request, `requireAuth` vs bare vs the quick-start guard;
 *   4. CPU per first-sight verification vs the bare node:crypto floor, in this process, and the
 *      guard's own CPU per call for cookies it has seen before;
 *   5. server memory as 100,000 distinct sessions pass through, against the cache bound;
 *   6. a refresh burst: 1,000 requests over 100 expired sessions → refresh calls at the emulator.
 * Prints a markdown report and writes it to bench/results/latest.md. A missed target is reported,
 * never an exit code: this is a measurement, not a test.
 *
 * Knobs (environment): BENCH_DURATION (measured s per app and scenario, default 12), BENCH_ROUNDS
 * (segments it is split into, default 8), BENCH_WARMUP (s, default 2), BENCH_CONNECTIONS
 * (default 20), BENCH_MEMORY_SESSIONS (default 100000).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type AuthenticationResult, type Emulator } from '../lib/testing';
import { assertBuildIsCurrent } from './built';
import { measureVerificationCpu } from './cpu';
import { measureGuardCpu } from './guard-cpu';
import { runLoad, type CookieSource, type LoadResult } from './load';
import type { AppName } from './protocol';
import { renderReport, type BurstResult, type MemoryResult, type MemoryRow, type ThroughputRow, type Verdict } from './report';
import { startServer, type ServerProcess } from './server-process';
import { cookieHeader, mintSessions, sealSession } from './sessions';

function knob(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${name} must be a positive number (got "${value}")`);
  return number;
}

/** Measured seconds per app and scenario, split into ROUNDS segments. */
const DURATION = knob('BENCH_DURATION', 12);
const ROUNDS = Math.max(1, Math.round(knob('BENCH_ROUNDS', 8)));
const SEGMENT = DURATION / ROUNDS;
const WARMUP = knob('BENCH_WARMUP', 2);
const CONNECTIONS = Math.round(knob('BENCH_CONNECTIONS', 20));
const MEMORY_SESSIONS = Math.round(knob('BENCH_MEMORY_SESSIONS', 100_000));
const MANY_SESSIONS = 2_000;
const BURST_SESSIONS = 100;
const BURST_REQUESTS = 1_000;
const CPU_ITERATIONS = 1_000;
const CPU_ROUNDS = 5;
const GUARD_ITERATIONS = 50_000;
const GUARD_ROUNDS = 9;
/** Long enough that no token expires during the run (except the burst's, minted in the past). */
const ACCESS_TOKEN_TTL_SECONDS = 24 * 60 * 60;
const COOKIE_PASSWORD = 'bench-cookie-password-at-least-32-characters-long';
const RESULTS = join(__dirname, 'results', 'latest.md');

const TARGETS = { hot: 0.9, many: 0.85, firstSight: 0.55, cpu: 3 };

const warnings: string[] = [];
const log = (message: string) => console.log(`[bench] ${message}`);

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: join(__dirname, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

function load1(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
}

/** Sanity checks on a run: every response 2xx, and the server's own count agrees with autocannon's. */
function check(label: string, result: LoadResult, served: number): void {
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    warnings.push(
      `${label}: ${result.non2xx} non-2xx (${JSON.stringify(result.statusCodes)}), ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  // A run stops with up to one request in flight per connection: served, not counted. The run before it
  // on the same app (a warm-up) may also finish up to that many after the first count was read.
  const twoXx = result.statusCodes['200'] ?? 0;
  if (served < twoXx || served > twoXx + 2 * CONNECTIONS)
    warnings.push(`${label}: the server served ${served} requests, autocannon counted ${twoXx} answers of 200`);
  if (result.exhausted)
    warnings.push(`${label}: the first-sight cookie list ran out after ${result.seconds.toFixed(1)} s; the run was cut short there`);
}

interface Bench {
  emulator: Emulator;
  server: ServerProcess;
}

interface Guarded {
  app: AppName;
  label: string;
  cookies: CookieSource;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length === 0
    ? 0
    : sorted.length % 2 === 1
      ? (sorted[Math.floor(middle)] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** One measured segment on one app, checked against the server's own count. */
interface Segment extends LoadResult {
  /** Requests the app served and the server's CPU time meanwhile (µs; only this app was under load). */
  served: number;
  serverCpu: number;
}

async function segment(bench: Bench, label: string, app: AppName, cookies: CookieSource): Promise<Segment> {
  const before = await bench.server.counters();
  const result = await runLoad({ port: bench.server.ports[app], connections: CONNECTIONS, cookies, duration: SEGMENT });
  const after = await bench.server.counters();
  const served = after.counters[app].served - before.counters[app].served;
  check(label, result, served);
  return { ...result, served, serverCpu: after.cpuMicros - before.cpuMicros };
}

function aggregate(scenario: string, app: string, runs: Segment[]): ThroughputRow {
  const served = runs.reduce((sum, run) => sum + run.served, 0);
  const responses = runs.reduce((sum, run) => sum + run.responses, 0);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  return {
    scenario,
    app,
    rps: seconds > 0 ? responses / seconds : 0,
    p50: median(runs.map((run) => run.p50)),
    p99: median(runs.map((run) => run.p99)),
    responses,
    seconds,
    serverCpuPerRequest: served > 0 ? runs.reduce((sum, run) => sum + run.serverCpu, 0) / served : 0,
    non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
    errors: runs.reduce((sum, run) => sum + run.errors + run.timeouts, 0),
  };
}

/**
 * Warm-up of every app, then ROUNDS rounds of short segments, bare Express before and after each
 * round: bare, guards…, bare, guards…, bare. A guard's ratio in a round is its req/s over the mean
 * of the two bare segments around it; the reported ratio is the median over the rounds, so a burst
 * of load from elsewhere on the machine spoils one round, not the result.
 */
async function interleave(
  bench: Bench,
  scenario: string,
  bare: CookieSource,
  guarded: Guarded[],
  warmUp?: CookieSource,
): Promise<ThroughputRow[]> {
  for (const [app, cookies] of [['bare', bare] as const, ...guarded.map((guard) => [guard.app, guard.cookies] as const)]) {
    await runLoad({ port: bench.server.ports[app], connections: CONNECTIONS, cookies: warmUp ?? cookies, duration: WARMUP });
  }
  const bareRuns: Segment[] = [await segment(bench, `${scenario} / bare`, 'bare', bare)];
  const guardRuns: Array<Array<Segment | undefined>> = guarded.map(() => []);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [index, guard] of guarded.entries()) {
      // A first-sight list that ran out has nothing new left to send.
      const spent = guard.cookies.kind === 'once' && !guard.cookies.wrap && guard.cookies.cursor.next >= guard.cookies.cookies.length;
      (guardRuns[index] as Array<Segment | undefined>).push(
        spent ? undefined : await segment(bench, `${scenario} / ${guard.label}`, guard.app, guard.cookies),
      );
    }
    bareRuns.push(await segment(bench, `${scenario} / bare`, 'bare', bare));
  }

  const rows: ThroughputRow[] = [{ ...aggregate(scenario, 'bare Express', bareRuns), note: `${bareRuns.length} segments` }];
  for (const [index, guard] of guarded.entries()) {
    const runs = guardRuns[index] as Array<Segment | undefined>;
    const roundRatios: number[] = [];
    runs.forEach((run, round) => {
      if (run) roundRatios.push(run.rps / (((bareRuns[round] as Segment).rps + (bareRuns[round + 1] as Segment).rps) / 2));
    });
    const measuredRuns = runs.filter((run): run is Segment => run !== undefined);
    const row = aggregate(scenario, guard.label, measuredRuns);
    const once = guard.cookies.kind === 'once' ? guard.cookies : undefined;
    rows.push({
      ...row,
      ratio: median(roundRatios),
      roundRatios,
      ...(once
        ? {
            note: measuredRuns.some((run) => run.exhausted)
              ? 'cookie list ran out'
              : `${once.cursor.next.toLocaleString('en-US')} new cookies, none reused`,
          }
        : {}),
    });
    log(
      `${scenario} / ${guard.label}: ${Math.round(row.rps)} req/s vs bare ${Math.round(rows[0]!.rps)}, server CPU ${Math.round(row.serverCpuPerRequest)} vs ${Math.round(rows[0]!.serverCpuPerRequest)} µs/req; ratio by round ${roundRatios.map((ratio) => ratio.toFixed(2)).join(' ')} → median ${median(roundRatios).toFixed(2)}`,
    );
  }
  return rows;
}

/**
 * A fresh seal on every request (a cookie never sent before). `cycle`: over `pool` again and again
 * (warm-ups); otherwise `pool` once, then sessions newly minted on demand (every one distinct).
 */
function freshCookies(
  emulator: Emulator,
  pool: readonly AuthenticationResult[],
  cycle: boolean,
): { source: CookieSource; minted: () => number } {
  let index = 0;
  let minted = 0;
  return {
    source: {
      kind: 'generate',
      next: () => {
        let session = cycle ? pool[index++ % pool.length] : pool[index++];
        if (session === undefined) {
          session = emulator.createSession();
          minted += 1;
        }
        return cookieHeader(sealSession(session, COOKIE_PASSWORD));
      },
    },
    minted: () => minted,
  };
}

async function main(): Promise<void> {
  // Our config and the SDK read WORKOS_* from the environment; the bench must not talk to a real account.
  for (const name of Object.keys(process.env)) if (name.startsWith('WORKOS_')) delete process.env[name];
  assertBuildIsCurrent();
  const started = Date.now();
  const loadBefore = load1();
  const cpuList = cpus();
  log(`Node ${process.version}, ${cpuList.length} CPUs (${cpuList[0]?.model ?? 'unknown'}), load average ${loadBefore}`);
  log(`${CONNECTIONS} connections; per scenario ${WARMUP} s warm-up of each app, then ${ROUNDS} rounds of ${SEGMENT} s segments`);

  const emulator = await startEmulator({ accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS });
  const serverConfig = {
    clientId: emulator.clientId,
    apiKey: emulator.apiKey,
    apiHostname: emulator.settings.apiHostname,
    apiPort: emulator.settings.apiPort,
    cookiePassword: COOKIE_PASSWORD,
  };
  let server = await startServer(serverConfig);
  const serverPids = [server.pid];
  const bench: Bench = { emulator, server };
  const stopAll = async () => {
    await bench.server.stop();
    await emulator.close();
  };

  try {
    log('minting sessions');
    const hot = cookieHeader(sealSession(emulator.createSession(), COOKIE_PASSWORD));
    const manySessions = mintSessions(emulator, MANY_SESSIONS);
    const many = manySessions.map((session) => cookieHeader(sealSession(session, COOKIE_PASSWORD)));

    const throughput: ThroughputRow[] = [];
    // 1. Hot: one cookie on every request.
    const hotSource: CookieSource = { kind: 'fixed', cookie: hot };
    throughput.push(
      ...(await interleave(bench, '1. hot (1 cookie)', hotSource, [{ app: 'authkit', label: 'requireAuth', cookies: hotSource }])),
    );
    // 2. Many: 2,000 sessions round-robin; the warm-up already shows each of them several times.
    const manySource: CookieSource = { kind: 'cycle', cookies: many };
    throughput.push(
      ...(await interleave(bench, `2. many (${MANY_SESSIONS.toLocaleString('en-US')} cycled)`, manySource, [
        { app: 'authkit', label: 'requireAuth', cookies: manySource },
      ])),
    );

    // 3. First sight: one list of never-seen cookies, large enough for a guard as fast as bare Express.
    const fastestBare = Math.max(...throughput.filter((row) => row.ratio === undefined).map((row) => row.rps));
    const firstSightCount = Math.min(150_000, Math.max(15_000, Math.ceil(fastestBare * DURATION * 1.2)));
    log(`minting ${firstSightCount.toLocaleString('en-US')} first-sight sessions`);
    const firstSessions = mintSessions(emulator, firstSightCount);
    const firstCookies = firstSessions.map((session) => cookieHeader(sealSession(session, COOKIE_PASSWORD)));
    // Warm-ups get cookies of their own (fresh seals of the 2,000), never one from the measured list;
    // requireAuth and the quick-start guard each walk the same list from its start.
    const firstWarmUp = freshCookies(emulator, manySessions, true).source;
    throughput.push(
      ...(await interleave(
        bench,
        '3. first sight (new cookie per request)',
        { kind: 'once', cookies: firstCookies, wrap: true, cursor: { next: 0 } },
        [
          { app: 'authkit', label: 'requireAuth', cookies: { kind: 'once', cookies: firstCookies, wrap: false, cursor: { next: 0 } } },
          {
            app: 'quickstart',
            label: 'quick-start guard',
            cookies: { kind: 'once', cookies: firstCookies, wrap: false, cursor: { next: 0 } },
          },
        ],
        firstWarmUp,
      )),
    );

    // 6. Refresh burst: 100 sessions whose tokens expired a day ago, 10 consecutive requests each.
    log('refresh burst');
    emulator.clock.set(Date.now() - 2 * ACCESS_TOKEN_TTL_SECONDS * 1000);
    const expired = mintSessions(emulator, BURST_SESSIONS);
    emulator.clock.reset();
    const burstList = expired.flatMap((session) => {
      const cookie = cookieHeader(sealSession(session, COOKIE_PASSWORD));
      return Array.from({ length: BURST_REQUESTS / BURST_SESSIONS }, () => cookie);
    });
    const refreshesBefore = emulator.calls.authenticate_refresh;
    const servedBefore = (await server.counters()).counters.authkit.served;
    const burstResult = await runLoad({
      port: server.ports.authkit,
      connections: CONNECTIONS,
      cookies: { kind: 'cycle', cookies: burstList },
      amount: BURST_REQUESTS,
    });
    const burst: BurstResult = {
      sessions: BURST_SESSIONS,
      requests: BURST_REQUESTS,
      refreshCalls: emulator.calls.authenticate_refresh - refreshesBefore,
      result: burstResult,
      served: (await server.counters()).counters.authkit.served - servedBefore,
    };
    check('6. refresh burst', burstResult, burst.served);
    log(`refresh burst: ${burst.refreshCalls} refresh calls for ${BURST_SESSIONS} expired sessions`);
    await server.stop();

    // 4. CPU in this process, with the server gone; tokens the verifier has not seen come from the first-sight pool.
    log('CPU of first-sight verification (in process)');
    const cpu = await measureVerificationCpu({
      emulator,
      cookiePassword: COOKIE_PASSWORD,
      sessions: firstSessions,
      iterations: CPU_ITERATIONS,
      rounds: CPU_ROUNDS,
    });
    log(`library ${cpu.libTotal.cpuUs.toFixed(1)} µs, floor ${cpu.floorTotal.cpuUs.toFixed(1)} µs CPU per call: ${cpu.ratio.toFixed(2)}×`);
    log('CPU of the guard for cookies seen before (in process)');
    const guardCpu = await measureGuardCpu({
      emulator,
      cookiePassword: COOKIE_PASSWORD,
      cookies: many,
      iterations: GUARD_ITERATIONS,
      rounds: GUARD_ROUNDS,
    });
    for (const row of guardCpu) log(`${row.name}: ${row.cpuUs.toFixed(2)} µs CPU per call`);

    // 5. Memory: a fresh server; every request a session it has never seen, in steps.
    log(`memory: ${MEMORY_SESSIONS.toLocaleString('en-US')} distinct sessions through a fresh server`);
    server = await startServer(serverConfig);
    bench.server = server;
    serverPids.push(server.pid);
    const memoryPool = freshCookies(emulator, [...firstSessions, ...manySessions], false);
    const rows: MemoryRow[] = [{ label: 'start (no request yet)', sessions: 0, memory: await server.memory(true) }];
    const steps = [0.01, 0.1, 0.25, 0.5, 0.75, 1].map((fraction) => Math.max(CONNECTIONS, Math.round(MEMORY_SESSIONS * fraction)));
    let seen = 0;
    for (const target of steps) {
      if (target <= seen) continue;
      const result = await runLoad({
        port: server.ports.authkit,
        connections: CONNECTIONS,
        cookies: memoryPool.source,
        amount: target - seen,
      });
      if (result.non2xx > 0 || result.errors > 0)
        warnings.push(`5. memory, up to ${target} sessions: ${result.non2xx} non-2xx, ${result.errors} errors`);
      seen = target;
      rows.push({ label: `${seen.toLocaleString('en-US')} sessions`, sessions: seen, memory: await server.memory(true) });
      log(
        `memory after ${seen} sessions: RSS ${(rows.at(-1)!.memory.rss / 2 ** 20).toFixed(1)} MB, heap ${(rows.at(-1)!.memory.heapUsed / 2 ** 20).toFixed(1)} MB`,
      );
    }
    // Once the cache should be full (twice its bound), the heap must stop growing.
    const cacheBound = server.sessionCacheSize;
    const last = rows.at(-1)!;
    const settled = rows.find((row) => row.sessions >= Math.max(2 * cacheBound, 1) && row !== last);
    if (!settled)
      warnings.push(
        `5. memory: ${MEMORY_SESSIONS} sessions are too few to fill a cache of ${cacheBound} twice over and keep going: the bound is not tested`,
      );
    const settledFrom = settled ?? rows[1] ?? rows[0]!;
    const memory: MemoryResult = {
      cacheBound,
      rows,
      growth: { from: settledFrom.sessions, to: last.sessions, bytes: last.memory.heapUsed - settledFrom.memory.heapUsed },
      distinctTokens: Math.min(MEMORY_SESSIONS, firstSessions.length + manySessions.length) + memoryPool.minted(),
    };
    await server.stop();

    const ratioOf = (scenario: string, app: string) =>
      throughput.find((row) => row.scenario.startsWith(scenario) && row.app === app)?.ratio ?? 0;
    /** The same comparison in server CPU per request, which other load on the machine hardly moves. */
    const cpuOf = (scenario: string, app: string) => {
      const guard = throughput.find((row) => row.scenario.startsWith(scenario) && row.app === app);
      const bare = throughput.find((row) => row.scenario.startsWith(scenario) && row.ratio === undefined);
      return guard && bare
        ? `; server CPU ${Math.round(guard.serverCpuPerRequest)} vs ${Math.round(bare.serverCpuPerRequest)} µs/req bare (bare/guard ${(bare.serverCpuPerRequest / guard.serverCpuPerRequest).toFixed(2)})`
        : '';
    };
    const hotRatio = ratioOf('1.', 'requireAuth');
    const manyRatio = ratioOf('2.', 'requireAuth');
    const firstRatio = ratioOf('3.', 'requireAuth');
    const quickRatio = ratioOf('3.', 'quick-start guard');
    const memoryLimit = 10 * 2 ** 20;
    const verdicts: Verdict[] = [
      { name: 'hot ≥ 0.90 × bare', pass: hotRatio >= TARGETS.hot, detail: `${hotRatio.toFixed(2)}${cpuOf('1.', 'requireAuth')}` },
      {
        name: `many sessions (${MANY_SESSIONS.toLocaleString('en-US')} cycled) ≥ 0.85 × bare`,
        pass: manyRatio >= TARGETS.many,
        detail: `${manyRatio.toFixed(2)}${cpuOf('2.', 'requireAuth')}`,
      },
      {
        name: 'first sight ≥ 0.55 × bare',
        pass: firstRatio >= TARGETS.firstSight,
        detail: `${firstRatio.toFixed(2)}${cpuOf('3.', 'requireAuth')}; quick-start guard ${quickRatio.toFixed(2)}${cpuOf('3.', 'quick-start guard')}; requireAuth serves ${(firstRatio / quickRatio).toFixed(1)}× the quick-start`,
      },
      {
        name: 'first-sight verification CPU ≤ 3 × node:crypto floor',
        pass: cpu.ratio <= TARGETS.cpu,
        detail: `${cpu.ratio.toFixed(2)}× (${cpu.libTotal.cpuUs.toFixed(1)} vs ${cpu.floorTotal.cpuUs.toFixed(1)} µs)`,
      },
      {
        name: `memory bounded by the cache (${cacheBound === 0 ? 'off' : cacheBound.toLocaleString('en-US')}): heap growth after ${settledFrom.sessions.toLocaleString('en-US')} sessions ≤ 10 MB`,
        pass: settled !== undefined && memory.growth.bytes <= memoryLimit,
        detail: `${(memory.growth.bytes / 2 ** 20).toFixed(1)} MB from ${settledFrom.sessions.toLocaleString('en-US')} to ${last.sessions.toLocaleString('en-US')} sessions; RSS ${(rows[0]!.memory.rss / 2 ** 20).toFixed(0)} → ${(last.memory.rss / 2 ** 20).toFixed(0)} MB`,
      },
      {
        name: 'refresh burst: refresh calls == 100',
        pass: burst.refreshCalls === BURST_SESSIONS && burstResult.non2xx === 0,
        detail: `${burst.refreshCalls} refresh calls, ${burstResult.non2xx} non-2xx of ${burstResult.responses}`,
      },
    ];

    const commit = git(['rev-parse', '--short', 'HEAD']);
    const dirty = git(['status', '--porcelain', '--', 'lib']);
    const header: Array<[string, string]> = [
      ['Date', new Date(started).toISOString()],
      ['Node', process.version],
      ['CPUs', `${cpuList.length} × ${cpuList[0]?.model ?? 'unknown'}`],
      ['OS', `${platform()} ${release()}, ${(totalmem() / 2 ** 30).toFixed(1)} GB`],
      ['Load average (1/5/15 min) at start / end', `${loadBefore} — ${load1()}`],
      ['Commit', `${commit || 'unknown'}${dirty ? ' (lib/ has uncommitted changes)' : ''}`],
      [
        'Load',
        `autocannon, ${CONNECTIONS} connections; per scenario a ${WARMUP} s warm-up of each app, then ${ROUNDS} rounds of ${SEGMENT} s segments ` +
          `(${DURATION} s measured per app); servers in their own processes (pids ${serverPids.join(', ')}), the library loaded from its build in dist/cjs`,
      ],
      [
        'Sessions',
        `access tokens RS256 from the emulator (TTL ${ACCESS_TOKEN_TTL_SECONDS / 3600} h), cookies sealed as the SDK does (iron, password id 1)`,
      ],
      ['Wall time', `${((Date.now() - started) / 1000).toFixed(0)} s`],
    ];
    const markdown = renderReport({ header, throughput, cpu, guardCpu, memory, burst, verdicts, warnings });
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(RESULTS, `${markdown}\n`);
    console.log(`\n${markdown}`);
    log(`written to ${RESULTS}`);
  } finally {
    await stopAll();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
