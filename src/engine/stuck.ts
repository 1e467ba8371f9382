// Stuck actors: a reachable state in which an actor is inside a procedure and no execution from there
// brings it back to rest (its idle pc, with an empty return stack) — AG (busy(a) -> EF rest(a)). A
// flush initiator that waits for an IPI ack that never comes (flush_tlb_mm_range's wait in
// smp_call_function_many_cond), or a membarrier caller whose synchronize_rcu() never returns, is stuck
// in this sense even though NMIs, TLB fills, store-buffer drains and other CPUs keep moving, so the
// search never meets a state with no enabled step (a deadlock).
//
// "Back to rest" rather than "takes a step": an NMI or IPI taken by the waiting CPU runs its handler's
// steps and returns to the wait, so "the actor can still take a step" would hold for every waiting
// CPU that can take an interrupt. Returning to rest is what "the procedure it is in completes" means
// for an actor whose procedures all end; an actor kind with no procedures (only rules) is always at
// rest.
//
// The check runs after a complete search, on the transition graph: every stored state is expanded
// again (every enabled transition, in the explorer's order), each successor is looked up in the
// store — or, when the check explores the graph itself, its exploration records the transitions as it
// takes them (EdgeLog) and no state is expanded twice —, and per actor a backward breadth-first search from the states where it is at rest marks the
// states from which it can get there. A state left unmarked with the actor busy is stuck. Memory and
// time are proportional to states × actors + transitions, all in typed arrays.
//
// Reductions: the graph must be the full one. Partial-order reduction with the BFS cycle proviso
// preserves reachability of the states its invariants and monitors look at, not a branching property
// like EF rest (an ample set may leave out, from some state, the only path on which a waiting CPU is
// released, and a state in which it is stuck may not be stored at all), and under symmetry a stored
// representative names its actors in another order than the execution that reached it. So when the
// search stored a reduced graph, the stuck check explores the unreduced one itself (no partial-order
// reduction, no symmetry, no sleep sets: every reachable state, every transition) and reports its own
// state count; the search's `states` is unchanged. (A partial-order reduction that never took an ample
// set expanded every state fully: its graph is the unreduced one.)
//
// When no actor is stuck, the liveness properties are checked on the same graph, as fair cycles
// (liveness.ts); `stuckFrom` re-checks a stored stuck trace by exploring what is reachable from its end.
import { IDLE, type Program } from '../lang/compile.ts';
import type { BusyDef } from '../lang/model.ts';
import { exploreBfs, INTERRUPT, traceTo, type EdgeSink, type ExploreOptions, type ExploreResult, type Found, type RawStep } from './bfs.ts';
import { genExpand } from './expand.ts';
import { grown } from './grow.ts';
import { Machine } from './machine.ts';
import { findFairCycle, type FairGraph } from './liveness.ts';
import { boundedSteps } from './obligations.ts';
import { NO_PARENT, StateStore, type VisitedStore } from './store.ts';
import { encodeVia, viaActor, viaStep } from './via.ts';

export interface StuckResult {
  readonly verdict: 'ok' | 'violation' | 'incomplete' | 'error';
  /** States and transitions of the graph analysed. */
  readonly states: number;
  readonly transitions: number;
  readonly seconds: number;
  /** Bytes of the graph: its own state store (when it explored one) and the edge arrays. */
  readonly bytes: number;
  /** `search`: the search's own (unreduced) graph; `unreduced`: an unreduced exploration of its own. */
  readonly graph: 'search' | 'unreduced';
  readonly limit?: string;
  readonly found?: Found | { readonly kind: 'liveness'; readonly prop: number; readonly reason: string };
  readonly trace?: readonly RawStep[];
  /** For a liveness violation (a lasso): the trace is the stem, then from this index the cycle. */
  readonly cycleAt?: number;
}

