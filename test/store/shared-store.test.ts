import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { SharedStore } from '../../lib';
import { createRedisStore } from '../../lib/redis';
import { createMemoryStore } from '../../lib/store/memory-store';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { CLIENTS, storeOn } from './clients';

/**
 * One contract for every SharedStore: the in-memory default and a real redis-server through both
 * clients users bring (ioredis and node-redis).
 */

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis.stop());

interface Subject {
  store: SharedStore;
  /** Lets `ms` of the store's time pass. */
  pass(ms: number): Promise<void>;
  close(): Promise<void>;
}

function memorySubject(): Subject {
  let now = 1_000_000;
  const store = createMemoryStore({ now: () => now }, 4);
  return { store, pass: async (ms) => void (now += ms), close: async () => undefined };
}

async function redisSubject(client: (typeof CLIENTS)[number]): Promise<Subject> {
  const { store, close } = await storeOn(client, redis.url, `test:${client}:${Math.random().toString(36).slice(2)}:`);
  return { store, pass: (ms) => sleep(ms), close };
}

const subjects: Array<[string, () => Promise<Subject>]> = [
  ['memory', async () => memorySubject()],
  ...CLIENTS.map((client): [string, () => Promise<Subject>] => [`redis via ${client}`, () => redisSubject(client)]),
];

describe.each(subjects)('SharedStore contract: %s', (_name, make) => {
  let subject: Subject;
  beforeEach(async () => {
    subject = await make();
  });
  afterEach(() => subject.close());

  it('gets what was set, and nothing for a key never set', async () => {
    const { store } = subject;
    await store.set('a', 'one', 10_000);
    expect(await store.get('a')).toBe('one');
    expect(await store.get('never')).toBeUndefined();
  });

  it('replaces a value on set, and forgets it on delete', async () => {
    const { store } = subject;
    await store.set('a', 'one', 10_000);
    await store.set('a', 'two', 10_000);
    expect(await store.get('a')).toBe('two');
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
    await store.delete('a'); // deleting an absent key is fine
  });

  it('setIfAbsent takes a free key once: the second caller is told no and the value stays', async () => {
    const { store } = subject;
    expect(await store.setIfAbsent('lock', 'first', 10_000)).toBe(true);
    expect(await store.setIfAbsent('lock', 'second', 10_000)).toBe(false);
    expect(await store.get('lock')).toBe('first');
    await store.delete('lock');
    expect(await store.setIfAbsent('lock', 'third', 10_000)).toBe(true);
  });

  it('forgets a value once its lifetime has passed, and a lapsed lock can be taken again', async () => {
    const { store, pass } = subject;
    await store.set('short', 'x', 60);
    expect(await store.setIfAbsent('lock', 'a', 60)).toBe(true);
    await pass(200);
    expect(await store.get('short')).toBeUndefined();
    expect(await store.setIfAbsent('lock', 'b', 60)).toBe(true);
  });

  it('keeps values byte for byte (sealed values, JSON, unicode)', async () => {
    const { store } = subject;
    const values = ['Fe26.2*1*abc*def*ghi*123*jkl*mno~2', '{"kind":"transient","retryAfter":5}', 'zoë ☃ 𝄞', ' spaced '];
    for (const [index, value] of values.entries()) await store.set(`v${index}`, value, 10_000);
    for (const [index, value] of values.entries()) expect(await store.get(`v${index}`)).toBe(value);
  });
});

describe('createRedisStore', () => {
  it('prefixes every key, so apps sharing a Redis do not see each other', async () => {
    const a = await storeOn('ioredis', redis.url, 'app-a:');
    const b = await storeOn('redis', redis.url, 'app-b:');
    const raw = new Redis(redis.url);
    try {
      await a.store.set('k', 'from a', 10_000);
      expect(await b.store.get('k')).toBeUndefined();
      expect(await raw.get('app-a:k')).toBe('from a');
      expect(await raw.pttl('app-a:k')).toBeGreaterThan(0); // every key has a lifetime
    } finally {
      raw.disconnect();
      await a.close();
      await b.close();
    }
  });

  it('uses `authkit:` when no prefix is given', async () => {
    const client = new Redis(redis.url);
    try {
      await createRedisStore({ client }).set('default-prefix', 'x', 10_000);
      expect(await client.get('authkit:default-prefix')).toBe('x');
    } finally {
      client.disconnect();
    }
  });

  it.each([
    ['nothing', undefined],
    ['a plain object', { client: {} }],
    ['a client without commands', { client: { get: () => undefined } }],
    ['a number prefix', { client: { call: () => Promise.resolve(null) }, prefix: 5 }],
  ])('refuses %s with a TypeError that says what it takes', (_name, options) => {
    expect(() => createRedisStore(options as never)).toThrow(TypeError);
  });
});

describe('createMemoryStore', () => {
  it('holds at most its bound, dropping the oldest first', async () => {
    const store = createMemoryStore({ now: () => 0 }, 2);
    await store.set('a', '1', 1000);
    await store.set('b', '2', 1000);
    await store.set('c', '3', 1000);
    expect([await store.get('a'), await store.get('b'), await store.get('c')]).toEqual([undefined, '2', '3']);
  });
});
