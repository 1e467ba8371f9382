// A set of pairs of 32-bit words with dense ids in insertion order: the building block of the
// compact stores. The pairs live densely by id in fixed-size chunks (no doubling slack once past the
// first chunk); an open-addressing index of `id + 1` entries (quadratic probing, load at most 0.8)
// finds a pair's id, comparing against the dense pairs. Ids never change, so a caller may remember
// the id of a pair it has seen. Nothing is allocated per insert except a new chunk every CHUNK pairs
// and the index when it doubles. A shared table keeps its chunks and index in SharedArrayBuffers, so
// that another thread can look pairs up in it (PairTable.reader over its `view`) while it does not
// insert.
import { grown } from './grow.ts';
import { fmix32 } from './store.ts';

/** Pairs per chunk (2 words each: 512 KiB). */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

/** A PairTable's arrays, for a reader in another thread (valid until the table next inserts). */
export interface PairTableView {
  readonly chunks: readonly Uint32Array[];
  readonly index: Uint32Array;
  readonly mask: number;
}

export class PairTable {
  /** Chunks of 2·CHUNK words; the first grows by doubling up to that size. */
  private chunks: Uint32Array[];
  private index: Uint32Array;
  private mask: number;
  count = 0;

  constructor(initialIndex = 64, private readonly shared = false) {
    const size = 1 << Math.ceil(Math.log2(Math.max(16, initialIndex)));
    this.chunks = [this.array(2 * 16)];
    this.index = this.array(size);
    this.mask = size - 1;
  }

  private array(n: number): Uint32Array {
    return this.shared ? new Uint32Array(new SharedArrayBuffer(n * 4)) : new Uint32Array(n);
  }

  /** What a reader in another thread needs (a shared table's arrays; the list of chunks is a copy). */
  get view(): PairTableView {
    return { chunks: this.chunks.slice(), index: this.index, mask: this.mask };
  }

  /** A read-only table over `v` (find, left and right answer): the same probe as the table's own. */
  static reader(v: PairTableView): PairTable {
    const r = new PairTable(16);
    r.chunks = v.chunks as Uint32Array[];
    r.index = v.index;
    r.mask = v.mask;
    return r;
  }

  /** Resident bytes: the chunks and the index. */
  get bytes(): number {
    let b = this.index.byteLength;
    for (const c of this.chunks) b += c.byteLength;
    return b;
  }

  /** The first word of pair `id`. */
  left(id: number): number {
    return this.chunks[id >>> CHUNK_BITS][(id & CHUNK_MASK) << 1];
  }

  /** The second word of pair `id`. */
  right(id: number): number {
    return this.chunks[id >>> CHUNK_BITS][((id & CHUNK_MASK) << 1) | 1];
  }

  /** The id of (a, b), or -(slot + 1) of the empty index slot where it belongs. */
  private probe(a: number, b: number): number {
    const index = this.index;
    const mask = this.mask;
    const chunks = this.chunks;
    let i = pairHash(a, b) & mask;
    for (let step = 1; ; step++) {
      const e = index[i];
      if (e === 0) return -i - 1;
      const id = e - 1;
      const c = chunks[id >>> CHUNK_BITS];
      const at = (id & CHUNK_MASK) << 1;
      if (c[at] === a && c[at + 1] === b) return id;
      i = (i + step) & mask; // triangular steps visit every slot of a power-of-two table
    }
  }

  /** The id of (a, b) if present, else -1. */
  find(a: number, b: number): number {
    const r = this.probe(a >>> 0, b >>> 0);
    return r >= 0 ? r : -1;
  }

  /** Adds (a, b) if absent: its new id, or -(id + 1) of the equal pair present. */
  insert(a: number, b: number): number {
    a >>>= 0;
    b >>>= 0;
    const r = this.probe(a, b);
    if (r >= 0) return -r - 1;
    const id = this.count;
    const k = id >>> CHUNK_BITS;
    if (k === this.chunks.length) this.chunks.push(this.array(2 * CHUNK));
    else if (((id & CHUNK_MASK) << 1) >= this.chunks[k].length) this.chunks[k] = grown(this.chunks[k], 2 * ((id & CHUNK_MASK) + 1));
    const c = this.chunks[k];
    const at = (id & CHUNK_MASK) << 1;
    c[at] = a;
    c[at + 1] = b;
    this.index[-r - 1] = id + 1;
    this.count = id + 1;
    if (this.count * 5 > (this.mask + 1) * 4) this.growIndex(); // load factor at most 0.8
    return id;
  }

  /** Doubles the index and re-enters every id (the hash is recomputed from the dense pairs). */
  private growIndex(): void {
    const size = (this.mask + 1) * 2;
    const index = this.array(size);
    const mask = size - 1;
    for (let id = 0; id < this.count; id++) {
      let i = pairHash(this.left(id), this.right(id)) & mask;
      for (let step = 1; index[i] !== 0; step++) i = (i + step) & mask;
      index[i] = id + 1;
    }
    this.index = index;
    this.mask = mask;
  }
}

/** A 32-bit hash of a pair of words (murmur3's mixing and finalizer). */
export function pairHash(a: number, b: number): number {
  let h = Math.imul(a, 0xcc9e2d51);
  h = (h << 15) | (h >>> 17);
  h = Math.imul(h, 0x1b873593) ^ 0x9747b28c;
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  let w = Math.imul(b, 0xcc9e2d51);
  w = (w << 15) | (w >>> 17);
  h ^= Math.imul(w, 0x1b873593);
  return fmix32(h);
}
