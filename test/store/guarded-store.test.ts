import { guardStore } from '../../lib/store/guarded-store';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { CLIENTS, storeOn, type StoreOnClient } from './clients';

/**
 * Redis down must cost no request more than the store timeout and sign nobody out: every command
 * of the guarded store settles (never rejects) with a fallback, and the logger hears of it once
 * when the store fails and once when it answers again.
 */

let redis: RedisServer;
beforeEach(async () => {
  redis = await startRedisServer();
});
afterEach(() => redis.stop());

describe.each(CLIENTS)('guarded store on %s', (client) => {
  let raw: StoreOnClient;
  afterEach(() => raw.close());

  it('falls back when Redis is killed, says so once, and says so again once it is back', async () => {
    raw = await storeOn(client, redis.url, `guard:${client}:`);
    const warnings: string[] = [];
    const store = guardStore(raw.store, { timeoutMs: 200, logger: { warn: (message) => warnings.push(message) } });

    await store.set('k', 'v', 60_000);
    expect(await store.get('k')).toBe('v');
    expect(store.available).toBe(true);

    await redis.stop();
    // Every command settles with its fallback: reads find nothing, a lock counts as taken.
    expect(await store.get('k')).toBeUndefined();
    expect(await store.setIfAbsent('lock', 'me', 60_000)).toBe(true);
    await expect(store.set('k', 'w', 60_000)).resolves.toBeUndefined();
    await expect(store.delete('k')).resolves.toBeUndefined();
    expect(store.available).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/shared store failed .*each instance refreshes sessions on its own/);

    await redis.start();
    // The client reconnects on its own; the first command that succeeds ends the outage.
    for (let attempt = 0; attempt < 100 && !store.available; attempt += 1) {
      await store.set('k', 'back', 60_000);
      if (!store.available) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const answered = await store.get('k');
    expect(store.available).toBe(true);
    expect(answered).toBe('back');
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/answers again/);
  });
});

it('a store that throws synchronously or rejects counts as failing, never as an exception', async () => {
  const warnings: string[] = [];
  const broken = {
    get: () => {
      throw new Error('boom');
    },
    set: () => Promise.reject(new Error('nope')),
    setIfAbsent: () => Promise.reject('not even an Error'),
    delete: () => new Promise<void>(() => undefined), // never answers
  };
  const store = guardStore(broken, { timeoutMs: 20, logger: { warn: (message) => warnings.push(message) } });
  expect(await store.get('a')).toBeUndefined();
  await expect(store.set('a', 'b', 1000)).resolves.toBeUndefined();
  expect(await store.setIfAbsent('a', 'b', 1000)).toBe(true);
  await expect(store.delete('a')).resolves.toBeUndefined();
  expect(warnings).toHaveLength(1);
});

it('once failing, does not wait on the store for every command: one probe at a time lets it back in', async () => {
  let calls = 0;
  let healthy = false;
  const flaky = {
    get: () => {
      calls += 1;
      return healthy ? Promise.resolve('v') : new Promise<string | undefined>(() => undefined); // hangs while down
    },
    set: () => Promise.resolve(),
    setIfAbsent: () => Promise.resolve(true),
    delete: () => Promise.resolve(),
  };
  const store = guardStore(flaky, { timeoutMs: 20, logger: { warn: () => undefined } });
  expect(await store.get('a')).toBeUndefined(); // times out: the store is now known to be failing
  expect(calls).toBe(1);
  for (let index = 0; index < 50; index += 1) expect(await store.get('a')).toBeUndefined();
  expect(calls).toBe(1); // none of these waited on (or even reached) the store
  healthy = true;
  let value: string | undefined;
  for (let attempt = 0; attempt < 60 && value === undefined; attempt += 1) {
    value = await store.get('a');
    if (value === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(value).toBe('v'); // a probe got through and the store is back
  expect(store.available).toBe(true);
});
