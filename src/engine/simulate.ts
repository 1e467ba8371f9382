// Simulation for scopes too large to exhaust: random walks, each a sequence of choices among the
// transitions enabled at each step, generated and shrunk by fast-check. Every walk gets exactly
// `depth` choices, so it runs until it has taken `depth` steps or no step is enabled (fast-check's
// default size would otherwise cap a walk at about a dozen steps, far short of the races the models
// hold); each choice is uniform (no bias towards the first enabled transitions). A walk is
// reproducible from its seed (and fast-check's path); a violating walk is shrunk by fast-check (its
// choices towards 0: the first enabled transition; never to a longer trace) before the trace
// shrinker takes over.
import fc from 'fast-check';
import type { Program } from '../lang/compile.ts';
import { asModelError, UsageError } from '../lang/errors.ts';
import { INTERRUPT } from './bfs.ts';
import { Expander } from './expander.ts';
import type { RawStep } from './via.ts';

export interface SimulateOptions {
  readonly runs: number;
  readonly depth: number;
  readonly seed: number;
  /** Stop walking after this long (the verdict stays incomplete, with this limit). */
  readonly maxSeconds?: number;
  /** Polled before each walk; true stops the simulation (Ctrl-C). */
  readonly shouldStop?: () => boolean;
}

export interface SimulateResult {
  readonly verdict: 'violation' | 'incomplete' | 'error';
  readonly runs: number;
  readonly seed: number;
  /** Steps taken by all walks together (the shrinker's replays not counted). */
  readonly steps: number;
  readonly property?: string;
  readonly reason?: string;
  readonly trace?: readonly RawStep[];
  /** Why fewer than `runs` walks ran: `max-seconds S` or the interrupt limit. */
  readonly limit?: string;
  /** fast-check's path to the failing run, to replay it with the same seed. */
  readonly path?: string;
}

/** What a walk works in, allocated once per simulation: the guards-only expander and the enabled transitions. */
export interface WalkScratch {
  readonly ex: Expander;
  /** Enabled transitions as (step, actor, choice) triples, `n` of them. */
  readonly enabled: Int32Array;
  n: number;
}

export function walkScratch(prog: Program): WalkScratch {
  const most = prog.steps.reduce((n, st) => n + st.choices * prog.actorKinds.find((k) => k.name === st.actorKind)!.count, 0);
  const enabled = new Int32Array(3 * most);
  const w: WalkScratch = {
    ex: new Expander(prog, (step, actor, choice) => {
      enabled[3 * w.n] = step;
      enabled[3 * w.n + 1] = actor;
      enabled[3 * w.n + 2] = choice;
      w.n++;
      return false;
    }, { guardsOnly: true }),
    enabled,
    n: 0,
  };
  return w;
}

/** Runs one walk driven by `choices`; returns the walk and the violation it ends in, if any. */
export function walk(prog: Program, choices: readonly number[], w = walkScratch(prog)): { trace: RawStep[]; prop?: number; reason?: string; error?: string } {
  const { ex, enabled } = w;
  const m = ex.machine;
  const state = new Int32Array(m.cur.length);
  const trace: RawStep[] = [];
  try {
    m.init();
    m.violation = null;
    const v0 = m.checkInvariants();
    if (v0) return { trace, prop: v0.prop, reason: v0.reason };
    for (const c of choices) {
      // The enabled transitions (guards only), then the chosen one taken from the same state.
      state.set(m.cur);
      w.n = 0;
      if (ex.expand(state) === 'error') return { trace, error: ex.error!.message };
      const n = w.n;
      if (n === 0) break;
      const i = 3 * (c % n);
      m.cur.set(state);
      if (ex.take(enabled[i], enabled[i + 1], enabled[i + 2]) === 'error') return { trace, error: ex.error!.message };
      trace.push({ step: enabled[i], actor: enabled[i + 1], choice: enabled[i + 2] });
      const v = m.violation ?? m.checkInvariants();
      if (v) return { trace, prop: v.prop, reason: v.reason };
    }
  } catch (e) {
    const me = asModelError(e);
    if (me === null) throw e;
    return { trace, error: me.message };
  }
  return { trace };
}

export function simulate(prog: Program, o: SimulateOptions): SimulateResult {
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new UsageError(`simulation: the number of walks must be an integer of at least 1, not ${o.runs}`);
  if (!Number.isInteger(o.depth) || o.depth < 1) throw new UsageError(`simulation: the walk depth must be an integer of at least 1, not ${o.depth}`);
  if (!Number.isInteger(o.seed)) throw new UsageError(`simulation: the seed must be an integer, not ${o.seed}`);
  const props = prog.instance.properties;
  const scratch = walkScratch(prog);
  let total = 0;
  // The length of the shortest violating walk so far: while shrinking, a variant counts as failing
  // only if it violates at least as early, so that shrinking never lengthens the trace (smaller
  // choices alone can take a longer way to the same violation).
  let shortest = Infinity;
  let stopped = false;
  const choices = fc.array(fc.noBias(fc.nat({ max: 0xffff })), { minLength: o.depth, maxLength: o.depth });
  const result = fc.check(
    fc.property(choices, (cs) => {
      // after a stop request the remaining runs pass at once: fast-check has no other way out
      if (stopped || (shortest === Infinity && o.shouldStop?.())) return (stopped = true);
      const w = walk(prog, cs, scratch);
      if (shortest === Infinity) total += w.trace.length;
      if (w.prop === undefined && w.error === undefined) return true;
      if (w.trace.length > shortest) return true;
      shortest = w.trace.length;
      return false;
    }),
    { numRuns: o.runs, seed: o.seed, endOnFailure: false, ...(o.maxSeconds !== undefined ? { interruptAfterTimeLimit: o.maxSeconds * 1000 } : {}) },
  );
  if (!result.failed || !result.counterexample) {
    const limit = stopped ? INTERRUPT : result.interrupted ? `max-seconds ${o.maxSeconds}` : undefined;
    return { verdict: 'incomplete', runs: result.numRuns, seed: o.seed, steps: total, ...(limit ? { limit } : {}) };
  }
  const w = walk(prog, result.counterexample[0], scratch);
  const base = { runs: result.numRuns, seed: o.seed, steps: total, trace: w.trace, path: result.counterexamplePath ?? undefined };
  if (w.error !== undefined) return { ...base, verdict: 'error', property: 'model-error', reason: w.error };
  return { ...base, verdict: 'violation', property: props[w.prop!].name, reason: w.reason };
}
