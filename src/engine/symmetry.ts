// Symmetry reduction: the explorer stores one representative per orbit of the state under
// permutations of interchangeable objects (CPUs, mms…). A permutation moves every array element
// indexed by the kind (per-CPU records, the CPU's pc and return stack, its store buffer, per-CPU
// ghost state) and renames every reference to the kind and every set of it; store-buffer entries,
// which name a field by slot, are renamed with the fields they name.
//
// Canonical form: objects are ordered by a signature that does not depend on their names (their own
// fields, with references to the kind replaced by self/other); among the permutations that sort the
// signatures, the image with the smallest packed words is the representative. That set of images is
// the same for every state of an orbit, so the representative is exact: one per orbit. When a group
// of equal signatures is too large to enumerate, the sorted image alone is used (still sound: every
// stored state is a member of its orbit; only the reduction is smaller). With two or more kinds
// (CPUs and mms), every permutation of the smaller kinds is tried and the largest kind is
// canonicalized as above in each image; the smallest result is the representative. Permutations of
// different kinds commute, so that set of results is the same for every state of an orbit of the
// product group: exact again.
import type { Program } from '../lang/compile.ts';
import { ModelError } from '../lang/errors.ts';
import { permuteEntries, type EntryRenaming } from '../lang/memory/buffers.ts';
import type { SymmetrySpec } from '../lang/model.ts';

/** Most permutations enumerated per state and kind before falling back to the sorted image. */
const MAX_PERMUTATIONS = 5040;

interface KindPlan {
  readonly of: string;
  readonly n: number;
  /** Movable members (not fixed), ascending. */
  readonly movable: Int32Array;
  /** objSlots[i][j]: the j-th slot owned by member i. */
  readonly objSlots: Int32Array[];
  /** slot → member owning it, or -1. */
  readonly ownerOf: Int32Array;
  /** slot → position j within its owner's slots. */
  readonly posOf: Int32Array;
  /** Slots whose value references a member (encoded = value - lo). */
  readonly refSlots: Int32Array;
  readonly refLo: Int32Array;
  /** Slots whose value is a set of members (bitmask). */
  readonly setSlots: Int32Array;
  /** slot → its index in refSlots, or -1 (a table: signatures look every owned slot up). */
  readonly refAt: Int32Array;
  /** slot → 1 if it is in setSlots. */
  readonly setAt: Uint8Array;
  /** member → 1 if it is fixed (never permuted). */
  readonly fixedAt: Uint8Array;
  /** Whether some value names a member (refs, sets, or store-buffer entries naming owned fields). */
  readonly named: boolean;
  /** slot → store-buffer entry number (0-based) for entry slots of the member's buffer, else -1. */
  readonly sbEntry: Int32Array;
}

export class Canonicalizer {
  private readonly kinds: KindPlan[];
  private readonly tmp: Int32Array;
  private readonly best: Int32Array;
  private readonly words: Uint32Array;
  private readonly bestWords: Uint32Array;
  private readonly ord: Int32Array;
  private readonly gs: Int32Array;
  private readonly perm: Int32Array;
  /** One signature entry of each of the two members being compared. */
  private readonly sx = new Int32Array(3);
  private readonly sy = new Int32Array(3);
  private readonly renaming = new Renaming();
  /** Whether any state was canonicalized by the sorted image only (an inexact but sound reduction). */
  heuristic = 0;

  /** The kind canonicalized by sorting (the one with the most movable members), and the others. */
  private readonly inner: number;
  private readonly outer: KindPlan[];
  private readonly outerOrd: Int32Array[];
  private readonly outerPerm: Int32Array[];
  private readonly outerImages: number;
  private readonly img: Int32Array;
  private readonly spare: Int32Array;
  private readonly imgBest: Int32Array;
  private readonly imgWords: Uint32Array;
  private readonly imgBestWords: Uint32Array;

