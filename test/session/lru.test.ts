import fc from 'fast-check';
import { createLruMap } from '../../lib/session/lru';

/** The bounded least-recently-used map behind the verified-session cache. */
describe('createLruMap', () => {
  it('evicts the least recently used key; get marks a key used, peek does not', () => {
    const lru = createLruMap<number>(3);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    expect(lru.get('a')).toBe(1); // order, oldest first: b c a
    expect(lru.peek('b')).toBe(2); // still b c a
    lru.set('d', 4); // evicts b
    expect(['a', 'b', 'c', 'd'].map((key) => lru.peek(key))).toEqual([1, undefined, 3, 4]);
    expect(lru.size).toBe(3);
  });

  it('setting a key it holds replaces the value and marks it used, without evicting anything', () => {
    const lru = createLruMap<number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('a', 10); // order: b a
    expect(lru.size).toBe(2);
    lru.set('c', 3); // evicts b
    expect([lru.peek('a'), lru.peek('b'), lru.peek('c')]).toEqual([10, undefined, 3]);
  });

  it('deletes from anywhere in the order, and a deleted key frees its place', () => {
    const lru = createLruMap<number>(3);
    for (const [index, key] of ['a', 'b', 'c'].entries()) lru.set(key, index);
    lru.delete('b');
    lru.delete('missing');
    expect(lru.size).toBe(2);
    lru.set('d', 3);
    expect(['a', 'b', 'c', 'd'].map((key) => lru.peek(key))).toEqual([0, undefined, 2, 3]);
    lru.delete('a');
    lru.delete('d');
    lru.delete('c');
    expect(lru.size).toBe(0);
    lru.set('e', 4);
    expect(lru.get('e')).toBe(4);
  });

  it('refuses a bound that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => createLruMap(bad)).toThrow(RangeError);
  });

  it('agrees with a plain list model over random operations', () => {
    type Op = { kind: 'get' | 'peek' | 'set' | 'delete'; key: string; value: number };
    const op = fc.record({
      kind: fc.constantFrom<Op['kind']>('get', 'peek', 'set', 'set', 'delete'),
      key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      value: fc.nat(),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 60 }), (bound, ops) => {
        const lru = createLruMap<number>(bound);
        // Oldest first.
        let model: Array<[string, number]> = [];
        for (const { kind, key, value } of ops) {
          const at = model.findIndex(([held]) => held === key);
          if (kind === 'peek') expect(lru.peek(key)).toBe(at === -1 ? undefined : model[at]![1]);
          if (kind === 'get') {
            expect(lru.get(key)).toBe(at === -1 ? undefined : model[at]![1]);
            if (at !== -1) model = [...model.filter(([held]) => held !== key), model[at]!];
          }
          if (kind === 'set') {
            lru.set(key, value);
            model = [...model.filter(([held]) => held !== key), [key, value]];
            if (model.length > bound) model.shift();
          }
          if (kind === 'delete') {
            lru.delete(key);
            model = model.filter(([held]) => held !== key);
          }
          expect(lru.size).toBe(model.length);
        }
        for (const [key, value] of model) expect(lru.peek(key)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });
});
