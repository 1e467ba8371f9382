// The parallel breadth-first search (`--workers N`, N > 1): hash-partitioned and layer-synchronous.
// Each of N worker threads owns the states whose owner hash (protocol.ts) is its index, in its own
// store. A layer is searched in rounds of two phases with a barrier between them (every worker replies
// before the next phase starts): expand (each worker expands the next part of its share of layer d,
// until its outboxes hold a round's records, and sends each successor to its owner) and insert (each
// owner stores what it received; its new states are its share of layer d + 1). The rounds bound the
// successors waiting in the outboxes, whatever the size of the layer; the last round (every share
// expanded) closes the layer. This thread only directs the phases, merges the ranks and rebuilds a trace; it waits
// for replies synchronously (Atomics.wait on the shared control array, polling the limits and Ctrl-C
// every WAIT_MS, and the workers poll the stop flag every 1024 states).
//
// The result is the sequential search's (bfs.ts), for any N: the same states, transitions, depth,
// verdict, property and trace. The rule that makes it so: a successor's key is its position in the
// sequential search's order of generation, (rank of its parent in the parent's layer, index among the
// parent's successors); a new state keeps the smallest key that reached it (its parent link is then
// the sequential one); the keys of a layer's new states, sorted and merged over the workers, are the
// ranks of the next layer (the sequential insertion order); of the violations and model errors found
// in a layer the one with the smallest key is reported (a monitor before an invariant on the same
// transition), with the states and transitions the sequential search had counted when it met it.
import { receiveMessageOnPort } from 'node:worker_threads';
import type { Program } from '../../lang/compile.ts';
import { exploreBfs, INTERRUPT, type ExploreOptions, type ExploreResult, type Found } from '../bfs.ts';
import { Expander } from '../expander.ts';
import { pathTo, realErrorTrace, realTrace, traceTo, violationAtEnd } from '../paths.ts';
import { createReductions, hook, statisticsOf, type ReductionStats } from '../reductions/index.ts';
import { NO_PARENT, StateStore, type VisitedStore } from '../store.ts';
import { defaultStore, type StoreKind } from '../stores.ts';
import { decodeVia, type RawStep } from '../via.ts';
import { bound, CTL, earlier, EXCHANGE_WORDS, ownerOf, RECORD_EXTRA, type Command, type Reply, type WorkerEvent } from './protocol.ts';
import type { ProgramRecipe } from './recipe.ts';
import { discard, poolOf } from './spawn.ts';

/** An insert phase's reply. */
type InsertReply = Extract<Reply, { layer: unknown }>;

/** Milliseconds between two polls of the limits while the workers run a phase. */
const WAIT_MS = 20;

export interface ParallelOptions extends ExploreOptions {
  /** Words of successor records a worker sends per round (default EXCHANGE_WORDS; a test sets it small to search each layer in many rounds). */
  readonly exchangeWords?: number;
}

