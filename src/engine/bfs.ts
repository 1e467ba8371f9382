// Breadth-first exploration of every interleaving. States are expanded in insertion order, so the
// first violation found is at minimal depth and its trace is a shortest counterexample. The loop
// allocates nothing per state: it unpacks into `base`, tries each candidate step on `cur` (restored from
// `base` after a step changed it), packs successors into one scratch buffer and inserts them.
//
// The reductions (reductions/) are asked, where one of them answers: for the representative of each
// state before it is stored (symmetry), for the transitions to take from a state (ample sets), to take
// them itself (sleep sets), and told of each successor stored or found stored.
import type { Program } from '../lang/compile.ts';
import { asModelError, fullStack, isOutOfMemory, type ModelError } from '../lang/errors.ts';
import { Expander, type End, type Failing } from './expander.ts';
import { pathTo, realErrorTrace, realTrace, traceTo, violationAtEnd } from './paths.ts';
import { createReductions, hook, statisticsOf, type ReductionOptions, type ReductionStats } from './reductions/index.ts';
import { decodeVia, encodeVia, viaActor, viaChoice, viaStep, type RawStep } from './via.ts';
import { NO_PARENT, type VisitedStore } from './store.ts';
import { createStore, defaultStore, type StoreKind } from './stores.ts';

// The stuck-actor check (stuck.ts) takes these from here.
export { traceTo } from './paths.ts';
export type { RawStep } from './via.ts';

/** The search's limits, store and reporting; the reductions to run by name (reductions/index.ts). */
export interface ExploreOptions extends ReductionOptions {
  readonly maxStates?: number;
  readonly maxSeconds?: number;
  /** The whole process's resident memory (heap, store, typed arrays), polled with the other limits. */
  readonly maxMemoryBytes?: number;
  /** The visited-state store (stores.ts; default: by the packed size). */
  readonly store?: StoreKind;
  /** Report deadlocks (states with no enabled step that the model does not mark as an allowed end). */
  readonly deadlock?: boolean;
  /** Called every `progressMs` (default 1000) with the search's progress. */
  readonly onProgress?: (p: Progress) => void;
  readonly progressMs?: number;
  /** Polled with the limits (every 1024 states); true stops the search: `incomplete`, limit `interrupt`. */
  readonly shouldStop?: () => boolean;
  /** Told of every transition taken, from the state being expanded to its successor's id (in expansion order). */
  readonly edges?: EdgeSink;
}

/** Where a search records its transitions (the stuck check's graph, built while it explores). */
export interface EdgeSink {
  add(from: number, to: number, via: number): void;
}

/** Milliseconds between two reads of the resident size for --max-memory. */
const RSS_MS = 10;

/** The limit of a search stopped by `shouldStop` (Ctrl-C): `incomplete: stopped at interrupt`. */
export const INTERRUPT = 'interrupt';

export interface Progress {
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  /** Stored states not yet expanded. */
  readonly queue: number;
  readonly seconds: number;
  readonly bytes: number;
  /** Bytes of one packed state. */
  readonly packedBytes: number;
}

export type Found =
  | { readonly kind: 'invariant' | 'monitor'; readonly prop: number; readonly reason: string }
  | { readonly kind: 'deadlock'; readonly prop: -1; readonly reason: string }
  | { readonly kind: 'stuck'; readonly prop: -1; readonly reason: string }
  | { readonly kind: 'error'; readonly prop: -1; readonly reason: string; readonly stack?: string };

export interface ExploreResult {
  readonly verdict: 'ok' | 'violation' | 'incomplete' | 'error';
  readonly states: number;
  readonly transitions: number;
  /** BFS depth reached (the longest shortest path from the initial state among stored states). */
  readonly depth: number;
  readonly seconds: number;
  readonly bytes: number;
  /** For `incomplete`: which limit was hit. */
  readonly limit?: string;
  readonly found?: Found;
  /** For a violation or error: the transitions from the initial state. */
  readonly trace?: readonly RawStep[];
  readonly store: VisitedStore;
  /** Per reduction that was on (asked for, and with something to do): its statistics. */
  readonly reductions: ReductionStats;
  /** Every reachable state was stored (no reduction left one out). */
  readonly everyState: boolean;
  /** A counterexample found is a shortest one (no reduction that may lengthen it was on). */
  readonly shortest: boolean;
  /** Search workers (parallel/: absent for the sequential search, which is one). */
  readonly workers?: number;
  /** Why fewer workers were used than asked for. */
  readonly workersNote?: string;
}