  constructor(private readonly prog: Program, specs: readonly SymmetrySpec[]) {
    const n = prog.layout.slots.length;
    this.kinds = specs.map((s) => plan(prog, s)).filter((k) => k.movable.length >= 2);
    this.inner = this.kinds.reduce((best, k, i) => (k.movable.length > this.kinds[best].movable.length ? i : best), 0);
    this.outer = this.kinds.filter((_, i) => i !== this.inner);
    this.outerOrd = this.outer.map((k) => Int32Array.from(k.movable.keys()));
    this.outerPerm = this.outer.map((k) => new Int32Array(k.n));
    this.outerImages = this.outer.reduce((x, k) => x * factorial(k.movable.length), 1);
    this.img = new Int32Array(n);
    this.spare = new Int32Array(n);
    this.imgBest = new Int32Array(n);
    this.imgWords = new Uint32Array(prog.words);
    this.imgBestWords = new Uint32Array(prog.words);
    this.tmp = new Int32Array(n);
    this.best = new Int32Array(n);
    this.words = new Uint32Array(prog.words);
    this.bestWords = new Uint32Array(prog.words);
    const maxN = Math.max(0, ...this.kinds.map((k) => k.n));
    this.perm = new Int32Array(maxN);
    this.ord = new Int32Array(maxN);
    this.gs = new Int32Array(maxN + 1);
  }

  /** Replaces `s` (unpacked slots) by the representative of its orbit. */
  canon(s: Int32Array): void {
    const inner = this.kinds[this.inner];
    if (this.outer.length === 0) {
      if (inner) this.canonKind(inner, s);
      return;
    }
    if (this.outerImages > MAX_PERMUTATIONS) {
      // Too many images to enumerate: each kind in turn (sound, not exact).
      this.heuristic++;
      for (const k of this.kinds) this.canonKind(k, s);
      return;
    }
    // Every combination of permutations of the outer kinds (odometer), the inner kind canonical in each.
    const { outer, outerOrd, outerPerm, img, spare } = this;
    let have = false;
    for (;;) {
      img.set(s);
      for (let o = 0; o < outer.length; o++) {
        const k = outer[o];
        const perm = outerPerm[o];
        const ord = outerOrd[o];
        for (let i = 0; i < k.n; i++) perm[i] = i;
        for (let a = 0; a < k.movable.length; a++) perm[k.movable[ord[a]]] = k.movable[a];
        this.permute(k, img, perm, spare);
        img.set(spare);
      }
      this.canonKind(inner, img);
      this.prog.pack(img, this.imgWords, 0);
      if (!have || lessWords(this.imgWords, this.imgBestWords)) {
        have = true;
        this.imgBestWords.set(this.imgWords);
        this.imgBest.set(img);
      }
      let o = outer.length - 1;
      while (o >= 0 && !nextPermutation(outerOrd[o], 0, outer[o].movable.length)) o--;
      if (o < 0) break;
    }
    s.set(this.imgBest);
  }

  private canonKind(k: KindPlan, s: Int32Array): void {
    const m = k.movable.length;
    if (m < 2) return;
    const ord = this.sortMembers(k, s);
    // No value names a member: a member is its own fields, and sorting them is exact.
    if (!k.named) return this.reorder(k, s, ord);
    // Groups of equal signatures, [gs[g], gs[g + 1]) in ord: permutations within them give the
    // candidate images.
    const gs = this.gs;
    let ng = 0;
    let candidates = 1;
    gs[0] = 0;
    for (let a = 1; a <= m; a++) {
      if (a < m && this.compareMembers(k, s, k.movable[ord[a - 1]], k.movable[ord[a]]) === 0) continue;
      for (let f = 2; f <= a - gs[ng]; f++) candidates *= f;
      gs[++ng] = a;
    }
    if (candidates > MAX_PERMUTATIONS) this.heuristic++;
    if (candidates === 1 || candidates > MAX_PERMUTATIONS) return this.reorder(k, s, ord);
    // Every combination of permutations within the groups (an odometer of next-permutation steps),
    // keeping the image with the smallest packed words.
    const perm = this.perm;
    for (let i = 0; i < k.n; i++) perm[i] = i;
    let have = false;
    for (;;) {
      for (let a = 0; a < m; a++) perm[k.movable[ord[a]]] = k.movable[a];
      this.permute(k, s, perm, this.tmp);
      this.prog.pack(this.tmp, this.words, 0);
      if (!have || lessWords(this.words, this.bestWords)) {
        have = true;
        this.bestWords.set(this.words);
        this.best.set(this.tmp);
      }
      let g = ng - 1;
      while (g >= 0 && !nextPermutation(ord, gs[g], gs[g + 1])) g--;
      if (g < 0) break;
    }
    s.set(this.best);
  }

