// Shrinking a counterexample to one a person can read, criteria in this order: (1) the shortest
// length at which the same property fails, (2) the fewest CPU switches at that length: points where
// the next step is another actor's than the last one (a breadth-first search bounded by preemptions,
// as in iterative context bounding; not the kernel's context_switch(), which is a step like any
// other), (3) no step the violation does not depend on, and (4) the smallest params under which the
// property still fails within that length. Each search is bounded (maxStates); a bound that is hit
// leaves that criterion as it was and says so. The result is a real, replayable trace of the same
// property.
import { compile, type Program } from '../lang/compile.ts';
import { asModelError, UsageError } from '../lang/errors.ts';
import { instantiate, type InstanceOptions } from '../lang/instantiate.ts';
import type { AnyModel } from '../lang/model.ts';
import type { PropertyDef } from '../lang/property.ts';
import { boundedSearch } from '../engine/bounded.ts';
import type { RawStep } from '../engine/via.ts';
import { replayRaw } from './replay.ts';

export interface ShrinkInput {
  readonly model: AnyModel;
  readonly properties: readonly PropertyDef[];
  readonly options: InstanceOptions;
  readonly property: string;
  readonly trace: readonly RawStep[];
}

export interface ShrinkResult {
  readonly program: Program;
  readonly params: Readonly<Record<string, number>>;
  readonly trace: readonly RawStep[];
  /** Steps whose removal makes the violation disappear (all of them, for a shortest trace). */
  readonly matters: readonly boolean[];
  readonly from: { readonly length: number; readonly switches: number; readonly params: Readonly<Record<string, number>> };
  readonly to: { readonly length: number; readonly switches: number };
  /** Criteria that could not be decided within the bound. */
  readonly incomplete: readonly string[];
}

/** CPU switches of a trace: steps taken by another actor than the step before. */
export function switches(prog: Program, t: readonly RawStep[]): number {
  let n = 0;
  for (let i = 1; i < t.length; i++) if (actorCode(prog, t[i]) !== actorCode(prog, t[i - 1])) n++;
  return n;
}

function actorCode(prog: Program, r: RawStep): number {
  return prog.actorKinds.findIndex((k) => k.name === prog.steps[r.step].actorKind) * 256 + r.actor;
}

export function shrink(input: ShrinkInput, maxStates = 2_000_000): ShrinkResult {
  const incomplete: string[] = [];
  let prog = compile(instantiate(input.model, input.properties, input.options));
  const fromParams = prog.instance.params;
  let trace = removeIrrelevant(prog, input.property, input.trace);
  const from = { length: input.trace.length, switches: switches(prog, input.trace), params: fromParams };

  // (1) Shortest length at the given params.
  const shortest = boundedSearch(prog, input.property, trace.length, Infinity, maxStates);
  if (shortest.trace) trace = shortest.trace;
  else if (shortest.hitLimit) incomplete.push(`shortest length (search stopped at ${maxStates} states)`);
  // (4) Smallest params that keep that length: lower one param at a time while a search bounded by the
  // current length still finds the property violated (criteria are ordered: length before params).
  let params: Record<string, number> = { ...fromParams };
  for (const [name, spec] of Object.entries(input.model.params)) {
    for (let v = spec.min; v < params[name]; v++) {
      // A scope the model cannot be built or started in (a usage or model error) is skipped.
      let p: Program;
      let found: ReturnType<typeof boundedSearch>;
      try {
        p = compile(instantiate(input.model, input.properties, { ...input.options, params: { ...params, [name]: v } }));
        found = boundedSearch(p, input.property, trace.length, Infinity, maxStates);
      } catch (e) {
        if (e instanceof UsageError || asModelError(e) !== null) continue;
        throw e;
      }
      if (found.trace) {
        params = { ...params, [name]: v };
        prog = p;
        trace = found.trace;
        break;
      }
    }
  }
  // (2) Fewest CPU switches at that length.
  for (let k = 0; k < switches(prog, trace); k++) {
    const r = boundedSearch(prog, input.property, trace.length, k, maxStates);
    if (r.trace) {
      trace = r.trace;
      break;
    }
    if (r.hitLimit) {
      incomplete.push(`fewest CPU switches (search stopped at ${maxStates} states)`);
      break;
    }
  }
  // (3) Drop steps the violation does not need (none remain in a shortest trace; kept for the bounded case).
  trace = removeIrrelevant(prog, input.property, trace);
  const matters = trace.map((_, i) => !violates(prog, input.property, [...trace.slice(0, i), ...trace.slice(i + 1)]));
  return { program: prog, params, trace, matters, from, to: { length: trace.length, switches: switches(prog, trace) }, incomplete };
}

function violates(prog: Program, property: string, t: readonly RawStep[]): boolean {
  const o = replayRaw(prog, t);
  return o.status === 'violates' && o.property === property;
}

/** Greedy delta: remove single steps while the same property still fails (and the rest still applies). */
function removeIrrelevant(prog: Program, property: string, t: readonly RawStep[]): RawStep[] {
  let cur = [...t];
  const o = replayRaw(prog, cur);
  if (o.status === 'violates' && o.property === property) cur = cur.slice(0, o.at + 1);
  for (let i = cur.length - 1; i >= 0; i--) {
    const cand = [...cur.slice(0, i), ...cur.slice(i + 1)];
    const r = replayRaw(prog, cand);
    if (r.status === 'violates' && r.property === property) cur = cand.slice(0, r.at + 1);
  }
  return cur;
}
