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
// store, and per actor a backward breadth-first search from the states where it is at rest marks the
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
// state count; the search's `states` is unchanged.
import { IDLE, type Program } from '../lang/compile.ts';
import type { BusyDef } from '../lang/model.ts';
import { exploreBfs, traceTo, type ExploreOptions, type ExploreResult, type Found, type RawStep } from './bfs.ts';
import { genExpand } from './expand.ts';
import { grown } from './grow.ts';
import { Machine } from './machine.ts';
import type { StateStore } from './store.ts';

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
  readonly found?: Found;
  readonly trace?: readonly RawStep[];
}

/** Stuck-actor check after a complete search `main` of `prog` (limits as in `opts`). */
export function checkStuck(prog: Program, main: ExploreResult, opts: ExploreOptions = {}): StuckResult {
  const t0 = performance.now();
  const reuse = !main.por && !main.symmetry;
  let store = main.store;
  let extraBytes = 0;
  if (!reuse) {
    const g = exploreBfs(prog, { maxStates: opts.maxStates, maxSeconds: opts.maxSeconds, maxMemoryBytes: opts.maxMemoryBytes, deadlock: false, onProgress: opts.onProgress });
    const base = { states: g.states, transitions: g.transitions, seconds: (performance.now() - t0) / 1000, bytes: g.bytes, graph: 'unreduced' as const };
    if (g.verdict === 'incomplete') return { ...base, verdict: 'incomplete', limit: `${g.limit} (the unreduced exploration of the stuck-actor check)` };
    // A violation the reduced search did not find would be a reduction's fault: report it as found.
    if (g.verdict !== 'ok') return { ...base, verdict: g.verdict, found: g.found, trace: g.trace };
    store = g.store;
    extraBytes = g.bytes;
  }
  const graph = buildGraph(prog, store);
  const s = findStuck(prog, store, graph);
  const base = { states: store.count, transitions: graph.edges, seconds: (performance.now() - t0) / 1000, bytes: extraBytes + graph.bytes, graph: reuse ? ('search' as const) : ('unreduced' as const) };
  if (s === null) return { ...base, verdict: 'ok' };
  return { ...base, verdict: 'violation', found: { kind: 'stuck', prop: -1, reason: s.reason }, trace: traceTo(store, s.state) };
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

/** Per (state, obligation): REST (not busy) and MOVES (an actor's: a step of its procedure is enabled there). */
const REST = 1;
const MOVES = 2;

interface Graph {
  readonly actors: Obligations;
  /** flags[s * actors.n + a]: REST | MOVES. */
  readonly flags: Uint8Array;
  /** Predecessors of state s: pred[predAt[s] .. predAt[s + 1]). */
  readonly predAt: Uint32Array;
  readonly pred: Uint32Array;
  readonly edges: number;
  readonly bytes: number;
}

/** Expands every stored state again (every enabled transition) and builds the predecessor lists. */
function buildGraph(prog: Program, store: StateStore): Graph {
  const V = store.count;
  const W = prog.words;
  const actors = obligations(prog);
  const nActors = actors.n - actors.busy.length;
  const A = actors.n;
  const m = new Machine(prog);
  const base = new Int32Array(m.cur.length);
  const tmp = new Uint32Array(W);
  const flags = new Uint8Array(V * A);
  const kindOfStep = Int32Array.from(prog.steps.map((st) => prog.actorKinds.findIndex((k) => k.name === st.actorKind)));
  const seqStep = Uint8Array.from(prog.steps.map((st) => (st.kind === 'seq' ? 1 : 0)));
  // Forward edges, state by state in id order: successors of s are to[at[s] .. at[s + 1]).
  const at = new Uint32Array(V + 1);
  let to = new Uint32Array(Math.max(16, V * 2));
  let e = 0;
  let s = 0;
  const expand = genExpand(prog, m, tmp, (step, actor) => {
    const t = store.find(tmp);
    if (t < 0) throw new Error('internal: a successor of a stored state is not stored (the search was not complete)');
    if (e === to.length) to = grown(to, e + 1);
    to[e++] = t;
    const g = actors.first[kindOfStep[step]];
    if (g >= 0 && seqStep[step] === 1) flags[s * A + g + actor] |= MOVES;
    return false;
  });
  for (s = 0; s < V; s++) {
    at[s] = e;
    prog.unpack(store.arena, s * W, base);
    for (let a = 0; a < nActors; a++) {
      const k = prog.actorKinds[actors.kind[a]];
      if (base[k.pcSlot + actors.instance[a] * k.ctlStride] === IDLE) flags[s * A + a] |= REST;
    }
    m.cur.set(base);
    m.ctx.cpu = -1;
    for (let b = 0; b < actors.busy.length; b++) if (!actors.busy[b].def.when(m.view)) flags[s * A + nActors + b] |= REST;
    expand(base);
  }
  at[V] = e;
  // Predecessor lists (counting sort of the edges by target).
  const predAt = new Uint32Array(V + 1);
  for (let i = 0; i < e; i++) predAt[to[i] + 1]++;
  for (let v = 0; v < V; v++) predAt[v + 1] += predAt[v];
  const fill = predAt.slice(0, V);
  const pred = new Uint32Array(e);
  for (let v = 0; v < V; v++) for (let i = at[v]; i < at[v + 1]; i++) pred[fill[to[i]]++] = v;
  const bytes = flags.byteLength + at.byteLength + to.byteLength + predAt.byteLength + fill.byteLength + pred.byteLength;
  return { actors, flags, predAt, pred, edges: e, bytes };
}

/**
 * The stuck state to report: per actor, a backward search from its rest states marks the states from
 * which it can get back to rest; among the unmarked states where it is busy, the first in BFS order
 * (a shortest trace) where its procedure's step is blocked (the guard is false: the wait itself),
 * or, if it never blocks (it keeps looping), the first one; for a model's `busy` entry, the first one.
 */
function findStuck(prog: Program, store: StateStore, g: Graph): { state: number; reason: string } | null {
  const V = store.count;
  const A = g.actors.n;
  const nActors = A - g.actors.busy.length;
  const canRest = new Uint8Array(V);
  const queue = new Uint32Array(V);
  let best = -1;
  let bestActor = -1;
  let bestBlocked = false;
  for (let a = 0; a < A; a++) {
    canRest.fill(0);
    let head = 0;
    let tail = 0;
    for (let v = 0; v < V; v++) {
      if ((g.flags[v * A + a] & REST) !== 0) {
        canRest[v] = 1;
        queue[tail++] = v;
      }
    }
    while (head < tail) {
      const v = queue[head++];
      for (let i = g.predAt[v]; i < g.predAt[v + 1]; i++) {
        const u = g.pred[i];
        if (canRest[u] === 0) {
          canRest[u] = 1;
          queue[tail++] = u;
        }
      }
    }
    let first = -1;
    let blocked = -1;
    for (let v = 0; v < V && blocked < 0; v++) {
      if (canRest[v] !== 0) continue;
      if (first < 0) first = v;
      if (a < nActors && (g.flags[v * A + a] & MOVES) === 0) blocked = v;
    }
    // Prefer a blocked state; among those (or, if none, among the others) the earliest.
    const pick = blocked >= 0 ? blocked : first;
    if (pick < 0) continue;
    if (best < 0 || (blocked >= 0 && !bestBlocked) || ((blocked >= 0) === bestBlocked && pick < best)) {
      best = pick;
      bestActor = a;
      bestBlocked = blocked >= 0;
    }
  }
  if (best < 0) return null;
  const base = new Int32Array(prog.layout.slots.length);
  prog.unpack(store.arena, best * prog.words, base);
  const ki = g.actors.kind[bestActor];
  const i = g.actors.instance[bestActor];
  if (ki < 0) {
    const m = new Machine(prog);
    m.cur.set(base);
    const b = g.actors.busy[i];
    return { state: best, reason: busyReason(b.name, b.def.what(m.view)) };
  }
  const k = prog.actorKinds[ki];
  const at = k.pcSlot + i * k.ctlStride;
  const pc = base[at];
  const sp = base[at + 1];
  const callers: string[] = [];
  for (let j = sp - 1; j >= 0; j--) callers.push(k.pcNames[base[at + 2 + j]]);
  const st = prog.steps.find((x) => x.actorKind === k.name && x.kind === 'seq' && x.pc === pc)!;
  return { state: best, reason: stuckReason(`${k.name}${i}`, k.pcNames[pc], st.text, callers, bestBlocked) };
}

/**
 * The sentence for an actor stuck at `at` (`proc:label`, its step described by `text`), with the
 * return points of the frames below it (innermost first). The reference explorer words its verdict
 * with the same function, so the two explorers' reasons compare as strings.
 */
export function stuckReason(actor: string, at: string, text: string, callers: readonly string[], blocked: boolean): string {
  const [proc, label] = splitName(at);
  const from = callers.filter((c) => c !== 'idle').map((c) => `, called from ${splitName(c)[0]} (returning to ${splitName(c)[1]})`).join('');
  return blocked
    ? `${actor} is stuck in ${proc} at ${label} (${text})${from}: that step's guard is false here, and no execution from here brings ${actor} back to rest`
    : `${actor} never gets back to rest from ${proc} at ${label} (${text})${from}: every execution from here keeps it inside its procedures`;
}

/** The sentence for a model's `busy` entry `name` that can no longer end (`what`: what is in progress). */
export function busyReason(name: string, what: string): string {
  return `${name} never completes: ${what}, and no execution from here ends it`;
}

function splitName(name: string): [string, string] {
  const i = name.lastIndexOf(':');
  return [name.slice(0, i), name.slice(i + 1)];
}
