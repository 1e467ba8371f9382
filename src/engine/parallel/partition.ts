// One search worker's share of a parallel breadth-first search (coordinator.ts): the states it owns
// in its own store, the parent links of its states (addresses, which name a state of any partition)
// and the two phases of a round. A layer is searched in rounds, so that the successors waiting to
// be stored never take more than a round's outboxes (about `exchangeWords` words per worker), however
// large the layer.
//
// Expand: the states of the current layer, in the order of their ranks (their positions in the
// sequential search's layer), are expanded as bfs.ts expands them (symmetry's representative packed,
// partial-order reduction's ample set, the deadlock check), and each successor is appended to its
// owner's outbox with its key: the parent's rank and its index j among the parent's successors. A
// round's expansion goes on from where the last one stopped until the outboxes hold `exchangeWords`
// words or the share is done. The expansion stops at the first violation or model error (every later
// state of this share has a larger rank, so none of their events can come first), as bfs.ts stops.
//
// Insert: the successors received are stored; a new state keeps, of all the records that reached it
// in this layer (in this round or an earlier one), the one with the smallest key: its parent link is
// then the sequential search's (the first transition that reached it there), and the order of the
// keys is the sequential insertion order. Invariants are checked on each new state (the
// representative: the model's invariants are symmetric where it declares a symmetry). After the
// layer's last round the layer is closed: of the violating new states the smallest key is reported,
// and the keys of the new states, sorted, go to the coordinator, which merges every worker's into the
// ranks of the next layer.
import type { Program } from '../../lang/compile.ts';
import { asModelError, fullStack, isOutOfMemory } from '../../lang/errors.ts';
import { Expander } from '../expander.ts';
import { grown } from '../grow.ts';
import { takeChosen } from '../bfs.ts';
import { createReductions, hook, statisticsOf, type Active, type ReductionStats } from '../reductions/index.ts';
import type { Canonicalize, Reduction } from '../reductions/reduction.ts';
import { SpillLog } from '../spill.ts';
import { NO_PARENT, type VisitedStore } from '../store.ts';
import { createStore, defaultStore, readerOf, viewOf, type SharedView } from '../stores.ts';
import { encodeVia } from '../via.ts';
import { CTL, key, MAX_SUCCESSORS, ownerOf, POLL, RECORD_EXTRA, type PartitionOptions, type WorkerEvent } from './protocol.ts';

/** Thrown out of a phase when the stop flag or a limit is seen: the phase's reply is `stopped`. */
export class Stopped {
  constructor(readonly limit: string) {}
}

export class Partition {
  readonly store: VisitedStore;
  private readonly W: number;
  private readonly N: number;
  private readonly me: number;
  private readonly ex: Expander;
  private readonly canon: Canonicalize | null;
  private readonly active: Active[];
  /** Partial-order reduction's ample sets (null when off). */
  private readonly selector: (Reduction & Required<Pick<Reduction, 'select' | 'chosen'>>) | null;
  /** Per other worker, in an expand phase with partial-order reduction: its store, to look up in. */
  private readers: (Pick<VisitedStore, 'find'> | null)[] = [];
  /**
   * Per worker, in a layer with partial-order reduction: its first local id of the next layer (the
   * states it has stored in this layer's earlier rounds are not yet searched ones, and the cycle
   * proviso does not count them, as bfs.ts's does not).
   */
  private firsts: readonly number[] = [];
  /** Words of records the outboxes take in a round before its expansion stops. */
  private readonly exchangeWords: number;
  private readonly deadlock: boolean;
  private readonly tmp: Uint32Array;
  private readonly base: Int32Array;
  private readonly rep: Int32Array;
  /**
   * Per local id: the parent's address (NO_PARENT for the initial state) and the transition, in a
   * SpillLog (resident: its newest block), appended in id order when a layer's insert phase ends;
   * during the phase the new layer's links are in `parent`/`via` (by id - the layer's first id),
   * where a smaller key may still replace them.
   */
  private readonly links = new SpillLog(2);
  private parent = new Uint32Array(16);
  private via = new Uint32Array(16);
  /** The current layer: local ids [layerStart, layerEnd), `order[pos]` the one of rank `rank[pos]`. */
  private layerStart = 0;
  private layerEnd = 0;
  private order = new Uint32Array(16);
  private nextOrder = new Uint32Array(16);
  private rank: Uint32Array = new Uint32Array(16);
  /** Per position of the current layer: successors generated. */
  private succ = new Uint32Array(16);
  /** Per position of the current layer: an ample set was taken (1); ample sets taken in earlier layers. */
  private ampled = new Uint8Array(16);
  private ampleBefore = 0;
  /** Positions of the current layer expanded so far. */
  private expanded = 0;
  /** The new layer (local ids from layerEnd): each one's smallest key, and those keys sorted. */
  private keys = new Float64Array(16);
  private sorted = new Float64Array(0);
  /** The new states that violate an invariant. */
  private flagged: number[] = [];
  /**
   * Per owner: the successors for it (records of W + RECORD_EXTRA words), in a SharedArrayBuffer for
   * another owner (it reads them there in its insert phase); `grew[v]` when it has a new buffer since
   * the last time v was told.
   */
  readonly outbox: Uint32Array[];
  readonly outLen: Int32Array;
  readonly grew: Uint8Array;
  // The position being expanded.
  private curRank = 0;
  private curId = 0;
  private j = 0;
  private event: WorkerEvent | null = null;