export function exploreParallel(prog: Program, recipe: ProgramRecipe, n: number, opts: ParallelOptions = {}): ExploreResult {
  const t0 = performance.now();
  const maxStates = opts.maxStates ?? Infinity;
  const maxMs = (opts.maxSeconds ?? Infinity) * 1000;
  const maxBytes = opts.maxMemoryBytes ?? Infinity;
  const W = prog.words;
  const kind = opts.store ?? defaultStore(W);
  const ex = new Expander(prog, () => false);
  const m = ex.machine;
  const por = opts.por ?? false;
  const active = createReductions({ symmetry: opts.symmetry, por }, { prog, machine: m, store: new StateStore(W, 16) });
  const canon = hook(active, 'canon');
  const pool = poolOf(n);
  const { ports, ctl } = pool;
  const all = Array.from({ length: n }, (_, w) => w);
  Atomics.store(ctl, CTL.stop, 0);
  Atomics.store(ctl, CTL.states, 0);
  Atomics.store(ctl, CTL.maxStates, Number.isFinite(maxStates) ? Math.min(maxStates, 0x7fffffff) : 0);
  let states = 0;
  /** The layer being expanded (its states are the queue until the insert phase stores their successors). */
  let expanding = 0;
  let transitions = 0;
  let depth = 0;
  let bytes = 0;
  /** Per worker: its reductions' statistics after its last expand phase. */
  let stats: ReductionStats[] = [];
  const done = (verdict: ExploreResult['verdict'], extra: Partial<ExploreResult> = {}): ExploreResult => ({
    verdict,
    states,
    transitions,
    depth,
    seconds: (performance.now() - t0) / 1000,
    bytes,
    store: summary(kind, W, states, bytes),
    reductions: sumStatistics(statisticsOf(active), stats),
    // The partitions are gone when the search returns: the stuck-actor check explores on its own.
    everyState: false,
    shortest: active.every((a) => a.reduction.shortest),
    workers: n,
    ...extra,
  });

  // The initial state, as bfs.ts stores it; a violation there needs no workers.
  const rep = new Int32Array(m.cur.length);
  const seed = new Uint32Array(W + RECORD_EXTRA);
  try {
    m.init();
    rep.set(m.cur);
    canon?.canon(rep);
  } catch {
    // A model error before the first state is stored: reported as bfs.ts reports it, with no search.
    return { ...exploreBfs(prog, opts), workers: n };
  }
  prog.pack(rep, seed, 0);
  seed.set([0, 0, NO_PARENT, 0], W);
  const v0 = m.checkInvariants();
  if (v0) {
    states = 1;
    return done('violation', { found: { kind: 'invariant', ...v0 }, trace: [] });
  }

  let limit: string | null = null;
  const progressMs = opts.progressMs ?? 1000;
  let nextProgress = t0 + progressMs;
  /** Polls the limits while a phase runs: sets the stop flag (and `limit`) when one is hit. */
  const poll = (): void => {
    if (limit !== null) return;
    const now = performance.now();
    if (now - t0 > maxMs) limit = `max-seconds ${maxMs / 1000}`;
    else if (process.memoryUsage.rss() > maxBytes) limit = `max-memory ${Math.round(maxBytes / 2 ** 20)} MiB`;
    else if (opts.shouldStop?.()) limit = INTERRUPT;
    if (limit !== null) Atomics.store(ctl, CTL.stop, 1);
    else if (opts.onProgress && now >= nextProgress) {
      nextProgress = now + progressMs;
      const stored = Atomics.load(ctl, CTL.states);
      opts.onProgress({ states: stored, transitions, depth, queue: stored - states + expanding, seconds: (now - t0) / 1000, bytes, packedBytes: W * 4 });
    }
  };
  /** Sends each worker in `to` its command and waits for every reply. */
  const ask = (to: readonly number[], cmd: (w: number) => Command): Reply[] => {
    const got: Reply[] = [];
    let seen = Atomics.load(ctl, CTL.replies);
    for (const w of to) ports[w].postMessage(cmd(w));
    const left = new Set(to);
    while (left.size > 0) {
      for (const w of left) {
        const r = receiveMessageOnPort(ports[w]);
        if (r === undefined) continue;
        got[w] = r.message as Reply;
        left.delete(w);
      }
      if (left.size === 0) break;
      Atomics.wait(ctl, CTL.replies, seen, WAIT_MS);
      seen = Atomics.load(ctl, CTL.replies);
      poll();
    }
    for (const r of got) if (r !== undefined && 'fatal' in r) throw new Error(`internal: a search worker failed: ${r.fatal}`);
    return got;
  };
  /** A stopped phase's result: which limit. */
  const stoppedBy = (replies: readonly Reply[]): ExploreResult | null => {
    const s = replies.find((r) => r !== undefined && 'stopped' in r) as { stopped: string } | undefined;
    if (s === undefined) return null;
    states = Math.max(states, Atomics.load(ctl, CTL.states));
    const why = limit ?? (s.stopped === 'memory' ? `memory exhausted (${Math.round(bytes / 2 ** 20)} MiB in the state stores)` : `max-states ${maxStates}`);
    return done('incomplete', { limit: why });
  };

  let discarded = false;
  try {
    // Every worker builds the program from the recipe (its errors are this search's).
    ask(all, () => ({ cmd: 'start', recipe, options: { store: opts.store, symmetry: opts.symmetry ?? false, por, deadlock: opts.deadlock ?? true, exchangeWords: opts.exchangeWords ?? EXCHANGE_WORDS } }));
    if (limit !== null) return done('incomplete', { limit });
    /** Per worker: the states it has stored in closed layers (at a layer's start, its first id of the next layer). */
    const counts: number[] = new Array<number>(n).fill(0);
    let inserted = ask(all, (w) => ({ cmd: 'insert', seed: w === ownerOf(seed, W, n) ? seed : undefined, close: true }));
    let phaseEvent: WorkerEvent | null = null;
    let layerTransitions = 0;
    let d = -1;
    for (;;) {
      const stop = stoppedBy(inserted);
      if (stop) return stop;
      const ins = inserted as InsertReply[];
      const closed = ins.map((r) => r.layer!);
      const added = closed.reduce((s, c) => s + c.inserted, 0);
      bytes = ins.reduce((s, r) => s + r.bytes, 0);
      let event = phaseEvent;
      for (const c of closed) if (c.event && (event === null || earlier(c.event, event))) event = c.event;
      if (event !== null) {
        // Counted as the sequential search had when it met the event.
        const b = bound(event);
        const counted = ask(all, () => ({ cmd: 'count', rank: b.rank, j: b.j })) as Extract<Reply, { transitions: number }>[];
        states += counted.reduce((s, r) => s + r.states, 0);
        transitions += counted.reduce((s, r) => s + r.transitions, 0);
        // Partial-order reduction's count as the sequential search had it then.
        if (por) stats = counted.map((r) => ({ por: { ampleStates: r.ampleStates } }));
        return found(event);
      }
      states += added;
      expanding = added;
      transitions += layerTransitions;
      closed.forEach((c, w) => (counts[w] += c.inserted));
      if (added === 0) break;
      if (states >= maxStates) return done('incomplete', { limit: `max-states ${maxStates}` });
      poll();
      if (limit !== null) return done('incomplete', { limit });
      depth = ++d;
      const ranks = mergeRanks(closed.map((c) => c.sorted));
      layerTransitions = 0;
      phaseEvent = null;
      // The layer's rounds: each expands the next part of every worker's share, then stores what it
      // sent; the last one (every share done) closes the layer.
      for (let round = 0; ; round++) {
        // With partial-order reduction: every store's arrays, republished after each insert phase
        // (postMessage copies `counts` before the next layer adds to it).
        const views = por ? (inserted as InsertReply[]).map((r) => r.view) : null;
        const expanded = ask(all, (w) => ({ cmd: 'expand', layer: round === 0 ? { ranks: ranks[w], firsts: counts } : null, views }));
        const stop2 = stoppedBy(expanded);
        if (stop2) return stop2;
        const exp = expanded as Extract<Reply, { expanded: number }>[];
        layerTransitions += exp.reduce((s, r) => s + r.expanded, 0);
        stats = exp.map((r) => r.stats);
        for (const r of exp) if (r.event && (phaseEvent === null || earlier(r.event, phaseEvent))) phaseEvent = r.event;
        const last = exp.every((r) => r.done);
        inserted = ask(all, () => ({ cmd: 'insert', close: last }));
        if (last) break;
        const stop3 = stoppedBy(inserted);
        if (stop3) return stop3;
        bytes = (inserted as InsertReply[]).reduce((s, r) => s + r.bytes, 0);
      }
      expanding = 0;
    }
    return done('ok');
  } catch (e) {
    discarded = true;
    discard(pool);
    throw e;
  } finally {
    // The workers drop their partitions and wait for the next search.
    if (!discarded) for (const p of ports) p.postMessage({ cmd: 'end' } satisfies Command);
  }

  /** The violation or model error `e` as bfs.ts reports it, its trace rebuilt along the parent links. */
  function found(e: WorkerEvent): ExploreResult {
    const path = pathStore(e.at);
    const last = path.count - 1;
    const ids = pathTo(path, last);
    let t: RawStep[];
    if (e.kind === 'error') {
      const f = e.failing;
      t = f == null ? [] : canon ? realErrorTrace(prog, path, canon, ids) : [...traceTo(path, last), f];
      return done('error', { found: { kind: 'error', prop: -1, reason: e.reason, ...(e.stack ? { stack: e.stack } : {}) } as Found, trace: t });
    }
    if (e.kind === 'monitor') t = canon ? realTrace(prog, path, canon, ids, true, e.words) : [...traceTo(path, last), decodeVia(e.via!)];
    else t = canon ? realTrace(prog, path, canon, ids) : traceTo(path, last);
    if (e.kind === 'deadlock') return done('violation', { found: { kind: 'deadlock', prop: -1, reason: e.reason }, trace: t });
    const real = canon ? violationAtEnd(prog, t) : null;
    return done('violation', { found: { kind: e.kind, ...(real ?? { prop: e.prop, reason: e.reason }) }, trace: t });
  }

  /** The states from the initial one to the state at `address`, in a store of their own (ids in path order). */
  function pathStore(address: number): VisitedStore {
    const steps: { words: Uint32Array; via: number }[] = [];
    for (let a = address; a !== NO_PARENT; ) {
      const w = a % n;
      const r = ask([w], () => ({ cmd: 'link', id: Math.floor(a / n) }))[w] as Extract<Reply, { parent: number }>;
      steps.push({ words: r.words, via: r.via });
      a = r.parent;
    }
    const s = new StateStore(W, steps.length);
    steps.reverse().forEach((x, i) => s.insert(x.words, i === 0 ? NO_PARENT : i - 1, x.via));
    return s;
  }
}

