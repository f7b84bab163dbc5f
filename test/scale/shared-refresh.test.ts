import { startEmulator, type Emulator } from '../../lib/testing';
import { clearWorkOSEnv } from '../helpers/env';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { sessionCookieFor } from '../helpers/session-cookie';
import { burst, clears, refreshTokenSet, INSTANCES } from './requests';
import { CLIENTS } from '../store/clients';
import { startInstances, type Instances } from './instances';

/**
 * Many instances behave as one: three app processes behind a round-robin proxy, the emulator in
 * strict single use (a refresh token redeemed twice is refused), and bursts of expired sessions,
 * each requested on all three instances at once.
 */

// Three app processes and bursts of hundreds of requests: on a loaded 2-core machine this takes
// far longer than a unit test (a limit on the test, not an assertion about speed).
jest.setTimeout(120_000);

const SESSIONS = 100;

let emulator: Emulator;
let redis: RedisServer;
let instances: Instances | undefined;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis.stop());
beforeEach(async () => {
  clearWorkOSEnv();
  emulator = await startEmulator({ refreshGraceSeconds: 0 });
});
afterEach(async () => {
  await instances?.stop();
  instances = undefined;
  await emulator.close();
});

/** `SESSIONS` sessions whose access tokens expired, as the instances see them. */
async function expiredSessions(): Promise<{ cookies: string[]; refreshTokens: string[] }> {
  const sessions = Array.from({ length: SESSIONS }, () => emulator.createSession());
  emulator.clock.advance(301);
  await instances!.followClock();
  return { cookies: sessions.map((session) => sessionCookieFor(session)), refreshTokens: sessions.map((session) => session.refreshToken) };
}

describe.each(CLIENTS)('three instances sharing Redis through %s', (client) => {
  it('refresh each expired session exactly once, and every request of the burst is served the same new session', async () => {
    // A generous store timeout: on a loaded 2-core machine an instance's event loop can lag past the
    // 1 s default, and a timeout (rightly) lets instances refresh on their own. That fallback has its own test.
    instances = await startInstances(emulator, INSTANCES, { url: redis.url, client }, 10_000);
    const { cookies, refreshTokens } = await expiredSessions();

    const answers = await burst(instances, cookies);

    // No command timed out (which would let instances refresh on their own).
    expect(instances.warnings).toEqual([]);
    expect(emulator.calls.authenticate_refresh).toBe(SESSIONS);
    const flat = answers.flat();
    expect(flat.filter((answer) => answer.status !== 200)).toEqual([]);
    expect(flat.filter(clears)).toEqual([]);
    answers.forEach((sessionAnswers, index) => {
      const renewed = new Set(sessionAnswers.map(refreshTokenSet));
      // All three instances hand out the one session WorkOS issued, never the old token.
      expect(renewed.size).toBe(1);
      expect([...renewed][0]).toEqual(expect.any(String));
      expect(renewed.has(refreshTokens[index])).toBe(false);
    });

    // A second burst still carrying the old cookies: served from the shared result, no new call.
    const again = await burst(instances, cookies);
    expect(again.flat().every((answer) => answer.status === 200 && !clears(answer))).toBe(true);
    expect(emulator.calls.authenticate_refresh).toBe(SESSIONS);
  });
});

describe('three instances without a shared store (the control)', () => {
  it('redeem the same tokens several times and sign people out: the store is what prevents it', async () => {
    instances = await startInstances(emulator, INSTANCES);
    const { cookies } = await expiredSessions();

    const answers = (await burst(instances, cookies)).flat();

    expect(emulator.calls.authenticate_refresh).toBeGreaterThan(SESSIONS);
    expect(answers.filter((answer) => answer.status === 401).length).toBeGreaterThan(0);
    expect(answers.filter(clears).length).toBeGreaterThan(0);
  });
});