  constructor(private readonly prog: Program, private readonly ctl: Int32Array, o: PartitionOptions) {
    this.W = prog.words;
    this.N = o.workers;
    this.me = o.index;
    this.deadlock = o.deadlock;
    this.exchangeWords = o.exchangeWords;
    // With partial-order reduction the store is shared: other workers look their successors up in it.
    this.store = createStore(o.store ?? defaultStore(this.W), this.W, true, prog.wordOrder, o.por);
    this.ex = new Expander(prog, (step, actor, choice) => this.onSucc(step, actor, choice), { generated: true });
    const m = this.ex.machine;
    this.active = createReductions({ symmetry: o.symmetry, por: o.por }, { prog, machine: m, store: this.everyPartition() });
    this.canon = hook(this.active, 'canon');
    this.selector = hook(this.active, 'select');
    this.tmp = new Uint32Array(this.W);
    this.base = new Int32Array(m.cur.length);
    this.rep = new Int32Array(m.cur.length);
    const R = this.W + RECORD_EXTRA;
    // Every outbox shared, this worker's own too: one kind of array in the hot loop.
    this.outbox = Array.from({ length: this.N }, () => new Uint32Array(new SharedArrayBuffer(64 * R * 4)));
    this.outLen = new Int32Array(this.N);
    this.grew = new Uint8Array(this.N).fill(1);
  }

  /** Resident bytes: the store, the links and the layer arrays. */
  get bytes(): number {
    let b = this.store.bytes + this.links.bytes + this.parent.byteLength + this.via.byteLength + this.keys.byteLength + this.order.byteLength * 4;
    for (const o of this.outbox) b += o.byteLength;
    return b;
  }

  /** Reductions' statistics so far (this partition's share). */
  get statistics(): ReductionStats {
    return statisticsOf(this.active);
  }

  /** The store as partial-order reduction's cycle proviso asks it: a successor is looked up in its owner's partition. */
  private everyPartition(): VisitedStore {
    const local = (): VisitedStore => this.store;
    const find = (buf: Uint32Array): number => {
      const o = ownerOf(buf, this.W, this.N);
      const id = o === this.me ? local().find(buf) : this.readers[o]!.find(buf);
      return id >= this.firsts[o] ? -1 : id;
    };
    return {
      kind: this.store.kind,
      words: this.W,
      get count() {
        return local().count;
      },
      get bytes() {
        return local().bytes;
      },
      insert: (buf, parent, via) => local().insert(buf, parent, via),
      find,
      read: (id, out) => local().read(id, out),
      parentOf: (id) => local().parentOf(id),
      viaOf: (id) => local().viaOf(id),
    };
  }

  /** What another worker needs to look states up in this partition (with partial-order reduction). */
  get view(): SharedView | null {
    return this.selector !== null ? viewOf(this.store) : null;
  }

  private poll(): void {
    if (Atomics.load(this.ctl, CTL.stop) !== 0) throw new Stopped('stop');
  }

  private readonly succ_ = (step: number, actor: number, choice: number): boolean => this.onSucc(step, actor, choice);

  /** A successor left in the machine's `cur` by the expansion of the state at `curId`: into its owner's outbox. */
  private onSucc(step: number, actor: number, choice: number): boolean {
    const m = this.ex.machine;
    const via = encodeVia(step, actor, choice);
    const tmp = this.tmp;
    if (this.canon) {
      this.rep.set(m.cur);
      this.canon.canon(this.rep);
      this.prog.pack(this.rep, tmp, 0);
    } else this.prog.pack(m.cur, tmp, 0);
    const W = this.W;
    const o = ownerOf(tmp, W, this.N);
    const R = W + RECORD_EXTRA;
    let at = this.outLen[o];
    let box = this.outbox[o];
    if (at + R > box.length) {
      box = this.outbox[o] = grown(box, at + R);
      this.grew[o] = 1;
    }
    for (let k = 0; k < W; k++) box[at + k] = tmp[k];
    at += W;
    box[at] = this.curRank;
    box[at + 1] = this.j;
    box[at + 2] = this.curId * this.N + this.me;
    box[at + 3] = via;
    this.outLen[o] = at + RECORD_EXTRA;
    const j = this.j++;
    if (j + 1 >= MAX_SUCCESSORS) throw new Error(`internal: a state with more than ${MAX_SUCCESSORS - 1} successors`);
    if (m.violation !== null) {
      this.event = { kind: 'monitor', rank: this.curRank, j, at: this.curId * this.N + this.me, via, words: tmp.slice(), prop: m.violation.prop, reason: m.violation.reason };
      return true;
    }
    return false;
  }

