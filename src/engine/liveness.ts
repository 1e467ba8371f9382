// Liveness under weak fairness: "whenever X starts, X completes" for the waits the properties name
// (`kind: 'liveness'`, `completes`: a procedure such as flush_tlb_mm_range, whose csd_lock_wait waits
// for the IPIs' acks, or a model's busy entry such as the membarrier call or an RCU grace period).
// A violation is a fair cycle on which X stays open, reachable from the initial state: a lasso.
//
// Fairness is weak and per unit: each actor instance's program (the steps of its seq procedures) is
// one unit, and each of its rules procedures (hardware events: IPI delivery, a store-buffer drain, an
// NMI, a TLB fill) is another. A unit continuously enabled on the cycle must take a step on it. So an
// initiator waiting in csd_lock_wait while the target's IPI is pending with IRQs on is no violation:
// delivery is enabled throughout and never taken, so the cycle is unfair. A wait that can only be left
// in a window another CPU keeps opening and closing is one: the waiting step is enabled only now and
// then, and weak fairness does not force it.
//
// The check runs on the stuck check's graph (every stored state, every transition, in the explorer's
// order; the unreduced graph when the search reduced, see stuck.ts), per obligation — a liveness
// property and, for a procedure, each actor instance of its kind: Tarjan's algorithm (iterative)
// finds the strongly connected components of the subgraph of states where X is open (and no scope
// bound cuts the behaviour off, as for the stuck check); a component with an edge inside it has a fair
// cycle exactly when every unit enabled in all of its states takes a step on one of its inner edges
// (weak fairness needs no decomposition of a component: a unit enabled everywhere in it is enabled
// everywhere in every part of it). Reported is the component with the smallest state id (the
// shortest stem, as ids are in BFS order), the first obligation first. Memory: O(states) per
// obligation, time O(states + transitions) per obligation.
import { IDLE, type Program } from '../lang/compile.ts';
import { decodeVia, type RawStep } from './via.ts';
import { genExpand } from './expand.ts';
import { Machine } from './machine.ts';
import { isOpen, obligationsOf, type Obligation } from './obligations.ts';
import { NO_PARENT, type VisitedStore } from './store.ts';
import { viaActor, viaStep } from './via.ts';

/** The transition graph the check runs on: successors of s are to[at[s] .. at[s + 1]), taken by via[i]. */
export interface FairGraph {
  readonly at: Uint32Array;
  readonly to: Uint32Array;
  readonly via: Uint32Array;
  /** States where a scope bound ends the explored behaviour (every obligation counts as done there). */
  readonly cut: Uint8Array;
}

export interface Lasso {
  /** Index of the liveness property in prog.instance.properties. */
  readonly prop: number;
  readonly reason: string;
  /** From the initial state to the first state of the cycle, then the cycle back to that state. */
  readonly stem: readonly RawStep[];
  readonly cycle: readonly RawStep[];
}

/** The liveness properties of the program as obligations, in property order (procedure ones per actor). */
export function livenessObligations(prog: Program): Obligation[] {
  return prog.instance.properties.flatMap((p, i) => (p.kind === 'liveness' ? obligationsOf(prog, i) : []));
}

/**
 * Fairness units: per step and actor instance, `unitBase[step] + actor * unitStride[step]`. Each
 * actor instance's seq steps form one unit; each rules procedure of its kind another.
 */
export interface Units {
  readonly count: number;
  readonly base: Int32Array;
  readonly stride: Int32Array;
  /** Unit → a name (`cpu1 ipi`, `cpu0 program`). */
  readonly names: readonly string[];
}

export function fairnessUnits(prog: Program): Units {
  const base = new Int32Array(prog.steps.length);
  const stride = new Int32Array(prog.steps.length);
  const names: string[] = [];
  let count = 0;
  for (const k of prog.actorKinds) {
    const mine = prog.steps.filter((s) => s.actorKind === k.name);
    const groups = [...new Set(mine.map((s) => (s.kind === 'seq' ? '' : s.proc)))];
    for (const s of mine) {
      base[s.id] = count + groups.indexOf(s.kind === 'seq' ? '' : s.proc);
      stride[s.id] = groups.length;
    }
    for (let a = 0; a < k.count; a++) for (const g of groups) names.push(`${k.name}${a} ${g === '' ? 'program' : g}`);
    count += k.count * groups.length;
  }
  return { count, base, stride, names };
}