  /** Members x and y compared by their signatures (orbit-invariant descriptions), slot by slot. */
  private compareMembers(k: KindPlan, s: Int32Array, x: number, y: number): number {
    const a = this.sx;
    const b = this.sy;
    for (let j = 0; j < k.objSlots[x].length; j++) {
      this.signatureAt(k, s, x, j, a);
      this.signatureAt(k, s, y, j, b);
      if (a[0] !== b[0]) return a[0] - b[0];
      if (a[1] !== b[1]) return a[1] - b[1];
      if (a[2] !== b[2]) return a[2] - b[2];
    }
    return 0;
  }

  /**
   * The j-th entry of member i's signature (three numbers into `out`): its j-th own slot, with
   * references to the kind replaced by self/other/fixed.
   */
  private signatureAt(k: KindPlan, s: Int32Array, i: number, j: number, out: Int32Array): void {
    const sb = this.prog.storeBuffers;
    const slot = k.objSlots[i][j];
    let v = s[slot];
    let x = 0;
    let y = 0;
    const r = k.refAt[slot];
    if (r >= 0) {
      const val = v + k.refLo[r];
      if (val >= 0 && val < k.n && !isFixed(k, val)) {
        v = -1;
        x = val === i ? 1 : 2;
      }
    } else if (k.setAt[slot] === 1) {
      const self = (v >>> i) & 1;
      let movableBits = 0;
      let fixedBits = 0;
      for (let b = 0; b < k.n; b++) if ((v >>> b) & 1) isFixed(k, b) ? (fixedBits |= 1 << b) : movableBits++;
      v = fixedBits;
      x = self;
      y = movableBits - self;
    } else if (sb && k.sbEntry[slot] >= 0) {
      // A buffered store names a field: describe it by owner (self/other/global) and position.
      const e = v;
      if (k.sbEntry[slot] >= s[sb.base + i * sb.stride]) {
        out[0] = out[1] = out[2] = 0; // an unused entry
        return;
      }
      const pi = (e / sb.valueRange) | 0;
      const target = sb.plainSlots[pi];
      const owner = k.ownerOf[target];
      v = e - pi * sb.valueRange;
      x = owner < 0 || isFixed(k, owner) ? 3 + target : owner === i ? 1 : 2;
      y = owner < 0 || isFixed(k, owner) ? 0 : k.posOf[target] + 1;
      // The buffered value itself may name members (a reference or a set): self/other, as above.
      const r = k.refAt[target];
      if (r >= 0) {
        const val = v + k.refLo[r];
        if (val >= 0 && val < k.n && !isFixed(k, val)) v = val === i ? -2 : -3;
      } else if (k.setAt[target] === 1) {
        const self = (v >>> i) & 1;
        let movable = 0;
        let fixed = 0;
        for (let b = 0; b < k.n; b++) if ((v >>> b) & 1) isFixed(k, b) ? (fixed |= 1 << b) : movable++;
        v = (fixed << 6) | (self << 5) | (movable - self);
      }
    }
    out[0] = v;
    out[1] = x;
    out[2] = y;
  }