  /**
   * Starts a layer: its states' ranks by position (as the coordinator merged them) and, with
   * partial-order reduction, every worker's first id of the next layer.
   */
  startLayer(ranks: Uint32Array, firsts: readonly number[]): void {
    this.layerStart = this.layerEnd;
    this.layerEnd = this.store.count;
    const n = this.layerEnd - this.layerStart;
    [this.order, this.nextOrder] = [this.nextOrder, this.order];
    this.rank = ranks;
    this.firsts = firsts;
    if (this.succ.length < n) {
      this.succ = new Uint32Array(Math.max(n, this.succ.length * 2));
      this.ampled = new Uint8Array(this.succ.length);
    }
    this.ampleBefore = this.ampleStates;
    this.expanded = 0;
    this.event = null;
  }

  /**
   * One round's expansion of the current layer, on from where the last round stopped: the transitions
   * generated, the share's first event (once found), and whether the share is done.
   */
  expand(views: readonly (SharedView | null)[] | null): { expanded: number; event: WorkerEvent | null; done: boolean } {
    this.readers = views === null ? [] : views.map((v, w) => (v === null || w === this.me ? null : readerOf(v)));
    for (let k = 0; k < this.N; k++) this.outLen[k] = 0;
    const n = this.layerEnd - this.layerStart;
    const ranks = this.rank;
    let transitions = 0;
    const m = this.ex.machine;
    const { base, tmp, outLen } = this;
    const budget = this.exchangeWords;
    let words = 0;
    let pos = this.expanded;
    try {
      for (; pos < n && this.event === null && words < budget; pos++) {
        if ((pos & (POLL - 1)) === 0) this.poll();
        const id = this.order[pos];
        this.expanded = pos + 1;
        this.curId = id;
        this.curRank = ranks[pos];
        this.j = 0;
        this.store.read(id, tmp);
        this.prog.unpack(tmp, 0, base);
        // The ample set (its C3 proviso: no successor stored in this layer or an earlier one, of any
        // partition: `find` does not see the next layer's states stored in earlier rounds), or every
        // transition.
        const chosen = this.selector !== null ? this.selector.select(base, Number.MAX_SAFE_INTEGER) : 0;
        const end = chosen > 0 ? takeChosen(this.ex, base, this.selector!.chosen, chosen, this.succ_) : this.ex.expand(base);
        const enabled = chosen > 0 ? chosen : this.ex.enabled;
        this.ampled[pos] = chosen > 0 ? 1 : 0;
        this.succ[pos] = this.j;
        transitions += this.j;
        if (end === 'stopped') break;
        if (end === 'error') {
          const e = this.ex.error!;
          const f = this.ex.failing;
          this.event = { kind: 'error', rank: this.curRank, j: this.j, at: id * this.N + this.me, prop: -1, reason: e.message, stack: fullStack(e), failing: { step: f.step, actor: f.actor, choice: f.choice } };
          break;
        }
        if (enabled === 0 && this.deadlock) {
          m.cur.set(base);
          if (!m.isEnd()) this.event = { kind: 'deadlock', rank: this.curRank, j: 0, at: id * this.N + this.me, prop: -1, reason: 'no step is enabled in a state the model does not mark as an allowed end' };
        }
        words = 0;
        for (let k = 0; k < this.N; k++) words += outLen[k];
      }
    } catch (err) {
      if (err instanceof Stopped || isOutOfMemory(err)) throw err;
      // A model error outside a transition (symmetry's own code): as bfs.ts, with no failing transition.
      const e = asModelError(err);
      if (e === null) throw err;
      this.succ[pos] = this.j;
      this.event = { kind: 'error', rank: this.curRank, j: this.j, at: this.curId * this.N + this.me, prop: -1, reason: e.message, stack: fullStack(e), failing: null };
    }
    // The share is done when every position is expanded, or at its first event.
    return { expanded: transitions, event: this.event, done: this.event !== null || this.expanded === n };
  }

