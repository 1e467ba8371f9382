// The visited-state store: packed states in one growing Uint32Array arena (state id = insertion
// order, which is also the BFS queue order), an open-addressing hash table, and parent links (parent
// id + the transition taken) from which a trace is rebuilt. A table entry holds the 32-bit hash, the
// id and the first KEY packed words inline, so most probes (and every probe of a state of at most KEY
// words) touch one cache line; longer states compare the rest in the arena. The store is exact: no
// state is ever mistaken for another. Nothing is allocated per state; arrays double when full.

export const NO_PARENT = 0xffffffff;

/** Packed words kept inline in each hash-table entry. */
const KEY = 2;

export class StateStore {
  arena: Uint32Array;
  parent: Uint32Array;
  via: Uint32Array;
  count = 0;
  /** Entries of `stride` words: hash, id + 1 (0 marks empty), then the first `key` packed words. */
  private table: Uint32Array;
  private mask: number;
  private readonly key: number;
  private readonly stride: number;

  constructor(readonly words: number, initialCapacity = 1 << 16) {
    const cap = Math.max(16, initialCapacity);
    this.arena = new Uint32Array(cap * words);
    this.parent = new Uint32Array(cap);
    this.via = new Uint32Array(cap);
    const size = 1 << Math.ceil(Math.log2(cap * 2));
    this.key = Math.min(words, KEY);
    this.stride = 2 + this.key;
    this.table = new Uint32Array(size * this.stride);
    this.mask = size - 1;
  }

  /** Bytes held by the store (arena, links, table). */
  get bytes(): number {
    return this.arena.byteLength + this.parent.byteLength + this.via.byteLength + this.table.byteLength;
  }

  /**
   * Inserts the packed state in `buf[0..words)`: returns its new id, or -(id + 1) of the equal state
   * already stored.
   */
  insert(buf: Uint32Array, parent: number, via: number): number {
    const W = this.words;
    const h = hashWords(buf, W);
    const arena = this.arena;
    const table = this.table;
    const S = this.stride;
    const K = this.key;
    let i = h & this.mask;
    for (;;) {
      const t = i * S;
      const e = table[t + 1];
      if (e === 0) break;
      if (table[t] === h) {
        let k = 0;
        while (k < K && table[t + 2 + k] === buf[k]) k++;
        if (k === K) {
          const off = (e - 1) * W;
          while (k < W && arena[off + k] === buf[k]) k++;
          if (k === W) return -e;
        }
      }
      i = (i + 1) & this.mask;
    }
    const id = this.count;
    if ((id + 1) * W > arena.length) this.growArena();
    this.arena.set(buf.subarray(0, W), id * W);
    this.parent[id] = parent;
    this.via[id] = via;
    const t = i * S;
    table[t] = h;
    table[t + 1] = id + 1;
    for (let k = 0; k < K; k++) table[t + 2 + k] = buf[k];
    this.count = id + 1;
    if (this.count * 10 > this.mask * 7) this.growTable(); // load factor at most 0.7
    return id;
  }

  /** The id of the packed state in `buf` if it is stored, else -1. */
  find(buf: Uint32Array): number {
    const W = this.words;
    const h = hashWords(buf, W);
    const table = this.table;
    const S = this.stride;
    const K = this.key;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const t = i * S;
      const e = table[t + 1];
      if (e === 0) return -1;
      if (table[t] !== h) continue;
      let k = 0;
      while (k < K && table[t + 2 + k] === buf[k]) k++;
      if (k < K) continue;
      const off = (e - 1) * W;
      while (k < W && this.arena[off + k] === buf[k]) k++;
      if (k === W) return e - 1;
    }
  }

  private growArena(): void {
    const cap = this.parent.length * 2;
    const a = new Uint32Array(cap * this.words);
    a.set(this.arena);
    this.arena = a;
    const p = new Uint32Array(cap);
    p.set(this.parent);
    this.parent = p;
    const v = new Uint32Array(cap);
    v.set(this.via);
    this.via = v;
  }

  private growTable(): void {
    const S = this.stride;
    const size = (this.mask + 1) * 2;
    const table = new Uint32Array(size * S);
    const mask = size - 1;
    const old = this.table;
    for (let j = 0; j <= this.mask; j++) {
      if (old[j * S + 1] === 0) continue;
      let i = old[j * S] & mask;
      while (table[i * S + 1] !== 0) i = (i + 1) & mask;
      for (let k = 0; k < S; k++) table[i * S + k] = old[j * S + k];
    }
    this.table = table;
    this.mask = mask;
  }
}

/** A 32-bit hash of the first `n` words (murmur3-style mixing). */
export function hashWords(buf: Uint32Array, n: number): number {
  let h = 0x9747b28c ^ n;
  for (let k = 0; k < n; k++) {
    let w = Math.imul(buf[k], 0xcc9e2d51);
    w = (w << 15) | (w >>> 17);
    h ^= Math.imul(w, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
