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
//
// A shared store keeps every node table in SharedArrayBuffers: another thread looks states up in it
// through a reader over its `view` (a partition of the parallel search, whose neighbours ask it
// while it does not insert). A reader remembers the tree of the state it last found, as the store
// remembers the one it last read.
import { PairTable, type PairTableView } from './pair-table.ts';
import { SpillLog } from './spill.ts';
import type { VisitedStore } from './store.ts';

/** A TreeStore's tables, for a reader in another thread (TreeStore.reader; valid until the store next inserts). */
export interface TreeView {
  readonly kind: 'compact';
  readonly words: number;
  readonly order: readonly number[];
  readonly tables: readonly PairTableView[];
}

export class TreeStore implements VisitedStore {
  readonly kind = 'compact';
  /** Per node (children before parents, the root last): its sources; >= 0 a node, < 0 word -(s + 1). */
  private readonly ls: Int32Array;
  private readonly rs: Int32Array;
  private readonly tables: PairTable[];
  private readonly root: PairTable;
  /** The parent links (none in a reader: it only looks states up). */
  private readonly links: SpillLog | null;
  /** Scratch per node: its value and whether it differs from the remembered tree. */
  private readonly val: Uint32Array;
  private readonly chg: Uint8Array;
  /** The remembered tree: the words and node values of the state last read. */
  private readonly cw: Uint32Array;
  private readonly cv: Uint32Array;
  private cached = false;
  /** A reader (over another store's tables): a state found is remembered. */
  private readonly reading: boolean;

  /**
   * With `followInserts` the state last inserted is remembered too: for a store fed with the
   * successors of states it did not read (a partition of the parallel search, which receives each
   * state's successors one after another), a successor is then compared with its sibling.
   * `order`: the words as the tree's leaves, left to right (a permutation of 0 .. words - 1; the
   * program's `wordOrder`, by the object each word describes). `shared`: the tables live in
   * SharedArrayBuffers (see `view`). `over`: the tables of another thread's store, read only (a
   * reader, see TreeStore.reader).
   */
  constructor(
    readonly words: number,
    private readonly followInserts = false,
    private readonly order: readonly number[] = Array.from({ length: words }, (_, i) => i),
    shared = false,
    over: readonly PairTableView[] | null = null,
  ) {
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
    if (over !== null && over.length !== N) throw new Error(`internal: a view of ${over.length} tables for a tree of ${N}`);
    this.tables = Array.from({ length: N }, (_, j) => (over !== null ? PairTable.reader(over[j]) : new PairTable(j === N - 1 ? 1 << 16 : 64, shared)));
    this.reading = over !== null;
    this.links = over !== null ? null : new SpillLog(2);
    this.root = this.tables[N - 1];
    this.val = new Uint32Array(N);
    this.chg = new Uint8Array(N);
    this.cw = new Uint32Array(words);
    this.cv = new Uint32Array(N);
  }

  /** What a reader in another thread needs (a shared store's tables). */
  get view(): TreeView {
    return { kind: 'compact', words: this.words, order: this.order, tables: this.tables.map((t) => t.view) };
  }

  /** A read-only store over `v` (only `find` answers): the same tree and lookups as the store's own. */
  static reader(v: TreeView): Pick<VisitedStore, 'find'> {
    return new TreeStore(v.words, false, v.order, false, v.tables);
  }

  get count(): number {
    return this.root.count;
  }

  /** Resident bytes: every node table, the links' resident block and the scratch arrays. */
  get bytes(): number {
    let b = (this.links?.bytes ?? 0) + this.val.byteLength * 2 + this.cw.byteLength + this.chg.byteLength;
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
    if (id >= 0) this.links!.append2(parent, via);
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
    const id = this.root.find(this.side(this.ls[last], buf), this.side(this.rs[last], buf));
    if (id >= 0 && this.reading) {
      for (let k = 0; k < this.words; k++) this.cw[k] = buf[k];
      this.cv.set(this.val);
      this.cached = true;
    }
    return id;
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
    return this.links!.word(id, 0);
  }

  viaOf(id: number): number {
    return this.links!.word(id, 1);
  }
}
