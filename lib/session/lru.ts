/**
 * A bounded map that evicts the least recently used key, in O(1) for every operation.
 *
 * Not a `Map` re-inserted on use with `keys().next()` for the oldest: V8 leaves a deleted
 * entry's slot in place until the table is rebuilt, so after many evictions from the front
 * that first `next()` walks over thousands of empty slots, and a full cache spent several
 * microseconds per insert. Here a doubly linked list keeps the order and the `Map` only finds
 * nodes: no iteration, no delete-and-set on a hit.
 */

interface Node<V> {
  readonly key: string;
  value: V;
  /** Toward the most recently used end. */
  newer: Node<V> | undefined;
  /** Toward the least recently used end. */
  older: Node<V> | undefined;
}

export interface LruMap<V> {
  readonly size: number;
  /** The value for `key`, marked most recently used. */
  get(key: string): V | undefined;
  /** The value for `key`, leaving the order alone. */
  peek(key: string): V | undefined;
  /** Stores `value` as most recently used, evicting the least recently used key when full. */
  set(key: string, value: V): void;
  delete(key: string): void;
}

export function createLruMap<V>(maxEntries: number): LruMap<V> {
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
  const nodes = new Map<string, Node<V>>();
  let newest: Node<V> | undefined;
  let oldest: Node<V> | undefined;

  const unlink = (node: Node<V>): void => {
    if (node.newer) node.newer.older = node.older;
    else newest = node.older;
    if (node.older) node.older.newer = node.newer;
    else oldest = node.newer;
    node.newer = undefined;
    node.older = undefined;
  };

  const pushNewest = (node: Node<V>): void => {
    node.older = newest;
    node.newer = undefined;
    if (newest) newest.newer = node;
    newest = node;
    if (!oldest) oldest = node;
  };

  return {
    get size() {
      return nodes.size;
    },

    get(key) {
      const node = nodes.get(key);
      if (node === undefined) return undefined;
      if (node !== newest) {
        unlink(node);
        pushNewest(node);
      }
      return node.value;
    },

    peek: (key) => nodes.get(key)?.value,

    set(key, value) {
      const existing = nodes.get(key);
      if (existing !== undefined) {
        existing.value = value;
        if (existing !== newest) {
          unlink(existing);
          pushNewest(existing);
        }
        return;
      }
      if (nodes.size >= maxEntries && oldest !== undefined) {
        const evicted = oldest;
        unlink(evicted);
        nodes.delete(evicted.key);
      }
      const node: Node<V> = { key, value, newer: undefined, older: undefined };
      nodes.set(key, node);
      pushNewest(node);
    },

    delete(key) {
      const node = nodes.get(key);
      if (node === undefined) return;
      unlink(node);
      nodes.delete(key);
    },
  };
}