/** Stuck-actor check after a complete search `main` of `prog` (limits as in `opts`). */
export function checkStuck(prog: Program, main: ExploreResult, opts: ExploreOptions = {}): StuckResult {
  const t0 = performance.now();
  // No reduction left a state out (partial-order reduction that never took an ample set, sleep sets).
  const reuse = main.everyState;
  let store = main.store;
  let extraBytes = 0;
  let log: EdgeLog | null = null;
  if (!reuse) {
    // The limits hold for the search and this exploration together: the time left, the states and bytes.
    const maxSeconds = opts.maxSeconds === undefined ? undefined : Math.max(0, opts.maxSeconds - main.seconds);
    log = new EdgeLog();
    const g = exploreBfs(prog, { maxStates: opts.maxStates, maxSeconds, maxMemoryBytes: opts.maxMemoryBytes, deadlock: false, onProgress: opts.onProgress, progressMs: opts.progressMs, shouldStop: opts.shouldStop, edges: log });
    const base = { states: g.states, transitions: g.transitions, seconds: (performance.now() - t0) / 1000, bytes: g.bytes, graph: 'unreduced' as const };
    if (g.verdict === 'incomplete') return { ...base, verdict: 'incomplete', limit: g.limit === INTERRUPT ? INTERRUPT : `${g.limit} (the unreduced exploration of the stuck-actor check)` };
    // A violation the reduced search did not find would be a reduction's fault: report it as found.
    if (g.verdict !== 'ok') return { ...base, verdict: g.verdict, found: g.found, trace: g.trace };
    store = g.store;
    extraBytes = g.bytes;
  }
  const graph = buildGraph(prog, store, log);
  const base = { states: store.count, transitions: graph.edges, seconds: (performance.now() - t0) / 1000, bytes: extraBytes + graph.bytes, graph: reuse ? ('search' as const) : ('unreduced' as const) };
  const maxBytes = opts.maxMemoryBytes ?? Infinity;
  // --max-memory is the whole process's resident memory (the search's store, this graph, the heap).
  if (process.memoryUsage.rss() > maxBytes) return { ...base, verdict: 'incomplete', limit: `max-memory ${Math.round(maxBytes / 2 ** 20)} MiB (the stuck-actor check's graph)` };
  const s = findStuck(prog, store, graph);
  if (s === null) {
    // No stuck actor: the liveness properties, as fair cycles of the same graph (liveness.ts).
    const l = findFairCycle(prog, store, graph);
    const done = { ...base, seconds: (performance.now() - t0) / 1000 };
    if (l === null) return { ...done, verdict: 'ok' };
    return { ...done, verdict: 'violation', found: { kind: 'liveness', prop: l.prop, reason: l.reason }, trace: [...l.stem, ...l.cycle], cycleAt: l.stem.length };
  }
  return { ...base, verdict: 'violation', found: { kind: 'stuck', prop: -1, reason: s.reason }, trace: traceTo(store, s.state) };
}

/**
 * Re-checks a stored stuck trace: explores every state reachable from `end` (an unpacked state, the
 * trace's last) and runs the stuck check on that graph. An obligation that cannot get back to rest
 * from `end` is busy in every state reachable from it, so a stuck state of this graph is one of the
 * trace's end. Returns the reason, or null when everything busy at the end can still get back to rest.
 */
export function stuckFrom(prog: Program, end: Int32Array, maxStates = 5_000_000): string | null {
  const m = new Machine(prog);
  const base = new Int32Array(m.cur.length);
  const tmp = new Uint32Array(prog.words);
  const store = new StateStore(prog.words);
  const expand = genExpand(prog, m, tmp, () => {
    store.insert(tmp, 0, 0);
    return false;
  });
  prog.pack(end, tmp, 0);
  store.insert(tmp, NO_PARENT, 0);
  for (let id = 0; id < store.count; id++) {
    if (store.count > maxStates) throw new Error(`more than ${maxStates} states reachable from the trace's end`);
    store.read(id, tmp);
    prog.unpack(tmp, 0, base);
    m.cur.set(base);
    expand(base);
  }
  const s = findStuck(prog, store, buildGraph(prog, store));
  return s === null ? null : s.reason;
}

/**
 * What must always be able to finish: each actor with control state (busy while it is not at its idle
 * pc), then each of the model's `busy` entries (busy while it names something in progress).
 */
