/** Formats the benchmark's results as one markdown document, printed to the console and written to bench/results/latest.md. */
import type { CpuResult } from './cpu';
import type { GuardCpuRow } from './guard-cpu';
import type { LoadResult } from './load';
import type { MemorySnapshot } from './protocol';

export interface ThroughputRow {
  scenario: string;
  app: string;
  /** All segments' responses over all segments' seconds. */
  rps: number;
  /** Medians over the segments (autocannon's latency histogram has 1 ms resolution). */
  p50: number;
  p99: number;
  responses: number;
  seconds: number;
  /** The server process's CPU time (user + system) per request served, µs: less sensitive to other load on the machine than req/s. */
  serverCpuPerRequest: number;
  non2xx: number;
  /** Socket errors plus timeouts. */
  errors: number;
  /** Median over the rounds of (this guard's req/s) / (mean of the bare segments before and after it). */
  ratio?: number;
  roundRatios?: number[];
  note?: string;
}

export interface MemoryRow {
  label: string;
  sessions: number;
  memory: MemorySnapshot;
}

export interface MemoryResult {
  cacheBound: number;
  rows: MemoryRow[];
  /** Heap growth (after GC) from `from` to `to` sessions, once the cache should be full. */
  growth: { from: number; to: number; bytes: number };
  distinctTokens: number;
}

export interface BurstResult {
  sessions: number;
  requests: number;
  refreshCalls: number;
  result: LoadResult;
  served: number;
}

export interface Verdict {
  name: string;
  pass: boolean;
  detail: string;
}

export interface Report {
  header: Array<[string, string]>;
  throughput: ThroughputRow[];
  cpu: CpuResult;
  guardCpu: GuardCpuRow[];
  memory: MemoryResult;
  burst: BurstResult;
  verdicts: Verdict[];
  warnings: string[];
}

const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);
const int = (value: number) => Math.round(value).toLocaleString('en-US');
const fixed = (value: number, digits = 2) => value.toFixed(digits);