  /**
   * The movable members in signature order (indices into `movable`; a stable insertion sort, so equal
   * members keep ascending order). Without names, members compare by their own fields; otherwise by
   * signatures, compared slot by slot as they are computed, up to the first difference.
   */
  private sortMembers(k: KindPlan, s: Int32Array): Int32Array {
    const ord = this.ord;
    for (let a = 0; a < k.movable.length; a++) {
      let b = a;
      while (b > 0 && (k.named ? this.compareMembers(k, s, k.movable[ord[b - 1]], k.movable[a]) : compareOwn(k, s, k.movable[ord[b - 1]], k.movable[a])) > 0) {
        ord[b] = ord[b - 1];
        b--;
      }
      ord[b] = a;
    }
    return ord;
  }

  /** s := its image under the permutation that puts member movable[ord[a]] at movable[a] (none if in order). */
  private reorder(k: KindPlan, s: Int32Array, ord: Int32Array): void {
    let inOrder = true;
    for (let a = 0; a < k.movable.length; a++) if (ord[a] !== a) inOrder = false;
    if (inOrder) return;
    const perm = this.perm;
    for (let i = 0; i < k.n; i++) perm[i] = i;
    for (let a = 0; a < k.movable.length; a++) perm[k.movable[ord[a]]] = k.movable[a];
    this.permute(k, s, perm, this.tmp);
    s.set(this.tmp);
  }

  /** dst = image of s under perm (perm[i] = new name of member i). */
  private permute(k: KindPlan, s: Int32Array, perm: Int32Array, dst: Int32Array): void {
    dst.set(s);
    for (let i = 0; i < k.n; i++) {
      const from = k.objSlots[i];
      const to = k.objSlots[perm[i]];
      for (let j = 0; j < from.length; j++) dst[to[j]] = s[from[j]];
    }
    for (let r = 0; r < k.refSlots.length; r++) {
      const slot = k.refSlots[r];
      const val = dst[slot] + k.refLo[r];
      if (val >= 0 && val < k.n) dst[slot] = perm[val] - k.refLo[r];
    }
    for (let r = 0; r < k.setSlots.length; r++) {
      const slot = k.setSlots[r];
      const v = dst[slot];
      let w = 0;
      for (let b = 0; b < k.n; b++) if ((v >>> b) & 1) w |= 1 << perm[b];
      dst[slot] = w;
    }
    const sb = this.prog.storeBuffers;
    if (sb) {
      // Store-buffer entries name fields by slot: rename the field with its owner, and its value.
      this.renaming.k = k;
      this.renaming.perm = perm;
      permuteEntries(sb, dst, this.renaming);
    }
  }
}

/** A buffered store under the permutation `perm` of kind `k` (set before each use). */
class Renaming implements EntryRenaming {
  k!: KindPlan;
  perm!: Int32Array;
  slotTo(slot: number): number {
    const owner = this.k.ownerOf[slot];
    return owner < 0 ? slot : this.k.objSlots[this.perm[owner]][this.k.posOf[slot]];
  }
  valueTo(slot: number, val: number): number {
    const { k, perm } = this;
    const r = k.refAt[slot];
    if (r >= 0) {
      const v = val + k.refLo[r];
      return v >= 0 && v < k.n ? perm[v] - k.refLo[r] : val;
    }
    if (k.setAt[slot] === 1) {
      let w = 0;
      for (let bit = 0; bit < k.n; bit++) if ((val >>> bit) & 1) w |= 1 << perm[bit];
      return w;
    }
    return val;
  }
}

