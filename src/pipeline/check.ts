// check: the pipeline from a model and a variant to a verdict — instantiate, compile, explore (or
// simulate), the stuck-actor check, and for a violation the trace rebuilt from the raw steps, shortened
// or shrunk and rendered as rows. It sits above the engine (src/engine) and the trace layer
// (src/trace), which know nothing of it. The CLI, the tests and the bench all call this one function.
import { compile, type Program } from '../lang/compile.ts';
import { instantiate, type InstanceOptions } from '../lang/instantiate.ts';
import type { AnyModel, FlagValue } from '../lang/model.ts';
import type { PropertyDef } from '../lang/property.ts';
import { actorNames as namesOf } from '../lang/names.ts';
import { exploreBfs, type ExploreOptions } from '../engine/bfs.ts';
import { boundedSearch } from '../engine/bounded.ts';
import { simulate, type SimulateResult } from '../engine/simulate.ts';
import { checkStuck, type StuckResult } from '../engine/stuck.ts';
import type { RawStep } from '../engine/via.ts';
import type { ReductionStats } from '../engine/reductions/index.ts';
import type { StoreKind } from '../engine/stores.ts';
import { missProbability } from '../engine/fingerprint-store.ts';
import { replayRaw } from '../trace/replay.ts';
import { shrink } from '../trace/shrink.ts';
import { buildTrace, type TraceRow } from '../trace/trace.ts';
import { confirmOnExact, type AbstractionReport } from './abstraction.ts';

export interface CheckResult {
  readonly verdict: 'ok' | 'violation' | 'incomplete' | 'error';
  readonly model: string;
  readonly variant: string | null;
  /** The named scope (`--scope`), or null for the default one. */
  readonly scope: string | null;
  readonly params: Readonly<Record<string, number>>;
  readonly flags: Readonly<Record<string, FlagValue>>;
  readonly memory: string;
  readonly properties: readonly string[];
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly seconds: number;
  readonly memoryBytes: number;
  /** The visited-state store (null for a simulation), the packed state's bytes, resident bytes per state. */
  readonly store: StoreKind | null;
  readonly packedBytes: number;
  readonly bytesPerState: number;
  /** With the fingerprint store: TLC's estimate of the probability that a state was missed. */
  readonly missProbability?: number;
  /**
   * Per reduction that was on (asked for, and with something to do: symmetry only where the model
   * declares symmetries), its statistics as the search reported them; none with a simulation.
   */
  readonly reductions: ReductionStats;
  /** The stuck-actor check after a complete search (null when off, or when the search did not complete). */
  readonly liveness: Omit<StuckResult, 'found' | 'trace' | 'limit'> | null;
  /** For incomplete: the limit that was hit. */
  readonly limit?: string;
  /** For a violation: the property name (`deadlock` for a deadlock); for an error: `model-error`. */
  readonly property?: string;
  readonly statement?: string;
  readonly reason?: string;
  /** For an error: the stack of the exception and of its cause (printed with --debug). */
  readonly stack?: string;
  readonly trace?: readonly TraceRow[];
  readonly rawTrace?: readonly RawStep[];
  /** For a liveness violation (a lasso): the trace is the stem, then from this index the cycle. */
  readonly cycleAt?: number;
  /** With --shrink: the trace before and after. */
  readonly shrunk?: { readonly from: { length: number; switches: number; params: Readonly<Record<string, number>> }; readonly to: { length: number; switches: number }; readonly incomplete: readonly string[] };
  /** With --simulate: how many walks, from which seed, and fast-check's path to the failing one. */
  readonly simulation?: { readonly runs: number; readonly seed: number; readonly path?: string };
  /** Actor instances in column order (CPUs first). */
  readonly actors: readonly string[];
  readonly program: Program;
  /** With an abstraction flag on, for a violation: how it was checked on the exact model. */
  readonly abstraction?: AbstractionReport;
}

export interface CheckOptions extends InstanceOptions, ExploreOptions {
  /** Random walks instead of an exhaustive search (for scopes too large to exhaust). */
  readonly simulate?: { readonly runs: number; readonly depth: number; readonly seed: number };
  /** Shrink a counterexample (shortest, fewest CPU switches, smallest params). */
  readonly shrink?: boolean;
  /** The stuck-actor check after a complete search (default on). */
  readonly liveness?: boolean;
  /** Called when the search (and the stuck-actor check) has returned, before a shortest trace is sought or shrunk. */
  readonly onExplored?: () => void;
}

export function check(model: AnyModel, allProperties: readonly PropertyDef[], opts: CheckOptions = {}): CheckResult {
  return confirmOnExact(model, allProperties, opts, search(model, allProperties, opts), search);
}

