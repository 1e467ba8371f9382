// The stores against a plain Map of joined vectors: random packed vectors (few distinct
// words, so that many repeat and lower tree nodes are shared), inserted and looked up in turn, read
// back in between (which changes the tree the next insert starts from), past the first chunk, the
// index's doubling and the parent links' spill to disk. A shared store (the parallel search's
// partitions with partial-order reduction) is read through a reader over its view, cloned as a
// message to another thread clones it.
import { describe, expect, it } from 'vitest';
import { FingerprintStore, missProbability } from '../../src/engine/fingerprint-store.ts';
import { PairTable } from '../../src/engine/pair-table.ts';
import { createStore, readerOf, SHARED_KINDS, STORE_KINDS, viewOf, type SharedView } from '../../src/engine/stores.ts';
import { StateStore, type VisitedStore } from '../../src/engine/store.ts';
import { TreeStore } from '../../src/engine/tree-store.ts';

/** A small deterministic PRNG (xorshift32). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** Throws, naming what differed (a plain check: an expect per operation would be slow here). */
function same(what: string, got: unknown, want: unknown): void {
  if (got !== want) throw new Error(`${what}: ${String(got)}, expected ${String(want)}`);
}

/** Inserts `n` random vectors of `words` words (values below `range`, or any 32-bit word when 0), checking every answer against a Map: the number of distinct vectors. */
function againstMap(store: VisitedStore, words: number, n: number, range: number, seed: number): number {
  const next = rng(seed);
  const draw = () => (range === 0 ? next() : next() % range);
  const ids = new Map<string, number>();
  const vecs: Uint32Array[] = [];
  const parents: number[] = [];
  const buf = new Uint32Array(words);
  const out = new Uint32Array(words);
  for (let i = 0; i < n; i++) {
    // Half the time a neighbour of a stored vector (one or two words changed), as a successor is.
    if (vecs.length > 0 && next() % 2 === 0) {
      buf.set(vecs[next() % vecs.length]);
      for (let c = 1 + (next() % 2); c > 0; c--) buf[next() % words] = draw();
    } else for (let k = 0; k < words; k++) buf[k] = draw();
    const key = buf.join(',');
    const known = ids.get(key);
    same(`find before insert ${i}`, store.find(buf), known ?? -1);
    const r = store.insert(buf, i, (i * 7) >>> 0);
    if (known === undefined) {
      same(`insert ${i} (new)`, r, ids.size);
      ids.set(key, r);
      vecs.push(buf.slice());
      parents.push(i);
    } else same(`insert ${i} (known)`, r, -(known + 1));
    same('count', store.count, ids.size);
    if (next() % 3 === 0) {
      const id = next() % vecs.length;
      store.read(id, out);
      same(`read ${id}`, out.join(','), vecs[id].join(','));
    }
  }
  // Every vector reads back and is found, and its links are those of its first insertion.
  for (let id = 0; id < vecs.length; id++) {
    store.read(id, out);
    same(`read ${id}`, out.join(','), vecs[id].join(','));
    same(`find ${id}`, store.find(vecs[id]), id);
    same(`parent of ${id}`, store.parentOf(id), parents[id]);
    same(`via of ${id}`, store.viaOf(id), (parents[id] * 7) >>> 0);
  }
  return ids.size;
}

describe('PairTable', () => {
  it('dense ids in insertion order, duplicates found, past the first chunk and index growth', () => {
    const t = new PairTable(16);
    const next = rng(7);
    const ids = new Map<string, number>();
    for (let i = 0; i < 200_000; i++) {
      const a = next() % 600;
      const b = next() % 600;
      const k = `${a},${b}`;
      const r = t.insert(a, b);
      const known = ids.get(k);
      if (known === undefined) {
        same(`insert ${i}`, r, ids.size);
        ids.set(k, r);
      } else same(`insert ${i}`, r, -(known + 1));
    }
    expect(t.count).toBe(ids.size);
    expect(ids.size).toBeGreaterThan(1 << 16);
    for (const [k, id] of ids) {
      const [a, b] = k.split(',').map(Number);
      same(`pair ${id}`, `${t.left(id)},${t.right(id)},${t.find(a, b)}`, `${a},${b},${id}`);
    }
    expect(t.find(600, 0)).toBe(-1);
  });

  it('words with the top bit set are kept as unsigned', () => {
    const t = new PairTable();
    expect(t.insert(0xffffffff, 0x80000000)).toBe(0);
    expect(t.insert(-1, -0x80000000)).toBe(-1);
    expect([t.left(0), t.right(0)]).toEqual([0xffffffff, 0x80000000]);
  });
});

