// The visited-state store: an open-addressing hash table of the packed states (state id = insertion
// order, which is also the BFS queue order), and parent links (parent id + the transition taken)
// from which a trace is rebuilt. A state of at most KEY words is kept whole in its table entry (id +
// 1, then the words: a probe touches one cache line, and the hash is recomputed from the key when
// the table grows), and a state is read by id through `slotOf`, its entry's slot (4 bytes a state,
// rewritten when the table grows); a longer state's entry holds its 32-bit hash, its id and its first
// KEY words, and the whole state is in a growing arena, by id. The parent links are in a SpillLog
// (resident: its newest block), as the compact stores'. The store is exact: no state is ever mistaken
// for another. Nothing is allocated per state; arrays double when full.

import { grown } from './grow.ts';
import { SpillLog } from './spill.ts';

export const NO_PARENT = 0xffffffff;

/**
 * What a search needs of its visited-state store (the seam between the explorer and the store, as
 * TLC's FPSet): ids are dense and in insertion order, which is also the BFS queue order.
 */
export interface VisitedStore {
  /** Which store (stores.ts): `fingerprint` is probabilistic, the others exact. */
  readonly kind: 'compact' | 'exact' | 'fingerprint';
  /** Packed words per state. */
  readonly words: number;
  /** States stored (ids 0 .. count - 1). */
  readonly count: number;
  /** Resident bytes held by the store: its tables, the parent links and the queue of states to expand. */
  readonly bytes: number;
  /** Inserts the packed state in `buf[0..words)`: its new id, or -(id + 1) of the equal state already stored. */
  insert(buf: Uint32Array, parent: number, via: number): number;
  /** The id of the packed state in `buf` if it is stored, else -1. */
  find(buf: Uint32Array): number;
  /** Copies the packed words of state `id` into `out[0..words)`. */
  read(id: number, out: Uint32Array): void;
  /** The state `id` was first reached from (NO_PARENT for the initial state). */
  parentOf(id: number): number;
  /** The transition (an encoded via) that first reached `id`. */
  viaOf(id: number): number;
}

/** A StateStore's arrays, for a reader in another thread (StateStore.reader). */
export interface StoreView {
  readonly kind: 'exact';
  readonly words: number;
  readonly arena: Uint32Array;
  readonly table: Uint32Array;
  readonly mask: number;
}

/** Packed words kept inline in each hash-table entry. */
const KEY = 2;

export class StateStore implements VisitedStore {
  readonly kind = 'exact';
  /** States longer than KEY words: the packed words by id (else empty). */
  private arena: Uint32Array;
  /** States of at most KEY words: per id, the table slot of its entry (else empty). */
  private slotOf: Uint32Array;
  /** Per id: the parent and the transition. */
  private readonly links = new SpillLog(2);
  count = 0;
  /** Entries of `stride` words: [hash,] id + 1 (0 marks empty), then the first `key` packed words. */
  private table: Uint32Array;
  private mask: number;
  private readonly key: number;
  private readonly stride: number;
  /** Whether entries store the hash (states longer than KEY words). */
  private readonly hashed: boolean;
  /** Offsets of the id and the key words within an entry. */
  private readonly idAt: number;
  private readonly keyAt: number;

  /**
   * `shared`: the arena and the table live in SharedArrayBuffers, so that another thread can look
   * states up in them through a `reader` (a partition of the parallel search, whose neighbours ask it
   * while it does not insert).
   */
  constructor(readonly words: number, initialCapacity = 1 << 16, private readonly shared = false) {
    const cap = Math.max(16, initialCapacity);
    this.hashed = words > KEY;
    this.arena = this.array(this.hashed ? cap * words : 0);
    this.slotOf = new Uint32Array(this.hashed ? 0 : cap);
    const size = 1 << Math.ceil(Math.log2(cap * 2));
    this.key = Math.min(words, KEY);
    this.idAt = this.hashed ? 1 : 0;
    this.keyAt = this.idAt + 1;
    this.stride = this.keyAt + this.key;
    this.table = this.array(size * this.stride);
    this.mask = size - 1;
  }

  private array(n: number): Uint32Array {
    return this.shared ? new Uint32Array(new SharedArrayBuffer(n * 4)) : new Uint32Array(n);
  }

  /** What a reader in another thread needs (valid until the store next grows). */
  get view(): StoreView {
    return { kind: 'exact', words: this.words, arena: this.arena, table: this.table, mask: this.mask };
  }