interface Obligations {
  readonly n: number;
  /** Per obligation: the actor kind index and instance, or -1 for a model entry. */
  readonly kind: Int32Array;
  readonly instance: Int32Array;
  /** Global number of instance 0 of each actor kind (-1 for a kind without control state). */
  readonly first: Int32Array;
  /** The model's entries, numbered from `n - busy.length`. */
  readonly busy: readonly { readonly name: string; readonly def: BusyDef<any> }[];
}

function obligations(prog: Program): Obligations {
  const kind: number[] = [];
  const instance: number[] = [];
  const first = new Int32Array(prog.actorKinds.length).fill(-1);
  prog.actorKinds.forEach((k, ki) => {
    if (k.pcSlot < 0) return;
    first[ki] = kind.length;
    for (let a = 0; a < k.count; a++) {
      kind.push(ki);
      instance.push(a);
    }
  });
  const { model, params, flags } = prog.instance;
  const busy = Object.entries(model.busy?.(params, flags) ?? {}).map(([name, def]) => ({ name, def }));
  for (let b = 0; b < busy.length; b++) {
    kind.push(-1);
    instance.push(b);
  }
  return { n: kind.length, kind: Int32Array.from(kind), instance: Int32Array.from(instance), first, busy };
}

/**
 * Per (state, obligation): REST (not busy) and MOVES (an actor: a step of its procedures is enabled
 * there; a model entry: a transition from there changes where it is).
 */
const REST = 1;
const MOVES = 2;

interface Graph extends FairGraph {
  readonly obl: Obligations;
  /** flags[s * obl.n + j]: REST | MOVES. */
  readonly flags: Uint8Array;
  /** Predecessors of state s: pred[predAt[s] .. predAt[s + 1]). */
  readonly predAt: Uint32Array;
  readonly pred: Uint32Array;
  readonly edges: number;
  readonly bytes: number;
}

/**
 * The transitions of an exploration as it takes them: state s's are to[at[s] .. at[s + 1]), in the
 * order the expander takes them (states are expanded in id order, so each state's are contiguous).
 */
class EdgeLog implements EdgeSink {
  at = new Uint32Array(1 << 16);
  to = new Uint32Array(1 << 16);
  via = new Uint32Array(1 << 16);
  count = 0;
  /** The first state whose start in `to` is not set yet. */
  private next = 0;

  add(from: number, to: number, via: number): void {
    if (from + 1 >= this.at.length) this.at = grown(this.at, from + 2);
    while (this.next <= from) this.at[this.next++] = this.count;
    if (this.count === this.to.length) {
      this.to = grown(this.to, this.count + 1);
      this.via = grown(this.via, this.count + 1);
    }
    this.to[this.count] = to;
    this.via[this.count++] = via;
  }

  /** Closes the log for `states` states (the last ones may have no transitions): `at` is then exactly states + 1 long. */
  finish(states: number): void {
    if (states >= this.at.length) this.at = grown(this.at, states + 1);
    while (this.next <= states) this.at[this.next++] = this.count;
    this.at = this.at.subarray(0, states + 1);
  }
}

/**
 * The transition graph of the stored states and its predecessor lists: from the transitions the
 * exploration recorded (`log`), or by expanding every stored state again (every enabled transition).
 */