describe('TreeStore (the compact exact store)', () => {
  for (const [words, range] of [[1, 3000], [2, 100], [3, 25], [5, 7], [8, 4], [22, 2]]) {
    it(`${words} word${words === 1 ? '' : 's'}: the same ids, lookups and reads as a Map of joined vectors`, () => {
      const n = againstMap(new TreeStore(words), words, 8000, range, words);
      expect(n).toBeGreaterThan(2000); // and many repeats
      expect(n).toBeLessThan(8000);
    });
  }

  it('any 32-bit words', () => {
    expect(againstMap(new TreeStore(4), 4, 3000, 0, 99)).toBeGreaterThan(2500);
  });

  it('leaves in another order (a permutation of the words): the same ids, lookups and reads', () => {
    expect(againstMap(new TreeStore(7, false, [3, 6, 0, 5, 1, 4, 2]), 7, 8000, 5, 7)).toBeGreaterThan(2000);
    expect(againstMap(new TreeStore(5, true, [4, 3, 2, 1, 0]), 5, 8000, 7, 5)).toBeGreaterThan(2000);
  });

  it('growth: 150,000 states of 6 words (chunks, index doubling, links spilled to disk)', () => {
    const s = new TreeStore(6);
    expect(againstMap(s, 6, 150_000, 20, 3)).toBeGreaterThan(1 << 17);
  }, 60_000);

  it('two different states are never merged: vectors that differ in one bit', () => {
    const s = new TreeStore(7);
    const buf = new Uint32Array(7);
    for (let k = 0; k < 7; k++)
      for (let bit = 0; bit < 32; bit++) {
        buf.fill(0);
        buf[k] = (1 << bit) >>> 0;
        expect(s.insert(buf, 0, 0)).toBe(k * 32 + bit);
      }
    buf.fill(0);
    expect(s.insert(buf, 0, 0)).toBe(7 * 32);
  });
});

describe('StateStore (the plain exact store)', () => {
  // One and two words: the state whole in its table entry, read by id through its slot; three and
  // more: the hash and the first words in the entry, the state in the arena.
  for (const [words, range] of [[1, 3000], [2, 100], [3, 25], [5, 7]]) {
    it(`${words} word${words === 1 ? '' : 's'}: the same ids, lookups and reads as a Map of joined vectors`, () => {
      const n = againstMap(new StateStore(words, 16), words, 8000, range, words + 40);
      expect(n).toBeGreaterThan(2000);
      expect(n).toBeLessThan(8000);
    });
  }

  it('growth: 150,000 states of 2 words (the slots rewritten at each table doubling, links spilled to disk)', () => {
    expect(againstMap(new StateStore(2, 16), 2, 150_000, 5000, 5)).toBeGreaterThan(1 << 17);
  }, 60_000);
});

describe('FingerprintStore', () => {
  it('the same ids, lookups and reads as a Map (no collision expected at this size), states and links spilled', () => {
    expect(againstMap(new FingerprintStore(5), 5, 150_000, 20, 11)).toBeGreaterThan(1 << 17);
  }, 60_000);

  it("TLC's estimate: distinct × (generated − distinct) / 2^64", () => {
    expect(missProbability(16, 20)).toBeCloseTo(3.5e-18, 19);
    expect(missProbability(10, 10)).toBe(0);
  });
});

describe('createStore', () => {
  it('makes each kind', () => {
    expect(STORE_KINDS.map((k) => createStore(k, 3).kind)).toEqual(['compact', 'exact', 'fingerprint']);
  });
});

describe('shared stores: a reader over the view, as another thread gets it', () => {
  /** Every array of the view is in a SharedArrayBuffer (a message to another thread then shares it, not copies it). */
  const sharedArrays = (v: SharedView): boolean[] =>
    v.kind === 'exact' ? [v.arena, v.table].map((a) => a.buffer instanceof SharedArrayBuffer) : v.tables.flatMap((t) => [t.index, ...t.chunks]).map((a) => a.buffer instanceof SharedArrayBuffer);

  for (const kind of SHARED_KINDS) {
    it(`${kind}: the reader finds every stored state at its id and no other, in a view republished after the store grew`, () => {
      const words = 6;
      const store = createStore(kind, words, true, [5, 0, 4, 1, 3, 2], true);
      const next = rng(5);
      const ids = new Map<string, number>();
      const vecs: Uint32Array[] = [];
      const buf = new Uint32Array(words);
      const fill = (n: number) => {
        while (ids.size < n) {
          for (let k = 0; k < words; k++) buf[k] = next() % 20;
          const r = store.insert(buf, 0, 0);
          if (r >= 0) {
            ids.set(buf.join(','), r);
            vecs.push(buf.slice());
          }
        }
      };
      // Each stored state, then a neighbour (one word changed, stored or not): the reader remembers the
      // tree of the state it last found, which the neighbour shares but for one leaf.
      const agree = (what: string) => {
        const view = viewOf(store);
        expect(new Set(sharedArrays(view))).toEqual(new Set([true]));
        const reader = readerOf(structuredClone(view));
        for (let id = 0; id < vecs.length; id++) {
          same(`${what}: find ${id}`, reader.find(vecs[id]), id);
          buf.set(vecs[id]);
          buf[next() % words] = next() % 21;
          same(`${what}: find a neighbour of ${id}`, reader.find(buf), ids.get(buf.join(',')) ?? -1);
        }
      };
      fill(3000);
      agree('3,000 states');
      // Past the root table's first chunk and several doublings of every index.
      fill(70_000);
      agree('70,000 states');
    });
  }

  it('a store not made shared keeps its arrays to itself; the fingerprint store cannot be shared', () => {
    expect(new Set(sharedArrays(viewOf(createStore('compact', 4))))).toEqual(new Set([false]));
    expect(new Set(sharedArrays(viewOf(createStore('exact', 4))))).toEqual(new Set([false]));
    expect(() => createStore('fingerprint', 4, true, undefined, true)).toThrow('internal: the fingerprint store cannot be shared');
  });
});
