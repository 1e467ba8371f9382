// Sleep sets (Godefroid's stateful algorithm, in breadth-first order). A state carries the transitions
// that need not be taken from it: each was taken from an ancestor, and everything taken since is
// independent of it, so the state it leads to is reached along that other, equally long interleaving.
// Sleep sets prune transitions, never states: every reachable state is still stored (invariants are
// checked everywhere), and they combine with ample sets (only the ample set minus the sleep set is
// taken).
//
// Independence is decided in the state, from the accesses recorded while each transition runs there:
// two transitions of different actors are independent when neither writes a slot the other reads or
// writes. Recorded accesses include the guard's, the CPU's store buffer, and those of the monitors the
// transition's events run (what they read, the ghost state they write), so independent transitions
// leave each other enabled, commute, and each emits its events where the monitors see the same values.
// A transition that makes a monitor fail is dependent on every other (the search stops at it anyway).
//
// A state's sleep set is the intersection of the sets it arrived with. An arrival with a smaller set at
// a state already expanded reopens it: the transitions that slept there and no longer do are taken then
// (with the algorithm's sleep sets for their successors). Under symmetry a sleep set is kept only when
// the successor is its own representative (the stored state names the same actors); otherwise the
// stored state gets the empty set, which only prunes less.
import type { Program } from '../../lang/compile.ts';
import { Expander, type End } from '../expander.ts';
import type { Machine, Violation } from '../machine.ts';
import { grown } from '../grow.ts';
import type { VisitedStore } from '../store.ts';
import { encodeVia, viaActor, viaChoice, viaStep } from '../via.ts';
import type { Emit, Reduction, ReductionDef } from './reduction.ts';

export const sleep: ReductionDef<'sleep', { readonly slept: number; readonly reopened: number }, 'sleep-sets'> = {
  name: 'sleep',
  flag: 'sleep-sets',
  default: false,
  describe: 'sleep sets: a transition independent of everything taken since it was taken elsewhere is not taken again (fewer transitions, the same states)',
  create: (ctx) => new SleepSets(ctx.prog, ctx.machine, ctx.store),
};

export class SleepSets implements Reduction<{ readonly slept: number; readonly reopened: number }> {
  /** A pruned transition's successor is reached along another interleaving of the same length. */
  readonly shortest = true;
  /** Runs every enabled transition of a state on a recording machine (`record`). */
  private readonly ex: Expander;
  private readonly rm: Machine;
  private readonly n: number;
  // Per stored state: its sleep set, `len` transition codes at `off` in `arena`.
  private off = new Uint32Array(1 << 16);
  private len = new Uint16Array(1 << 16);
  private arena = new Uint32Array(1 << 16);
  private top = 0;
  // The transitions enabled in the state being expanded: code, actor key, recorded accesses
  // (reads [ra, ra + nr), writes [wa, wa + nw) in `acc`), successor, and the violation if a monitor failed.
  private cnt = 0;
  private code = new Uint32Array(64);
  private key = new Int32Array(64);
  private ra = new Int32Array(64);
  private nr = new Int32Array(64);
  private wa = new Int32Array(64);
  private nw = new Int32Array(64);
  private succ: Int32Array;
  private viol: (Violation | null)[] = [];
  private acc = new Int32Array(1024);
  private accTop = 0;
  // Marks for the independence test (epochs, never cleared).
  private readonly markW: Int32Array;
  private readonly markR: Int32Array;
  private epoch = 0;
  // The sleep set of the state being expanded (indices into the enabled transitions) and the one
  // handed to the next successor (transition codes).
  private asleep = new Uint8Array(64);
  private done = new Int32Array(64);
  private pending = new Uint32Array(64);
  private npending = 0;
  /** Index of the state being expanded; states with smaller ids were expanded already. */
  private current = -1;
  // Reopened states: id and the codes to take now.
  private reopenIds: number[] = [];
  private reopenCodes: Uint32Array[] = [];
  /** Scratch for a reopened state's packed words. */
  private readonly packed: Uint32Array;
  /** Transitions not taken because they slept. */
  slept = 0;
  /** Expansions of states reopened by an arrival with a smaller sleep set. */
  reopened = 0;
  /** Enabled transitions of the state last expanded. */
  enabled = 0;

  /** The state whose transitions are being taken (the one expanded, or a reopened one): the parent of what is emitted. */
  private from = -1;
  private readonly reopenBase: Int32Array;

