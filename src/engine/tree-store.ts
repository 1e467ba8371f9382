// The compact exact store (the default): tree compression of the packed state, as LTSmin's
// (Laarman, van de Pol, Weber, "Parallel Recursive State Compression for Free", 2011). The packed
// vector of W words, in the program's word order (each object's words together: layout.ts
// wordOrder), is split in halves down to pairs of words; each node of that fixed binary tree
// has its own PairTable, whose entries are a pair of child values (a word, or the id of the child's
// pair in the child's table). The root's table holds one pair per state, by state id: its ids are
// the store's ids, dense and in insertion order (the BFS queue order). Lower nodes are shared by many
// states (a CPU's record reached in many combinations with the others), so a state costs its root
// pair (8 bytes), its root index entry (4 bytes at load 0.4–0.8) and its share of the lower tables.
// The parent links are in a SpillLog (resident: its newest block only).
//
// No two different states are ever merged: every table compares whole pairs, and a node's value is
// the id of its exact content. The tree of the state last read (the one being expanded) is
// remembered: a successor that agrees with it on both halves of a node reuses that node's value
// without a lookup (LTSmin's incremental hashing), which is exact because ids never change.
import { PairTable } from './pair-table.ts';
import { SpillLog } from './spill.ts';
import type { VisitedStore } from './store.ts';

export class TreeStore implements VisitedStore {
  readonly kind = 'compact';
  /** Per node (children before parents, the root last): its sources; >= 0 a node, < 0 word -(s + 1). */
  private readonly ls: Int32Array;
  private readonly rs: Int32Array;
  private readonly tables: PairTable[];
  private readonly root: PairTable;
  private readonly links = new SpillLog(2);
  /** Scratch per node: its value and whether it differs from the remembered tree. */
  private readonly val: Uint32Array;
  private readonly chg: Uint8Array;
  /** The remembered tree: the words and node values of the state last read. */
  private readonly cw: Uint32Array;
  private readonly cv: Uint32Array;
  private cached = false;

  /**
   * With `followInserts` the state last inserted is remembered too: for a store fed with the
   * successors of states it did not read (a partition of the parallel search, which receives each
   * state's successors one after another), a successor is then compared with its sibling.
   * `order`: the words as the tree's leaves, left to right (a permutation of 0 .. words - 1; the
   * program's `wordOrder`, by the object each word describes).
   */
  constructor(readonly words: number, private readonly followInserts = false, order: readonly number[] = Array.from({ length: words }, (_, i) => i)) {
    const ls: number[] = [];
    const rs: number[] = [];
    // A node over leaves [lo, lo + n): a word alone is its own value; two or more are a table's pair.
    const build = (lo: number, n: number): number => {
      if (n === 1) return -(order[lo] + 1);
      const h = Math.ceil(n / 2);
      const l = build(lo, h);
      const r = build(lo + h, n - h);
      ls.push(l);
      rs.push(r);
      return ls.length - 1;
    };
    if (words === 1) {
      ls.push(-1); // a one-word state is the pair (w, w)
      rs.push(-1);
    } else build(0, words);
    this.ls = Int32Array.from(ls);
    this.rs = Int32Array.from(rs);
    const N = ls.length;
    this.tables = Array.from({ length: N }, (_, j) => new PairTable(j === N - 1 ? 1 << 16 : 64));
    this.root = this.tables[N - 1];
    this.val = new Uint32Array(N);
    this.chg = new Uint8Array(N);
    this.cw = new Uint32Array(words);
    this.cv = new Uint32Array(N);
  }

  get count(): number {
    return this.root.count;
  }

  /** Resident bytes: every node table, the links' resident block and the scratch arrays. */
  get bytes(): number {
    let b = this.links.bytes + this.val.byteLength * 2 + this.cw.byteLength + this.chg.byteLength;
    for (const t of this.tables) b += t.bytes;
    return b;
  }

  /**
   * The values of every node below the root for the state in `buf` (into `val`, changes into
   * `chg`), adding missing nodes when `add`; false if a node is missing and not `add`.
   */
  private lower(buf: Uint32Array, add: boolean): boolean {
    const { ls, rs, val, chg, cw, cv, tables } = this;
    const cached = this.cached;
    const last = ls.length - 1;
    for (let j = 0; j < last; j++) {
      const l = ls[j];
      const r = rs[j];
      let a: number, b: number, changed: boolean;
      if (l < 0) {
        a = buf[-l - 1];
        changed = !cached || a !== cw[-l - 1];
      } else {
        a = val[l];
        changed = chg[l] !== 0;
      }
      if (r < 0) {
        b = buf[-r - 1];
        changed ||= !cached || b !== cw[-r - 1];
      } else {
        b = val[r];
        changed ||= chg[r] !== 0;
      }
      if (!changed) {
        val[j] = cv[j];
        chg[j] = 0;
        continue;
      }
      chg[j] = 1;
      if (add) {
        const id = tables[j].insert(a, b);
        val[j] = id < 0 ? -id - 1 : id;
      } else {
        const id = tables[j].find(a, b);
        if (id < 0) return false;
        val[j] = id;
      }
    }
    return true;
  }

  /** The root pair's two words for `buf` (after lower()). */
  private side(s: number, buf: Uint32Array): number {
    return s < 0 ? buf[-s - 1] : this.val[s];
  }

  insert(buf: Uint32Array, parent: number, via: number): number {
    this.lower(buf, true);
    const last = this.ls.length - 1;
    const id = this.root.insert(this.side(this.ls[last], buf), this.side(this.rs[last], buf));
    if (id >= 0) this.links.append2(parent, via);
    if (this.followInserts) {
      for (let k = 0; k < this.words; k++) this.cw[k] = buf[k];
      this.cv.set(this.val);
      this.cached = true;
    }
    return id;
  }

  find(buf: Uint32Array): number {
    if (!this.lower(buf, false)) return -1;
    const last = this.ls.length - 1;
    return this.root.find(this.side(this.ls[last], buf), this.side(this.rs[last], buf));
  }

  read(id: number, out: Uint32Array): void {
    const { ls, rs, cw, cv, tables } = this;
    cv[ls.length - 1] = id;
    for (let j = ls.length - 1; j >= 0; j--) {
      const t = tables[j];
      const a = t.left(cv[j]);
      const b = t.right(cv[j]);
      if (ls[j] < 0) cw[-ls[j] - 1] = a;
      else cv[ls[j]] = a;
      if (rs[j] < 0) cw[-rs[j] - 1] = b;
      else cv[rs[j]] = b;
    }
    this.cached = true;
    out.set(cw);
  }

  parentOf(id: number): number {
    return this.links.word(id, 0);
  }

  viaOf(id: number): number {
    return this.links.word(id, 1);
  }
}