export function exploreBfs(prog: Program, opts: ExploreOptions = {}): ExploreResult {
  const t0 = performance.now();
  const maxStates = opts.maxStates ?? Infinity;
  const maxMs = (opts.maxSeconds ?? Infinity) * 1000;
  const maxBytes = opts.maxMemoryBytes ?? Infinity;
  const deadlock = opts.deadlock ?? true;
  const W = prog.words;
  const tmp = new Uint32Array(W);
  const store = createStore(opts.store ?? defaultStore(W), W, false, prog.wordOrder);
  const ex = new Expander(prog, onSucc, { generated: true });
  const m = ex.machine;
  const cur = m.cur;
  const base = new Int32Array(cur.length);
  const rep = new Int32Array(cur.length); // the representative of `cur` under canonicalization
  const active = createReductions(opts, { prog, machine: m, store });
  const canon = hook(active, 'canon');
  const selector = hook(active, 'select');
  const taker = hook(active, 'expand');
  const arrival = hook(active, 'arrive');
  const edges = opts.edges ?? null;
  let transitions = 0;
  let depth = 0;
  let levelEnd = 1;
  const progressMs = opts.progressMs ?? 1000;
  let nextProgress = t0 + progressMs;
  let nextRss = t0;

  const done = (verdict: ExploreResult['verdict'], extra: Partial<ExploreResult> = {}): ExploreResult => ({
    verdict,
    states: store.count,
    transitions,
    depth,
    seconds: (performance.now() - t0) / 1000,
    bytes: store.bytes,
    store,
    reductions: statisticsOf(active),
    everyState: active.every((a) => a.reduction.storedEveryState()),
    shortest: active.every((a) => a.reduction.shortest),
    ...extra,
  });
  /** A real execution to stored state `id` (under symmetry, de-permuted step by step). */
  const trace = (id: number, monitor = false): RawStep[] => (canon ? realTrace(prog, store, canon, pathTo(store, id), monitor) : traceTo(store, id));

  /** Under symmetry the reason is taken again from the real trace's last state. */
  const violationFound = (kind: 'monitor' | 'invariant', v: { prop: number; reason: string }, t: RawStep[]): ExploreResult => {
    const real = canon ? violationAtEnd(prog, t) : v;
    return done('violation', { found: { kind, ...(real ?? v) }, trace: t });
  };
  /** A model error: the trace to the state being expanded, then the failing transition (if one was being tried). */
  const modelError = (e: ModelError, failing: Failing | null): ExploreResult => {
    const t = failing === null ? [] : canon ? realErrorTrace(prog, store, canon, pathTo(store, expanding)) : [...traceTo(store, expanding), { step: failing.step, actor: failing.actor, choice: failing.choice }];
    return done('error', { found: { kind: 'error', prop: -1, reason: e.message, stack: fullStack(e) }, trace: t });
  };
  // The state being expanded (a reopened one while a reduction emits from it).
  let expanding = NO_PARENT;
  let stopped: ExploreResult | null = null;
  /** Stores the successor in `cur` (its representative); true when the search stops at it. */
  function onSucc(step: number, actor: number, choice: number): boolean {
    const via = encodeVia(step, actor, choice);
    transitions++;
    if (canon) {
      rep.set(cur);
      canon.canon(rep);
      prog.pack(rep, tmp, 0);
    } else prog.pack(cur, tmp, 0);
    const r = store.insert(tmp, expanding, via);
    arrival?.arrive(r, canon === null || same(rep, cur));
    if (edges !== null) edges.add(expanding, r >= 0 ? r : -r - 1, via);
    if (m.violation !== null) {
      // The failing transition itself ends the trace, also when it leads to a state stored before
      // (reached then by another transition, on which the monitor did not fail).
      const t = r >= 0 ? trace(r, true) : canon ? realTrace(prog, store, canon, pathTo(store, expanding), true, tmp) : [...traceTo(store, expanding), decodeVia(via)];
      stopped = violationFound('monitor', m.violation, t);
      return true;
    }
    if (r >= 0 && m.checkInvariants() !== null) {
      stopped = violationFound('invariant', m.violation!, trace(r));
      return true;
    }
    return false;
  }
  // A reduction that takes transitions itself emits each successor in `cur`, with its parent (a
  // reopened state is the parent of what it emits).
  const emit = (from: number, step: number, actor: number, choice: number): boolean => {
    expanding = from;
    return onSucc(step, actor, choice);
  };
  try {
    m.init();
    rep.set(cur);
    canon?.canon(rep);
    prog.pack(rep, tmp, 0);
    const first = store.insert(tmp, NO_PARENT, 0);
    arrival?.arrive(first, true);
    const v = m.checkInvariants();
    if (v) return done('violation', { found: { kind: 'invariant', ...v }, trace: [] });
    for (let id = 0; id < store.count; id++) {
      if (id === levelEnd) {
        depth++;
        levelEnd = store.count;
      }
      if ((id & 1023) === 0 && id > 0) {
        const now = performance.now();
        if (store.count >= maxStates) return done('incomplete', { limit: `max-states ${maxStates}` });
        if (now - t0 > maxMs) return done('incomplete', { limit: `max-seconds ${maxMs / 1000}` });
        // The resident size is read from the kernel (tens of microseconds): at most every RSS_MS.
        if (now >= nextRss && maxBytes < Infinity) {
          nextRss = now + RSS_MS;
          if (process.memoryUsage.rss() > maxBytes) return done('incomplete', { limit: `max-memory ${Math.round(maxBytes / 2 ** 20)} MiB` });
        }
        if (opts.shouldStop?.()) return done('incomplete', { limit: INTERRUPT });
        if (opts.onProgress && now >= nextProgress) {
          nextProgress = now + progressMs;
          opts.onProgress({ states: store.count, transitions, depth, queue: store.count - id, seconds: (now - t0) / 1000, bytes: store.bytes, packedBytes: W * 4 });
        }
      }
      store.read(id, tmp);
      prog.unpack(tmp, 0, base);
      expanding = id;
      let end: End;
      let enabled: number;
      // The transitions chosen (0: all of them).
      const n = selector !== null ? selector.select(base, levelEnd) : 0;
      if (taker !== null) {
        // The chosen transitions (or every one), as the reduction takes them.
        end = taker.expand(id, base, n > 0 ? selector!.chosen : null, n, emit);
        enabled = taker.enabled;
        expanding = id;
        if (end === 'error') {
          // a model error: the usual expansion reports it
          end = ex.expand(base);
          enabled = ex.enabled;
        }
      } else if (n > 0) {
        end = takeChosen(ex, base, selector!.chosen, n, onSucc);
        enabled = n;
      } else {
        end = ex.expand(base);
        enabled = ex.enabled;
      }
      if (end === 'stopped') return stopped!;
      if (end === 'error') return modelError(ex.error!, ex.failing);
      if (enabled === 0 && deadlock) {
        cur.set(base);
        if (!m.isEnd()) return done('violation', { found: { kind: 'deadlock', prop: -1, reason: 'no step is enabled in a state the model does not mark as an allowed end' }, trace: trace(id) });
      }
    }
  } catch (err) {
    // A model error outside an expansion (init, the initial invariants, a reduction's own code).
    if (isOutOfMemory(err)) return done('incomplete', { limit: `memory exhausted (${Math.round(store.bytes / 2 ** 20)} MiB in the state store)` });
    const e0 = asModelError(err);
    if (e0 === null) throw err;
    const x = m.ctx;
    if (expanding === NO_PARENT || x.step === null) return modelError(e0, null);
    const failing = { step: x.step.id, actor: x.actor, choice: x.choice };
    return modelError(m.explainUndeclared(err, x.step, failing.actor, failing.choice, base) || e0, failing);
  }
  return done('ok');
}

/**
 * Only the transitions `chosen[0..n)` (an ample set) of `base`: the same transitions the full
 * expansion would take, fewer of them, each successor handed to `onSucc` (true stops).
 */
export function takeChosen(ex: Expander, base: Int32Array, chosen: Uint32Array, n: number, onSucc: (step: number, actor: number, choice: number) => boolean): End {
  const cur = ex.machine.cur;
  for (let j = 0; j < n; j++) {
    const c = chosen[j];
    cur.set(base);
    const o = ex.take(viaStep(c), viaActor(c), viaChoice(c));
    if (o === 'error') return 'error';
    if (onSucc(viaStep(c), viaActor(c), viaChoice(c))) return 'stopped';
  }
  return 'done';
}

/** Two unpacked states are equal. */
function same(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