  constructor(private readonly prog: Program, private readonly target: Machine, private readonly store: VisitedStore) {
    this.ex = new Expander(prog, (step, actor, choice) => this.keep(step, actor, choice), { record: true });
    this.rm = this.ex.machine;
    this.packed = new Uint32Array(prog.words);
    this.n = this.rm.cur.length;
    this.reopenBase = new Int32Array(this.n);
    this.succ = new Int32Array(64 * this.n);
    this.markW = new Int32Array(prog.layout.slots.length);
    this.markR = new Int32Array(prog.layout.slots.length);
  }

  statistics() {
    return { slept: this.slept, reopened: this.reopened };
  }

  /** Sleep sets prune transitions, never states. */
  storedEveryState(): boolean {
    return true;
  }

  /**
   * Expands state `id` (unpacked in `base`): takes `only` (codes; all enabled transitions when null)
   * minus the state's sleep set, calling `emit` for each, and counts the enabled transitions into
   * `enabled`. Ends 'stopped' if `emit` stopped the search, 'error' if a transition raised a model
   * error (nothing emitted then: the caller expands the state its usual way, which reports it).
   */
  expand(id: number, base: Int32Array, only: Uint32Array | null, onlyCount: number, emit: Emit): End {
    this.current = id;
    this.from = id;
    this.enabled = 0;
    if (!this.record(base)) {
      this.npending = 0;
      return 'error';
    }
    const enabled = (this.enabled = this.cnt);
    this.sleepOf(id, enabled);
    // An ample set whose every transition is asleep takes nothing: the transitions it postpones would
    // then be postponed for good (its sleepers are covered by an interleaving that went through a
    // state this one's ample set left out, the cycle proviso's ignoring problem). Expand the state in
    // full instead, minus its sleep set, as the proviso does when an ample successor is not new.
    if (only !== null && this.allAsleep(only, onlyCount, enabled)) only = null;
    let nd = 0;
    for (let i = 0; i < enabled; i++) {
      if (only !== null && !contains(only, onlyCount, this.code[i])) continue;
      if (this.asleep[i] === 1) {
        this.slept++;
        continue;
      }
      if (this.take(i, nd, emit)) return 'stopped';
      this.done[nd++] = i;
    }
    return this.drainReopened(emit) ? 'stopped' : 'done';
  }

  /**
   * The successor just emitted was stored as `r` (a new id, or -(id + 1) of a state stored before);
   * `identity`: it is its own representative. Sets or narrows that state's sleep set. The initial
   * state arrives before anything is pending: its sleep set is empty.
   */
  arrive(r: number, identity: boolean): void {
    const np = identity ? this.npending : 0;
    if (r >= 0) {
      this.setSleep(r, this.pending, np);
      return;
    }
    const id = -r - 1;
    // Z(id) := Z(id) ∩ pending; what drops out must be taken if `id` was expanded already.
    const o = this.off[id];
    const L = this.len[id];
    let keep = 0;
    let dropped: Uint32Array | null = null;
    let nd = 0;
    for (let k = 0; k < L; k++) {
      const c = this.arena[o + k];
      if (contains(this.pending, np, c)) this.arena[o + keep++] = c;
      else if (id <= this.current) {
        dropped ??= new Uint32Array(L);
        dropped[nd++] = c;
      }
    }
    this.len[id] = keep;
    if (dropped !== null) {
      this.reopenIds.push(id);
      this.reopenCodes.push(dropped.subarray(0, nd));
    }
  }

  /** Reopened states take the transitions that no longer sleep there (which may reopen others). */
  private drainReopened(emit: Emit): boolean {
    const base = this.reopenBase;
    while (this.reopenIds.length > 0) {
      const id = this.reopenIds.pop()!;
      const codes = this.reopenCodes.pop()!;
      this.reopened++;
      this.store.read(id, this.packed);
      this.prog.unpack(this.packed, 0, base);
      if (!this.record(base)) continue; // a model error there was reported when it was first expanded
      const enabled = this.cnt;
      this.sleepOf(id, enabled);
      this.from = id;
      let nd = 0;
      for (let i = 0; i < enabled; i++) {
        if (!contains(codes, codes.length, this.code[i]) || this.asleep[i] === 1) continue;
        if (this.take(i, nd, emit)) return true;
        this.done[nd++] = i;
      }
    }
    return false;
  }

  /** Every enabled transition in `only` is asleep. */
  private allAsleep(only: Uint32Array, onlyCount: number, enabled: number): boolean {
    for (let i = 0; i < enabled; i++) if (this.asleep[i] === 0 && contains(only, onlyCount, this.code[i])) return false;
    return true;
  }

  /** Marks in `asleep` the enabled transitions in state id's sleep set. */
  private sleepOf(id: number, enabled: number): void {
    this.asleep.fill(0, 0, enabled);
    const o = this.off[id];
    for (let k = 0; k < this.len[id]; k++) {
      const i = this.indexOf(this.arena[o + k]);
      if (i >= 0) this.asleep[i] = 1;
    }
  }