function plan(prog: Program, spec: SymmetrySpec): KindPlan {
  const { layout } = prog;
  const K = spec.of;
  const owned = new Map<number, number[]>();
  const ownerOf = new Int32Array(layout.slots.length).fill(-1);
  const posOf = new Int32Array(layout.slots.length).fill(-1);
  const refs: number[] = [];
  const refLo: number[] = [];
  const sets: number[] = [];
  let n = prog.instance.actors[K] ?? 0;
  for (const s of layout.slots) {
    const own = s.owners.filter((o) => o.of === K);
    if (own.length > 1) throw new ModelError(`symmetry over '${K}': field ${s.path} is indexed by '${K}' twice`);
    if (own.length === 1) {
      const i = own[0].index;
      if (!owned.has(i)) owned.set(i, []);
      ownerOf[s.index] = i;
      posOf[s.index] = owned.get(i)!.length;
      owned.get(i)!.push(s.index);
      n = Math.max(n, i + 1);
    }
    if (s.domain.kind === 'ref' && s.domain.of === K) {
      refs.push(s.index);
      refLo.push(s.domain.lo);
      n = Math.max(n, s.domain.count);
    }
    if (s.domain.kind === 'set' && s.domain.of === K) {
      sets.push(s.index);
      n = Math.max(n, s.domain.count);
    }
  }
  if (n === 0) throw new ModelError(`symmetry over '${K}': the model has no ${K} objects`);
  const objSlots = Array.from({ length: n }, (_, i) => Int32Array.from(owned.get(i) ?? []));
  const len = objSlots[0].length;
  if (objSlots.some((o) => o.length !== len)) throw new ModelError(`symmetry over '${K}': the ${K} objects do not all have the same fields`);
  const fixed = new Set(spec.fixed ?? []);
  for (const f of fixed) if (!(f >= 0 && f < n)) throw new ModelError(`symmetry over '${K}': fixed member ${f} does not exist`);
  const movable = Int32Array.from([...Array(n).keys()].filter((i) => !fixed.has(i)));
  // Store-buffer entries of each CPU's buffer (when CPUs are the kind), by entry number.
  const sbEntry = new Int32Array(layout.slots.length).fill(-1);
  const sb = prog.storeBuffers;
  if (sb && K === sb.cpuKind) {
    for (let c = 0; c < n; c++) for (let e = 0; e < sb.depth; e++) sbEntry[sb.base + c * sb.stride + 1 + e] = e;
  }
  // Entries naming a member's field or a member (through a ref or set value) distinguish members.
  const sbNames = sb !== null && [...sb.plainSlots].some((slot) => ownerOf[slot] >= 0 || refs.includes(slot) || sets.includes(slot));
  const refAt = new Int32Array(layout.slots.length).fill(-1);
  refs.forEach((slot, r) => (refAt[slot] = r));
  const setAt = new Uint8Array(layout.slots.length);
  for (const slot of sets) setAt[slot] = 1;
  const fixedAt = new Uint8Array(n);
  for (const f of fixed) fixedAt[f] = 1;
  return {
    of: K,
    n,
    movable,
    objSlots,
    ownerOf,
    posOf,
    refSlots: Int32Array.from(refs),
    refLo: Int32Array.from(refLo),
    setSlots: Int32Array.from(sets),
    refAt,
    setAt,
    fixedAt,
    named: refs.length > 0 || sets.length > 0 || sbNames,
    sbEntry,
  };
}

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

function isFixed(k: KindPlan, i: number): boolean {
  return k.fixedAt[i] === 1;
}

/** Members x and y compared by their own slots' values. */
function compareOwn(k: KindPlan, s: Int32Array, x: number, y: number): number {
  const a = k.objSlots[x];
  const b = k.objSlots[y];
  for (let j = 0; j < a.length; j++) {
    const d = s[a[j]] - s[b[j]];
    if (d !== 0) return d;
  }
  return 0;
}

function lessWords(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

/**
 * Rearranges xs[lo..hi) into the next permutation in ascending order; at the last one, back to the
 * first (ascending) and returns false.
 */
function nextPermutation(xs: Int32Array, lo: number, hi: number): boolean {
  let i = hi - 2;
  while (i >= lo && xs[i] >= xs[i + 1]) i--;
  if (i >= lo) {
    let j = hi - 1;
    while (xs[j] <= xs[i]) j--;
    const t = xs[i];
    xs[i] = xs[j];
    xs[j] = t;
  }
  for (let l = i + 1, r = hi - 1; l < r; l++, r--) {
    const t = xs[l];
    xs[l] = xs[r];
    xs[r] = t;
  }
  return i >= lo;
}