function table(head: string[], rows: string[][], right: boolean[] = []): string {
  const align = head.map((_, i) => (right[i] ? '---:' : '---'));
  return [head, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export function renderReport(report: Report): string {
  const out: string[] = [];
  out.push('# authkit-express benchmark', '');
  out.push('Produced by `npm run bench` (bench/index.ts). One run, one machine; numbers from a shared machine are noisy.', '');
  out.push(
    table(
      ['', ''],
      report.header.map(([k, v]) => [k, v]),
    ),
    '',
  );

  out.push('## 1–3. Throughput (autocannon, server in its own process)', '');
  out.push(
    'Per scenario: a warm-up of each app, then rounds of short segments — bare, guard(s), bare, guard(s), …, bare — all on the very same ' +
      "request stream (same cookies; bare Express ignores them). A round's ratio is the guard's req/s over the mean of the bare segments " +
      'around it; **vs bare** is the median over the rounds. req/s is over all segments of that app; p50/p99 are medians over its segments. ' +
      "Server CPU µs/req is the server process's own CPU time per request served (user + system): the load generator and whatever else runs on the machine do not count in it.",
    '',
  );
  out.push(
    table(
      ['Scenario', 'App', 'req/s', 'p50 ms', 'p99 ms', 'server CPU µs/req', 'responses', 'non-2xx / errors', 'vs bare', 'by round'],
      report.throughput.map((row) => [
        row.scenario,
        row.app + (row.note ? ` (${row.note})` : ''),
        int(row.rps),
        String(row.p50),
        String(row.p99),
        fixed(row.serverCpuPerRequest, 0),
        int(row.responses),
        `${row.non2xx} / ${row.errors}`,
        row.ratio === undefined ? '' : `**${fixed(row.ratio)}**`,
        (row.roundRatios ?? []).map((ratio) => fixed(ratio)).join(' '),
      ]),
      [false, false, true, true, true, true, true, true, true, false],
    ),
    '',
  );

  const { cpu } = report;
  out.push('## 4. CPU per first-sight verification (in process)', '');
  out.push(
    `Median of ${cpu.rounds} rounds × ${int(cpu.iterations)} calls; every library call gets a new cookie and a token it has not verified, ` +
      'with the verified-session cache off. CPU is user + system time of the whole process (all threads) per call.',
    '',
  );
  out.push(
    table(
      ['Path', 'CPU µs/call', 'wall µs/call', 'vs floor'],
      [
        [`**${cpu.libTotal.name}**`, fixed(cpu.libTotal.cpuUs, 1), fixed(cpu.libTotal.wallUs, 1), `**${fixed(cpu.ratio)}×**`],
        [`**${cpu.floorTotal.name}**`, fixed(cpu.floorTotal.cpuUs, 1), fixed(cpu.floorTotal.wallUs, 1), '1.00×'],
        ...cpu.parts.map((row) => [row.name, fixed(row.cpuUs, 1), fixed(row.wallUs, 1), '']),
        [
          cpu.quickStart.name,
          fixed(cpu.quickStart.cpuUs, 1),
          fixed(cpu.quickStart.wallUs, 1),
          `${fixed(cpu.quickStart.cpuUs / cpu.floorTotal.cpuUs)}×`,
        ],
      ],
      [false, true, true, true],
    ),
    '',
  );

  out.push(
    'The guard itself for cookies it has seen before, in process: each call a new `IncomingMessage` (its Cookie header a new string), ' +
      'the median of the rounds, minus the same loop through a middleware that only calls `next()`.',
    '',
  );
  out.push(
    table(
      ['Call', 'CPU µs/call'],
      report.guardCpu.map((row) => [row.name, fixed(row.cpuUs, 2)]),
      [false, true],
    ),
    '',
  );

  const { memory } = report;
  out.push('## 5. Memory of the server as distinct sessions pass through', '');
  out.push(
    `A fresh server process; every request carries a session it has never seen (${int(memory.distinctTokens)} distinct WorkOS sessions and access tokens). ` +
      `Verified-session cache bound: ${memory.cacheBound === 0 ? 'off' : `${int(memory.cacheBound)} sessions`}. Heap is measured after a full GC.`,
    '',
  );
  out.push(
    table(
      ['After', 'sessions seen', 'RSS MB', 'heap used MB', 'heap total MB', 'external MB'],
      memory.rows.map((row) => [
        row.label,
        int(row.sessions),
        mb(row.memory.rss),
        mb(row.memory.heapUsed),
        mb(row.memory.heapTotal),
        mb(row.memory.external),
      ]),
      [false, true, true, true, true, true],
    ),
    '',
  );
  const span = memory.growth.to - memory.growth.from;
  out.push(
    `Heap growth from ${int(memory.growth.from)} to ${int(memory.growth.to)} sessions: ${mb(memory.growth.bytes)} MB ` +
      `(${span > 0 ? int(memory.growth.bytes / span) : '0'} bytes per additional session).`,
    '',
  );

  const { burst } = report;
  out.push('## 6. Refresh burst', '');
  out.push(
    `${int(burst.requests)} requests over ${burst.sessions} sessions whose access tokens expired a day ago, ten consecutive requests per session ` +
      '(so requests for one cookie run concurrently), 20 connections.',
    '',
  );
  out.push(
    table(
      ['requests answered', 'served by the app', 'non-2xx / errors', 'refresh calls at the emulator', 'expected'],
      [
        [
          int(burst.result.responses),
          int(burst.served),
          `${burst.result.non2xx} / ${burst.result.errors + burst.result.timeouts}`,
          String(burst.refreshCalls),
          String(burst.sessions),
        ],
      ],
      [true, true, true, true, true],
    ),
    '',
  );

  out.push('## Targets', '');
  for (const verdict of report.verdicts) out.push(`- ${verdict.pass ? 'PASS' : 'MISS'} ${verdict.name}: ${verdict.detail}`);
  out.push('');
  if (report.warnings.length > 0) {
    out.push('## Warnings', '');
    for (const warning of report.warnings) out.push(`- ${warning}`);
    out.push('');
  }
  return out.join('\n');
}
