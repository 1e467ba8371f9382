// The visited-state store: packed states in one growing Uint32Array arena (state id = insertion
// order, which is also the BFS queue order), an open-addressing hash table of ids keyed by a 32-bit
// hash of the packed words (full words compared on a hash match, so the store is exact), and parent
// links (parent id + the transition taken) from which a trace is rebuilt. Nothing is allocated per
// state; arrays double when full.

export const NO_PARENT = 0xffffffff;

export class StateStore {
  arena: Uint32Array;
  parent: Uint32Array;
  via: Uint32Array;
  count = 0;
  private table: Int32Array; // id + 1, 0 = empty
  private hashes: Uint32Array;
  private mask: number;

  constructor(readonly words: number, initialCapacity = 1 << 16) {
    const cap = Math.max(16, initialCapacity);
    this.arena = new Uint32Array(cap * words);
    this.parent = new Uint32Array(cap);
    this.via = new Uint32Array(cap);
    const size = 1 << Math.ceil(Math.log2(cap * 2));
    this.table = new Int32Array(size);
    this.hashes = new Uint32Array(size);
    this.mask = size - 1;
  }

  /** Bytes held by the store (arena, links, table). */
  get bytes(): number {
    return this.arena.byteLength + this.parent.byteLength + this.via.byteLength + this.table.byteLength + this.hashes.byteLength;
  }

  /**
   * Inserts the packed state in `buf[0..words)`: returns its new id, or -(id + 1) of the equal state
   * already stored.
   */
  insert(buf: Uint32Array, parent: number, via: number): number {
    const W = this.words;
    const h = hashWords(buf, W);
    const arena = this.arena;
    let i = h & this.mask;
    for (;;) {
      const e = this.table[i];
      if (e === 0) break;
      if (this.hashes[i] === h) {
        const off = (e - 1) * W;
        let k = 0;
        while (k < W && arena[off + k] === buf[k]) k++;
        if (k === W) return -e;
      }
      i = (i + 1) & this.mask;
    }
    const id = this.count;
    if ((id + 1) * W > arena.length) this.growArena();
    this.arena.set(buf.subarray(0, W), id * W);
    this.parent[id] = parent;
    this.via[id] = via;
    this.table[i] = id + 1;
    this.hashes[i] = h;
    this.count = id + 1;
    if (this.count * 2 > this.mask) this.growTable();
    return id;
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
    const size = (this.mask + 1) * 2;
    const table = new Int32Array(size);
    const hashes = new Uint32Array(size);
    const mask = size - 1;
    for (let j = 0; j <= this.mask; j++) {
      const e = this.table[j];
      if (e === 0) continue;
      let i = this.hashes[j] & mask;
      while (table[i] !== 0) i = (i + 1) & mask;
      table[i] = e;
      hashes[i] = this.hashes[j];
    }
    this.table = table;
    this.hashes = hashes;
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