  /** A read-only store over `v` (only `find` answers): the same entry layout and probe as the store's own. */
  static reader(v: StoreView): Pick<VisitedStore, 'find'> {
    const r = new StateStore(v.words, 16);
    r.arena = v.arena;
    r.table = v.table;
    r.mask = v.mask;
    return r;
  }

  /** Resident bytes held by the store (table, arena or slots, the links' resident block). */
  get bytes(): number {
    return this.arena.byteLength + this.slotOf.byteLength + this.links.bytes + this.table.byteLength;
  }

  /** The table slot holding the packed state in `buf`, or the empty slot where it belongs (as -slot - 1). */
  private probe(buf: Uint32Array, h: number): number {
    const W = this.words;
    const table = this.table;
    const S = this.stride;
    const K = this.key;
    const ID = this.idAt;
    const KA = this.keyAt;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const t = i * S;
      const e = table[t + ID];
      if (e === 0) return -i - 1;
      if (this.hashed && table[t] !== h) continue;
      let k = 0;
      while (k < K && table[t + KA + k] === buf[k]) k++;
      if (k < K) continue;
      const off = (e - 1) * W;
      while (k < W && this.arena[off + k] === buf[k]) k++;
      if (k === W) return i;
    }
  }

  insert(buf: Uint32Array, parent: number, via: number): number {
    const W = this.words;
    const h = hashWords(buf, W, 0);
    const slot = this.probe(buf, h);
    if (slot >= 0) return -this.table[slot * this.stride + this.idAt];
    const i = -slot - 1;
    const id = this.count;
    if (this.hashed) {
      if ((id + 1) * W > this.arena.length) this.arena = grown(this.arena, (id + 1) * W);
      const arena = this.arena;
      for (let k = 0, off = id * W; k < W; k++) arena[off + k] = buf[k];
    } else {
      if (id >= this.slotOf.length) this.slotOf = grown(this.slotOf, id + 1);
      this.slotOf[id] = i;
    }
    this.links.append2(parent, via);
    const t = i * this.stride;
    if (this.hashed) this.table[t] = h;
    this.table[t + this.idAt] = id + 1;
    for (let k = 0; k < this.key; k++) this.table[t + this.keyAt + k] = buf[k];
    this.count = id + 1;
    if (this.count * 10 > this.mask * 7) this.growTable(); // load factor at most 0.7
    return id;
  }

  find(buf: Uint32Array): number {
    const slot = this.probe(buf, hashWords(buf, this.words, 0));
    return slot >= 0 ? this.table[slot * this.stride + this.idAt] - 1 : -1;
  }

  read(id: number, out: Uint32Array): void {
    const W = this.words;
    if (this.hashed) for (let k = 0, off = id * W; k < W; k++) out[k] = this.arena[off + k];
    else for (let k = 0, off = this.slotOf[id] * this.stride + this.keyAt; k < W; k++) out[k] = this.table[off + k];
  }

  parentOf(id: number): number {
    return this.links.word(id, 0);
  }

  viaOf(id: number): number {
    return this.links.word(id, 1);
  }

  private growTable(): void {
    const S = this.stride;
    const size = (this.mask + 1) * 2;
    const table = this.array(size * S);
    const mask = size - 1;
    const old = this.table;
    for (let j = 0; j <= this.mask; j++) {
      const e = old[j * S + this.idAt];
      if (e === 0) continue;
      const h = this.hashed ? old[j * S] : hashWords(old, this.words, j * S + this.keyAt);
      let i = h & mask;
      while (table[i * S + this.idAt] !== 0) i = (i + 1) & mask;
      for (let k = 0; k < S; k++) table[i * S + k] = old[j * S + k];
      if (!this.hashed) this.slotOf[e - 1] = i;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** A 32-bit hash of the `n` words at `off` (murmur3-style mixing). */
export function hashWords(buf: Uint32Array, n: number, off: number): number {
  return fmix32(mixWords(0x9747b28c ^ n, buf, n, off));
}

/** murmur3's body: the `n` words at `off` mixed into `h`. */
export function mixWords(h: number, buf: Uint32Array, n: number, off: number): number {
  for (let k = 0; k < n; k++) {
    let w = Math.imul(buf[off + k], 0xcc9e2d51);
    w = (w << 15) | (w >>> 17);
    h ^= Math.imul(w, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return h;
}

/** murmur3's finalizer (fmix32), as an unsigned 32-bit value. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