  /** Emits enabled transition i; its successor sleeps on the sleeping and done transitions independent of it. */
  private take(i: number, nd: number, emit: Emit): boolean {
    let np = 0;
    if (this.viol[i] === null) {
      this.mark(i);
      for (let j = 0; j < this.cnt; j++) if (this.asleep[j] === 1 && this.independent(i, j)) this.pushPending(np++, this.code[j]);
      for (let d = 0; d < nd; d++) {
        const j = this.done[d];
        if (this.independent(i, j)) this.pushPending(np++, this.code[j]);
      }
    }
    this.npending = np;
    const cur = this.target.cur;
    for (let k = 0, o = i * this.n; k < this.n; k++) cur[k] = this.succ[o + k];
    this.target.violation = this.viol[i];
    const c = this.code[i];
    return emit(this.from, viaStep(c), viaActor(c), viaChoice(c));
  }

  /** Runs every enabled transition of `base` on the recording machine, keeping each; false on a model error. */
  private record(base: Int32Array): boolean {
    this.cnt = 0;
    this.accTop = 0;
    return this.ex.expand(base) === 'done';
  }

  /** Keeps the transition just run on the recording machine as enabled transition `cnt` (never stops). */
  private keep(step: number, actor: number, choice: number): boolean {
    const { rm, n } = this;
    const rec = rm.rec!;
    const i = this.cnt++;
    if (i === this.code.length) this.growTransitions();
    this.code[i] = encodeVia(step, actor, choice);
    this.key[i] = (this.ex.kindIndex[step] << 8) | actor;
    this.viol[i] = rm.violation;
    for (let k = 0, o = i * n; k < n; k++) this.succ[o + k] = rm.cur[k];
    if (this.accTop + rec.nr + rec.nw > this.acc.length) this.acc = grown(this.acc, this.accTop + rec.nr + rec.nw);
    this.ra[i] = this.accTop;
    this.nr[i] = rec.nr;
    for (let k = 0; k < rec.nr; k++) this.acc[this.accTop++] = rec.reads[k];
    this.wa[i] = this.accTop;
    this.nw[i] = rec.nw;
    for (let k = 0; k < rec.nw; k++) this.acc[this.accTop++] = rec.writes[k];
    return false;
  }

  /** Marks the slots transition i reads and writes (a new epoch). */
  private mark(i: number): void {
    const e = ++this.epoch;
    const { acc, markW, markR } = this;
    for (let k = this.wa[i], end = k + this.nw[i]; k < end; k++) markW[acc[k]] = e;
    for (let k = this.ra[i], end = k + this.nr[i]; k < end; k++) markR[acc[k]] = e;
  }

  /** Transition j is independent of the marked transition i. */
  private independent(i: number, j: number): boolean {
    if (this.viol[j] !== null || this.key[j] === this.key[i]) return false;
    const { acc, markW, markR } = this;
    const e = this.epoch;
    for (let k = this.wa[j], end = k + this.nw[j]; k < end; k++) if (markW[acc[k]] === e || markR[acc[k]] === e) return false;
    for (let k = this.ra[j], end = k + this.nr[j]; k < end; k++) if (markW[acc[k]] === e) return false;
    return true;
  }

  private indexOf(code: number): number {
    for (let i = 0; i < this.cnt; i++) if (this.code[i] === code) return i;
    return -1;
  }

  private pushPending(k: number, code: number): void {
    if (k === this.pending.length) this.pending = grown(this.pending, k + 1);
    this.pending[k] = code;
  }

  private setSleep(id: number, codes: Uint32Array, n: number): void {
    if (id >= this.off.length) {
      this.off = grown(this.off, id + 1);
      this.len = grown(this.len, id + 1);
    }
    if (this.top + n > this.arena.length) this.arena = grown(this.arena, this.top + n);
    this.off[id] = this.top;
    this.len[id] = n;
    for (let k = 0; k < n; k++) this.arena[this.top++] = codes[k];
  }

  private growTransitions(): void {
    const m = this.code.length + 1;
    this.code = grown(this.code, m);
    this.key = grown(this.key, m);
    this.ra = grown(this.ra, m);
    this.nr = grown(this.nr, m);
    this.wa = grown(this.wa, m);
    this.nw = grown(this.nw, m);
    this.done = grown(this.done, m);
    this.asleep = grown(this.asleep, m);
    this.succ = grown(this.succ, this.code.length * this.n);
  }
}

function contains(a: Uint32Array, n: number, x: number): boolean {
  for (let i = 0; i < n; i++) if (a[i] === x) return true;
  return false;
}