function search(model: AnyModel, allProperties: readonly PropertyDef[], opts: CheckOptions): CheckResult {
  const t0 = performance.now();
  const inst = instantiate(model, allProperties, opts);
  const prog = compile(inst);
  const searched = opts.simulate ? fromSimulation(prog, simulate(prog, { ...opts.simulate, maxSeconds: opts.maxSeconds, shouldStop: opts.shouldStop }), t0) : exploreBfs(prog, opts);
  const stuck = !('runs' in searched) && searched.verdict === 'ok' && opts.liveness !== false ? checkStuck(prog, searched, opts) : null;
  const r = stuck !== null && stuck.verdict !== 'ok' ? { ...searched, verdict: stuck.verdict, limit: stuck.limit, found: stuck.found, trace: stuck.trace, cycleAt: stuck.cycleAt } : searched;
  opts.onExplored?.();
  const base = {
    verdict: r.verdict,
    model: model.name,
    variant: inst.variant?.name ?? null,
    scope: inst.scope,
    params: inst.params,
    flags: inst.flags,
    memory: inst.memory,
    properties: inst.properties.map((p) => p.name),
    states: r.states,
    transitions: r.transitions,
    depth: r.depth,
    seconds: r.seconds,
    memoryBytes: r.bytes,
    store: 'store' in r ? r.store.kind : null,
    packedBytes: prog.words * 4,
    bytesPerState: r.states > 0 ? r.bytes / r.states : 0,
    ...('store' in r && r.store.kind === 'fingerprint' ? { missProbability: missProbability(r.states, r.transitions + 1) } : {}),
    reductions: r.reductions,
    liveness: stuck && { verdict: stuck.verdict, states: stuck.states, transitions: stuck.transitions, seconds: stuck.seconds, bytes: stuck.bytes, graph: stuck.graph },
    actors: actorNames(prog),
    program: prog,
    ...('runs' in r ? { simulation: { runs: r.runs, seed: opts.simulate!.seed, path: r.path } } : {}),
  };
  if (r.verdict === 'incomplete') return { ...base, limit: r.limit };
  if (!r.found) return base;
  const f = r.found;
  const prop = f.prop >= 0 ? inst.properties[f.prop] : null;
  const found = {
    ...base,
    property: prop ? prop.name : f.kind === 'error' ? 'model-error' : f.kind,
    statement: prop ? prop.statement : f.kind === 'deadlock' ? 'Some step is always enabled, except in an allowed end state.' : f.kind === 'stuck' ? STUCK_STATEMENT : '',
    reason: f.reason,
    ...('stack' in f && f.stack ? { stack: f.stack } : {}),
    trace: buildTrace(prog, r.trace ?? []),
    rawTrace: r.trace,
    ...('cycleAt' in r && r.cycleAt !== undefined ? { cycleAt: r.cycleAt } : {}),
  };
  if (f.kind === 'liveness') return found; // a lasso: its cycle is the finding, not shortened or shrunk
  if (!opts.shrink && prop && r.trace && !r.shortest) {
    // A reduction (partial-order reduction) may find a longer path than the shortest: search the
    // unreduced graph up to that length for a shortest trace of the same property (bounded; kept as
    // found otherwise).
    const shortest = boundedSearch(prog, prop.name, r.trace.length - 1, Infinity, 2_000_000).trace;
    if (shortest) {
      const end = replayRaw(prog, shortest);
      return { ...found, reason: end.status === 'violates' ? end.reason : found.reason, trace: buildTrace(prog, shortest), rawTrace: shortest };
    }
  }
  if (!opts.shrink || !prop || !r.trace) return found;
  const sh = shrink({ model, properties: allProperties, options: opts, property: prop.name, trace: r.trace });
  const end = replayRaw(sh.program, sh.trace);
  return {
    ...found,
    params: sh.program.instance.params,
    program: sh.program,
    actors: actorNames(sh.program),
    reason: end.status === 'violates' ? end.reason : found.reason,
    trace: buildTrace(sh.program, sh.trace).map((row, i) => ({ ...row, matters: sh.matters[i] })),
    rawTrace: sh.trace,
    shrunk: { from: sh.from, to: sh.to, incomplete: sh.incomplete },
  };
}

const STUCK_STATEMENT = 'An actor inside a procedure can always still get back to rest: from every reachable state some execution completes the procedures it is in.';

/** Actor instances in column order (CPUs first). */
export function actorNames(prog: Program): readonly string[] {
  return namesOf(prog).columns;
}

/** A simulation's outcome in the shape of an exploration's (states counts the steps walked). */
function fromSimulation(prog: Program, s: SimulateResult, t0: number) {
  const idx = prog.instance.properties.findIndex((p) => p.name === s.property);
  return {
    verdict: s.verdict,
    states: s.steps,
    transitions: s.steps,
    depth: s.trace?.length ?? 0,
    seconds: (performance.now() - t0) / 1000,
    bytes: 0,
    reductions: {},
    shortest: true,
    runs: s.runs,
    path: s.path,
    limit: s.verdict === 'incomplete' ? (s.limit ?? `simulation of ${s.runs} random walks (not exhaustive)`) : undefined,
    found: s.verdict === 'violation' ? { kind: 'invariant' as const, prop: idx, reason: s.reason! } : s.verdict === 'error' ? { kind: 'error' as const, prop: -1 as const, reason: s.reason! } : undefined,
    trace: s.trace,
  };
}