/** Which states an obligation is open in (X started and not completed, and no bound cut it off). */
function openStates(prog: Program, store: VisitedStore, g: FairGraph, o: Obligation, out: Uint8Array): void {
  const m = new Machine(prog);
  const packed = new Uint32Array(prog.words);
  const base = m.cur;
  for (let v = 0; v < out.length; v++) {
    store.read(v, packed);
    prog.unpack(packed, 0, base);
    out[v] = g.cut[v] === 0 && isOpen(prog, m, o) ? 1 : 0;
  }
}

/** The first fair cycle on which some liveness property's X stays open, as a lasso; null when there is none. */
export function findFairCycle(prog: Program, store: VisitedStore, g: FairGraph): Lasso | null {
  const obls = livenessObligations(prog);
  if (obls.length === 0) return null;
  const V = store.count;
  const units = fairnessUnits(prog);
  const open = new Uint8Array(V);
  const t = new Tarjan(V, units);
  for (const o of obls) {
    openStates(prog, store, g, o, open);
    const root = t.run(g, open);
    if (root < 0) continue;
    const { stem, cycle } = lasso(store, g, t, units, root);
    return { prop: o.prop, reason: describe(prog, store, o, root), stem, cycle };
  }
  return null;
}

/** Iterative Tarjan over the open states, with the weak-fairness test of each component as it closes. */
class Tarjan {
  readonly index: Int32Array;
  readonly low: Int32Array;
  /** The component of each state (its number, from 1), 0 for a state not visited. */
  readonly comp: Int32Array;
  private readonly stack: Uint32Array;
  private readonly onStack: Uint8Array;
  private readonly callV: Uint32Array;
  private readonly callE: Uint32Array;
  /** Per unit: the last state that counted it as enabled, the component it was last touched in, counts. */
  private readonly seenAt: Int32Array;
  private readonly touchedIn: Int32Array;
  private readonly enabledIn: Int32Array;
  private readonly taken: Uint8Array;
  private readonly touched: Int32Array;
  /** The component of the best fair cycle so far (smallest member id) and that id. */
  best = 0;
  bestRoot = -1;

  constructor(V: number, private readonly units: Units) {
    this.index = new Int32Array(V);
    this.low = new Int32Array(V);
    this.comp = new Int32Array(V);
    this.stack = new Uint32Array(V);
    this.onStack = new Uint8Array(V);
    this.callV = new Uint32Array(V);
    this.callE = new Uint32Array(V);
    this.seenAt = new Int32Array(units.count);
    this.touchedIn = new Int32Array(units.count);
    this.enabledIn = new Int32Array(units.count);
    this.taken = new Uint8Array(units.count);
    this.touched = new Int32Array(units.count);
  }

  /** The smallest state id on a fair cycle of open states (its component in `best`), or -1. */
  run(g: FairGraph, open: Uint8Array): number {
    const { index, low, comp, stack, onStack, callV, callE } = this;
    const { at, to } = g;
    index.fill(-1);
    comp.fill(0);
    this.seenAt.fill(-1);
    this.touchedIn.fill(0);
    this.best = 0;
    this.bestRoot = -1;
    let counter = 0;
    let sp = 0;
    let comps = 0;
    const V = index.length;
    for (let r = 0; r < V; r++) {
      if (open[r] === 0 || index[r] >= 0) continue;
      index[r] = low[r] = counter++;
      stack[sp++] = r;
      onStack[r] = 1;
      callV[0] = r;
      callE[0] = at[r];
      let d = 1;
      while (d > 0) {
        const v = callV[d - 1];
        const i = callE[d - 1];
        if (i < at[v + 1]) {
          callE[d - 1] = i + 1;
          const w = to[i];
          if (open[w] === 0) continue;
          if (index[w] < 0) {
            index[w] = low[w] = counter++;
            stack[sp++] = w;
            onStack[w] = 1;
            callV[d] = w;
            callE[d] = at[w];
            d++;
          } else if (onStack[w] === 1 && index[w] < low[v]) low[v] = index[w];
          continue;
        }
        d--;
        if (d > 0) {
          const u = callV[d - 1];
          if (low[v] < low[u]) low[u] = low[v];
        }
        if (low[v] !== index[v]) continue;
        // v is the root of a component: its members are stack[k .. sp).
        let k = sp - 1;
        while (stack[k] !== v) k--;
        comps++;
        let min = V;
        for (let j = k; j < sp; j++) {
          const x = stack[j];
          comp[x] = comps;
          onStack[x] = 0;
          if (x < min) min = x;
        }
        if ((this.bestRoot < 0 || min < this.bestRoot) && this.fair(g, k, sp, comps)) {
          this.best = comps;
          this.bestRoot = min;
        }
        sp = k;
      }
    }
    return this.bestRoot;
  }