  /** Stores a round's records, those of `boxes` (each `lens[i]` words long). */
  insert(boxes: readonly Uint32Array[], lens: readonly number[]): void {
    const W = this.W;
    const R = W + RECORD_EXTRA;
    const store = this.store;
    // The layer's first new id (stored in this round or an earlier one of the layer).
    const first = this.layerEnd;
    const m = this.ex.machine;
    let unpolled = 0;
    for (let b = 0; b < boxes.length; b++) {
      const box = boxes[b];
      const len = lens[b];
      for (let at = 0; at < len; at += R) {
        const rec = this.tmp;
        for (let w = 0; w < W; w++) rec[w] = box[at + w];
        const k = key(box[at + W], box[at + W + 1]);
        const r = store.insert(rec, NO_PARENT, 0);
        if (r >= 0) {
          const x = r - first;
          if (x >= this.keys.length) {
            this.keys = grown(this.keys, x + 1);
            this.parent = grown(this.parent, this.keys.length);
            this.via = grown(this.via, this.keys.length);
          }
          this.keys[x] = k;
          this.parent[x] = box[at + W + 2];
          this.via[x] = box[at + W + 3];
          this.prog.unpack(rec, 0, m.cur);
          m.violation = null;
          if (m.checkInvariants() !== null) this.flagged.push(r);
          if (++unpolled === POLL) {
            unpolled = 0;
            const total = Atomics.add(this.ctl, CTL.states, POLL) + POLL;
            const max = Atomics.load(this.ctl, CTL.maxStates);
            if (max > 0 && total >= max) Atomics.store(this.ctl, CTL.stop, 1);
            this.poll();
          }
        } else {
          const id = -r - 1;
          // Reached again in this layer: the smaller key's link (the sequential search's first arrival).
          if (id >= first && k < this.keys[id - first]) {
            this.keys[id - first] = k;
            this.parent[id - first] = box[at + W + 2];
            this.via[id - first] = box[at + W + 3];
          }
        }
      }
    }
    Atomics.add(this.ctl, CTL.states, unpolled);
  }

  /**
   * Closes the layer after its last round: the count of its new states, their keys sorted, and the
   * first invariant violation among them (by the smallest key each one has at the end of the layer).
   */
  close(): { inserted: number; sorted: Float64Array; event: WorkerEvent | null } {
    const store = this.store;
    const first = this.layerEnd;
    const m = this.ex.machine;
    const n = store.count - first;
    for (let x = 0; x < n; x++) this.links.append2(this.parent[x], this.via[x]);
    const sorted = this.keys.slice(0, n).sort();
    if (this.nextOrder.length < n) this.nextOrder = new Uint32Array(Math.max(n, this.nextOrder.length * 2));
    for (let x = 0; x < n; x++) this.nextOrder[lowerBound(sorted, n, this.keys[x])] = first + x;
    let event: WorkerEvent | null = null;
    let best = Infinity;
    for (const id of this.flagged) {
      if (this.keys[id - first] >= best) continue;
      best = this.keys[id - first];
      store.read(id, this.tmp);
      this.prog.unpack(this.tmp, 0, m.cur);
      m.violation = null;
      const v = m.checkInvariants()!;
      event = { kind: 'invariant', rank: Math.floor(best / MAX_SUCCESSORS), j: best % MAX_SUCCESSORS, at: id * this.N + this.me, prop: v.prop, reason: v.reason };
    }
    this.flagged.length = 0;
    this.sorted = sorted;
    return { inserted: n, sorted, event };
  }

  /**
   * Of the last layer: the successors generated and the new states stored before position (rank, j),
   * and the ample sets taken up to the state of that rank (its own was chosen before its successors).
   */
  countBefore(rank: number, j: number): { states: number; transitions: number; ampleStates: number } {
    let transitions = 0;
    let ampleStates = this.ampleBefore;
    for (let pos = 0; pos < this.expanded && this.rank[pos] <= rank; pos++) {
      transitions += this.rank[pos] < rank ? this.succ[pos] : Math.min(this.succ[pos], j);
      ampleStates += this.ampled[pos];
    }
    return { states: lowerBound(this.sorted, this.sorted.length, key(rank, j)), transitions, ampleStates };
  }

  /** Ample sets taken so far (partial-order reduction's statistic). */
  private get ampleStates(): number {
    return (this.statistics as { por?: { ampleStates: number } }).por?.ampleStates ?? 0;
  }

  /** State `id`'s packed words, parent address and transition (for a trace). */
  link(id: number): { words: Uint32Array; parent: number; via: number } {
    const words = new Uint32Array(this.W);
    this.store.read(id, words);
    return { words, parent: this.links.word(id, 0), via: this.links.word(id, 1) };
  }
}

/** The first index of `a[0..n)` (ascending) whose value is at least `v`. */
function lowerBound(a: Float64Array, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