/** The ranks of a layer's states: per worker, the position of each of its sorted keys among all workers' keys. */
function mergeRanks(sorted: readonly Float64Array[]): Uint32Array[] {
  const n = sorted.length;
  const ranks = sorted.map((s) => new Uint32Array(s.length));
  const at = new Int32Array(n);
  const total = sorted.reduce((s, a) => s + a.length, 0);
  for (let r = 0; r < total; r++) {
    let best = -1;
    for (let w = 0; w < n; w++) if (at[w] < sorted[w].length && (best < 0 || sorted[w][at[w]] < sorted[best][at[best]])) best = w;
    ranks[best][at[best]++] = r;
  }
  return ranks;
}

/** The reductions' statistics of the whole search: each count summed over the workers' shares. */
function sumStatistics(names: ReductionStats, shares: readonly ReductionStats[]): ReductionStats {
  const out: Record<string, Record<string, number>> = {};
  for (const name of Object.keys(names)) {
    const sum: Record<string, number> = { ...(names as Record<string, Record<string, number>>)[name] };
    for (const k of Object.keys(sum)) sum[k] = shares.reduce((t, s) => t + ((s as Record<string, Record<string, number>>)[name]?.[k] ?? 0), 0);
    out[name] = sum;
  }
  return out as ReductionStats;
}

/** What remains of the partitioned store after the search: its kind, size and bytes (the states are gone with the workers). */
function summary(kind: StoreKind, words: number, count: number, bytes: number): VisitedStore {
  const gone = (): never => {
    throw new Error('internal: the states of a parallel search are not kept after it returns');
  };
  return { kind, words, count, bytes, insert: gone, find: gone, read: gone, parentOf: gone, viaOf: gone };
}