  /** Whether the component `c` (members stack[k .. sp)) has a weakly fair cycle. */
  private fair(g: FairGraph, k: number, sp: number, c: number): boolean {
    const { at, to, via } = g;
    const { seenAt, touchedIn, enabledIn, taken, touched, stack, comp } = this;
    const { base, stride } = this.units;
    let nt = 0;
    let inner = false;
    for (let j = k; j < sp; j++) {
      const x = stack[j];
      for (let i = at[x]; i < at[x + 1]; i++) {
        const v = via[i];
        const u = base[viaStep(v)] + viaActor(v) * stride[viaStep(v)];
        if (touchedIn[u] !== c) {
          touchedIn[u] = c;
          enabledIn[u] = 0;
          taken[u] = 0;
          touched[nt++] = u;
        }
        if (seenAt[u] !== x) {
          seenAt[u] = x;
          enabledIn[u]++;
        }
        if (comp[to[i]] === c) {
          taken[u] = 1;
          inner = true;
        }
      }
    }
    if (!inner) return false;
    const size = sp - k;
    for (let j = 0; j < nt; j++) if (taken[touched[j]] === 0 && enabledIn[touched[j]] === size) return false;
    return true;
  }
}

/**
 * The lasso through the best component from its smallest state `root`: the BFS-tree path to it, then
 * a cycle inside the component that takes, for each unit enabled somewhere in it, a step of that unit
 * (when one is inside) or passes a state where it is disabled — so the cycle itself is weakly fair.
 */
function lasso(store: VisitedStore, g: FairGraph, t: Tarjan, units: Units, root: number): { stem: RawStep[]; cycle: RawStep[] } {
  const V = store.count;
  const c = t.best;
  const { at, to, via } = g;
  const members: number[] = [];
  for (let v = root; v < V; v++) if (t.comp[v] === c) members.push(v);
  const unitOf = (i: number) => units.base[viaStep(via[i])] + viaActor(via[i]) * units.stride[viaStep(via[i])];
  // Per unit enabled in the component: an inner edge of it, or a member where it is disabled.
  const edgeOf = new Map<number, number>();
  const enabledAt = new Map<number, Set<number>>();
  for (const x of members) {
    for (let i = at[x]; i < at[x + 1]; i++) {
      const u = unitOf(i);
      if (!enabledAt.has(u)) enabledAt.set(u, new Set());
      enabledAt.get(u)!.add(x);
      if (t.comp[to[i]] === c && !edgeOf.has(u)) edgeOf.set(u, i);
    }
  }
  const cycle: RawStep[] = [];
  const parentEdge = new Int32Array(V).fill(-1);
  let cur = root;
  /** Appends the shortest path inside the component from `cur` to `target`. */
  const walk = (target: number): void => {
    if (cur === target) return;
    const queue = [cur];
    const seen = new Set([cur]);
    for (let h = 0; h < queue.length && !seen.has(target); h++) {
      const x = queue[h];
      for (let i = at[x]; i < at[x + 1]; i++) {
        const y = to[i];
        if (t.comp[y] !== c || seen.has(y)) continue;
        seen.add(y);
        parentEdge[y] = i;
        queue.push(y);
      }
    }
    const path: number[] = [];
    for (let y = target; y !== cur; ) {
      const i = parentEdge[y];
      path.push(i);
      y = sourceOf(at, i);
    }
    for (let j = path.length - 1; j >= 0; j--) cycle.push(decodeVia(via[path[j]]));
    cur = target;
  };
  for (const u of [...enabledAt.keys()].sort((a, b) => a - b)) {
    const i = edgeOf.get(u);
    if (i !== undefined) {
      walk(sourceOf(at, i));
      cycle.push(decodeVia(via[i]));
      cur = to[i];
    } else {
      const off = members.find((x) => !enabledAt.get(u)!.has(x))!;
      walk(off);
    }
  }
  walk(root);
  const stem: RawStep[] = [];
  for (let s = root; store.parentOf(s) !== NO_PARENT; s = store.parentOf(s)) stem.push(decodeVia(store.viaOf(s)));
  return { stem: stem.reverse(), cycle };
}

