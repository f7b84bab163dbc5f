import { startEmulator, type Emulator } from '../../lib/testing';
import { clearWorkOSEnv } from '../helpers/env';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { sessionCookieFor } from '../helpers/session-cookie';
import { CLIENTS } from '../store/clients';
import { startInstances, type Instances } from './instances';
import { burst, clears, get, INSTANCES, signOutRequest } from './requests';

/**
 * Redis failing and coming back under three app processes, and sign-out reaching every instance.
 * The emulator is in strict single use throughout: a refresh token redeemed twice is refused.
 */

// Three app processes and bursts of hundreds of requests: on a loaded 2-core machine this takes
// far longer than a unit test (a limit on the test, not an assertion about speed).
jest.setTimeout(120_000);

const SESSIONS = 60;

let emulator: Emulator;
let redis: RedisServer;
let instances: Instances | undefined;
beforeEach(async () => {
  clearWorkOSEnv();
  redis = await startRedisServer();
  emulator = await startEmulator({ refreshGraceSeconds: 0 });
});
afterEach(async () => {
  await instances?.stop();
  instances = undefined;
  await emulator.close();
  await redis.stop();
});

async function expiredCookies(count: number): Promise<string[]> {
  const sessions = Array.from({ length: count }, () => emulator.createSession());
  emulator.clock.advance(301);
  await instances!.followClock();
  return sessions.map((session) => sessionCookieFor(session));
}

describe.each(CLIENTS)('Redis killed mid-burst (%s client)', (client) => {
  it('signs nobody out, answers every request, and coordinates again once Redis is back', async () => {
    instances = await startInstances(emulator, INSTANCES, { url: redis.url, client }, 300);
    const cookies = await expiredCookies(SESSIONS);

    // Kill Redis once the burst has started refreshing.
    const killed = (async () => {
      while (emulator.calls.authenticate_refresh < 5) await new Promise((resolve) => setTimeout(resolve, 5));
      await redis.stop();
    })();
    const answers = (await burst(instances, cookies)).flat();
    await killed;

    // Every request was answered: served, or 503 to retry; never signed out, never a cleared cookie.
    expect(answers).toHaveLength(SESSIONS * INSTANCES);
    expect(answers.filter((answer) => answer.status !== 200 && answer.status !== 503)).toEqual([]);
    expect(answers.filter(clears)).toEqual([]);
    expect(instances.warnings.some((warning) => /shared store failed/.test(warning))).toBe(true);

    // Back, empty: a fresh burst is coordinated again, one refresh per session.
    await redis.start();
    const fresh = await expiredCookies(SESSIONS);
    // Each instance notices on its own next probe; give them a request each until they all have.
    for (
      let attempt = 0;
      attempt < 100 && instances.warnings.filter((warning) => /answers again/.test(warning)).length < INSTANCES;
      attempt += 1
    ) {
      await Promise.all(Array.from({ length: INSTANCES }, () => get(instances!.port, fresh[0]!)));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const before = emulator.calls.authenticate_refresh;
    const again = (await burst(instances, fresh.slice(1))).flat();
    expect(again.filter((answer) => answer.status !== 200)).toEqual([]);
    expect(emulator.calls.authenticate_refresh - before).toBe(SESSIONS - 1);
  });
});

describe('sign-out on one instance', () => {
  it('is honoured by every instance: an older cookie of the session is signed out and cleared, never refreshed', async () => {
    instances = await startInstances(emulator, INSTANCES, { url: redis.url, client: 'ioredis' }, 10_000);
    const [oldCookie] = await expiredCookies(1);

    // Refreshed everywhere (one call), then signed out with the new cookie through one instance.
    const refreshed = (await burst(instances, [oldCookie!])).flat();
    expect(refreshed.map((answer) => answer.status)).toEqual([200, 200, 200]);
    const newCookie = refreshed[0]!.setCookies.find((line) => line.startsWith('wos-session=Fe26'))!.split(';')[0]!;
    expect((await signOutRequest(instances.port, newCookie)).status).toBe(302);
    const calls = emulator.calls.authenticate_refresh;

    // The old cookie comes back on all three instances (the proxy takes turns).
    const replayed = await Promise.all(Array.from({ length: INSTANCES }, () => get(instances!.port, oldCookie!)));
    expect(replayed.map((answer) => answer.status)).toEqual([401, 401, 401]);
    expect(replayed.every(clears)).toBe(true);
    expect(emulator.calls.authenticate_refresh).toBe(calls);
  });
});