function buildGraph(prog: Program, store: VisitedStore, log: EdgeLog | null = null): Graph {
  const V = store.count;
  const W = prog.words;
  const obl = obligations(prog);
  const A = obl.n;
  const nActors = A - obl.busy.length;
  const B = obl.busy.length;
  const m = new Machine(prog);
  const base = new Int32Array(m.cur.length);
  const tmp = new Uint32Array(W);
  const packed = new Uint32Array(W);
  const flags = new Uint8Array(V * A);
  const where = new Int32Array(V * B); // each model entry's `at` per state
  const kindOfStep = Int32Array.from(prog.steps.map((st) => prog.actorKinds.findIndex((k) => k.name === st.actorKind)));
  const seqStep = Uint8Array.from(prog.steps.map((st) => (st.kind === 'seq' ? 1 : 0)));
  // Forward edges, state by state in id order: successors of s are to[at[s] .. at[s + 1]).
  log?.finish(V);
  const at = log !== null ? log.at : new Uint32Array(V + 1);
  let to = log !== null ? log.to : new Uint32Array(Math.max(16, V * 2));
  let via = log !== null ? log.via : new Uint32Array(to.length);
  const cutAt = new Uint8Array(V);
  let e = 0;
  const expand = genExpand(prog, m, tmp, (step, actor, choice) => {
    const t = store.find(tmp);
    if (t < 0) throw new Error('internal: a successor of a stored state is not stored (the search was not complete)');
    if (e === to.length) {
      to = grown(to, e + 1);
      via = grown(via, e + 1);
    }
    via[e] = encodeVia(step, actor, choice);
    to[e++] = t;
    return false;
  });
  const bounds = boundedSteps(prog);
  for (let s = 0; s < V; s++) {
    if (log === null) at[s] = e;
    store.read(s, packed);
    prog.unpack(packed, 0, base);
    m.cur.set(base);
    m.ctx.cpu = -1;
    let cut = false;
    for (let a = 0; a < nActors; a++) {
      const k = prog.actorKinds[obl.kind[a]];
      const pc = base[k.pcSlot + obl.instance[a] * k.ctlStride];
      if (pc === IDLE) flags[s * A + a] |= REST;
      const bounded = bounds[obl.kind[a]][pc];
      if (bounded !== null && bounded(m.view, obl.instance[a])) cut = true;
    }
    for (let b = 0; b < B; b++) {
      const w = obl.busy[b].def.at(m.view);
      where[s * B + b] = w;
      if (w === 0) flags[s * A + nActors + b] |= REST;
    }
    if (cut) {
      cutAt[s] = 1;
      for (let j = 0; j < A; j++) flags[s * A + j] |= REST;
    }
    if (log === null) expand(base);
  }
  if (log !== null) e = log.count;
  at[V] = e;
  // A transition moves its actor (a step of a sequential procedure) and every model entry whose `at` it changes.
  for (let v = 0; v < V; v++)
    for (let i = at[v]; i < at[v + 1]; i++) {
      const step = viaStep(via[i]);
      const g = obl.first[kindOfStep[step]];
      if (g >= 0 && seqStep[step] === 1) flags[v * A + g + viaActor(via[i])] |= MOVES;
      for (let b = 0; b < B; b++) if (where[to[i] * B + b] !== where[v * B + b]) flags[v * A + nActors + b] |= MOVES;
    }
  // Predecessor lists (counting sort of the edges by target).
  const predAt = new Uint32Array(V + 1);
  for (let i = 0; i < e; i++) predAt[to[i] + 1]++;
  for (let v = 0; v < V; v++) predAt[v + 1] += predAt[v];
  const fill = predAt.slice(0, V);
  const pred = new Uint32Array(e);
  for (let v = 0; v < V; v++) for (let i = at[v]; i < at[v + 1]; i++) pred[fill[to[i]]++] = v;
  const bytes = flags.byteLength + where.byteLength + at.buffer.byteLength + to.buffer.byteLength + via.buffer.byteLength + cutAt.byteLength + predAt.byteLength + fill.byteLength + pred.byteLength;
  return { obl, flags, predAt, pred, edges: e, bytes, at, to, via, cut: cutAt };
}

/** How definite a stuck state is: it never moves again, it is blocked here, it just never gets back to rest. */
const FOREVER = 3;
const BLOCKED = 2;
const BUSY = 1;

/** Marks in `mark` the states from which some state with `bit` set for obligation j is reachable. */
function canReach(g: Graph, j: number, bit: number, mark: Uint8Array, queue: Uint32Array): void {
  const V = mark.length;
  const A = g.obl.n;
  mark.fill(0);
  let head = 0;
  let tail = 0;
  for (let v = 0; v < V; v++) {
    if ((g.flags[v * A + j] & bit) !== 0) {
      mark[v] = 1;
      queue[tail++] = v;
    }
  }
  while (head < tail) {
    const v = queue[head++];
    for (let i = g.predAt[v]; i < g.predAt[v + 1]; i++) {
      const u = g.pred[i];
      if (mark[u] === 0) {
        mark[u] = 1;
        queue[tail++] = u;
      }
    }
  }
}

