/**
 * Scenario 4: CPU per request of first-sight verification, in this process, against the bare
 * `node:crypto` floor. Every library call gets a cookie and an access token it has never seen,
 * and the library's session cache is off (`sessionCache: false`), so no cache can answer.
 */
import { createDecipheriv, createHmac, createPublicKey, pbkdf2Sync, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WorkOS } from '@workos-inc/node';
import type * as Resolve from '../lib/config/resolve';
import type * as SessionCookie from '../lib/session/session-cookie';
import type * as VerifyAccessToken from '../lib/tokens/verify-access-token';
import type { AuthenticationResult, Emulator } from '../lib/testing';
import { loadBuilt } from './built';
import { sealSession } from './sessions';

export interface CpuRow {
  name: string;
  /** CPU time (user + system, all threads) per operation, microseconds. */
  cpuUs: number;
  wallUs: number;
}

export interface CpuResult {
  iterations: number;
  rounds: number;
  libTotal: CpuRow;
  floorTotal: CpuRow;
  parts: CpuRow[];
  quickStart: CpuRow;
  ratio: number;
}

// ---- the floor: the same work, straight on node:crypto, nothing else -------------------------

/** Iron "Fe26.2" unseal of a `~2` cookie: two PBKDF2-SHA1 (1 iteration), HMAC-SHA256, AES-256-CBC. */
export function floorUnseal(cookie: string, secret: string): unknown {
  const tilde = cookie.lastIndexOf('~');
  const sealed = tilde === -1 ? cookie : cookie.slice(0, tilde);
  const parts = sealed.split('*');
  if (parts.length !== 8 || parts[0] !== 'Fe26.2') throw new Error('floor: not a seal');
  const [, , encSalt, iv, ciphertext, expiration, hmacSalt, mac] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const macBase = sealed.slice(0, sealed.length - hmacSalt.length - mac.length - 2);
  const macKey = pbkdf2Sync(secret, hmacSalt, 1, 32, 'sha1');
  const expected = createHmac('sha256', macKey).update(macBase).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('floor: bad MAC');
  if (expiration !== '' && Number(expiration) <= Date.now() - 60_000) throw new Error('floor: expired');
  const decipher = createDecipheriv('aes-256-cbc', pbkdf2Sync(secret, encSalt, 1, 32, 'sha1'), Buffer.from(iv, 'base64url'));
  const json = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  return JSON.parse(json) as unknown;
}

/** RS256 check with a cached KeyObject: `crypto.verify('RSA-SHA256')`, then issuer, subject and expiry. */
export function floorVerify(token: string, keys: ReadonlyMap<string, KeyObject>, issuer: string, userId: string): Record<string, unknown> {
  const firstDot = token.indexOf('.');
  const lastDot = token.lastIndexOf('.');
  const header = JSON.parse(Buffer.from(token.slice(0, firstDot), 'base64url').toString('utf8')) as { alg?: string; kid?: string };
  const key = header.alg === 'RS256' && header.kid !== undefined ? keys.get(header.kid) : undefined;
  if (!key) throw new Error('floor: no key');
  if (!verify('RSA-SHA256', Buffer.from(token.slice(0, lastDot)), key, Buffer.from(token.slice(lastDot + 1), 'base64url')))
    throw new Error('floor: bad signature');
  const claims = JSON.parse(Buffer.from(token.slice(firstDot + 1, lastDot), 'base64url').toString('utf8')) as Record<string, unknown>;
  if (claims.iss !== issuer || claims.sub !== userId || typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now())
    throw new Error('floor: bad claims');
  return claims;
}

async function fetchKeys(emulator: Emulator): Promise<Map<string, KeyObject>> {
  const response = await fetch(`${emulator.url}/sso/jwks/${emulator.clientId}`);
  const body = (await response.json()) as { keys: Array<{ kid: string; kty: string; n: string; e: string }> };
  return new Map(body.keys.map((jwk) => [jwk.kid, createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' })]));
}

// ---- measurement -----------------------------------------------------------------------------

/** A full GC before each timed segment, so garbage left by the previous one (or by sealing the batch) is not billed to it. */
const collectGarbage: () => void = (() => {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose_gc');
  return runInNewContext('gc') as () => void;
})();

/** GC, then a pause so the collector's background threads (concurrent sweeping) finish before the clock starts. */
async function settle(): Promise<void> {
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 25));
}

async function measure(name: string, iterations: number, run: () => void): Promise<CpuRow> {
  await settle();
  const cpu = process.cpuUsage();
  const start = performance.now();
  run();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { name, cpuUs: (used.user + used.system) / iterations, wallUs: (wall * 1000) / iterations };
}

async function measureAsync(name: string, iterations: number, run: () => Promise<void>): Promise<CpuRow> {
  await settle();
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { name, cpuUs: (used.user + used.system) / iterations, wallUs: (wall * 1000) / iterations };
}

function median(rows: CpuRow[]): CpuRow {
  const pick = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] as number;
  };
  return { name: rows[0]?.name ?? '', cpuUs: pick(rows.map((row) => row.cpuUs)), wallUs: pick(rows.map((row) => row.wallUs)) };
}

export interface CpuOptions {
  emulator: Emulator;
  cookiePassword: string;
  /** Sessions whose access tokens the library has not verified in this process. */
  sessions: readonly AuthenticationResult[];
  iterations: number;
  rounds: number;
}

