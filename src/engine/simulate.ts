// Simulation for scopes too large to exhaust: random walks, each a sequence of choices among the
// transitions enabled at each step, generated and shrunk by fast-check. A walk is reproducible from
// its seed (and fast-check's path); a violating walk is shrunk by fast-check to a short choice
// sequence before the trace shrinker takes over.
import fc from 'fast-check';
import { candidatesAt, type Program } from '../lang/compile.ts';
import { asModelError } from '../lang/errors.ts';
import type { RawStep } from './bfs.ts';
import { Machine } from './machine.ts';

export interface SimulateOptions {
  readonly runs: number;
  readonly depth: number;
  readonly seed: number;
}

export interface SimulateResult {
  readonly verdict: 'violation' | 'incomplete' | 'error';
  readonly runs: number;
  readonly seed: number;
  readonly steps: number;
  readonly property?: string;
  readonly reason?: string;
  readonly trace?: readonly RawStep[];
  /** fast-check's path to the failing run, to replay it with the same seed. */
  readonly path?: string;
}

/** Enabled transitions of `m.cur`, restored afterwards. */
function enabledTransitions(prog: Program, m: Machine, out: RawStep[]): void {
  out.length = 0;
  const saved = Int32Array.from(m.cur);
  for (const k of prog.actorKinds) {
    for (let a = 0; a < k.count; a++) {
      for (const sid of candidatesAt(k, saved, a)) {
        const st = prog.steps[sid];
        for (let ch = 0; ch < st.choices; ch++) {
          m.cur.set(saved);
          if (m.enabled(st, a, ch)) out.push({ step: sid, actor: a, choice: ch });
        }
      }
    }
  }
  m.cur.set(saved);
}

/** Runs one walk driven by `choices`; returns the walk and the violation it ends in, if any. */
export function walk(prog: Program, choices: readonly number[]): { trace: RawStep[]; prop?: number; reason?: string; error?: string } {
  const m = new Machine(prog);
  const trace: RawStep[] = [];
  const en: RawStep[] = [];
  try {
    m.init();
    const v0 = m.checkInvariants();
    if (v0) return { trace, prop: v0.prop, reason: v0.reason };
    for (const c of choices) {
      enabledTransitions(prog, m, en);
      if (en.length === 0) break;
      const t = en[c % en.length];
      m.enabled(prog.steps[t.step], t.actor, t.choice);
      m.apply(prog.steps[t.step], t.actor);
      trace.push(t);
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
  const props = prog.instance.properties;
  let total = 0;
  const result = fc.check(
    fc.property(fc.array(fc.nat({ max: 0xffff }), { minLength: 1, maxLength: o.depth }), (choices) => {
      const w = walk(prog, choices);
      total += w.trace.length;
      return w.prop === undefined && w.error === undefined;
    }),
    { numRuns: o.runs, seed: o.seed, endOnFailure: false },
  );
  if (!result.failed || !result.counterexample) return { verdict: 'incomplete', runs: result.numRuns, seed: o.seed, steps: total };
  const w = walk(prog, result.counterexample[0]);
  const base = { runs: result.numRuns, seed: o.seed, steps: total, trace: w.trace, path: result.counterexamplePath ?? undefined };
  if (w.error !== undefined) return { ...base, verdict: 'error', property: 'model-error', reason: w.error };
  return { ...base, verdict: 'violation', property: props[w.prop!].name, reason: w.reason };
}