/** The state whose successors include edge i (at[] is sorted: a binary search). */
function sourceOf(at: Uint32Array, i: number): number {
  let lo = 0;
  let hi = at.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (at[mid] <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The reason for obligation `o` open forever on a fair cycle through state `v`. */
function describe(prog: Program, store: VisitedStore, o: Obligation, v: number): string {
  const m = new Machine(prog);
  const packed = new Uint32Array(prog.words);
  store.read(v, packed);
  prog.unpack(packed, 0, m.cur);
  if (o.busy !== null) {
    m.ctx.cpu = -1;
    return livenessReason(o.name, o.busy.what(m.view), null);
  }
  const k = prog.actorKinds[o.kind];
  const pc = m.cur[k.pcSlot + o.actor * k.ctlStride];
  const st = prog.steps.find((x) => x.actorKind === k.name && x.kind === 'seq' && x.pc === pc);
  return livenessReason(`${k.name}${o.actor}`, o.name, pc === IDLE || st === undefined ? k.pcNames[pc] : `${st.name} (${st.text})`);
}

/**
 * The sentence for a lasso: `who` (an actor, or a busy entry's name) with `what` (the procedure it is
 * in, or where the busy entry is) at `where` (the actor's step at the start of the cycle, or null).
 * The reference explorer words its verdict with this function, so the reasons compare as strings.
 */
export function livenessReason(who: string, what: string, where: string | null): string {
  const fair = 'every actor and hardware event enabled throughout the cycle takes a step on it (weak fairness)';
  if (where === null) return `${who} never completes: a fair cycle keeps it open forever, ${what}; ${fair}`;
  return `${who} never returns from ${what}: a fair cycle keeps it inside, at ${where}; ${fair}`;
}

/**
 * Re-checks a lasso on `prog`: replays `steps` (RawSteps), and asks that the state after
 * `steps[0..cycleAt)` recurs after the whole trace, that property `prop`'s X is open in every state of
 * the cycle for one obligation, and that every unit enabled in all the cycle's states takes a step on
 * it. Returns null when it holds, else why not.
 */
export function verifyLasso(prog: Program, steps: readonly RawStep[], cycleAt: number, prop: number): string | null {
  if (cycleAt < 0 || cycleAt >= steps.length) return `the cycle is empty (it starts at step ${cycleAt + 1} of ${steps.length})`;
  const obls = livenessObligations(prog).filter((o) => o.prop === prop);
  if (obls.length === 0) return `${prog.instance.properties[prop]?.name ?? prop} is not a liveness property of this model`;
  const m = new Machine(prog);
  const units = fairnessUnits(prog);
  const start = new Int32Array(m.cur.length);
  const base = new Int32Array(m.cur.length);
  const tmp = new Uint32Array(prog.words);
  const openAll = obls.map(() => true);
  const enabledEverywhere = new Uint8Array(units.count).fill(1);
  const taken = new Uint8Array(units.count);
  const here = new Uint8Array(units.count);
  const expand = genExpand(prog, m, tmp, (step, actor) => {
    here[units.base[step] + actor * units.stride[step]] = 1;
    return false;
  });
  m.init();
  for (let i = 0; i <= steps.length; i++) {
    if (i === cycleAt) start.set(m.cur);
    if (i >= cycleAt) {
      obls.forEach((o, j) => (openAll[j] &&= isOpen(prog, m, o)));
      if (i < steps.length) {
        base.set(m.cur);
        here.fill(0);
        expand(base);
        m.cur.set(base);
        for (let u = 0; u < units.count; u++) if (here[u] === 0) enabledEverywhere[u] = 0;
      }
    }
    if (i === steps.length) break;
    const r = steps[i];
    const st = prog.steps[r.step];
    if (!m.enabled(st, r.actor, r.choice)) return `step ${i + 1} (${st.name} on ${st.actorKind}${r.actor}) is not enabled`;
    m.apply(st, r.actor);
    if (i >= cycleAt) taken[units.base[r.step] + r.actor * units.stride[r.step]] = 1;
  }
  for (let s = 0; s < start.length; s++) if (start[s] !== m.cur[s]) return `the cycle does not return to the state it starts in (step ${cycleAt + 1})`;
  if (!openAll.some((x) => x)) return `${obls[0].name} does not stay open on the cycle`;
  for (let u = 0; u < units.count; u++) if (enabledEverywhere[u] === 1 && taken[u] === 0) return `the cycle is not fair: ${units.names[u]} is enabled throughout it and never moves`;
  return null;
}