export async function measureVerificationCpu(options: CpuOptions): Promise<CpuResult> {
  const { emulator, cookiePassword, sessions, iterations, rounds } = options;
  // The published build, as the server under load uses it.
  const { resolveConfig } = loadBuilt<typeof Resolve>('config/resolve');
  const { readSessionCookie } = loadBuilt<typeof SessionCookie>('session/session-cookie');
  const { createAccessTokenVerifier } = loadBuilt<typeof VerifyAccessToken>('tokens/verify-access-token');
  // The same settings an app would use, with the verified-session cache off: every call is a cold path.
  const config = resolveConfig(
    {
      ...emulator.settings,
      cookiePassword,
      redirectUri: 'http://localhost:3000/callback',
      sessionCache: false,
      logger: { warn: () => undefined },
    },
    {},
  );
  const verifyAccessToken = createAccessTokenVerifier(config);
  const keys = await fetchKeys(emulator);
  const workos = new WorkOS(emulator.apiKey, {
    apiHostname: emulator.settings.apiHostname,
    https: false,
    port: emulator.settings.apiPort,
    clientId: emulator.clientId,
  });

  // Each library call gets its own session: fresh cookie and, while the pool lasts, a token it has not checked yet.
  let cursor = 0;
  const take = (count: number) => {
    const batch: Array<{ session: AuthenticationResult; cookies: Map<string, string>; cookie: string }> = [];
    for (let i = 0; i < count; i += 1) {
      const session = sessions[cursor++ % sessions.length] as AuthenticationResult;
      const cookie = sealSession(session, cookiePassword);
      batch.push({ session, cookie, cookies: new Map([[config.cookie.name, cookie]]) });
    }
    return batch;
  };

  const libPath = async (batch: ReturnType<typeof take>) => {
    for (const item of batch) {
      const read = readSessionCookie(item.cookies, config);
      if (read.status !== 'present') throw new Error(`library: cookie ${read.status}`);
      const check = await verifyAccessToken(read.session.accessToken, read.session.user.id);
      if (check.status !== 'valid') throw new Error(`library: token ${check.status}`);
    }
  };
  const floorPath = (batch: ReturnType<typeof take>) => {
    for (const item of batch) {
      const session = floorUnseal(item.cookie, cookiePassword) as { accessToken: string; user: { id: string } };
      floorVerify(session.accessToken, keys, config.issuer, session.user.id);
    }
  };
  const quickStartPath = async (batch: ReturnType<typeof take>) => {
    for (const item of batch) {
      const result = await workos.userManagement.loadSealedSession({ sessionData: item.cookie, cookiePassword }).authenticate();
      if (!result.authenticated) throw new Error(`quick-start: ${result.reason}`);
    }
  };

  // Warm-up: JIT, the JWKS fetch of both verifiers, lazy imports.
  const warm = Math.min(300, iterations);
  await libPath(take(warm));
  floorPath(take(warm));
  await quickStartPath(take(Math.min(100, warm)));

  const samples: Record<string, CpuRow[]> = {};
  const add = (row: CpuRow) => (samples[row.name] ??= []).push(row);
  for (let round = 0; round < rounds; round += 1) {
    // Every segment gets its own batch, sealed before any clock starts; the order rotates each round.
    const total = take(iterations);
    const parts = take(iterations);
    const quick = take(Math.ceil(iterations / 2));
    const segments: Array<() => Promise<CpuRow>> = [
      () => measureAsync('library: unseal + verify', iterations, () => libPath(total)),
      () => measure('floor: unseal + verify', iterations, () => floorPath(total)),
      () =>
        measure('library: unseal (readSessionCookie)', iterations, () => {
          for (const item of parts) readSessionCookie(item.cookies, config);
        }),
      () =>
        measure('floor: iron unseal (node:crypto)', iterations, () => {
          for (const item of parts) floorUnseal(item.cookie, cookiePassword);
        }),
      () =>
        measureAsync('library: verify token (createAccessTokenVerifier)', iterations, async () => {
          for (const item of parts) await verifyAccessToken(item.session.accessToken, item.session.user.id);
        }),
      () =>
        measure('floor: crypto.verify RSA-SHA256 (cached KeyObject)', iterations, () => {
          for (const item of parts) floorVerify(item.session.accessToken, keys, config.issuer, item.session.user.id);
        }),
      () => measureAsync('quick-start: loadSealedSession().authenticate()', quick.length, () => quickStartPath(quick)),
    ];
    for (let i = 0; i < segments.length; i += 1) add(await (segments[(i + round) % segments.length] as () => Promise<CpuRow>)());
  }

  const rows = Object.values(samples).map(median);
  const byName = (name: string) => rows.find((row) => row.name === name) as CpuRow;
  const libTotal = byName('library: unseal + verify');
  const floorTotal = byName('floor: unseal + verify');
  return {
    iterations,
    rounds,
    libTotal,
    floorTotal,
    parts: rows.filter((row) => row !== libTotal && row !== floorTotal && !row.name.startsWith('quick-start')),
    quickStart: byName('quick-start: loadSealedSession().authenticate()'),
    ratio: libTotal.cpuUs / floorTotal.cpuUs,
  };
}