/**
 * The stuck state to report. Per obligation, backward searches mark the states from which it can get
 * back to rest, and those from which it can still move; an unmarked busy state is stuck. Reported is
 * the most definite kind of stuck state, the first in BFS order (a shortest trace): one from which
 * the obligation never moves again (the guard of the step it waits at stays false), else one where
 * it is blocked, else (it keeps looping) the first stuck state; ties go to the first obligation.
 */
function findStuck(prog: Program, store: VisitedStore, g: Graph): { state: number; reason: string } | null {
  const V = store.count;
  const A = g.obl.n;
  const canRest = new Uint8Array(V);
  const canMove = new Uint8Array(V);
  const queue = new Uint32Array(V);
  let best = -1;
  let bestJ = -1;
  let bestRank = 0;
  for (let j = 0; j < A; j++) {
    canReach(g, j, REST, canRest, queue);
    let rank = 0;
    let pick = -1;
    for (let v = 0; v < V; v++) {
      if (canRest[v] !== 0) continue;
      if (rank === 0) canReach(g, j, MOVES, canMove, queue); // only for an obligation that is stuck somewhere
      const r = canMove[v] === 0 ? FOREVER : (g.flags[v * A + j] & MOVES) === 0 ? BLOCKED : BUSY;
      if (r > rank) {
        rank = r;
        pick = v;
        if (r === FOREVER) break;
      }
    }
    if (rank > bestRank) {
      best = pick;
      bestJ = j;
      bestRank = rank;
    }
  }
  if (best < 0) return null;
  return { state: best, reason: describe(prog, store, g.obl, bestJ, best, bestRank) };
}

/** The sentence for obligation j stuck in state v. */
function describe(prog: Program, store: VisitedStore, obl: Obligations, j: number, v: number, rank: number): string {
  const base = new Int32Array(prog.layout.slots.length);
  const packed = new Uint32Array(prog.words);
  store.read(v, packed);
  prog.unpack(packed, 0, base);
  const ki = obl.kind[j];
  const i = obl.instance[j];
  if (ki < 0) {
    const m = new Machine(prog);
    m.cur.set(base);
    const b = obl.busy[i];
    return busyReason(b.name, b.def.what(m.view), rank === FOREVER);
  }
  const k = prog.actorKinds[ki];
  const at = k.pcSlot + i * k.ctlStride;
  const pc = base[at];
  const sp = base[at + 1];
  const callers: string[] = [];
  for (let d = sp - 1; d >= 0; d--) callers.push(k.pcNames[base[at + 2 + d]]);
  const st = prog.steps.find((x) => x.actorKind === k.name && x.kind === 'seq' && x.pc === pc)!;
  return stuckReason(`${k.name}${i}`, k.pcNames[pc], st.text, callers, rank === FOREVER ? 'forever' : rank === BLOCKED ? 'blocked' : 'looping');
}

/**
 * The sentence for an actor stuck at `at` (`proc:label`, its step described by `text`), with the
 * return points of the frames below it (innermost first): `forever` when it never takes a step again,
 * `blocked` when that step's guard is false here, `looping` when it keeps taking steps. The reference
 * explorer words its verdict with the same function, so the two explorers' reasons compare as strings.
 */
export function stuckReason(actor: string, at: string, text: string, callers: readonly string[], how: 'forever' | 'blocked' | 'looping'): string {
  const [proc, label] = splitName(at);
  const from = callers.filter((c) => c !== 'idle').map((c) => `, called from ${splitName(c)[0]} (returning to ${splitName(c)[1]})`).join('');
  const where = `${proc} at ${label} (${text})${from}`;
  if (how === 'forever') return `${actor} is stuck in ${where}: that step's guard stays false in every state reachable from here`;
  if (how === 'blocked') return `${actor} is stuck in ${where}: that step's guard is false here, and no execution from here brings ${actor} back to rest`;
  return `${actor} never gets back to rest from ${where}: every execution from here keeps it inside its procedures`;
}

/** The sentence for a model's `busy` entry `name` that can no longer end (`what`: where it is). */
export function busyReason(name: string, what: string, forever: boolean): string {
  return `${name} never completes: ${what}${forever ? ', and stays there in every execution from here' : ', and no execution from here ends it'}`;
}

function splitName(name: string): [string, string] {
  const i = name.lastIndexOf(':');
  return [name.slice(0, i), name.slice(i + 1)];
}
